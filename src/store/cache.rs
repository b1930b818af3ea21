//! The build cache: `build-cache/<key hex>`, one small JSON file per step key,
//! holding the step's result (the image config and layers at that point). Entries
//! are written atomically; garbage collection keeps the layers and blobs they name.

use serde::{Deserialize, Serialize};

use super::{io_err, LayerRecord, Store, StoreError};
use crate::oci::Digest;

/// What a build step produced.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CacheEntry {
    /// The full image config JSON after the step.
    pub config: serde_json::Value,
    pub layers: Vec<LayerRecord>,
}

impl Store {
    fn cache_path(&self, key: &Digest) -> std::path::PathBuf {
        self.root.join("build-cache").join(key.hex())
    }

    /// The entry for `key`, when present and everything it names is still stored.
    pub fn get_cache(&self, key: &Digest) -> Option<CacheEntry> {
        let data = std::fs::read(self.cache_path(key)).ok()?;
        let entry: CacheEntry = serde_json::from_slice(&data).ok()?;
        let complete = entry
            .layers
            .iter()
            .all(|l| self.has_layer(&l.diff_id) && self.has_blob(&l.blob));
        complete.then_some(entry)
    }

    /// Record the result of the step with `key`.
    pub fn put_cache(&self, key: &Digest, entry: &CacheEntry) -> Result<(), StoreError> {
        let dir = self.root.join("build-cache");
        std::fs::create_dir_all(&dir).map_err(io_err("creating", &dir))?;
        let data = serde_json::to_vec(entry).map_err(|source| StoreError::BadRecord {
            path: self.cache_path(key),
            source,
        })?;
        self.write_file(&self.cache_path(key), &data)
    }

    /// Every cache entry (for garbage collection).
    pub(crate) fn list_cache(&self) -> Vec<CacheEntry> {
        let Ok(entries) = std::fs::read_dir(self.root.join("build-cache")) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|d| serde_json::from_slice(&d).ok())
            .collect()
    }
}

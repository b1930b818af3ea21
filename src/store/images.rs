//! Image records (`images/<id-hex>.json`) and names (`names/<escaped reference>`).
//!
//! An image's id is its config digest. A record is written only after every blob and
//! layer it names is in the store; a name file holds the id it points at and is
//! replaced atomically, so moving a tag between images is one rename.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{io_err, Store, StoreError};
use crate::oci::{Digest, Reference};

/// One layer of an image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LayerRecord {
    /// Digest of the uncompressed tar (the config's rootfs.diff_ids entry).
    pub diff_id: Digest,
    /// Digest of the blob as the registry served it.
    pub blob: Digest,
    pub media_type: String,
    /// Size of the blob.
    pub compressed_size: u64,
    /// Size of the uncompressed tar stream.
    pub size: u64,
}

/// What the store knows of one image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImageRecord {
    /// The config digest.
    pub id: Digest,
    pub manifest: Digest,
    pub manifest_media_type: String,
    /// The index (manifest list) the manifest was chosen from, if any.
    #[serde(default)]
    pub index: Option<Digest>,
    pub config_size: u64,
    pub layers: Vec<LayerRecord>,
    /// `repository@digest` strings this image was pulled or pushed as.
    #[serde(default)]
    pub repo_digests: Vec<String>,
    /// Unix seconds when the image entered the store.
    pub added: u64,
}

impl ImageRecord {
    /// Sum of the uncompressed layer sizes plus the config, as Podman reports size.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum::<u64>() + self.config_size
    }

    /// Every blob this image needs.
    pub fn blobs(&self) -> impl Iterator<Item = &Digest> {
        [&self.manifest, &self.id]
            .into_iter()
            .chain(self.index.iter())
            .chain(self.layers.iter().map(|l| &l.blob))
    }
}

fn escape(name: &str) -> String {
    name.replace('%', "%25").replace('/', "%2F")
}

fn unescape(name: &str) -> String {
    name.replace("%2F", "/").replace("%25", "%")
}

impl Store {
    fn record_path(&self, id: &Digest) -> PathBuf {
        self.root.join("images").join(format!("{}.json", id.hex()))
    }

    fn name_path(&self, name: &Reference) -> PathBuf {
        self.root.join("names").join(escape(&name.to_string()))
    }

    /// Write an image record. Everything it names must already be stored.
    pub fn put_image(&self, record: &ImageRecord) -> Result<(), StoreError> {
        for blob in record.blobs() {
            if !self.has_blob(blob) {
                return Err(StoreError::MissingBlob(blob.clone()));
            }
        }
        let data = serde_json::to_vec_pretty(record).map_err(|source| StoreError::BadRecord {
            path: self.record_path(&record.id),
            source,
        })?;
        self.write_file(&self.record_path(&record.id), &data)
    }

    /// Write an image record that may already be stored (the same config pulled,
    /// loaded or built again): the stored one's RepoDigests are kept beside the new
    /// ones and its `added` time stays. Returns the record as written.
    pub fn put_image_merged(&self, mut record: ImageRecord) -> Result<ImageRecord, StoreError> {
        if let Some(prev) = self.get_image(&record.id)? {
            for d in prev.repo_digests {
                if !record.repo_digests.contains(&d) {
                    record.repo_digests.push(d);
                }
            }
            record.added = prev.added;
        }
        self.put_image(&record)?;
        Ok(record)
    }

    /// Read an image record, if present.
    pub fn get_image(&self, id: &Digest) -> Result<Option<ImageRecord>, StoreError> {
        let path = self.record_path(id);
        match std::fs::read(&path) {
            Ok(data) => serde_json::from_slice(&data)
                .map(Some)
                .map_err(|source| StoreError::BadRecord { path, source }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("reading", &path)(e)),
        }
    }

    /// Every image record.
    pub fn list_images(&self) -> Result<Vec<ImageRecord>, StoreError> {
        let dir = self.root.join("images");
        let entries = std::fs::read_dir(&dir).map_err(io_err("listing", &dir))?;
        let mut out = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(hex) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            let Ok(id) = Digest::from_hex(hex) else {
                continue;
            };
            if let Some(r) = self.get_image(&id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Remove an image record (its names must be removed first by the caller).
    pub fn remove_image(&self, id: &Digest) -> Result<(), StoreError> {
        let p = self.record_path(id);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err("removing", &p)(e)),
            _ => Ok(()),
        }
    }

    /// Point `name` (a tagged reference) at image `id`.
    pub fn set_name(&self, name: &Reference, id: &Digest) -> Result<(), StoreError> {
        self.write_file(&self.name_path(name), id.hex().as_bytes())
    }

    /// Remove a name. Returns whether it existed.
    pub fn remove_name(&self, name: &Reference) -> Result<bool, StoreError> {
        let p = self.name_path(name);
        match std::fs::remove_file(&p) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_err("removing", &p)(e)),
        }
    }

    /// The image a name points at.
    pub fn get_name(&self, name: &Reference) -> Result<Option<Digest>, StoreError> {
        let p = self.name_path(name);
        match std::fs::read_to_string(&p) {
            Ok(hex) => Ok(Digest::from_hex(hex.trim()).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("reading", &p)(e)),
        }
    }

    /// Every name and the image it points at, sorted by name.
    pub fn list_names(&self) -> Result<Vec<(Reference, Digest)>, StoreError> {
        let dir = self.root.join("names");
        let entries = std::fs::read_dir(&dir).map_err(io_err("listing", &dir))?;
        let mut out = Vec::new();
        for e in entries.flatten() {
            let file = e.file_name();
            let Some(file) = file.to_str() else { continue };
            let Ok(name) = unescape(file).parse::<Reference>() else {
                continue;
            };
            let Ok(hex) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            if let Ok(id) = Digest::from_hex(hex.trim()) {
                out.push((name, id));
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let n = "localhost:5000/a/b%c:tag";
        assert_eq!(unescape(&escape(n)), n);
        assert!(!escape(n).contains('/'));
    }
}

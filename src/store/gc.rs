//! Garbage collection: removes blobs and layers no image record needs. Runs under
//! the exclusive store lock, so no writer is between storing a blob and writing the
//! record that names it.

use std::collections::HashSet;

use super::{Store, StoreError};
use crate::oci::Digest;

/// What a collection removed.
#[derive(Debug, Default, Clone, Copy)]
pub struct GcStats {
    pub blobs: usize,
    pub layers: usize,
}

impl Store {
    /// Remove unreferenced blobs and layers. The caller holds `lock_exclusive`.
    pub fn collect_garbage(&self) -> Result<GcStats, StoreError> {
        let images = self.list_images()?;
        // Build cache entries keep their layers (and layer blobs) alive too.
        let cached = self.list_cache();
        let cached_layers = cached.iter().flat_map(|c| c.layers.iter());
        let blobs: HashSet<&Digest> = images
            .iter()
            .flat_map(|i| i.blobs())
            .chain(cached_layers.clone().map(|l| &l.blob))
            .collect();
        let layers: HashSet<&Digest> = images
            .iter()
            .flat_map(|i| i.layers.iter().map(|l| &l.diff_id))
            .chain(cached_layers.map(|l| &l.diff_id))
            .collect();
        let mut stats = GcStats::default();
        for d in self.list_blobs()? {
            if !blobs.contains(&d) {
                self.remove_blob(&d)?;
                stats.blobs += 1;
            }
        }
        // No pull runs under the exclusive lock: partial downloads are abandoned.
        let _ = super::temp::remove_tree(&self.root.join("blobs/partial"));
        for d in self.list_layers()? {
            if !layers.contains(&d) {
                self.remove_layer(&d)?;
                stats.layers += 1;
            }
        }
        Ok(stats)
    }
}

//! Unpacked layers under `layers/<diffid-hex>/diff`. A layer is unpacked into temp
//! space and renamed into place whole, so a `layers/<hex>` directory always holds a
//! complete layer whose tar stream hashed to `<hex>`.

use std::path::{Path, PathBuf};

use super::{io_err, temp, Store, StoreError};
use crate::oci::Digest;

impl Store {
    /// The directory of an unpacked layer (parent of its `diff`).
    pub fn layer_dir(&self, diff_id: &Digest) -> PathBuf {
        self.root.join("layers").join(diff_id.hex())
    }

    /// The layer's tree, in overlayfs lower-dir format.
    pub fn layer_diff(&self, diff_id: &Digest) -> PathBuf {
        self.layer_dir(diff_id).join("diff")
    }

    /// Whether the layer is unpacked.
    pub fn has_layer(&self, diff_id: &Digest) -> bool {
        self.layer_diff(diff_id).is_dir()
    }

    /// A temp layer directory: returns (dir, dir/diff) with `diff` created empty.
    pub fn new_layer_dir(&self) -> Result<(PathBuf, PathBuf), StoreError> {
        let dir = self.temp_dir("layer")?;
        let diff = dir.join("diff");
        std::fs::create_dir_all(&diff).map_err(io_err("creating", &diff))?;
        Ok((dir, diff))
    }

    /// Move an unpacked temp layer into place. If another process got there first,
    /// the temp copy is dropped.
    pub fn commit_layer(&self, tmp_dir: &Path, diff_id: &Digest) -> Result<(), StoreError> {
        let dest = self.layer_dir(diff_id);
        if self.has_layer(diff_id) {
            let _ = temp::remove_tree(tmp_dir);
            return Ok(());
        }
        match std::fs::rename(tmp_dir, &dest) {
            Ok(()) => super::atomic::sync_parent(&dest),
            // Another process committed the same layer between our check and rename.
            Err(_) if self.has_layer(diff_id) => {
                let _ = temp::remove_tree(tmp_dir);
                Ok(())
            }
            Err(e) => Err(io_err("renaming layer into place", &dest)(e)),
        }
    }

    /// Every unpacked layer.
    pub fn list_layers(&self) -> Result<Vec<Digest>, StoreError> {
        let dir = self.root.join("layers");
        let entries = std::fs::read_dir(&dir).map_err(io_err("listing", &dir))?;
        Ok(entries
            .flatten()
            .filter_map(|e| Digest::from_hex(&e.file_name().to_string_lossy()).ok())
            .collect())
    }

    /// Remove a layer (garbage collection only): renamed into temp space first so a
    /// half-removed layer is never visible under its name.
    pub(crate) fn remove_layer(&self, diff_id: &Digest) -> Result<(), StoreError> {
        let dir = self.layer_dir(diff_id);
        if !dir.exists() {
            return Ok(());
        }
        let tmp = self.temp_dir("gc-layer")?;
        std::fs::rename(&dir, &tmp).map_err(io_err("moving layer away", &dir))?;
        temp::remove_tree(&tmp).map_err(io_err("removing", &tmp))
    }
}

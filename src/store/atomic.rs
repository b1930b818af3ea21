//! Atomic file replacement: write a temp name in the same directory, fsync, rename,
//! fsync the directory. A reader sees the old file or the new one, never a mix.

use std::io::Write;
use std::path::Path;

use super::{io_err, StoreError};

/// Write `data` to `path` atomically, through `tmp` (a fresh name on the same file system).
pub(crate) fn write(tmp: &Path, path: &Path, data: &[u8]) -> Result<(), StoreError> {
    let tmp = tmp.to_path_buf();
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io_err("creating", &tmp))?;
        f.write_all(data).map_err(io_err("writing", &tmp))?;
        f.sync_all().map_err(io_err("syncing", &tmp))?;
        std::fs::rename(&tmp, path).map_err(io_err("renaming into place", path))?;
        sync_parent(path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// fsync the directory holding `path`, so a rename survives a crash.
pub(crate) fn sync_parent(path: &Path) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        let f = std::fs::File::open(dir).map_err(io_err("opening", dir))?;
        f.sync_all().map_err(io_err("syncing", dir))?;
    }
    Ok(())
}

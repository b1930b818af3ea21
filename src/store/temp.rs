//! Per-process temp space inside the store: `tmp/<owner>/` guarded by an exclusive
//! flock on `tmp/<owner>.lock` held for the owner's lifetime. The kernel drops the
//! lock when the owner dies, however it dies, so a sweeper that can take the lock
//! knows the space is abandoned and removes it.

use std::fs::File;
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};

use super::{io_err, StoreError};

/// This process's temp space.
pub struct TempArea {
    dir: PathBuf,
    lock_path: PathBuf,
    _lock: Flock<File>,
    counter: u64,
}

impl TempArea {
    /// Create a new temp area under `tmp`.
    pub fn create(tmp: &Path) -> Result<TempArea, StoreError> {
        std::fs::create_dir_all(tmp).map_err(io_err("creating", tmp))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("{}-{nanos:09}", std::process::id());
        let lock_path = tmp.join(format!("{name}.lock"));
        let file = File::create(&lock_path).map_err(io_err("creating", &lock_path))?;
        let lock = Flock::lock(file, FlockArg::LockExclusiveNonblock).map_err(|(_, e)| {
            StoreError::Lock {
                path: lock_path.clone(),
                source: e,
            }
        })?;
        let dir = tmp.join(&name);
        std::fs::create_dir(&dir).map_err(io_err("creating", &dir))?;
        Ok(TempArea {
            dir,
            lock_path,
            _lock: lock,
            counter: 0,
        })
    }

    /// A fresh path inside the area; nothing exists there yet.
    pub fn fresh(&mut self, hint: &str) -> Result<PathBuf, StoreError> {
        self.counter += 1;
        Ok(self.dir.join(format!("{}-{hint}", self.counter)))
    }
}

impl Drop for TempArea {
    fn drop(&mut self) {
        let _ = remove_tree(&self.dir);
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Remove temp areas whose owners are gone. Returns how many were removed.
pub fn sweep(tmp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if let Some(owner) = name.strip_suffix(".lock") {
            let Ok(file) = File::open(&path) else {
                continue;
            };
            if let Ok(_held) = Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                if remove_tree(&tmp.join(owner)).is_ok() {
                    let _ = std::fs::remove_file(&path);
                    removed += 1;
                }
            }
        } else if name.starts_with("version-") && older_than(&path, 3600) {
            // An initialiser that died between writing and renaming the version file.
            let _ = std::fs::remove_file(&path);
        }
    }
    removed
}

/// The file at `path` was last modified more than `secs` seconds ago.
pub fn older_than(path: &Path, secs: u64) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > secs)
}

/// Remove a tree, making directories writable first where needed (a layer may hold
/// read-only directories). A missing path is fine.
pub fn remove_tree(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => return std::fs::remove_file(path),
        Ok(_) => {}
    }
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            make_writable(path);
            std::fs::remove_dir_all(path)
        }
        Err(e) => Err(e),
    }
}

fn make_writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            make_writable(&e.path());
        }
    }
}

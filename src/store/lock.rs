//! Store locks (flock files under `locks/`): `store.lock` is taken shared by every
//! writer for the length of its change and exclusively by garbage collection; a
//! per-layer lock keeps two processes from unpacking the same layer at once; a
//! per-volume lock keeps a volume's removal apart from a create that attaches it.
//! Readers take no lock.

use std::fs::File;
use std::path::Path;

use nix::fcntl::{Flock, FlockArg};

use super::{io_err, Store, StoreError};
use crate::oci::Digest;

/// A held lock; released on drop (or when the process dies).
pub struct StoreLock {
    _lock: Flock<File>,
}

fn take(path: &Path, arg: FlockArg) -> Result<StoreLock, StoreError> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io_err("opening lock", path))?;
    let lock = Flock::lock(file, arg).map_err(|(_, source)| StoreError::Lock {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(StoreLock { _lock: lock })
}

impl Store {
    /// Shared store lock: any number of writers at once, no garbage collection.
    pub fn lock_shared(&self) -> Result<StoreLock, StoreError> {
        take(&self.dir("locks/store.lock"), FlockArg::LockShared)
    }

    /// Exclusive store lock, for garbage collection.
    pub fn lock_exclusive(&self) -> Result<StoreLock, StoreError> {
        take(&self.dir("locks/store.lock"), FlockArg::LockExclusive)
    }

    /// Exclusive lock on one layer's unpacking.
    pub fn lock_layer(&self, diff_id: &Digest) -> Result<StoreLock, StoreError> {
        take(
            &self.dir(&format!("locks/layer-{}.lock", diff_id.hex())),
            FlockArg::LockExclusive,
        )
    }

    /// Exclusive lock on one volume: its users are checked and it is deleted, or
    /// a container is created with it, under this lock.
    pub fn lock_volume(&self, name: &str) -> Result<StoreLock, StoreError> {
        let plain = !name.starts_with('.')
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
        let key = if plain && !name.is_empty() {
            name.to_string()
        } else {
            Digest::of(name.as_bytes()).hex().to_string()
        };
        take(
            &self.dir(&format!("locks/volume-{key}.lock")),
            FlockArg::LockExclusive,
        )
    }
}

//! The content-addressed store under `$XDG_DATA_HOME/skiff` (or `--root`).
//!
//! ```text
//! version                  store format version (refuse newer, migrate older)
//! blobs/sha256/<hex>       manifests, configs, compressed layers, by digest
//! layers/<diffid-hex>/diff unpacked layer trees (overlayfs lower-dir format)
//! images/<id-hex>.json     one record per image (written after all it names exists)
//! names/<escaped ref>      one file per tag or name: the image id it points at
//! locks/                   flock files: the store lock (shared for writers,
//!                          exclusive for garbage collection) and per-layer locks
//! tmp/<owner>/, tmp/<owner>.lock  per-process temp space, swept when its owner died
//! ```
//! Invariants: a blob is verified before it gets its name; every file is written to a
//! temp name, fsynced and renamed; no global file is rewritten on change; readers
//! take no lock. `kill -9` at any moment leaves, at worst, a temp dir that the next
//! writer sweeps.

mod atomic;
mod blobs;
mod cache;
pub mod check;
mod gc;
mod images;
mod layers;
mod lock;
mod temp;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use blobs::BlobWriter;
pub use cache::CacheEntry;
pub use check::Problem;
pub use images::{ImageRecord, LayerRecord};
pub use lock::StoreLock;
pub use temp::{older_than, remove_tree, TempArea};

use crate::oci::Digest;

/// The store format this skiff writes.
pub const FORMAT_VERSION: u32 = 1;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{step} {path}: {source}")]
    Io {
        step: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store {path} has format version {found}, newer than this skiff supports ({FORMAT_VERSION}): upgrade skiff")]
    TooNew { path: PathBuf, found: u32 },
    #[error("store {path} has an unreadable version file: {text:?}")]
    BadVersion { path: PathBuf, text: String },
    #[error("{path} is not empty and holds no skiff version file: refusing to use it as a store")]
    NotAStore { path: PathBuf },
    #[error("blob {digest} does not match its content (got {actual}, {size} bytes)")]
    DigestMismatch {
        digest: Digest,
        actual: Digest,
        size: u64,
    },
    #[error("blob {digest} has {actual} bytes, expected {expected}")]
    SizeMismatch {
        digest: Digest,
        expected: u64,
        actual: u64,
    },
    #[error("blob {0} is not in the store")]
    MissingBlob(Digest),
    #[error("image record {path} is corrupt: {source}")]
    BadRecord {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("locking {path}: {source}")]
    Lock { path: PathBuf, source: nix::Error },
}

impl StoreError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind)).
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            StoreError::TooNew { .. } | StoreError::NotAStore { .. } => ErrorKind::InvalidArgument,
            StoreError::MissingBlob(_) => ErrorKind::NotFound,
            StoreError::Io { .. }
            | StoreError::BadVersion { .. }
            | StoreError::DigestMismatch { .. }
            | StoreError::SizeMismatch { .. }
            | StoreError::BadRecord { .. }
            | StoreError::Lock { .. } => ErrorKind::Internal,
        }
    }
}

pub(crate) fn io_err(step: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io { step, path, source }
}

/// An open store.
pub struct Store {
    root: PathBuf,
    runroot: PathBuf,
    temp: Mutex<Option<TempArea>>,
    created: bool,
}

impl Store {
    /// Open (creating if needed) the store at `root`, with run state under `runroot`.
    pub fn open(root: &Path, runroot: &Path) -> Result<Store, StoreError> {
        let created = init_or_check(root)?;
        std::fs::create_dir_all(runroot).map_err(io_err("creating", runroot))?;
        Ok(Store {
            root: root.to_path_buf(),
            runroot: runroot.to_path_buf(),
            temp: Mutex::new(None),
            created,
        })
    }

    /// True when this call created the store (so it may be seeded).
    pub fn was_created(&self) -> bool {
        self.created
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn runroot(&self) -> &Path {
        &self.runroot
    }

    pub(crate) fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Remove temp space left by processes that died. Best effort: entries this
    /// process may not delete (outside the user namespace) are left for later.
    pub fn sweep(&self) -> usize {
        temp::sweep(&self.dir("tmp"))
    }

    /// Write `data` to `path` (inside the store) atomically.
    pub(crate) fn write_file(&self, path: &Path, data: &[u8]) -> Result<(), StoreError> {
        let tmp = self.temp_dir("file")?;
        atomic::write(&tmp, path, data)
    }

    /// A fresh temp path (nothing created there yet) on the store's file system,
    /// removed when the store is dropped unless renamed away.
    pub fn temp_dir(&self, hint: &str) -> Result<PathBuf, StoreError> {
        let mut guard = self.temp.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(TempArea::create(&self.dir("tmp"))?);
        }
        match guard.as_mut() {
            Some(area) => area.fresh(hint),
            None => unreachable!("temp area was just created"),
        }
    }
}

/// Create the store layout, or check the version of an existing one.
/// Returns true when the store was created now.
fn init_or_check(root: &Path) -> Result<bool, StoreError> {
    let version_path = root.join("version");
    match std::fs::read_to_string(&version_path) {
        Ok(text) => {
            let found: u32 = text.trim().parse().map_err(|_| StoreError::BadVersion {
                path: root.to_path_buf(),
                text: text.clone(),
            })?;
            if found > FORMAT_VERSION {
                return Err(StoreError::TooNew {
                    path: root.to_path_buf(),
                    found,
                });
            }
            // Older formats would be migrated here; format 1 is the first.
            Ok(false)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(mut entries) = std::fs::read_dir(root) {
                let foreign = entries.any(|e| {
                    e.map(|e| {
                        !matches!(
                            e.file_name().to_str(),
                            // What a concurrent initialiser may have created already.
                            Some(
                                "version"
                                    | "blobs"
                                    | "layers"
                                    | "images"
                                    | "names"
                                    | "locks"
                                    | "tmp"
                                    | "containers"
                                    | "volumes"
                                    | "build-cache"
                            )
                        )
                    })
                    .unwrap_or(true)
                });
                if foreign {
                    return Err(StoreError::NotAStore {
                        path: root.to_path_buf(),
                    });
                }
            }
            for d in ["blobs/sha256", "layers", "images", "names", "locks", "tmp"] {
                let p = root.join(d);
                std::fs::create_dir_all(&p).map_err(io_err("creating", &p))?;
            }
            let tmp = root
                .join("tmp")
                .join(format!("version-{}", std::process::id()));
            atomic::write(
                &tmp,
                &version_path,
                format!("{FORMAT_VERSION}\n").as_bytes(),
            )?;
            Ok(true)
        }
        Err(e) => Err(StoreError::Io {
            step: "reading",
            path: version_path,
            source: e,
        }),
    }
}

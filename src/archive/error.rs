//! The one error type of the archive module.
//!
//! Every variant names the step that failed and carries the tar entry path
//! (relative to the layer root, as written in the tar) so a one-line message
//! tells the user what went wrong where.

use std::path::PathBuf;

use nix::errno::Errno;

/// Why unpacking a layer failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The layer directory itself could not be opened.
    #[error("cannot open layer directory {}: {source}", path.display())]
    OpenDest { path: PathBuf, source: Errno },
    /// Reading the tar stream failed (I/O error from the caller's reader).
    #[error("cannot read layer tar stream: {source}")]
    Read { source: std::io::Error },
    /// The tar stream is malformed or truncated.
    #[error("corrupt layer tar stream at byte {offset}: {reason}")]
    Corrupt { offset: u64, reason: String },
    /// An entry would write outside the layer directory (or is otherwise dangerous).
    #[error("refusing dangerous tar entry {}: {reason}", path.display())]
    UnsafePath { path: PathBuf, reason: &'static str },
    /// An entry type skiff does not unpack (e.g. GNU sparse, volume labels).
    #[error("unsupported tar entry type {:?} for {}", *kind as char, path.display())]
    Unsupported { path: PathBuf, kind: u8 },
    /// The directory an entry goes into could not be opened or created.
    #[error("cannot open parent directory of {}: {source}", path.display())]
    Parent { path: PathBuf, source: Errno },
    /// Creating the entry (file, directory, symlink, fifo, device) failed.
    #[error("cannot create {}: {source}", path.display())]
    Create { path: PathBuf, source: Errno },
    /// Writing a regular file's contents failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Removing an earlier entry of the same name (later entries win) failed.
    #[error("cannot replace existing {}: {source}", path.display())]
    Remove { path: PathBuf, source: Errno },
    /// Changing ownership failed.
    #[error("cannot chown {} to {uid}:{gid}: {source}", path.display())]
    Chown {
        path: PathBuf,
        uid: u64,
        gid: u64,
        source: Errno,
    },
    /// The entry's owner is not mapped in our user namespace.
    #[error(
        "cannot chown {} to {uid}:{gid}: potentially insufficient UIDs or GIDs available in user namespace",
        path.display()
    )]
    UnmappedId { path: PathBuf, uid: u64, gid: u64 },
    /// Setting permission bits failed.
    #[error("cannot chmod {} to {mode:o}: {source}", path.display())]
    Chmod {
        path: PathBuf,
        mode: u32,
        source: Errno,
    },
    /// Setting timestamps failed.
    #[error("cannot set times of {}: {source}", path.display())]
    Times { path: PathBuf, source: Errno },
    /// Creating a hard link failed (target missing, or a directory).
    #[error("cannot hard link {} to {}: {source}", path.display(), target.display())]
    Link {
        path: PathBuf,
        target: PathBuf,
        source: Errno,
    },
    /// Creating an overlay whiteout (char device 0:0) or opaque marker failed.
    #[error("cannot create whiteout {}: {source}", path.display())]
    Whiteout { path: PathBuf, source: Errno },
    /// Setting an extended attribute failed.
    #[error("cannot set xattr {name} on {}: {source}", path.display())]
    Xattr {
        path: PathBuf,
        name: String,
        source: Errno,
    },
}

impl ArchiveError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind)):
    /// a bad stream is the input's fault, a failed write is ours.
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            ArchiveError::Corrupt { .. }
            | ArchiveError::UnsafePath { .. }
            | ArchiveError::Unsupported { .. } => ErrorKind::InvalidArgument,
            ArchiveError::UnmappedId { .. } => ErrorKind::Unavailable,
            _ => ErrorKind::Internal,
        }
    }
}

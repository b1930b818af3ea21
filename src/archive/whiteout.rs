//! OCI whiteouts to overlayfs (`userxattr`) whiteouts.
//!
//! - `.wh.NAME` becomes a character device 0:0 named NAME in the same
//!   directory (allowed unprivileged in a user namespace since Linux 5.8).
//! - `.wh..wh..opq` in directory D becomes the xattr `user.overlay.opaque=y`
//!   on D.
//! - Other `.wh..wh.*` names are AUFS bookkeeping and are ignored.
//!
//! Invariants: a whiteout that cannot be created is an error, never dropped
//! (a dropped whiteout would resurrect deleted files); NAME is a single
//! component other than `.` and `..`.

use std::ffi::OsStr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use nix::fcntl::OFlag;
use nix::sys::stat::{Mode, SFlag};

use super::error::ArchiveError;
use super::meta;
use super::paths::EntryPath;
use crate::sys::fs as sysfs;

const PREFIX: &[u8] = b".wh.";
const META_PREFIX: &[u8] = b".wh..wh.";
const OPAQUE: &[u8] = b".wh..wh..opq";
/// The overlayfs opaque-directory xattr under `userxattr`.
pub const OPAQUE_XATTR: &[u8] = b"user.overlay.opaque";

/// What an entry name means for whiteouts.
#[derive(Debug, PartialEq, Eq)]
pub enum Whiteout<'a> {
    /// Not a whiteout: an ordinary entry.
    None,
    /// `.wh..wh..opq`: the parent directory is opaque.
    Opaque,
    /// Other `.wh..wh.*`: ignored.
    Ignore,
    /// `.wh.NAME`: NAME is deleted.
    Name(&'a OsStr),
}

/// Classifies an entry's final name.
pub fn classify(p: &EntryPath) -> Result<Whiteout<'_>, ArchiveError> {
    let name = p.name.as_bytes();
    if name == OPAQUE {
        return Ok(Whiteout::Opaque);
    }
    if name.starts_with(META_PREFIX) {
        return Ok(Whiteout::Ignore);
    }
    match name.strip_prefix(PREFIX) {
        None => Ok(Whiteout::None),
        Some(b"" | b"." | b"..") => Err(ArchiveError::UnsafePath {
            path: p.full.clone(),
            reason: "whiteout of an empty, `.` or `..` name",
        }),
        Some(target) => Ok(Whiteout::Name(OsStr::from_bytes(target))),
    }
}

/// Marks `parent` (the directory holding `p`) opaque.
pub fn opaque(parent: BorrowedFd<'_>, p: &EntryPath) -> Result<(), ArchiveError> {
    let err = |source| ArchiveError::Whiteout {
        path: p.full.clone(),
        source,
    };
    let dir = sysfs::openat(
        parent,
        OsStr::new("."),
        OFlag::O_RDONLY | OFlag::O_DIRECTORY,
        Mode::empty(),
    )
    .map_err(err)?;
    sysfs::fsetxattr(dir.as_fd(), OPAQUE_XATTR, b"y").map_err(err)
}

/// Creates the whiteout device for `name` in `parent`, replacing anything an
/// earlier entry put there. Returns whether something was removed.
pub fn create(parent: BorrowedFd<'_>, p: &EntryPath, name: &OsStr) -> Result<bool, ArchiveError> {
    let path = p.parent.join(name);
    let mut replaced = false;
    let err = |source| ArchiveError::Whiteout {
        path: path.clone(),
        source,
    };
    meta::replacing(parent, name, &path, &mut replaced, err, || {
        nix::sys::stat::mknodat(
            Some(parent.as_raw_fd()),
            name,
            SFlag::S_IFCHR,
            Mode::empty(),
            0,
        )
    })?;
    Ok(replaced)
}

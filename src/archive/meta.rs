//! Metadata of unpacked entries: ownership, xattrs, times, and replacing an
//! earlier entry of the same name.
//!
//! Invariants: everything is done through an fd of the entry itself or
//! `*at()` on its parent fd with a single-component name, never following a
//! final symlink (`AT_SYMLINK_NOFOLLOW`, `O_NOFOLLOW`). Ownership is changed
//! before xattrs and modes, because chown clears setuid/setgid bits and
//! `security.capability`.

use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use nix::dir::{Dir, Type};
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{Mode, SFlag};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, UnlinkatFlags};

use super::error::ArchiveError;
use super::reader::{Entry, Timestamp};
use super::unpack::{IdPolicy, UnpackStats};
use crate::sys::fs as sysfs;

pub fn timespec(t: Timestamp) -> TimeSpec {
    TimeSpec::new(t.sec, i64::from(t.nsec))
}

/// The entry's ids for chown, or `None` under [`IdPolicy::Squash`].
fn ids(e: &Entry, path: &Path, policy: &IdPolicy) -> Result<Option<(Uid, Gid)>, ArchiveError> {
    if matches!(policy, IdPolicy::Squash) {
        return Ok(None);
    }
    let unmapped = || ArchiveError::UnmappedId {
        path: path.to_owned(),
        uid: e.uid,
        gid: e.gid,
    };
    // u32::MAX is chown's "leave unchanged" value, never a real id.
    let uid = u32::try_from(e.uid)
        .ok()
        .filter(|u| *u != u32::MAX)
        .ok_or_else(unmapped)?;
    let gid = u32::try_from(e.gid)
        .ok()
        .filter(|g| *g != u32::MAX)
        .ok_or_else(unmapped)?;
    Ok(Some((Uid::from_raw(uid), Gid::from_raw(gid))))
}

fn chown_error(source: Errno, e: &Entry, path: &Path) -> ArchiveError {
    let path = path.to_owned();
    match source {
        // EINVAL from chown: the id has no mapping in our user namespace.
        Errno::EINVAL => ArchiveError::UnmappedId {
            path,
            uid: e.uid,
            gid: e.gid,
        },
        source => ArchiveError::Chown {
            path,
            uid: e.uid,
            gid: e.gid,
            source,
        },
    }
}

/// Chowns an open fd per the policy.
pub fn chown_fd(
    fd: BorrowedFd<'_>,
    e: &Entry,
    path: &Path,
    policy: &IdPolicy,
) -> Result<(), ArchiveError> {
    let Some((uid, gid)) = ids(e, path, policy)? else {
        return Ok(());
    };
    nix::unistd::fchown(fd.as_raw_fd(), Some(uid), Some(gid)).map_err(|s| chown_error(s, e, path))
}

/// Chowns `parent/name` (never following a final symlink) per the policy.
pub fn chown_at(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    e: &Entry,
    path: &Path,
    policy: &IdPolicy,
) -> Result<(), ArchiveError> {
    let Some((uid, gid)) = ids(e, path, policy)? else {
        return Ok(());
    };
    nix::unistd::fchownat(
        Some(parent.as_raw_fd()),
        name,
        Some(uid),
        Some(gid),
        AtFlags::AT_SYMLINK_NOFOLLOW,
    )
    .map_err(|s| chown_error(s, e, path))
}

/// Sets `parent/name`'s atime and mtime to the entry's mtime, not following symlinks.
pub fn times_at(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    e: &Entry,
    path: &Path,
) -> Result<(), ArchiveError> {
    let t = timespec(e.mtime);
    nix::sys::stat::utimensat(
        Some(parent.as_raw_fd()),
        name,
        &t,
        &t,
        nix::sys::stat::UtimensatFlags::NoFollowSymlink,
    )
    .map_err(|source| ArchiveError::Times {
        path: path.to_owned(),
        source,
    })
}

/// Where an entry's xattrs go.
pub enum XattrTarget<'a> {
    /// An open regular file.
    Fd(BorrowedFd<'a>),
    /// A directory `parent/name`.
    Dir(BorrowedFd<'a>, &'a OsStr),
    /// A symlink, fifo or device `parent/name` (set via `/proc/self/fd`).
    Other(BorrowedFd<'a>, &'a OsStr),
}

/// Applies the entry's `SCHILY.xattr.*` records.
///
/// Skipped (and counted): overlayfs' own `user.overlay.*`/`trusted.overlay.*`
/// (a layer must not forge whiteouts or redirects that way), `security.*` and
/// `trusted.*` the kernel refuses (EPERM/ENOTSUP), and any xattr the kernel
/// refuses on a symlink or special file. Anything else failing is an error.
pub fn set_xattrs(
    target: XattrTarget<'_>,
    e: &Entry,
    path: &Path,
    stats: &mut UnpackStats,
) -> Result<(), ArchiveError> {
    if e.xattrs.is_empty() {
        return Ok(());
    }
    let xattr_err = |name: &[u8], source| ArchiveError::Xattr {
        path: path.to_owned(),
        name: String::from_utf8_lossy(name).into_owned(),
        source,
    };
    let dir_fd;
    let (fd, proc_dir) = match target {
        XattrTarget::Fd(fd) => (Some(fd), None),
        XattrTarget::Dir(parent, name) => {
            let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW;
            dir_fd = sysfs::openat(parent, name, flags, Mode::empty())
                .map_err(|s| xattr_err(b"*", s))?;
            (Some(dir_fd.as_fd()), None)
        }
        XattrTarget::Other(parent, name) => {
            let mut p = format!("/proc/self/fd/{}/", parent.as_raw_fd()).into_bytes();
            p.extend_from_slice(name.as_bytes());
            (None, Some(OsString::from_vec(p)))
        }
    };
    for (name, value) in &e.xattrs {
        if name.starts_with(b"user.overlay.") || name.starts_with(b"trusted.overlay.") {
            stats.skipped_xattrs += 1;
            continue;
        }
        let r = match (fd, &proc_dir) {
            (Some(fd), _) => sysfs::fsetxattr(fd, name, value),
            (None, Some(p)) => sysfs::lsetxattr(p, name, value),
            (None, None) => Err(Errno::EBADF),
        };
        let privileged = name.starts_with(b"security.") || name.starts_with(b"trusted.");
        match r {
            Ok(()) => {}
            Err(Errno::EPERM | Errno::ENOTSUP) if privileged || proc_dir.is_some() => {
                stats.skipped_xattrs += 1
            }
            Err(source) => return Err(xattr_err(name, source)),
        }
    }
    Ok(())
}

/// Removes whatever is at `parent/name` (recursively for a directory), so a
/// later tar entry of the same name can take its place.
pub fn remove_existing(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    path: &Path,
) -> Result<(), ArchiveError> {
    let err = |source| ArchiveError::Remove {
        path: path.to_owned(),
        source,
    };
    let st = nix::sys::stat::fstatat(Some(parent.as_raw_fd()), name, AtFlags::AT_SYMLINK_NOFOLLOW)
        .map_err(err)?;
    if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFDIR {
        remove_tree(parent, name).map_err(err)
    } else {
        nix::unistd::unlinkat(Some(parent.as_raw_fd()), name, UnlinkatFlags::NoRemoveDir)
            .map_err(err)
    }
}

/// `rm -r parent/name` for a directory, without following any symlink.
fn remove_tree(parent: BorrowedFd<'_>, name: &OsStr) -> Result<(), Errno> {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW;
    let owned = sysfs::openat(parent, name, flags, Mode::empty())?;
    // `Dir` takes ownership of the raw fd it is given: hand it a duplicate
    // and keep `owned` as the anchor for the `*at()` calls below.
    let dup = owned
        .try_clone()
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EMFILE)))?;
    let mut dir = Dir::from_fd(dup.into_raw_fd())?;
    let mut children = Vec::new();
    for ent in dir.iter() {
        let ent = ent?;
        let child = ent.file_name().to_bytes();
        if child != b"." && child != b".." {
            children.push((OsStr::from_bytes(child).to_owned(), ent.file_type()));
        }
    }
    drop(dir);
    let fd = owned.as_fd();
    for (child, kind) in children {
        let is_dir = match kind {
            Some(t) => t == Type::Directory,
            None => {
                let st = nix::sys::stat::fstatat(
                    Some(fd.as_raw_fd()),
                    child.as_os_str(),
                    AtFlags::AT_SYMLINK_NOFOLLOW,
                )?;
                SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFDIR
            }
        };
        if is_dir {
            remove_tree(fd, &child)?;
        } else {
            nix::unistd::unlinkat(
                Some(fd.as_raw_fd()),
                child.as_os_str(),
                UnlinkatFlags::NoRemoveDir,
            )?;
        }
    }
    nix::unistd::unlinkat(Some(parent.as_raw_fd()), name, UnlinkatFlags::RemoveDir)
}

/// Runs `make`; if the name is taken, removes what is there (setting
/// `replaced`) and runs it once more. Creation errors map through `err`.
pub fn replacing<T>(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    path: &Path,
    replaced: &mut bool,
    err: impl Fn(Errno) -> ArchiveError,
    mut make: impl FnMut() -> Result<T, Errno>,
) -> Result<T, ArchiveError> {
    match make() {
        Err(Errno::EEXIST) => {
            remove_existing(parent, name, path)?;
            *replaced = true;
            make().map_err(err)
        }
        r => r.map_err(err),
    }
}

//! Creating one tar entry (file, directory, symlink, hard link, fifo, device)
//! inside an already-resolved parent directory.
//!
//! Invariants: every creation is an `*at()` call on the parent fd with a
//! single-component name that is never followed (`O_EXCL | O_NOFOLLOW`,
//! `mkdirat`, `symlinkat`, `mknodat`, `linkat` without `AT_SYMLINK_FOLLOW`).
//! A name already taken is replaced (later entries win), except that a
//! directory over a directory only updates metadata. Each function returns
//! whether something was removed, so the caller can drop cached state.
//! Directory modes and times are NOT set here: the caller applies them last.

use std::fs::File;
use std::io::Write;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{FchmodatFlags, Mode, SFlag};

use super::error::ArchiveError;
use super::meta::{self, XattrTarget};
use super::paths::EntryPath;
use super::reader::{Entry, Kind, TarReader};
use super::unpack::{IdPolicy, UnpackStats};
use crate::sys::fs as sysfs;

/// Mutable state shared by all entries of one unpack.
pub struct Ctx<'a> {
    pub policy: &'a IdPolicy,
    pub stats: &'a mut UnpackStats,
    /// Copy buffer for file data.
    pub buf: &'a mut [u8],
}

fn create_err(p: &EntryPath) -> impl Fn(Errno) -> ArchiveError + '_ {
    move |source| ArchiveError::Create {
        path: p.full.clone(),
        source,
    }
}

fn perm(mode: u32) -> Mode {
    Mode::from_bits_truncate(mode & 0o7777)
}

/// A regular file: create, copy data, then owner, xattrs, mode, times.
pub fn file<R: std::io::Read>(
    parent: BorrowedFd<'_>,
    p: &EntryPath,
    e: &Entry,
    tar: &mut TarReader<R>,
    ctx: &mut Ctx<'_>,
) -> Result<bool, ArchiveError> {
    let mut replaced = false;
    let flags = OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW;
    let fd = meta::replacing(
        parent,
        &p.name,
        &p.full,
        &mut replaced,
        create_err(p),
        || sysfs::openat(parent, &p.name, flags, Mode::from_bits_truncate(0o600)),
    )?;
    let mut file = File::from(fd);
    loop {
        let n = tar.read_data(ctx.buf)?;
        if n == 0 {
            break;
        }
        file.write_all(&ctx.buf[..n])
            .map_err(|source| ArchiveError::Write {
                path: p.full.clone(),
                source,
            })?;
        ctx.stats.bytes += n as u64;
    }
    meta::chown_fd(file.as_fd(), e, &p.full, ctx.policy)?;
    meta::set_xattrs(XattrTarget::Fd(file.as_fd()), e, &p.full, ctx.stats)?;
    nix::sys::stat::fchmod(file.as_raw_fd(), perm(e.mode)).map_err(|source| {
        ArchiveError::Chmod {
            path: p.full.clone(),
            mode: e.mode,
            source,
        }
    })?;
    let t = meta::timespec(e.mtime);
    nix::sys::stat::futimens(file.as_raw_fd(), &t, &t).map_err(|source| ArchiveError::Times {
        path: p.full.clone(),
        source,
    })?;
    Ok(replaced)
}

fn is_dir(parent: BorrowedFd<'_>, name: &std::ffi::OsStr) -> bool {
    nix::sys::stat::fstatat(Some(parent.as_raw_fd()), name, AtFlags::AT_SYMLINK_NOFOLLOW)
        .is_ok_and(|st| SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFDIR)
}

/// A directory: create (owner-writable until the caller applies its real
/// mode at the end), then owner and xattrs.
pub fn dir(
    parent: BorrowedFd<'_>,
    p: &EntryPath,
    e: &Entry,
    ctx: &mut Ctx<'_>,
) -> Result<bool, ArchiveError> {
    let mut replaced = false;
    let mode = Mode::from_bits_truncate((e.mode | 0o700) & 0o777);
    let mkdir = || nix::sys::stat::mkdirat(Some(parent.as_raw_fd()), p.name.as_os_str(), mode);
    match mkdir() {
        Ok(()) => {}
        Err(Errno::EEXIST) if is_dir(parent, &p.name) => {}
        Err(Errno::EEXIST) => {
            meta::remove_existing(parent, &p.name, &p.full)?;
            replaced = true;
            mkdir().map_err(create_err(p))?;
        }
        Err(source) => return Err(create_err(p)(source)),
    }
    meta::chown_at(parent, &p.name, e, &p.full, ctx.policy)?;
    meta::set_xattrs(XattrTarget::Dir(parent, &p.name), e, &p.full, ctx.stats)?;
    Ok(replaced)
}

/// A symlink: created as is (its target is never resolved), then owner,
/// xattrs and times of the link itself.
pub fn symlink(
    parent: BorrowedFd<'_>,
    p: &EntryPath,
    e: &Entry,
    ctx: &mut Ctx<'_>,
) -> Result<bool, ArchiveError> {
    use std::os::unix::ffi::OsStrExt;
    let target = std::ffi::OsStr::from_bytes(&e.link);
    if target.is_empty() || e.link.contains(&0) {
        return Err(ArchiveError::UnsafePath {
            path: p.full.clone(),
            reason: "symlink with an empty or NUL-containing target",
        });
    }
    let mut replaced = false;
    meta::replacing(
        parent,
        &p.name,
        &p.full,
        &mut replaced,
        create_err(p),
        || nix::unistd::symlinkat(target, Some(parent.as_raw_fd()), p.name.as_os_str()),
    )?;
    meta::chown_at(parent, &p.name, e, &p.full, ctx.policy)?;
    meta::set_xattrs(XattrTarget::Other(parent, &p.name), e, &p.full, ctx.stats)?;
    meta::times_at(parent, &p.name, e, &p.full)?;
    Ok(replaced)
}

/// A hard link to `target`, an entry of this layer (already validated and
/// with its parent opened beneath the root). The link itself is never
/// followed: a link to a symlink links the symlink.
pub fn hardlink(
    parent: BorrowedFd<'_>,
    p: &EntryPath,
    target_parent: BorrowedFd<'_>,
    target: &EntryPath,
) -> Result<bool, ArchiveError> {
    if target.full == p.full {
        return Ok(false); // a link to itself: the file is already there
    }
    let mut replaced = false;
    let err = |source| ArchiveError::Link {
        path: p.full.clone(),
        target: target.full.clone(),
        source,
    };
    meta::replacing(parent, &p.name, &p.full, &mut replaced, err, || {
        nix::unistd::linkat(
            Some(target_parent.as_raw_fd()),
            target.name.as_os_str(),
            Some(parent.as_raw_fd()),
            p.name.as_os_str(),
            AtFlags::empty(),
        )
    })?;
    Ok(replaced)
}

/// A fifo or device node. Devices the kernel refuses with EPERM (any
/// device but 0:0 in a user namespace) are skipped and counted.
pub fn node(
    parent: BorrowedFd<'_>,
    p: &EntryPath,
    e: &Entry,
    ctx: &mut Ctx<'_>,
) -> Result<bool, ArchiveError> {
    let kind = match e.kind {
        Kind::Char => SFlag::S_IFCHR,
        Kind::Block => SFlag::S_IFBLK,
        _ => SFlag::S_IFIFO,
    };
    let dev = nix::sys::stat::makedev(u64::from(e.dev_major), u64::from(e.dev_minor));
    let mut replaced = false;
    let made = meta::replacing(
        parent,
        &p.name,
        &p.full,
        &mut replaced,
        create_err(p),
        || {
            nix::sys::stat::mknodat(
                Some(parent.as_raw_fd()),
                p.name.as_os_str(),
                kind,
                perm(e.mode & 0o777),
                dev,
            )
        },
    );
    match made {
        Err(ArchiveError::Create {
            source: Errno::EPERM,
            ..
        }) if kind != SFlag::S_IFIFO => {
            ctx.stats.skipped_devices += 1;
            return Ok(replaced);
        }
        r => r?,
    }
    meta::chown_at(parent, &p.name, e, &p.full, ctx.policy)?;
    meta::set_xattrs(XattrTarget::Other(parent, &p.name), e, &p.full, ctx.stats)?;
    // We just created this name as a node (not a symlink) in a directory
    // only we write to, so following it is equivalent to not following.
    nix::sys::stat::fchmodat(
        Some(parent.as_raw_fd()),
        p.name.as_os_str(),
        perm(e.mode),
        FchmodatFlags::FollowSymlink,
    )
    .map_err(|source| ArchiveError::Chmod {
        path: p.full.clone(),
        mode: e.mode,
        source,
    })?;
    meta::times_at(parent, &p.name, e, &p.full)?;
    Ok(replaced)
}

//! The layer unpack driver: tar stream in, overlayfs lower directory out.
//!
//! Responsibility: walk the entries of an uncompressed tar, dispatch each to
//! [`entry`](super::entry) or [`whiteout`](super::whiteout), and finish with
//! directory modes and times (deepest first, since creating children changes
//! a directory's mtime and a read-only mode would block them).
//! Invariants:
//! - nothing is created, changed or removed outside `dest`: every entry goes
//!   through [`paths::parse`] and [`Resolver`] (openat2 beneath, no symlinks);
//! - the reader is consumed to EOF, also after the end-of-archive marker;
//! - after anything is removed, the cached parent fd and the pending
//!   directory metadata below the removed path are dropped.

use std::io::Read;
use std::os::fd::{AsFd, AsRawFd};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::OFlag;

use super::entry::{self, Ctx};
pub use super::error::ArchiveError;
use super::meta::{self, XattrTarget};
use super::paths::{self, EntryPath, Resolver, Role};
use super::reader::{Entry, Kind, TarReader, Timestamp};
use super::whiteout::{self, Whiteout};
use crate::sys::fs as sysfs;

/// How entry ownership is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdPolicy {
    /// Chown each entry to the tar's uid/gid (root in a user namespace with a
    /// full subuid mapping, or real root).
    Keep,
    /// Never chown: everything stays owned by the process (container root in
    /// a single-id user namespace).
    Squash,
}

/// Options for [`unpack_layer`].
#[derive(Clone, Debug)]
pub struct UnpackOptions {
    pub ids: IdPolicy,
}

/// What [`unpack_layer`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnpackStats {
    /// Tar entries processed (extension headers not counted).
    pub entries: u64,
    /// Regular file bytes written.
    pub bytes: u64,
    /// Device nodes the kernel refused (EPERM in a user namespace).
    pub skipped_devices: u64,
    /// Xattrs not applied (refused `security.*`/`trusted.*`, overlay's own).
    pub skipped_xattrs: u64,
}

/// Size of the file data copy buffer.
const COPY_BUF: usize = 256 * 1024;

/// Directory metadata applied after all entries.
struct DirMeta {
    path: PathBuf,
    depth: usize,
    mode: u32,
    mtime: Timestamp,
}

/// Unpacks an uncompressed tar layer into `dest`, an existing empty
/// directory, in the format overlayfs (`userxattr`) uses as a lower dir.
///
/// Reads `reader` to EOF. Refuses (with [`ArchiveError::UnsafePath`]) any
/// entry that could write outside `dest`. On error, `dest` holds a partial
/// tree and should be removed by the caller.
pub fn unpack_layer<R: Read>(
    reader: R,
    dest: &Path,
    opts: &UnpackOptions,
) -> Result<UnpackStats, ArchiveError> {
    let root = sysfs::open(dest, OFlag::O_RDONLY | OFlag::O_DIRECTORY).map_err(|source| {
        ArchiveError::OpenDest {
            path: dest.to_owned(),
            source,
        }
    })?;
    let mut u = Unpacker {
        resolver: Resolver::new(root),
        dirs: Vec::new(),
        stats: UnpackStats::default(),
        buf: vec![0u8; COPY_BUF],
        policy: opts.ids,
    };
    let mut tar = TarReader::new(reader);
    while let Some(e) = tar.next_entry()? {
        u.stats.entries += 1;
        u.entry(&e, &mut tar)?;
    }
    tar.drain()?;
    u.finish_dirs()?;
    Ok(u.stats)
}

struct Unpacker {
    resolver: Resolver,
    dirs: Vec<DirMeta>,
    stats: UnpackStats,
    buf: Vec<u8>,
    policy: IdPolicy,
}

impl Unpacker {
    fn entry<R: Read>(&mut self, e: &Entry, tar: &mut TarReader<R>) -> Result<(), ArchiveError> {
        let Some(p) = paths::parse(&e.path, Role::Entry)? else {
            return self.root_entry(e);
        };
        let wh = whiteout::classify(&p)?;
        let link = match (&wh, e.kind) {
            (Whiteout::None, Kind::Hardlink) => Some(self.link_target(e, &p)?),
            _ => None,
        };
        let parent = self.resolver.parent(&p.parent, &p.full)?;
        let mut ctx = Ctx {
            policy: &self.policy,
            stats: &mut self.stats,
            buf: &mut self.buf,
        };
        let replaced = match wh {
            Whiteout::Opaque => whiteout::opaque(parent, &p).map(|()| false)?,
            Whiteout::Ignore => false,
            Whiteout::Name(name) => whiteout::create(parent, &p, name)?,
            Whiteout::None => match (e.kind, &link) {
                (Kind::File, _) => entry::file(parent, &p, e, tar, &mut ctx)?,
                (Kind::Dir, _) => entry::dir(parent, &p, e, &mut ctx)?,
                (Kind::Symlink, _) => entry::symlink(parent, &p, e, &mut ctx)?,
                (Kind::Hardlink, Some((tfd, target))) => {
                    entry::hardlink(parent, &p, tfd.as_fd(), target)?
                }
                (Kind::Hardlink, None) => false,
                (Kind::Char | Kind::Block | Kind::Fifo, _) => entry::node(parent, &p, e, &mut ctx)?,
            },
        };
        if replaced {
            self.resolver.invalidate();
            self.dirs.retain(|d| !d.path.starts_with(&p.full));
        }
        if e.kind == Kind::Dir && wh == Whiteout::None {
            self.push_dir(p.full, e);
        }
        Ok(())
    }

    /// Validates a hard link's target and opens its parent directory.
    fn link_target(
        &self,
        e: &Entry,
        p: &EntryPath,
    ) -> Result<(std::os::fd::OwnedFd, EntryPath), ArchiveError> {
        let target =
            paths::parse(&e.link, Role::LinkTarget)?.ok_or_else(|| ArchiveError::UnsafePath {
                path: p.full.clone(),
                reason: "hard link target is empty or the layer root",
            })?;
        let fd = self
            .resolver
            .link_parent(&target, &p.full)
            .map_err(|err| match err {
                ArchiveError::Link { path, source, .. } => ArchiveError::Link {
                    path,
                    target: target.full.clone(),
                    source,
                },
                other => other,
            })?;
        Ok((fd, target))
    }

    /// `.`/`./`: the layer root's own owner, xattrs, and (later) mode/times.
    fn root_entry(&mut self, e: &Entry) -> Result<(), ArchiveError> {
        let path = PathBuf::from(".");
        if e.kind != Kind::Dir {
            return Err(ArchiveError::UnsafePath {
                path,
                reason: "layer root entry is not a directory",
            });
        }
        let root = self.resolver.root();
        meta::chown_fd(root, e, &path, &self.policy)?;
        meta::set_xattrs(XattrTarget::Fd(root), e, &path, &mut self.stats)?;
        self.push_dir(PathBuf::new(), e);
        Ok(())
    }

    fn push_dir(&mut self, path: PathBuf, e: &Entry) {
        let depth = path.components().count();
        self.dirs.push(DirMeta {
            path,
            depth,
            mode: e.mode,
            mtime: e.mtime,
        });
    }

    /// Applies directory modes and times, deepest first; for the same depth
    /// in tar order, so a later duplicate entry wins.
    fn finish_dirs(&mut self) -> Result<(), ArchiveError> {
        self.dirs.sort_by_key(|d| std::cmp::Reverse(d.depth));
        for d in &self.dirs {
            let fd = match self
                .resolver
                .open_beneath(&d.path, OFlag::O_RDONLY | OFlag::O_DIRECTORY)
            {
                Ok(fd) => fd,
                // Replaced by a later non-directory entry: nothing to apply.
                Err(Errno::ENOENT | Errno::ENOTDIR | Errno::ELOOP) => continue,
                Err(source) => {
                    return Err(ArchiveError::Parent {
                        path: d.path.clone(),
                        source,
                    })
                }
            };
            let mode = nix::sys::stat::Mode::from_bits_truncate(d.mode);
            nix::sys::stat::fchmod(fd.as_raw_fd(), mode).map_err(|source| ArchiveError::Chmod {
                path: d.path.clone(),
                mode: d.mode,
                source,
            })?;
            let t = meta::timespec(d.mtime);
            nix::sys::stat::futimens(fd.as_raw_fd(), &t, &t).map_err(|source| {
                ArchiveError::Times {
                    path: d.path.clone(),
                    source,
                }
            })?;
        }
        Ok(())
    }
}

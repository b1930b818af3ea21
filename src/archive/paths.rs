//! Entry path validation and race-free parent directory lookup.
//!
//! Responsibility: turn a tar name into (parent directory fd, final name) such
//! that nothing can ever be created outside the layer directory.
//! Invariants:
//! - names with a leading `/`, a `..` component or a NUL byte are refused;
//! - a parent is only ever opened with `openat2(root, parent,
//!   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` (or the same, one component at a
//!   time, when missing parents are created), so a symlink in any parent
//!   component is refused rather than followed;
//! - the returned final name is a single component, used only with `*at()`
//!   calls that do not follow it.

use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

use super::error::ArchiveError;
use super::reader::bytes_path;
use crate::sys::fs as sysfs;

/// A validated entry path below the layer root.
#[derive(Debug, PartialEq, Eq)]
pub struct EntryPath {
    /// Normalized path (no `.` or empty components), never empty.
    pub full: PathBuf,
    /// Everything but the last component (empty for top-level entries).
    pub parent: PathBuf,
    /// The last component.
    pub name: OsString,
}

/// Validates a raw tar name. `Ok(None)` is the layer root itself (`.`, `./`).
pub fn parse(raw: &[u8], what: Role) -> Result<Option<EntryPath>, ArchiveError> {
    let refuse = |reason| ArchiveError::UnsafePath {
        path: bytes_path(raw),
        reason,
    };
    if raw.is_empty() {
        return Err(refuse(what.reason(Problem::Empty)));
    }
    if raw.contains(&0) {
        return Err(refuse(what.reason(Problem::Nul)));
    }
    if raw[0] == b'/' {
        return Err(refuse(what.reason(Problem::Absolute)));
    }
    let mut full = PathBuf::new();
    let mut last: Option<&[u8]> = None;
    for comp in raw.split(|b| *b == b'/') {
        match comp {
            b"" | b"." => continue,
            b".." => return Err(refuse(what.reason(Problem::DotDot))),
            _ => {
                if let Some(prev) = last.replace(comp) {
                    full.push(OsStr::from_bytes(prev));
                }
            }
        }
    }
    let Some(name) = last else { return Ok(None) };
    let parent = full.clone();
    full.push(OsStr::from_bytes(name));
    Ok(Some(EntryPath {
        full,
        parent,
        name: OsStr::from_bytes(name).to_owned(),
    }))
}

/// Whose path is being validated, for the error's reason.
#[derive(Clone, Copy)]
pub enum Role {
    Entry,
    LinkTarget,
}

enum Problem {
    Empty,
    Nul,
    Absolute,
    DotDot,
}

impl Role {
    fn reason(self, p: Problem) -> &'static str {
        match (self, p) {
            (Role::Entry, Problem::Empty) => "empty name",
            (Role::Entry, Problem::Nul) => "NUL byte in name",
            (Role::Entry, Problem::Absolute) => "absolute path",
            (Role::Entry, Problem::DotDot) => "path contains a `..` component",
            (Role::LinkTarget, Problem::Empty) => "hard link target is empty or the layer root",
            (Role::LinkTarget, Problem::Nul) => "NUL byte in hard link target",
            (Role::LinkTarget, Problem::Absolute) => "hard link target is absolute",
            (Role::LinkTarget, Problem::DotDot) => "hard link target contains a `..` component",
        }
    }
}

/// Flags for directory fds used as `*at()` anchors.
const DIR_PATH: OFlag = OFlag::O_PATH.union(OFlag::O_DIRECTORY);

/// Opens parent directories beneath the layer root, caching the last one
/// (tars list siblings together, so most entries reuse it).
pub struct Resolver {
    root: OwnedFd,
    cached: Option<(PathBuf, OwnedFd)>,
}

impl Resolver {
    pub fn new(root: OwnedFd) -> Self {
        Self { root, cached: None }
    }

    /// The layer root directory (opened read-only, not `O_PATH`).
    pub fn root(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// Forgets the cached parent. Must be called after anything was removed,
    /// since the cached directory may have been unlinked or replaced.
    pub fn invalidate(&mut self) {
        self.cached = None;
    }

    /// The directory `parent` (relative to the root), creating missing
    /// components with mode 0755. `entry` is only used in errors.
    pub fn parent(&mut self, parent: &Path, entry: &Path) -> Result<BorrowedFd<'_>, ArchiveError> {
        if parent.as_os_str().is_empty() {
            return Ok(self.root.as_fd());
        }
        let hit = matches!(&self.cached, Some((p, _)) if p == parent);
        if !hit {
            let fd = match sysfs::openat2_beneath(self.root.as_fd(), parent.as_os_str(), DIR_PATH) {
                Err(Errno::ENOENT) => self.create_missing(parent, entry)?,
                r => r.map_err(|e| lookup_error(e, entry, Role::Entry))?,
            };
            self.cached = Some((parent.to_owned(), fd));
        }
        match &self.cached {
            Some((_, fd)) => Ok(fd.as_fd()),
            None => Err(ArchiveError::Parent {
                path: entry.to_owned(),
                source: Errno::ENOENT,
            }),
        }
    }

    /// Opens `path` beneath the root without following any symlink; errors
    /// are raw so callers can decide what a missing path means.
    pub fn open_beneath(&self, path: &Path, flags: OFlag) -> Result<OwnedFd, Errno> {
        if path.as_os_str().is_empty() {
            return sysfs::openat(self.root.as_fd(), OsStr::new("."), flags, Mode::empty());
        }
        sysfs::openat2_beneath(self.root.as_fd(), path.as_os_str(), flags)
    }

    /// The directory holding a hard link's target.
    pub fn link_parent(&self, target: &EntryPath, entry: &Path) -> Result<OwnedFd, ArchiveError> {
        self.open_beneath(&target.parent, DIR_PATH)
            .map_err(|e| lookup_error(e, entry, Role::LinkTarget))
    }

    fn create_missing(&self, parent: &Path, entry: &Path) -> Result<OwnedFd, ArchiveError> {
        let mut cur = sysfs::openat(self.root.as_fd(), OsStr::new("."), DIR_PATH, Mode::empty())
            .map_err(|source| ArchiveError::Parent {
                path: entry.to_owned(),
                source,
            })?;
        for comp in parent.iter() {
            let next = match sysfs::openat2_beneath(cur.as_fd(), comp, DIR_PATH) {
                Err(Errno::ENOENT) => {
                    match nix::sys::stat::mkdirat(
                        Some(raw(&cur)),
                        comp,
                        Mode::from_bits_truncate(0o755),
                    ) {
                        Ok(()) | Err(Errno::EEXIST) => {}
                        Err(source) => {
                            return Err(ArchiveError::Parent {
                                path: entry.to_owned(),
                                source,
                            })
                        }
                    }
                    sysfs::openat2_beneath(cur.as_fd(), comp, DIR_PATH)
                }
                r => r,
            };
            cur = next.map_err(|e| lookup_error(e, entry, Role::Entry))?;
        }
        Ok(cur)
    }
}

fn raw(fd: &OwnedFd) -> std::os::fd::RawFd {
    use std::os::fd::AsRawFd;
    fd.as_raw_fd()
}

/// Maps a failed beneath-lookup to an error: symlinks and escapes are refused.
fn lookup_error(e: Errno, entry: &Path, role: Role) -> ArchiveError {
    let reason = match (e, role) {
        (Errno::ELOOP, Role::Entry) => "parent directory is a symlink",
        (Errno::ELOOP, Role::LinkTarget) => "hard link target goes through a symlink",
        (Errno::EXDEV, _) => "path escapes the layer directory",
        (source, Role::Entry) => {
            return ArchiveError::Parent {
                path: entry.to_owned(),
                source,
            }
        }
        (source, Role::LinkTarget) => {
            return ArchiveError::Link {
                path: entry.to_owned(),
                target: PathBuf::new(),
                source,
            };
        }
    };
    ArchiveError::UnsafePath {
        path: entry.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Option<(String, String, String)> {
        parse(raw.as_bytes(), Role::Entry).unwrap().map(|p| {
            (
                p.full.display().to_string(),
                p.parent.display().to_string(),
                p.name.to_string_lossy().into_owned(),
            )
        })
    }

    fn reason(raw: &[u8]) -> &'static str {
        match parse(raw, Role::Entry) {
            Err(ArchiveError::UnsafePath { reason, .. }) => reason,
            other => panic!("expected UnsafePath, got {other:?}"),
        }
    }

    #[test]
    fn normalizes_names() {
        assert_eq!(
            ok("./a/b/c"),
            Some(("a/b/c".into(), "a/b".into(), "c".into()))
        );
        assert_eq!(ok("a//b/./"), Some(("a/b".into(), "a".into(), "b".into())));
        assert_eq!(ok("x"), Some(("x".into(), "".into(), "x".into())));
        assert_eq!(ok("./"), None);
        assert_eq!(ok("."), None);
    }

    #[test]
    fn refuses_dangerous_names() {
        assert_eq!(reason(b"/etc/x"), "absolute path");
        assert_eq!(reason(b"../x"), "path contains a `..` component");
        assert_eq!(reason(b"a/../../x"), "path contains a `..` component");
        assert_eq!(reason(b"a/.."), "path contains a `..` component");
        assert_eq!(reason(b""), "empty name");
        assert_eq!(reason(b"a\0b"), "NUL byte in name");
    }
}

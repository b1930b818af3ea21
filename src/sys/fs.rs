//! Filesystem syscalls that nix does not wrap (or wraps only with raw fds).
//!
//! Responsibility: the `*at()` / xattr primitives that layer unpacking needs,
//! returning owned file descriptors so callers never touch raw fds.
//! Invariants: every fd returned is an [`OwnedFd`] opened with `O_CLOEXEC`;
//! every path and xattr name crosses the syscall boundary as a NUL-terminated
//! C string built here (interior NULs are rejected with `EINVAL`).

use std::ffi::{CString, OsStr};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag};
use nix::sys::stat::Mode;

fn cstring(bytes: &[u8]) -> Result<CString, Errno> {
    CString::new(bytes).map_err(|_| Errno::EINVAL)
}

/// Takes ownership of a freshly returned fd.
fn own(fd: std::os::fd::RawFd) -> OwnedFd {
    // SAFETY: `fd` was just returned by a successful open-style syscall in this
    // module, so it is a valid, open descriptor that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// `openat2(dirfd, path, flags | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`.
///
/// Resolution never leaves `dirfd` and never follows a symlink, in any
/// component including the last (a symlink anywhere yields `ELOOP`, an escape
/// attempt `EXDEV`). Requires Linux >= 5.6.
pub fn openat2_beneath(
    dirfd: BorrowedFd<'_>,
    path: &OsStr,
    flags: OFlag,
) -> Result<OwnedFd, Errno> {
    let how = OpenHow::new()
        .flags(flags | OFlag::O_CLOEXEC)
        .resolve(ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_SYMLINKS);
    let path = cstring(path.as_bytes())?;
    nix::fcntl::openat2(dirfd.as_raw_fd(), path.as_c_str(), how).map(own)
}

/// `openat(dirfd, name, flags | O_CLOEXEC, mode)` returning an owned fd.
pub fn openat(
    dirfd: BorrowedFd<'_>,
    name: &OsStr,
    flags: OFlag,
    mode: Mode,
) -> Result<OwnedFd, Errno> {
    nix::fcntl::openat(
        Some(dirfd.as_raw_fd()),
        name,
        flags | OFlag::O_CLOEXEC,
        mode,
    )
    .map(own)
}

/// `open(path, flags | O_CLOEXEC)` returning an owned fd (follows symlinks:
/// only for trusted, caller-supplied paths).
pub fn open(path: &std::path::Path, flags: OFlag) -> Result<OwnedFd, Errno> {
    nix::fcntl::open(path, flags | OFlag::O_CLOEXEC, Mode::empty()).map(own)
}

/// `fsetxattr(fd, name, value, 0)`.
pub fn fsetxattr(fd: BorrowedFd<'_>, name: &[u8], value: &[u8]) -> Result<(), Errno> {
    let name = cstring(name)?;
    // SAFETY: `fd` is a live borrowed descriptor; `name` is a valid
    // NUL-terminated string and `value` a valid buffer of `value.len()` bytes,
    // both outliving the call, which only reads them.
    let rc = unsafe {
        libc::fsetxattr(
            fd.as_raw_fd(),
            name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    Errno::result(rc).map(drop)
}

/// `lsetxattr(path, name, value, 0)`: sets on the path itself, never
/// following a final symlink.
pub fn lsetxattr(path: &OsStr, name: &[u8], value: &[u8]) -> Result<(), Errno> {
    let path = cstring(path.as_bytes())?;
    let name = cstring(name)?;
    // SAFETY: `path` and `name` are valid NUL-terminated strings and `value`
    // a valid buffer of `value.len()` bytes; all outlive the call, which only
    // reads them.
    let rc = unsafe {
        libc::lsetxattr(
            path.as_ptr(),
            name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    Errno::result(rc).map(drop)
}

/// `lgetxattr(path, name)`: the value of one xattr of the path itself.
pub fn lgetxattr(path: &OsStr, name: &[u8]) -> Result<Vec<u8>, Errno> {
    let path = cstring(path.as_bytes())?;
    let name = cstring(name)?;
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `path`/`name` are valid NUL-terminated strings; `buf` is a
        // writable buffer of exactly `buf.len()` bytes that outlives the call,
        // and the kernel writes at most that many bytes into it.
        let rc = unsafe {
            libc::lgetxattr(
                path.as_ptr(),
                name.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        match Errno::result(rc) {
            Ok(n) => {
                // rc >= 0 here, and never larger than buf.len().
                buf.truncate(usize::try_from(n).map_err(|_| Errno::EOVERFLOW)?);
                return Ok(buf);
            }
            Err(Errno::ERANGE) if buf.len() < 1 << 16 => buf.resize(buf.len() * 4, 0),
            Err(e) => return Err(e),
        }
    }
}

/// `llistxattr(path)`: the names of the xattrs of the path itself (not
/// following a final symlink). A file system without xattrs gives an empty list.
pub fn llistxattr(path: &OsStr) -> Result<Vec<Vec<u8>>, Errno> {
    let path = cstring(path.as_bytes())?;
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: `path` is a valid NUL-terminated string; `buf` is a writable
        // buffer of exactly `buf.len()` bytes that outlives the call, and the
        // kernel writes at most that many bytes into it.
        let rc = unsafe { libc::llistxattr(path.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        match Errno::result(rc) {
            Ok(n) => {
                buf.truncate(usize::try_from(n).map_err(|_| Errno::EOVERFLOW)?);
                return Ok(buf
                    .split(|b| *b == 0)
                    .filter(|n| !n.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect());
            }
            Err(Errno::ERANGE) if buf.len() < 1 << 20 => buf.resize(buf.len() * 4, 0),
            Err(Errno::ENOTSUP) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn openat2_refuses_symlinks_and_escapes() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        std::os::unix::fs::symlink("d", tmp.path().join("l")).unwrap();
        let root = open(tmp.path(), OFlag::O_RDONLY | OFlag::O_DIRECTORY).unwrap();
        let dir = OFlag::O_RDONLY | OFlag::O_DIRECTORY;
        assert!(openat2_beneath(root.as_fd(), OsStr::new("d"), dir).is_ok());
        assert_eq!(
            openat2_beneath(root.as_fd(), OsStr::new("l"), dir).unwrap_err(),
            Errno::ELOOP
        );
        assert_eq!(
            openat2_beneath(root.as_fd(), OsStr::new("../"), dir).unwrap_err(),
            Errno::EXDEV
        );
    }

    #[test]
    fn xattr_roundtrip_on_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("f");
        let f = std::fs::File::create(&p).unwrap();
        match fsetxattr(f.as_fd(), b"user.skiff", b"v\n\0x") {
            Err(Errno::ENOTSUP) => eprintln!("skip: no user xattrs on this filesystem"),
            r => {
                r.unwrap();
                let v = lgetxattr(p.as_os_str(), b"user.skiff").unwrap();
                assert_eq!(v, b"v\n\0x");
            }
        }
    }
}

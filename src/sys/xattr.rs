//! Reading extended attributes without following symlinks (for the rootfs
//! copy fallback, which needs `user.overlay.opaque`). Duplicates a read-only
//! sliver of `sys::fs` on the archive branch; merge into it when both land.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The value of attribute `name` on `path` (not following a final symlink);
/// `None` when it is absent or unreadable.
pub fn get(path: &Path, name: &str) -> Option<Vec<u8>> {
    let p = CString::new(path.as_os_str().as_bytes()).ok()?;
    let n = CString::new(name).ok()?;
    let mut buf = vec![0u8; 256];
    // SAFETY: both strings are NUL-terminated and live across the call; the
    // kernel writes at most `buf.len()` bytes into `buf`.
    let len =
        unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    let len = usize::try_from(len).ok()?;
    buf.truncate(len);
    Some(buf)
}

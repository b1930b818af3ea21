//! The container process's standard streams, made usable by its user. A
//! program that reopens a stream (`echo x > /dev/stdout`, a log linked to
//! /dev/stderr) opens the inode behind fd 0, 1 or 2 afresh, and the kernel
//! checks the inode's owner and mode against the process's user. The streams
//! belong to container root (the caller's own id), so a non-root container
//! user was refused; runc (under Podman) hands them over the same way.
//!
//! - the pty slave (`-t`) is the container's own: it is given to the user,
//!   its group kept, as runc does;
//! - an anonymous pipe (skiff's own, or the caller's `| cat`) gets the owner's
//!   read and write bits for everyone instead of a new owner, so that the
//!   caller, who may share the pipe, keeps being able to reopen it too. Such a
//!   pipe can only be reopened through /proc/PID/fd, which needs the right to
//!   ptrace PID, so this opens it to nobody else;
//! - anything else (a file or named pipe of the caller's, /dev/null, a
//!   socket) is left as it is: it is not ours to change.
//!
//! Runs as container root before the privilege drop; a stream whose owner is
//! not mapped here cannot be changed (EPERM) and is left alone.

use std::os::fd::RawFd;

use nix::sys::stat::{fchmod, fstat, Mode, SFlag};
use nix::unistd::Uid;

/// Major numbers of Unix98 pty slaves (`/dev/pts/N`).
const PTY_SLAVE_MAJORS: std::ops::RangeInclusive<u64> = 136..=143;

/// Let `uid` reopen the process's fds 0, 1 and 2 (see the module docs).
/// Nothing to do for root; failures leave a stream as it was.
pub fn give_to(uid: u32) {
    if uid == 0 {
        return;
    }
    for fd in 0..3 {
        give(fd, uid);
    }
}

fn give(fd: RawFd, uid: u32) {
    let Ok(st) = fstat(fd) else { return };
    if st.st_uid == uid {
        return;
    }
    let kind = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT;
    if kind == SFlag::S_IFCHR {
        if PTY_SLAVE_MAJORS.contains(&nix::sys::stat::major(st.st_rdev)) {
            let _ = nix::unistd::fchown(fd, Some(Uid::from_raw(uid)), None);
        }
    } else if kind == SFlag::S_IFIFO && is_anonymous_pipe(fd) {
        let owner = st.st_mode & 0o600;
        let mode = st.st_mode & 0o7777 | owner >> 3 | owner >> 6;
        let _ = fchmod(fd, Mode::from_bits_truncate(mode));
    }
}

/// A pipe from pipe(2): /proc names it `pipe:[INODE]`, a named pipe by its path.
fn is_anonymous_pipe(fd: RawFd) -> bool {
    std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .is_ok_and(|target| target.to_string_lossy().starts_with("pipe:["))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    fn mode(fd: RawFd) -> u32 {
        fstat(fd).expect("fstat").st_mode & 0o7777
    }

    #[test]
    fn an_anonymous_pipe_is_opened_to_all_a_file_is_left_alone() {
        let (r, w) = nix::unistd::pipe().expect("pipe");
        let other = nix::unistd::getuid().as_raw() + 1;
        assert!(is_anonymous_pipe(w.as_raw_fd()));
        give(w.as_raw_fd(), other);
        assert_eq!(mode(r.as_raw_fd()), 0o666, "both ends share the inode");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = std::fs::File::create(dir.path().join("out")).expect("file");
        let before = mode(file.as_raw_fd());
        assert!(!is_anonymous_pipe(file.as_raw_fd()));
        give(file.as_raw_fd(), other);
        assert_eq!(mode(file.as_raw_fd()), before);
    }
}

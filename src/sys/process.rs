//! Process-level syscalls the runtime needs and nix does not wrap safely:
//! `fork`, re-executing skiff with a descriptor passed on ([`spawn_passing`]),
//! marking every inherited descriptor close-on-exec or closing them, the umask.
//!
//! # The fork contract
//! skiff may fork while other threads run (copy threads of a foreground run, a
//! server's request threads). A forked child has one thread, and every lock
//! another thread held at the fork stays held in it forever. So a child
//! returned by [`fork`] may only:
//! - allocate (glibc's `fork` resets malloc's locks in the child);
//! - make syscalls, on descriptors and memory it owns or was handed;
//! - read the environment (`std::env::var_os`, and `std::process::Command`,
//!   which read-locks it to spawn a helper): only a writer could hold that
//!   lock, and no code of skiff writes its environment (no `set_var` or
//!   `remove_var` anywhere);
//! - fork again (its own children are single-threaded too), exec, or
//!   [`exit_now`].
//!
//! It must not print or log (Rust's stdout and stderr locks, `trace::mark`),
//! lock any `Mutex` or `RwLock` of the parent's (the engine's, the store's),
//! start threads, or return into code that might: it ends in `exec` or
//! [`exit_now`]. The children that exist keep to that: the runtime's setup
//! process, container pid 1 and `--init` (`runtime::child`, `runtime::init`),
//! the id-mapping helper (`sys::userns`), `cp`'s and `export`'s side in the
//! container (`engine::cp`: namespaces, tar in or out of a pipe) and the
//! background removal of a `run --rm` container (`container::Containers::
//! remove_in_background`: closes, unlinks). Anything that needs more (the
//! detached monitor runs the whole supervise loop: threads, locks, logs) is a
//! new process of this binary instead: [`spawn_passing`] with a hidden
//! subcommand, never a fork.

use std::os::fd::RawFd;

use nix::unistd::{ForkResult, Pid};

/// Which side of a [`fork`] we are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forked {
    /// The parent, with the child's pid.
    Parent(Pid),
    /// The child.
    Child,
}

/// `fork(2)` through glibc (which runs its atfork handlers). The child must
/// keep to the fork contract (see the module docs).
pub fn fork() -> nix::Result<Forked> {
    // SAFETY: the child is single-threaded and, by the module's fork contract,
    // every caller's child only allocates (malloc's locks are reset by glibc's
    // fork), makes syscalls, reads the environment (never written in skiff, so
    // its lock is free) and then execs or `_exit`s: it takes no lock another
    // thread could have held at the fork, starts no thread, prints nothing.
    match unsafe { nix::unistd::fork() }? {
        ForkResult::Parent { child } => Ok(Forked::Parent(child)),
        ForkResult::Child => Ok(Forked::Child),
    }
}

/// Start `cmd` with `fd` as its descriptor `target` (every other descriptor
/// of ours is close-on-exec, as skiff keeps them): how skiff re-executes
/// itself for work that must not run in a forked copy of a threaded process.
pub fn spawn_passing(
    cmd: &mut std::process::Command,
    fd: std::os::fd::BorrowedFd<'_>,
    target: RawFd,
) -> std::io::Result<std::process::Child> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let raw = fd.as_raw_fd();
    // SAFETY: the closure runs in the forked child before exec and only calls
    // dup2 and fcntl on plain integers: both async-signal-safe, neither takes a
    // lock or allocates, so it is sound whatever other threads held at fork.
    // `fd` is borrowed for the whole call, so `raw` is open in the child.
    unsafe {
        cmd.pre_exec(move || {
            let rc = if raw == target {
                libc::fcntl(raw, libc::F_SETFD, 0)
            } else {
                libc::dup2(raw, target)
            };
            if rc < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// Take ownership of descriptor `fd`, inherited from the parent (open, and
/// never opened or owned by this process: call it at startup, before anything
/// else could have claimed that number, and once per descriptor). It is made
/// close-on-exec, so that no program this process runs inherits it.
pub fn inherited_fd(fd: RawFd) -> Option<std::os::fd::OwnedFd> {
    use nix::fcntl::{fcntl, FcntlArg, FdFlag};
    use std::os::fd::FromRawFd;
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)).ok()?;
    // SAFETY: `fd` is open (F_SETFD succeeded) and, by this function's
    // contract, owned by nothing else in this process, so the new `OwnedFd` is
    // its only owner.
    Some(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// Terminate the calling process at once, without running atexit handlers or
/// flushing Rust's stdio (safe to call in a forked child).
pub fn exit_now(code: i32) -> ! {
    // SAFETY: `_exit` is async-signal-safe and takes no locks.
    unsafe { libc::_exit(code) }
}

/// Mark every descriptor `>= from` close-on-exec (`close_range(2)` with
/// `CLOSE_RANGE_CLOEXEC`), so exec leaves the new program only 0..from.
pub fn cloexec_from(from: RawFd) -> nix::Result<()> {
    let from = u32::try_from(from).map_err(|_| nix::errno::Errno::EINVAL)?;
    // SAFETY: close_range only changes flags on this process's descriptor
    // table; no memory is passed.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            from,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    nix::errno::Errno::result(rc).map(drop)
}

/// Close every descriptor `>= from` except those in `keep` (`close_range(2)`
/// over the gaps), without reading /proc. For a single-threaded process that
/// stays in this binary instead of exec'ing (the container's init): no Rust
/// object of this process may use the closed descriptors afterwards.
pub fn close_except(from: RawFd, keep: &[RawFd]) -> nix::Result<()> {
    let from = u32::try_from(from).map_err(|_| nix::errno::Errno::EINVAL)?;
    for (first, last) in gaps(from, keep) {
        close_range(first, last)?;
    }
    Ok(())
}

/// The ranges `[first, last]` of descriptors `>= from` not in `keep`.
fn gaps(from: u32, keep: &[RawFd]) -> Vec<(u32, u32)> {
    let mut kept: Vec<u32> = keep
        .iter()
        .filter_map(|fd| u32::try_from(*fd).ok())
        .collect();
    kept.sort_unstable();
    let (mut out, mut start) = (Vec::new(), from);
    for k in kept {
        if k > start {
            out.push((start, k - 1));
        }
        start = start.max(k.saturating_add(1));
    }
    out.push((start, u32::MAX));
    out
}

fn close_range(first: u32, last: u32) -> nix::Result<()> {
    // SAFETY: close_range only closes entries of this process's descriptor
    // table; no memory is passed. The caller owns every descriptor in the range
    // (see `close_except`) and uses none of them afterwards.
    let rc = unsafe { libc::syscall(libc::SYS_close_range, first, last, 0u32) };
    nix::errno::Errno::result(rc).map(drop)
}

/// Clear `FD_CLOEXEC` on one descriptor so it survives exec.
pub fn clear_cloexec(fd: RawFd) -> nix::Result<()> {
    use nix::fcntl::{fcntl, FcntlArg, FdFlag};
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::empty())).map(drop)
}

/// Set the process umask.
pub fn set_umask(mask: u32) {
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(mask));
}

/// Close every descriptor `>= from` except those in `keep`. For a freshly forked,
/// single-threaded process that must not hold its parent's files (the monitor):
/// no Rust object of this process may use the closed descriptors afterwards.
pub fn close_fds_from(from: RawFd, keep: &[RawFd]) {
    let fds: Vec<RawFd> = std::fs::read_dir("/proc/self/fd")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
                .collect()
        })
        .unwrap_or_default();
    for fd in fds {
        if fd >= from && !keep.contains(&fd) {
            let _ = nix::unistd::close(fd);
        }
    }
}

/// A pidfd (`pidfd_open(2)`, close-on-exec) for this process: it becomes readable
/// when the process has exited, whichever pid namespace the holder is in.
pub fn pidfd_of_self() -> nix::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    let pid = libc::pid_t::try_from(std::process::id()).map_err(|_| nix::errno::Errno::EINVAL)?;
    // SAFETY: pidfd_open takes two integers and returns a new descriptor (or -1).
    let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let fd = nix::errno::Errno::result(rc)?;
    let fd = i32::try_from(fd).map_err(|_| nix::errno::Errno::EBADF)?;
    // SAFETY: `fd` was just returned by pidfd_open and is owned by nobody else.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// Whether the process of `pidfd` has exited; with `block`, wait until it has.
pub fn pidfd_exited(pidfd: std::os::fd::BorrowedFd<'_>, block: bool) -> bool {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    let timeout = if block {
        PollTimeout::NONE
    } else {
        PollTimeout::ZERO
    };
    loop {
        let mut fds = [PollFd::new(pidfd, PollFlags::POLLIN)];
        match poll(&mut fds, timeout) {
            Ok(0) => return false,
            Ok(_) => return true,
            Err(nix::errno::Errno::EINTR) => continue,
            // not a pidfd any more: nothing to tell
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_skip_the_kept_descriptors() {
        assert_eq!(gaps(3, &[]), vec![(3, u32::MAX)]);
        assert_eq!(gaps(3, &[7, 4]), vec![(3, 3), (5, 6), (8, u32::MAX)]);
        assert_eq!(gaps(3, &[3, 1, 9]), vec![(4, 8), (10, u32::MAX)]);
    }
}

//! Namespaces made ahead of the container's spec.
//!
//! Making a container's namespaces costs the better part of a millisecond
//! (the network namespace most, then the copy of the mount tree), and none of
//! it depends on the container: only on whether it gets its own network. A
//! foreground `run` therefore forks a *holder* as soon as it is in its user
//! namespace ([`Ahead::make`]). The holder unshares the mount, uts, ipc,
//! cgroup (and net) namespaces, sends their descriptors back and exits, while
//! the caller resolves the image and creates the container. The setup process
//! of [`super::spawn_when`] then joins them with `setns` instead of making its
//! own, and makes only the pid namespace (see `child::stage1`): that one is
//! cheap, and cannot be passed on before it has a process (the kernel offers
//! `pid_for_children` only once the namespace has its init).
//!
//! Invariants: the holder is forked while the caller is single-threaded and
//! holds no lock; it only makes syscalls and exits. The namespaces live as
//! long as the descriptors do: the holder itself may be gone by the time they
//! are joined. A holder that could not make them sends none, and the setup
//! process then makes its own (and reports why that failed, if it does).

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use nix::sched::{unshare, CloneFlags};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;

use super::{RuntimeError, Step};
use crate::sys::fdpass;
use crate::sys::process::{exit_now, fork, Forked};

/// The namespaces a holder makes, with the `/proc/self/ns` entry that names
/// each.
const NAMESPACES: [(&str, CloneFlags); 5] = [
    ("net", CloneFlags::CLONE_NEWNET),
    ("uts", CloneFlags::CLONE_NEWUTS),
    ("ipc", CloneFlags::CLONE_NEWIPC),
    ("cgroup", CloneFlags::CLONE_NEWCGROUP),
    ("mnt", CloneFlags::CLONE_NEWNS),
];

/// The flags of the namespaces a holder makes.
fn held(new_net: bool) -> CloneFlags {
    NAMESPACES
        .iter()
        .map(|&(_, f)| f)
        .filter(|&f| new_net || f != CloneFlags::CLONE_NEWNET)
        .fold(CloneFlags::empty(), |all, f| all | f)
}

/// The flags a container's namespaces are unshared with.
pub(super) fn flags(new_net: bool) -> CloneFlags {
    held(new_net) | CloneFlags::CLONE_NEWPID
}

/// Namespaces being made by a holder process (see the module docs).
#[derive(Debug)]
pub struct Ahead {
    /// Whether they include a new network namespace.
    new_net: bool,
    holder: Option<Pid>,
    sock: OwnedFd,
}

/// Joined namespaces, in the order they are to be joined: mount last (it
/// resets the working directory).
pub(super) type Joinable = Vec<(CloneFlags, OwnedFd)>;

impl Ahead {
    /// Fork the holder. `new_net`: a network namespace of its own (every mode
    /// but `host`).
    pub fn make(new_net: bool) -> Result<Ahead, RuntimeError> {
        let (ours, theirs) =
            super::protocol::pair().map_err(|e| RuntimeError::setup(Step::Channel, "", e))?;
        match fork().map_err(|e| RuntimeError::setup(Step::Fork, "namespace holder", e))? {
            Forked::Child => {
                drop(ours);
                hold(&theirs, new_net)
            }
            Forked::Parent(holder) => Ok(Ahead {
                new_net,
                holder: Some(holder),
                sock: ours,
            }),
        }
    }

    /// Whether these namespaces fit a container with a network namespace of
    /// its own (`new_net`) or not.
    pub(super) fn fits(&self, new_net: bool) -> bool {
        self.new_net == new_net
    }

    /// Wait for the holder's descriptors. `None` when it could not make the
    /// namespaces (or died): the setup process then makes its own.
    pub(super) fn joinable(&mut self) -> Option<Joinable> {
        let mut buf = [0u8; 8];
        let (len, fds) = fdpass::recv(&self.sock, &mut buf).ok()?;
        let wanted: Vec<CloneFlags> = NAMESPACES
            .iter()
            .map(|&(_, f)| f)
            .filter(|&f| self.new_net || f != CloneFlags::CLONE_NEWNET)
            .collect();
        if buf.get(..len) != Some(b"ok".as_slice()) || fds.len() != wanted.len() {
            return None;
        }
        Some(wanted.into_iter().zip(fds).collect())
    }

    /// The holder's pid, for the caller to reap once it is past its hurry
    /// (the holder exits as soon as it sent its descriptors).
    pub(super) fn take_holder(&mut self) -> Option<Pid> {
        self.holder.take()
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        if let Some(pid) = self.holder.take() {
            let _ = waitpid(pid, None);
        }
    }
}

/// The holder: unshare, send the namespaces' descriptors, exit.
fn hold(sock: &OwnedFd, new_net: bool) -> ! {
    // Nothing of the caller's is kept open here (a pipe on stdout must not
    // wait for us).
    for fd in 0..3 {
        let _ = nix::unistd::close(fd);
    }
    if unshare(held(new_net)).is_err() {
        let _ = fdpass::send(sock, b"failed", &[]);
        exit_now(1);
    }
    let mut files = Vec::new();
    for (name, flag) in NAMESPACES {
        if !new_net && flag == CloneFlags::CLONE_NEWNET {
            continue;
        }
        match std::fs::File::open(format!("/proc/self/ns/{name}")) {
            Ok(f) => files.push(f),
            Err(_) => {
                let _ = fdpass::send(sock, b"failed", &[]);
                exit_now(1);
            }
        }
    }
    let raw: Vec<RawFd> = files.iter().map(|f| f.as_raw_fd()).collect();
    let sent = fdpass::send(sock, b"ok", &raw);
    exit_now(i32::from(sent.is_err()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_leave_the_network_out_only_for_host_networking() {
        assert!(flags(true).contains(CloneFlags::CLONE_NEWNET));
        assert!(!flags(false).contains(CloneFlags::CLONE_NEWNET));
        assert!(flags(false).contains(CloneFlags::CLONE_NEWNS | CloneFlags::CLONE_NEWPID));
        assert!(!flags(true).contains(CloneFlags::CLONE_NEWUSER));
        assert!(!held(true).contains(CloneFlags::CLONE_NEWPID));
    }
}

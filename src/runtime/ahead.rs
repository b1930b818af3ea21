//! Namespaces made ahead of the container's spec.
//!
//! Making a container's namespaces and its network costs the better part of
//! a millisecond (the network namespace most, then skiff's own `eth0`, then
//! the copy of the mount tree), and none of it depends on the container: only
//! on its network mode. A foreground `run` therefore forks a *holder* as soon
//! as it is in its user namespace ([`Ahead::make`]). The holder unshares the
//! mount, uts, ipc, cgroup (and net) namespaces, brings `lo` up and, for the
//! default network, makes the TUN `eth0` (see `child::own_network`); it sends
//! the descriptors back and exits, while the caller resolves the image and
//! creates the container. Then [`super::spawn_when`] serves `eth0` at once,
//! and its setup process joins the namespaces with `setns` instead of making
//! its own, and makes only the pid namespace (see `child::stage1`): that one
//! is cheap, and cannot be passed on before it has a process (the kernel
//! offers `pid_for_children` only once the namespace has its init).
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

use super::spec::{NetHelper, NetworkMode};
use super::{RuntimeError, Step};
use crate::sys::process::{exit_now, fork, Forked};
use crate::sys::{fdpass, netif};

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
    /// The network mode they are made for.
    network: NetworkMode,
    holder: Option<Pid>,
    sock: OwnedFd,
}

/// Namespaces to join, in the order they are to be joined: mount last (it
/// resets the working directory).
pub(super) type Joinable = Vec<(CloneFlags, OwnedFd)>;

/// What a holder made.
pub(super) struct Made {
    pub namespaces: Joinable,
    /// `eth0`, for the caller to serve; `None` when the mode has none, or
    /// the device could not be made (then the container asks for pasta).
    pub tun: Option<OwnedFd>,
}

impl Ahead {
    /// Fork the holder, for a container in `network` mode.
    pub fn make(network: NetworkMode) -> Result<Ahead, RuntimeError> {
        let (ours, theirs) =
            super::protocol::pair().map_err(|e| RuntimeError::setup(Step::Channel, "", e))?;
        match fork().map_err(|e| RuntimeError::setup(Step::Fork, "namespace holder", e))? {
            Forked::Child => {
                drop(ours);
                hold(&theirs, network)
            }
            Forked::Parent(holder) => Ok(Ahead {
                network,
                holder: Some(holder),
                sock: ours,
            }),
        }
    }

    /// Whether these namespaces were made for a container in `network` mode.
    pub(super) fn fits(&self, network: NetworkMode) -> bool {
        self.network == network
    }

    /// Wait for the holder's descriptors. `None` when it could not make the
    /// namespaces (or died): the setup process then makes its own.
    pub(super) fn made(&mut self) -> Option<Made> {
        let mut buf = [0u8; 8];
        let (len, mut fds) = fdpass::recv(&self.sock, &mut buf).ok()?;
        let wanted: Vec<CloneFlags> = NAMESPACES
            .iter()
            .map(|&(_, f)| f)
            .filter(|&f| self.network != NetworkMode::Host || f != CloneFlags::CLONE_NEWNET)
            .collect();
        let with_tun = match buf.get(..len) {
            Some(b"ok") => false,
            Some(b"ok+tun") => true,
            _ => return None,
        };
        if fds.len() != wanted.len() + usize::from(with_tun) {
            return None;
        }
        let tun = if with_tun { fds.pop() } else { None };
        Some(Made {
            namespaces: wanted.into_iter().zip(fds).collect(),
            tun,
        })
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

/// The holder: unshare, make the network, send the descriptors, exit.
fn hold(sock: &OwnedFd, network: NetworkMode) -> ! {
    // Nothing of the caller's is kept open here (a pipe on stdout must not
    // wait for us).
    for fd in 0..3 {
        let _ = nix::unistd::close(fd);
    }
    let new_net = network != NetworkMode::Host;
    let failed = || -> ! {
        let _ = fdpass::send(sock, b"failed", &[]);
        exit_now(1)
    };
    if unshare(held(new_net)).is_err() || (new_net && netif::set_up("lo").is_err()) {
        failed();
    }
    let mut files = Vec::new();
    for (name, flag) in NAMESPACES {
        if !new_net && flag == CloneFlags::CLONE_NEWNET {
            continue;
        }
        match std::fs::File::open(format!("/proc/self/ns/{name}")) {
            Ok(f) => files.push(OwnedFd::from(f)),
            Err(_) => failed(),
        }
    }
    let tun = match network {
        NetworkMode::Private(NetHelper::Builtin) => super::child::own_network().ok(),
        _ => None,
    };
    let what: &[u8] = if tun.is_some() { b"ok+tun" } else { b"ok" };
    files.extend(tun);
    let raw: Vec<RawFd> = files.iter().map(|f| f.as_raw_fd()).collect();
    let sent = fdpass::send(sock, what, &raw);
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

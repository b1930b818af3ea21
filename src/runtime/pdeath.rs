//! A container dies with the process that supervises it (the caller of
//! [`super::spawn`]: a foreground `run`, a detached container's monitor, a
//! `build`). Nobody else could record its exit, apply `--rm` or stop it, so a
//! SIGKILLed skiff must not leave it running unsupervised.
//!
//! Pid 1 gets `PR_SET_PDEATHSIG(SIGKILL)` (and with it the whole pid namespace),
//! set where it can hold:
//! - only once pid 1's parent is the caller: pid 1 is forked by the setup
//!   process and re-parented to the caller (a child subreaper) when the setup
//!   process exits; the signal set before that would fire at that exit. Pid 1
//!   waits on a pidfd of the setup process, readable only after the re-parenting.
//! - after the last change of credentials (`setuid` and the like clear it):
//!   right before the exec, or before becoming the `--init`.
//! - then checked: the caller may have died before it was set, so pid 1 looks at
//!   a pidfd of the caller (inherited through the forks, closed by the exec) and
//!   gives up when the caller is gone.
//!
//! The signal goes when the caller's thread that is the parent exits: the
//! callers spawn and wait for a container on one thread, and a re-parented pid 1
//! gets the caller's main thread. A setuid or file-capability program exec'd as
//! pid 1 clears the setting (the kernel's rule); such a container outlives a
//! killed skiff, as every container did before.
//!
//! Without pidfds (Linux < 5.3) none of this is done.

use std::os::fd::{AsFd, OwnedFd};

use nix::errno::Errno;
use nix::sys::signal::Signal;

use super::{RuntimeError, Step};
use crate::sys::process::{pidfd_exited, pidfd_of_self};

/// The caller's side: its own pidfd, to hand to the container's pid 1.
pub fn supervisor() -> Option<OwnedFd> {
    pidfd_of_self().ok()
}

/// In the setup process, before it forks pid 1: its own pidfd.
pub fn setup_pidfd() -> Option<OwnedFd> {
    pidfd_of_self().ok()
}

/// In pid 1: wait until the setup process has exited, and so pid 1 has been
/// re-parented to the caller.
pub fn wait_reparented(setup: Option<OwnedFd>) {
    if let Some(fd) = setup {
        pidfd_exited(fd.as_fd(), true);
    }
}

/// In pid 1, after its last change of credentials: die with the caller from now
/// on; an error when the caller is already gone.
pub fn die_with(supervisor: Option<&OwnedFd>) -> Result<(), RuntimeError> {
    let Some(caller) = supervisor else {
        return Ok(());
    };
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)
        .map_err(|e| RuntimeError::setup(Step::ParentDeath, "prctl", e))?;
    if pidfd_exited(caller.as_fd(), false) {
        return Err(RuntimeError::setup(
            Step::ParentDeath,
            "the process that started the container exited",
            Errno::ESRCH,
        ));
    }
    Ok(())
}

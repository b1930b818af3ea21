//! `--init`: container pid 1 stays in the binary as a minimal init. It forks
//! the real process, forwards every signal it receives to it, reaps every
//! zombie in the pid namespace, and exits with the process's status
//! (128+signal when it was killed), like tini.

use std::os::fd::{AsRawFd, OwnedFd};

use nix::fcntl::OFlag;
use nix::sys::signal::{kill, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{dup2, Pid};

use super::child::{exec_prepared, Prepared};
use super::protocol::{self, Msg};
use super::spec::ProcessSpec;
use super::{RuntimeError, Step};
use crate::sys::process::{close_except, close_fds_from, exit_now, fork, Forked};
use crate::sys::signals;

/// Become the init. Returns only when the process could not be started.
pub fn run(
    p: &Prepared,
    process: &ProcessSpec,
    tty: Option<OwnedFd>,
    sock: &OwnedFd,
) -> RuntimeError {
    let all = SigSet::all();
    if let Err(e) = all.thread_block() {
        return RuntimeError::setup(Step::Init, "sigprocmask", e);
    }
    // A signal the caller ignored would be discarded before `sigwait` saw it
    // (and an ignored SIGCHLD would reap for us): every one is ours to wait for.
    signals::default_dispositions();
    // With a terminal, our own 0, 1, 2 are still the caller's: the init holds
    // the pty instead, as the process does.
    if let Some(tty) = &tty {
        for target in 0..3 {
            if let Err(e) = dup2(tty.as_raw_fd(), target) {
                return RuntimeError::setup(Step::Init, "tty", e);
            }
        }
    }
    // The process is forked first, with its copies of the sync socket (to
    // report a failed exec) and the pty. Then the init keeps nothing of the
    // caller's: not the sync socket, the pty, nor whatever the caller had open
    // when it forked us (the pipe `run -d` reads the monitor's report from,
    // which it reads to its end; the log's pipes…). The process execs only
    // once that is done (EOF on `wr`), so nothing in the container ever sees
    // pid 1 hold more than 0, 1 and 2. None of the closed descriptors is used
    // again: this function never returns when it succeeds, so their owners
    // are never dropped.
    let (rd, wr) = match nix::unistd::pipe2(OFlag::O_CLOEXEC) {
        Ok(p) => p,
        Err(e) => return RuntimeError::setup(Step::Init, "pipe", e),
    };
    let child = match fork() {
        Err(e) => return RuntimeError::setup(Step::Init, "fork", e),
        Ok(Forked::Child) => {
            drop(wr);
            let mut byte = [0u8; 1];
            while nix::unistd::read(rd.as_raw_fd(), &mut byte) == Err(nix::errno::Errno::EINTR) {}
            drop(rd);
            let _ = all.thread_unblock();
            let e = exec_prepared(p, process, tty);
            let _ = protocol::send(sock, &Msg::Failed(e.clone()), None);
            exit_now(e.exit_code())
        }
        Ok(Forked::Parent(child)) => child,
    };
    drop(rd);
    drop(tty);
    let keep = [wr.as_raw_fd()];
    if close_except(3, &keep).is_err() {
        // no close_range (Linux < 5.9): one by one, as /proc lists them
        close_fds_from(3, &keep);
    }
    // The caller's end of the sync socket sees EOF once the process has
    // exec'd (its copy is close-on-exec) or died reporting why.
    drop(wr);
    supervise(child, &all)
}

fn supervise(child: Pid, set: &SigSet) -> ! {
    loop {
        match set.wait() {
            Ok(Signal::SIGCHLD) => reap(child),
            Ok(sig) => {
                let _ = kill(child, sig);
            }
            Err(_) => reap(child),
        }
    }
}

/// Reap all exited processes; exit when `child` is among them.
fn reap(child: Pid) {
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == child => exit_now(code),
            Ok(WaitStatus::Signaled(pid, sig, _)) if pid == child => exit_now(128 + sig as i32),
            Ok(WaitStatus::StillAlive) | Err(_) => return,
            Ok(_) => continue,
        }
    }
}

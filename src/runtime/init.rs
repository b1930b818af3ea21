//! `--init`: container pid 1 stays in the binary as a minimal init. It forks
//! the real process, forwards every signal it receives to it, reaps every
//! zombie in the pid namespace, and exits with the process's status
//! (128+signal when it was killed), like tini.

use std::os::fd::{AsRawFd, OwnedFd};

use nix::fcntl::OFlag;
use nix::sys::signal::{kill, SigSet, Signal};
use nix::sys::socket::{shutdown, Shutdown};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::child::{exec_prepared, Prepared};
use super::protocol::{self, Msg};
use super::spec::ProcessSpec;
use super::{RuntimeError, Step};
use crate::sys::process::{exit_now, fork, Forked};

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
    let (rd, wr) = match nix::unistd::pipe2(OFlag::O_CLOEXEC) {
        Ok(p) => p,
        Err(e) => return RuntimeError::setup(Step::Init, "pipe", e),
    };
    let child = match fork() {
        Err(e) => return RuntimeError::setup(Step::Init, "fork", e),
        Ok(Forked::Child) => {
            drop(rd);
            let _ = all.thread_unblock();
            let e = exec_prepared(p, process, tty);
            let _ = protocol::send(sock, &Msg::Failed(e.clone()), None);
            drop(wr);
            exit_now(e.exit_code())
        }
        Ok(Forked::Parent(child)) => child,
    };
    drop(wr);
    drop(tty);
    // EOF on the pipe: the child exec'd (close-on-exec) or died reporting why.
    let mut byte = [0u8; 1];
    while nix::unistd::read(rd.as_raw_fd(), &mut byte) == Err(nix::errno::Errno::EINTR) {}
    let _ = shutdown(sock.as_raw_fd(), Shutdown::Both);
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

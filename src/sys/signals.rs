//! Signals as a front end receives them, and the clean signal state a
//! container process gets before its exec ([`reset_for_exec`]).
//!
//! A front end that forwards signals to a container (the CLI's foreground
//! `run`, `exec`, `attach`) calls [`catch`]: the handlers only write the
//! signal's number into a pipe, and the front end's own thread reads them from
//! the returned [`Caught`] and acts on the run's handle (`signal`, `resize`).
//! Nothing here knows about containers: there is no process-wide target.
//!
//! Invariant: the handler only reads an atomic and calls write(2) (saving
//! errno around it), so it is sound whichever thread it interrupts.

use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

/// The write end of the current [`catch`] pipe (-1: none).
static PIPE: AtomicI32 = AtomicI32::new(-1);

/// The signals `run` passes on to the container (Docker's `--sig-proxy`).
pub const FORWARDED: [Signal; 6] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

extern "C" fn to_pipe(sig: libc::c_int) {
    let fd = PIPE.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let byte = sig as u8;
    // SAFETY: errno is this thread's; write(2) is async-signal-safe, reads one
    // byte from this stack frame, and cannot block (the pipe is non-blocking:
    // a full pipe drops the signal, as a pending one would be merged).
    unsafe {
        let errno = *libc::__errno_location();
        libc::write(fd, std::ptr::addr_of!(byte).cast(), 1);
        *libc::__errno_location() = errno;
    }
}

fn install(sig: Signal, handler: extern "C" fn(libc::c_int)) -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(handler),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handler only touches an atomic and calls write(2) (see the
    // module invariant).
    unsafe { sigaction(sig, &action) }.map(|_| ())
}

/// Signals caught by [`catch`], in the order they came.
pub struct Caught {
    from: File,
}

impl Caught {
    /// Block until the next caught signal.
    pub fn wait(&mut self) -> Option<Signal> {
        let mut b = [0u8; 1];
        loop {
            match self.from.read(&mut b) {
                Ok(1) => {
                    if let Ok(sig) = Signal::try_from(i32::from(b[0])) {
                        return Some(sig);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                _ => return None,
            }
        }
    }
}

/// From now on, catch `sigs` instead of acting on them: each one is queued for
/// [`Caught::wait`]. For a front end's process (one catcher at a time: a
/// second call takes the signals over). The pipe's write end stays open for
/// the rest of the process, so the handlers never write to a reused number.
pub fn catch(sigs: &[Signal]) -> nix::Result<Caught> {
    use nix::fcntl::OFlag;
    let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    nix::fcntl::fcntl(
        w.as_raw_fd(),
        nix::fcntl::FcntlArg::F_SETFL(OFlag::O_NONBLOCK),
    )?;
    PIPE.store(w.as_raw_fd(), Ordering::Relaxed);
    // leaked on purpose: see above
    std::mem::forget(w);
    for sig in sigs {
        install(*sig, to_pipe)?;
    }
    Ok(Caught {
        from: File::from(r),
    })
}

/// Let `sig` act on this process as it does by default, now: for a signal
/// [`catch`] queued when there was nothing to pass it on to yet (its default
/// disposition back, then raised again).
pub fn act_as_default(sig: Signal) {
    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_DFL runs no code of ours in signal context.
    let _ = unsafe { sigaction(sig, &default) };
    let _ = nix::sys::signal::raise(sig);
}

/// Ignore SIGHUP and SIGPIPE (a detached monitor outlives its terminal).
pub fn ignore_hangup() -> nix::Result<()> {
    let ignore = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_IGN runs no code in signal context.
    unsafe {
        sigaction(Signal::SIGHUP, &ignore)?;
        sigaction(Signal::SIGPIPE, &ignore)?;
    }
    Ok(())
}

/// Give every signal its default disposition and unblock them all, so that a
/// program exec'd next inherits nothing of ours (an ignored SIGPIPE, SIGINT or
/// SIGQUIT survives `execve`, and so does the mask). For a forked,
/// single-threaded child about to exec.
pub fn reset_for_exec() -> nix::Result<()> {
    default_dispositions();
    SigSet::empty().thread_set_mask()
}

/// Give every signal its default disposition (the mask is left as it is).
pub fn default_dispositions() {
    for sig in 1..=libc::SIGRTMAX() {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        // SAFETY: `action` is a zeroed `sigaction` (empty mask, no flags) whose
        // handler is SIG_DFL, so no code of ours can run in signal context; the
        // kernel only reads it, and no old action is asked for. glibc refuses
        // the two signals it reserves for itself (EINVAL), which keep theirs.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_signal_is_queued_not_acted_on() {
        let mut caught = catch(&[Signal::SIGUSR1]).expect("catch");
        nix::sys::signal::raise(Signal::SIGUSR1).expect("raise");
        nix::sys::signal::raise(Signal::SIGUSR1).expect("raise");
        assert_eq!(caught.wait(), Some(Signal::SIGUSR1));
        assert_eq!(caught.wait(), Some(Signal::SIGUSR1));
    }
}

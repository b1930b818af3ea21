//! Forwarding signals received by skiff to a container's pid 1, and window-size
//! changes to its pty, from async-signal-safe handlers; and the clean signal
//! state a container process gets before its exec ([`reset_for_exec`]).
//!
//! Invariant: the handlers only read atomics and make async-signal-safe syscalls
//! (`kill`, `ioctl`), so they are sound whichever thread they interrupt.

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

static TARGET: AtomicI32 = AtomicI32::new(0);
static PTY_MASTER: AtomicI32 = AtomicI32::new(-1);

/// The signals `run` passes on to the container (Docker's `--sig-proxy`).
pub const FORWARDED: [Signal; 6] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

extern "C" fn forward(sig: libc::c_int) {
    let pid = TARGET.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill(2) is async-signal-safe and takes plain integers.
        unsafe { libc::kill(pid, sig) };
    }
}

extern "C" fn resize(_sig: libc::c_int) {
    let master = PTY_MASTER.load(Ordering::Relaxed);
    if master < 0 {
        return;
    }
    let mut ws: libc::winsize = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into `ws`, which lives on this stack
    // frame; TIOCSWINSZ only reads it. ioctl is async-signal-safe. A closed or
    // wrong fd makes the calls fail harmlessly.
    unsafe {
        if libc::ioctl(0, libc::TIOCGWINSZ, &mut ws) == 0 {
            libc::ioctl(master, libc::TIOCSWINSZ, &ws);
        }
    }
}

fn install(sig: Signal, handler: extern "C" fn(libc::c_int)) -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(handler),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // SAFETY: the handlers above only touch atomics and call async-signal-safe
    // functions (see the module invariant).
    unsafe { sigaction(sig, &action) }.map(|_| ())
}

/// From now on, deliver [`FORWARDED`] signals to `pid` instead of acting on them.
pub fn forward_to(pid: i32) -> nix::Result<()> {
    TARGET.store(pid, Ordering::Relaxed);
    for sig in FORWARDED {
        install(sig, forward)?;
    }
    Ok(())
}

/// Stop forwarding (signals are then ignored until the default is restored).
pub fn stop_forwarding() {
    TARGET.store(0, Ordering::Relaxed);
}

/// Copy the terminal size of stdin to `master` now and on every SIGWINCH.
pub fn follow_winsize(master: i32) -> nix::Result<()> {
    PTY_MASTER.store(master, Ordering::Relaxed);
    resize(0);
    install(Signal::SIGWINCH, resize)
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

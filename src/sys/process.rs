//! Process primitives that need `unsafe`: fork and immediate exit.

use nix::unistd::ForkResult;

/// Fork the process.
///
/// Callers must only call this while the process is single-threaded (early in
/// `main`), so that the child does not inherit locks held by other threads.
pub fn fork() -> nix::Result<ForkResult> {
    // SAFETY: skiff forks only before it starts any thread (see sys::userns, whose
    // `enter` is the one caller and documents that invariant), so the child cannot
    // inherit a lock held by another thread; the child runs ordinary code and exits.
    unsafe { nix::unistd::fork() }
}

/// Exit the current process at once, without running destructors or atexit
/// handlers (a forked child must not flush the parent's buffers twice).
pub fn exit_now(code: i32) -> ! {
    // SAFETY: `_exit` is async-signal-safe and takes no pointers; it ends the process.
    unsafe { libc::_exit(code) }
}

//! Caller-side helpers for a container with a terminal: raw mode on the
//! caller's terminal, window-size propagation, and the copy loop between the
//! caller's stdin/stdout and the pty master.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{BorrowedFd, OwnedFd};

use crate::sys::pty::{get_winsize, set_winsize};
pub use crate::sys::pty::{RawMode, WinSize};

/// Copy the window size of terminal `from` (the caller's stdin/stdout) to
/// the pty `master`. Call it once after `spawn` and on every SIGWINCH (the
/// caller's signal thread: block SIGWINCH with the others and `sigwait`).
pub fn copy_winsize(from: BorrowedFd<'_>, master: BorrowedFd<'_>) -> nix::Result<()> {
    set_winsize(master, get_winsize(from)?)
}

/// Start the two copy threads: caller's stdin → master (when `stdin` is
/// true: `-i`), master → caller's stdout. Returns the output thread; it ends
/// when the container side of the pty is closed (EIO on the master), so join
/// it after `Running::wait` to flush the last output. The input thread is
/// left to die with the process (it blocks on the caller's stdin).
pub fn start_copy(master: &OwnedFd, stdin: bool) -> std::io::Result<std::thread::JoinHandle<()>> {
    if stdin {
        let mut to_master = File::from(master.try_clone()?);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            let mut input = std::io::stdin().lock();
            while let Ok(n) = input.read(&mut buf) {
                if n == 0 || to_master.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        });
    }
    let mut from_master = File::from(master.try_clone()?);
    Ok(std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut out = std::io::stdout();
        while let Ok(n) = from_master.read(&mut buf) {
            if n == 0 || out.write_all(&buf[..n]).and_then(|_| out.flush()).is_err() {
                break;
            }
        }
    }))
}

/// Put the caller's terminal (stdin) in raw mode if it is a terminal.
pub fn raw_stdin() -> Option<RawMode<std::io::Stdin>> {
    RawMode::enter(std::io::stdin()).ok()
}

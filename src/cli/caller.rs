//! The CLI's own process as a container's caller: its stdin, stdout and stderr
//! handed to the engine ([`caller_io`]), and the signals it receives forwarded
//! to the run's handle ([`forward_signals`]): the handlers are the process's,
//! installed here; the engine only gets `signal` and `resize` calls.

use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::sync::Arc;

use nix::sys::signal::Signal;

use crate::engine::handle::RunHandle;
use crate::engine::stdio::CallerIo;
use crate::runtime::tty::{get_winsize, WinSize};
use crate::sys::signals;

/// Duplicates of this process's 0, 1 and 2 (writes to them then bypass
/// Rust's buffers), whether stdin is a terminal, and its window size.
pub fn caller_io() -> CallerIo {
    let stdin = std::io::stdin();
    CallerIo {
        stdin: stdin.as_fd().try_clone_to_owned().ok(),
        stdin_is_terminal: stdin.is_terminal(),
        stdout: std::io::stdout().as_fd().try_clone_to_owned().ok(),
        stderr: std::io::stderr().as_fd().try_clone_to_owned().ok(),
        window: window(),
    }
}

/// The terminal size of stdin, if it is a terminal.
pub fn window() -> Option<WinSize> {
    get_winsize(std::io::stdin().as_fd()).ok()
}

/// From now on, deliver the signals `run` forwards (and, with `tty`, window
/// size changes) to `handle`, from a thread of ours, for the rest of the
/// process. Until the handle's process started they act on skiff as before;
/// once it exited they are dropped.
pub fn forward_signals(handle: Arc<RunHandle>, tty: bool) {
    let mut sigs = signals::FORWARDED.to_vec();
    if tty {
        sigs.push(Signal::SIGWINCH);
    }
    let Ok(mut caught) = signals::catch(&sigs) else {
        return;
    };
    std::thread::spawn(move || {
        while let Some(sig) = caught.wait() {
            if sig == Signal::SIGWINCH {
                if let Some(size) = window() {
                    handle.resize(size);
                }
            } else if !handle.started() {
                // nothing to pass it on to yet (an exec being set up): it
                // acts on skiff, as it did before the forwarding began
                signals::act_as_default(sig);
            } else {
                handle.signal(sig);
            }
        }
    });
}

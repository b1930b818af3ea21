//! Caller-side helpers for a process with a terminal: raw mode on the caller's
//! terminal, window sizes, and the copy loop between the caller's input and
//! output and the pty master. The caller's streams come in as descriptors:
//! nothing here touches the process's own stdio.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;

pub use crate::sys::pty::{get_winsize, set_winsize, RawMode, WinSize};

/// Start the two copy threads: `input` → master (when given: `-i`), master →
/// `output`. Returns the output thread; it ends when the container side of the
/// pty is closed (EIO on the master), so join it after `Running::wait` to
/// flush the last output. The input thread is not joined (it blocks reading
/// `input`); it ends at the input's EOF or the first input after the exit.
pub fn start_copy(
    master: &OwnedFd,
    input: Option<File>,
    mut output: Option<File>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    if let Some(mut input) = input {
        let mut to_master = File::from(master.try_clone()?);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
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
        while let Ok(n) = from_master.read(&mut buf) {
            let sent = match output.as_mut() {
                Some(out) => out.write_all(&buf[..n]),
                None => Ok(()),
            };
            if n == 0 || sent.is_err() {
                break;
            }
        }
    }))
}

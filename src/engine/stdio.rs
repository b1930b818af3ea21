//! A container's standard streams as its supervisor wires them: stdin from the
//! caller (or an attached client, or /dev/null), and every byte of output into
//! the container's log, attached or not, teed to whoever watches: the caller's
//! stdout and stderr (foreground `run`, `start -a`) or the attached clients (the
//! detached monitor's [`Hub`]). stdout and stderr stay two streams; with a
//! terminal (`-t`), the pty's output is the log's stdout.
//!
//! The caller's streams reach the engine as descriptors ([`CallerIo`]): the CLI
//! hands in duplicates of its own 0, 1 and 2, a server would hand in a socket's.
//! Nothing here touches the process's own stdio.
//!
//! A container never gets the caller's descriptors for output (the log needs
//! the bytes) nor, without `-t`, the caller's terminal (it could push input into
//! the user's shell with TIOCSTI). When the caller's side of an output goes away
//! (`skiff run ... | head`), the copy stops reading, so the container sees the
//! broken pipe it would have seen writing there itself.

use std::cell::Cell;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use super::attach::{self, Hub};
use super::{logs, EngineError};
use crate::runtime::tty::{RawMode, WinSize};
use crate::runtime::{self, Stdio};

/// Where the container's stdio goes besides its log.
pub enum Io {
    /// The caller's streams (foreground `run`, `start -a`).
    Caller(CallerIo),
    /// The attached clients, if the socket could be made (the detached monitor).
    Log(Option<Arc<Hub>>),
}

/// The caller's side of a container's stdio, handed in by the front end. Each
/// run duplicates what it uses, so one `CallerIo` serves every restart.
#[derive(Debug, Default)]
pub struct CallerIo {
    /// The caller's input: read only with `-i`; `None` gives the container
    /// /dev/null (an error with `-i`).
    pub stdin: Option<OwnedFd>,
    /// Whether `stdin` is a terminal (the front end decides). A terminal is
    /// never handed to the container: its input is copied through a pipe (or
    /// the pty); with `-t` it is put in raw mode while the container runs.
    pub stdin_is_terminal: bool,
    /// Where the container's stdout (with `-t`, the pty's output) is teed;
    /// `None`: only to the log.
    pub stdout: Option<OwnedFd>,
    /// Where the container's stderr is teed; `None`: only to the log.
    pub stderr: Option<OwnedFd>,
    /// The pty's first window size with `-t` (later ones through the run's
    /// handle, `RunHandle::resize`).
    pub window: Option<WinSize>,
}

fn dup(fd: &Option<OwnedFd>) -> Option<File> {
    fd.as_ref().and_then(|f| f.try_clone().ok()).map(File::from)
}

/// The supervisor's ends of the pipes, until the container exists.
pub struct Ends {
    /// The caller's terminal is copied into this (the container's stdin pipe).
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
}

fn pipe() -> Result<(OwnedFd, OwnedFd), EngineError> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| EngineError::Process {
        step: "creating a pipe",
        source: e.into(),
    })
}

fn devnull() -> Result<OwnedFd, EngineError> {
    std::fs::File::open("/dev/null")
        .map(OwnedFd::from)
        .map_err(|e| EngineError::Process {
            step: "opening /dev/null",
            source: e,
        })
}

/// The container's stdio for one run (nothing with `tty`: the runtime puts the
/// pty's slave on 0, 1 and 2) and the ends [`start`] copies from.
pub fn prepare(io: &Io, tty: bool, interactive: bool) -> Result<(Stdio, Ends), EngineError> {
    let mut ends = Ends {
        stdin: None,
        stdout: None,
        stderr: None,
    };
    if tty {
        return Ok((Stdio::default(), ends));
    }
    let stdin = match io {
        Io::Caller(_) if !interactive => devnull()?,
        Io::Caller(c) if c.stdin_is_terminal => {
            let (r, w) = pipe()?;
            ends.stdin = Some(w);
            r
        }
        Io::Caller(c) => c
            .stdin
            .as_ref()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
            .and_then(|f| f.try_clone())
            .map_err(|e| EngineError::Process {
                step: "setting up the container's stdin",
                source: e,
            })?,
        Io::Log(Some(hub)) if interactive => {
            let (r, w) = pipe()?;
            hub.set_stdin(w);
            r
        }
        Io::Log(_) => devnull()?,
    };
    let (out_r, out_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    ends.stdout = Some(out_r);
    ends.stderr = Some(err_r);
    Ok((
        Stdio {
            stdin: Some(stdin),
            stdout: Some(out_w),
            stderr: Some(err_w),
        },
        ends,
    ))
}

/// The copies of a running container; [`Copies::join`] them after it exited.
pub struct Copies {
    threads: Vec<JoinHandle<()>>,
    /// The pty master, open while the window size follows the caller's.
    _master: Option<OwnedFd>,
    _raw: Option<RawMode<OwnedFd>>,
}

impl Copies {
    /// Wait for the last output to be copied (the container has exited).
    pub fn join(self) {
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// Start copying, once the container runs: `ends` from [`prepare`], or the pty
/// master of a container with a terminal.
pub fn start(
    io: &Io,
    ends: Ends,
    master: Option<OwnedFd>,
    interactive: bool,
    log: &Path,
) -> Copies {
    let mut copies = Copies {
        threads: Vec::new(),
        _master: None,
        _raw: None,
    };
    if let (Some(w), Io::Caller(c)) = (ends.stdin, io) {
        copy_stdin(c, File::from(w));
    }
    for (fd, stream, kind, caller_fd) in [
        (ends.stdout, "stdout", attach::STDOUT, 1),
        (ends.stderr, "stderr", attach::STDERR, 2),
    ] {
        if let Some(fd) = fd {
            copies
                .threads
                .push(copy_out(io, File::from(fd), log, stream, kind, caller_fd));
        }
    }
    let Some(master) = master else {
        return copies;
    };
    let Ok(output) = master.try_clone() else {
        return copies;
    };
    match io {
        Io::Caller(c) => {
            if c.stdin_is_terminal {
                let raw = c.stdin.as_ref().and_then(|f| f.try_clone().ok());
                copies._raw = raw.and_then(|f| RawMode::enter(f).ok());
            }
            if let Some(size) = c.window {
                let _ = runtime::tty::set_winsize(std::os::fd::AsFd::as_fd(&master), size);
            }
            if interactive {
                if let Ok(input) = master.try_clone() {
                    copy_stdin(c, File::from(input));
                }
            }
        }
        Io::Log(Some(hub)) if interactive => hub.set_pty(&master),
        Io::Log(_) => {}
    }
    copies._master = Some(master);
    let out = copy_out(io, File::from(output), log, "stdout", attach::STDOUT, 1);
    copies.threads.push(out);
    copies
}

/// The caller's stdin into `to`. Not joined: it blocks reading the caller's
/// stdin and ends at its EOF, or at the first input after the container is gone.
fn copy_stdin(caller: &CallerIo, mut to: File) {
    let Some(mut from) = dup(&caller.stdin) else {
        return;
    };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
    });
}

/// One output stream into the log, teed to the caller's `caller_fd` or to the
/// attached clients as `kind`.
fn copy_out(
    io: &Io,
    from: File,
    log: &Path,
    stream: &'static str,
    kind: u8,
    caller_fd: i32,
) -> JoinHandle<()> {
    let log = log.to_path_buf();
    match io {
        Io::Log(hub) => {
            let hub = hub.clone();
            std::thread::spawn(move || {
                let _ = logs::copy_to_log_tee(from, &log, stream, |d| {
                    if let Some(h) = &hub {
                        h.output(kind, d)
                    }
                });
            })
        }
        Io::Caller(c) => {
            let caller = dup(if caller_fd == 1 { &c.stdout } else { &c.stderr });
            std::thread::spawn(move || to_caller(from, &log, stream, caller))
        }
    }
}

/// [`copy_out`] to the caller: until EOF, or until the caller's side breaks.
fn to_caller(from: File, log: &Path, stream: &str, mut caller: Option<File>) {
    let broken = Cell::new(false);
    let mut from = UntilBroken {
        inner: from,
        broken: &broken,
    };
    let mut tee = |d: &[u8]| {
        if let Some(c) = caller.as_mut() {
            if c.write_all(d).is_err() {
                broken.set(true);
            }
        }
    };
    if logs::copy_to_log_tee(&mut from, log, stream, &mut tee).is_err() {
        // no log (it could not be opened or written): the caller still gets it all
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            tee(&buf[..n]);
        }
    }
}

/// A reader that ends (EOF) once `broken` is set: the copy stops reading, and
/// the writer in the container gets EPIPE or SIGPIPE.
struct UntilBroken<'a> {
    inner: File,
    broken: &'a Cell<bool>,
}

impl Read for UntilBroken<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.broken.get() {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_logged_and_teed_and_a_broken_caller_stops_the_copy() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join(logs::FILE);
        let (r, w) = nix::unistd::pipe().expect("pipe");
        let (cr, cw) = nix::unistd::pipe().expect("pipe");
        let mut w = File::from(w);
        w.write_all(b"one\n").expect("write");
        let (from, path) = (File::from(r), log.clone());
        let t = std::thread::spawn(move || to_caller(from, &path, "stdout", Some(File::from(cw))));
        let mut got = [0u8; 4];
        File::from(cr).read_exact(&mut got).expect("teed");
        assert_eq!(&got, b"one\n");
        // the caller's end is closed now: the next piece breaks the copy,
        // although the container's end is still open
        w.write_all(b"two\n").expect("write");
        t.join().expect("copy thread");
        assert!(w.write_all(b"three\n").is_err(), "the pipe is still read");
        let lines = logs::read_lines(&log);
        assert_eq!(lines.first().map(|l| l.text.clone()), Some(b"one".to_vec()));
    }
}

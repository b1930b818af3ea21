//! Container logs, kept in a compact length-framed binary format like Docker's
//! `local` log driver ([`format`]): one record per read of the container's
//! output, stamped with the time of the read, about 20 bytes on top of up to
//! 64 KiB of output. Written by whoever supervises the container ([`writer`]),
//! truncated to its newest records before it passes `--log-opt max-size`; read
//! back by `logs` as lines, the bytes exactly as written, stdout and stderr
//! apart ([`reader`]). The file is `containers/<id>/container.log`; the
//! k8s-file `ctr.log` of older skiff versions is not read.

pub mod format;
pub mod reader;
pub mod writer;

use std::io::Read;
use std::path::Path;

pub use format::Stream;
pub use reader::{LogReader, Record};

/// The log's file name in the container's directory.
pub const FILE: &str = "container.log";
/// The k8s-file log of skiff versions before this format.
pub const OLD_FILE: &str = "ctr.log";

/// How a container's log is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// `--log-opt max-size`: the log is truncated to its newest records before
    /// it would grow past this many bytes.
    pub max_size: Option<u64>,
    /// The output is a terminal's: its `\r\n` line ends are logged as `\n`.
    pub terminal: bool,
}

impl LogOptions {
    /// The options of the container whose log is `path` (`containers/<id>/container.log`),
    /// read from its record beside the log, so that every writer of a container's
    /// log honours them. Defaults when there is no record.
    pub fn beside(path: &Path) -> LogOptions {
        let record = std::fs::read(path.with_file_name("config.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<crate::container::ContainerRecord>(&b).ok());
        LogOptions {
            max_size: record.as_ref().and_then(|r| r.config.log_max_size),
            terminal: record.is_some_and(|r| r.config.tty),
        }
    }
}

/// Copy `input` to the log at `path` as `stream` ("stdout" or "stderr") until EOF.
pub fn copy_to_log(input: impl Read, path: &Path, stream: &str) -> std::io::Result<()> {
    copy_to_log_tee(input, path, stream, |_| {})
}

/// [`copy_to_log`], also handing each piece read to `tee` as it arrives (the
/// attached clients). The log's options are the container's ([`LogOptions::beside`]).
pub fn copy_to_log_tee(
    input: impl Read,
    path: &Path,
    stream: &str,
    tee: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    copy_lazily(input, path, stream, || LogOptions::beside(path), tee)
}

/// [`copy_to_log_tee`] with the options given. Each read becomes one record
/// (more with a small `max-size`), written at once.
pub fn copy_to_log_with(
    input: impl Read,
    path: &Path,
    stream: &str,
    opts: LogOptions,
    tee: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    copy_lazily(input, path, stream, || opts, tee)
}

/// The copy itself. The options are looked up and the log opened only when the
/// first output arrives: a container that prints nothing costs its supervisor
/// no file work (a missing log reads as an empty one).
fn copy_lazily(
    mut input: impl Read,
    path: &Path,
    stream: &str,
    opts: impl FnOnce() -> LogOptions,
    mut tee: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let stream = Stream::from_name(stream);
    let mut opts = Some(opts);
    let mut log: Option<(writer::LogFile, bool)> = None;
    let mut buf = vec![0u8; format::MAX_PAYLOAD];
    // a terminal's output: a final `\r` held back until what follows is known
    let (mut held_cr, mut text) = (false, Vec::new());
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A pty master reports EIO when the container side closes.
            Err(_) => break,
        };
        tee(&buf[..n]);
        let time = format::now_nanos();
        let (file, terminal) = match (&mut log, opts.take()) {
            (Some(l), _) => l,
            (None, Some(o)) => {
                let o = o();
                log.insert((writer::LogFile::open(path, o.max_size)?, o.terminal))
            }
            (None, None) => unreachable!("the options are taken only to open the log"),
        };
        if *terminal {
            held_cr = crlf_to_lf(held_cr, &buf[..n], &mut text);
            file.append(stream, time, &text)?;
        } else {
            file.append(stream, time, &buf[..n])?;
        }
    }
    if let (true, Some((file, _))) = (held_cr, log.as_mut()) {
        file.append(stream, format::now_nanos(), b"\r")?;
    }
    Ok(())
}

/// `data` into `out` with `\r\n` as `\n`, after a `\r` held back from the last
/// piece if `held`; returns whether a final `\r` is held back now.
fn crlf_to_lf(held: bool, data: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    if held && data.first() != Some(&b'\n') {
        out.push(b'\r');
    }
    let (body, hold) = match data.strip_suffix(b"\r") {
        Some(b) => (b, true),
        None => (data, false),
    };
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(body[i]);
        i += 1;
    }
    hold
}

/// One whole line of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Unix nanoseconds of the read the line started in.
    pub time: i64,
    pub stream: Stream,
    /// The log ends without a newline after it.
    pub partial: bool,
    pub text: Vec<u8>,
}

/// Every line of the log at `path`, in the order they started (a missing or
/// unreadable log has none).
pub fn read_lines(path: &Path) -> Vec<LogLine> {
    let mut lines: Vec<LogLine> = Vec::new();
    let mut open: [Option<usize>; 2] = [None; 2];
    let _ = LogReader::new(path).read_new(&mut |r| {
        let s = r.stream.index();
        let i = match open[s] {
            Some(i) if !r.starts_line => i,
            _ => {
                lines.push(LogLine {
                    time: r.time,
                    stream: r.stream,
                    partial: true,
                    text: Vec::new(),
                });
                lines.len() - 1
            }
        };
        lines[i].text.extend_from_slice(r.text);
        lines[i].partial = r.partial;
        open[s] = r.partial.then_some(i);
        true
    });
    lines
}

#[cfg(test)]
mod tests;

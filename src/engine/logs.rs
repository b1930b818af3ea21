//! Container logs in Podman's k8s-file format, one line per line of output:
//! `2026-11-22T08:00:00.123456789Z stdout F text` (`P` marks a partial line).
//! Written by whoever supervises the container, one write per read of its
//! output (its lines stamped with the time of that read), the log truncated
//! before it passes `--log-opt max-size`; read by `logs` from a byte offset,
//! buffered, so following a log reads only what was added.

use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Now as RFC 3339 with nanoseconds, UTC.
pub fn timestamp_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format_time(now.as_secs() as i64, now.subsec_nanos())
}

fn format_time(secs: i64, nanos: u32) -> String {
    crate::oci::time::rfc3339_nanos(secs, nanos)
}

/// How a container's log is written (`--log-opt`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// `max-size`: the log is truncated (as Podman's k8s-file does) before it
    /// would grow past this many bytes.
    pub max_size: Option<u64>,
}

impl LogOptions {
    /// The options of the container whose log is `path` (`containers/<id>/ctr.log`),
    /// read from its record beside the log, so that every writer of a container's
    /// log honours them. Defaults when there is no record.
    pub fn beside(path: &Path) -> LogOptions {
        let record = std::fs::read(path.with_file_name("config.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<crate::container::ContainerRecord>(&b).ok());
        LogOptions {
            max_size: record.and_then(|r| r.config.log_max_size),
        }
    }
}

/// Largest piece of a line without a newline written as one `P` record.
const PARTIAL_MAX: usize = 8192;

/// Copy `input` to the log at `path` as `stream` lines until EOF.
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
    copy_to_log_with(input, path, stream, LogOptions::beside(path), tee)
}

/// [`copy_to_log_tee`] with the options given. Each read becomes one write of
/// its complete lines, all stamped with the time of the read.
pub fn copy_to_log_with(
    mut input: impl Read,
    path: &Path,
    stream: &str,
    opts: LogOptions,
    mut tee: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut log = LogFile::open(path, opts)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut pending: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A pty master reports EIO when the container side closes.
            Err(_) => break,
        };
        tee(&buf[..n]);
        pending.extend_from_slice(&buf[..n]);
        let time = timestamp_now();
        let mut start = 0;
        while let Some(i) = pending[start..].iter().position(|&b| b == b'\n') {
            let line = &pending[start..start + i];
            let text = line.strip_suffix(b"\r").unwrap_or(line);
            record(&mut out, &time, stream, b'F', text);
            log.add(&mut out)?;
            start += i + 1;
        }
        pending.drain(..start);
        if pending.len() > PARTIAL_MAX {
            for piece in pending.chunks(PARTIAL_MAX) {
                record(&mut out, &time, stream, b'P', piece);
                log.add(&mut out)?;
            }
            pending.clear();
        }
        log.flush(&mut out)?;
    }
    if !pending.is_empty() {
        record(&mut out, &timestamp_now(), stream, b'P', &pending);
        log.add(&mut out)?;
    }
    log.flush(&mut out)
}

/// Append one k8s-file record to `out`.
fn record(out: &mut Vec<u8>, time: &str, stream: &str, tag: u8, text: &[u8]) {
    out.extend_from_slice(time.as_bytes());
    out.push(b' ');
    out.extend_from_slice(stream.as_bytes());
    out.push(b' ');
    out.push(tag);
    out.push(b' ');
    out.extend_from_slice(text);
    out.push(b'\n');
}

/// The log file being appended to, truncated before it would pass `max_size`
/// (what came before is dropped, as Podman's k8s-file does). Every writer of
/// one log appends (O_APPEND), so a truncation by one is seen by all; the size
/// is read from the file once per batch, not counted, for the same reason.
struct LogFile {
    file: std::fs::File,
    max: Option<u64>,
    /// The file's length when the batch started.
    base: u64,
    /// Bytes of the batch known to fit.
    fits: usize,
}

impl LogFile {
    fn open(path: &Path, opts: LogOptions) -> std::io::Result<LogFile> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(LogFile {
            file,
            max: opts.max_size,
            base: 0,
            fits: 0,
        })
    }

    /// Account for the record just appended to the batch `out`: if the log would
    /// pass the limit with it, truncate the log and keep only that record.
    fn add(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        let Some(max) = self.max else {
            return Ok(());
        };
        if self.fits == 0 && self.base == 0 {
            self.base = self.file.metadata()?.len();
        }
        if self.base + out.len() as u64 > max && self.base + self.fits as u64 > 0 {
            out.drain(..self.fits);
            self.file.set_len(0)?;
            self.base = 0;
        }
        self.fits = out.len();
        Ok(())
    }

    /// Write the batch.
    fn flush(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        if !out.is_empty() {
            self.file.write_all(out)?;
            out.clear();
        }
        (self.base, self.fits) = (0, 0);
        Ok(())
    }
}

/// One parsed log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub time: String,
    pub stream: String,
    pub partial: bool,
    pub text: Vec<u8>,
}

/// Parse a k8s-file line.
pub fn parse_line(line: &[u8]) -> Option<LogLine> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let time = String::from_utf8(parts.next()?.to_vec()).ok()?;
    let stream = String::from_utf8(parts.next()?.to_vec()).ok()?;
    let tag = parts.next()?;
    let text = parts.next().unwrap_or_default().to_vec();
    Some(LogLine {
        time,
        stream,
        partial: tag == b"P",
        text,
    })
}

/// One log record, borrowed from the line it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    pub time: &'a str,
    pub stream: &'a str,
    pub partial: bool,
    pub text: &'a [u8],
}

/// Parse a k8s-file line (without its newline), borrowing.
pub fn parse_record(line: &[u8]) -> Option<Record<'_>> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let time = std::str::from_utf8(parts.next()?).ok()?;
    let stream = std::str::from_utf8(parts.next()?).ok()?;
    let tag = parts.next()?;
    Some(Record {
        time,
        stream,
        partial: tag == b"P",
        text: parts.next().unwrap_or_default(),
    })
}

/// Every line of the log at `path` (a missing log has none).
pub fn read_lines(path: &Path) -> Vec<LogLine> {
    let Ok(f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .split(b'\n')
        .map_while(Result::ok)
        .filter_map(|l| parse_line(&l))
        .collect()
}

/// Reads a log from a byte offset on, buffered, one complete record at a time;
/// reading again goes on where the last read stopped (a log truncated since,
/// by `max-size`, is read again from its start).
#[derive(Debug, Clone)]
pub struct LogReader {
    path: PathBuf,
    offset: u64,
}

impl LogReader {
    /// From the start of the log.
    pub fn new(path: &Path) -> LogReader {
        LogReader {
            path: path.to_path_buf(),
            offset: 0,
        }
    }

    /// From the last `n` records of the log.
    pub fn tail(path: &Path, n: usize) -> LogReader {
        LogReader {
            path: path.to_path_buf(),
            offset: tail_offset(path, n).unwrap_or(0),
        }
    }

    /// Hand each complete record written since the last read to `each`, until it
    /// returns false (then this returns false too). A missing log has none.
    pub fn read_new(&mut self, each: &mut dyn FnMut(Record<'_>) -> bool) -> std::io::Result<bool> {
        let mut f = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
            Err(e) => return Err(e),
        };
        if f.metadata()?.len() < self.offset {
            self.offset = 0;
        }
        f.seek(SeekFrom::Start(self.offset))?;
        let mut r = std::io::BufReader::with_capacity(256 * 1024, f);
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = r.read_until(b'\n', &mut line)?;
            // nothing more, or a record still being written
            if n == 0 || line.last() != Some(&b'\n') {
                return Ok(true);
            }
            self.offset += n as u64;
            if let Some(rec) = parse_record(&line[..n - 1]) {
                if !each(rec) {
                    return Ok(false);
                }
            }
        }
    }
}

/// The offset of the last `n` records of the log at `path`, found from its end.
fn tail_offset(path: &Path, n: usize) -> std::io::Result<u64> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if n == 0 {
        return Ok(len);
    }
    let mut buf = vec![0u8; 64 * 1024];
    let (mut pos, mut seen) = (len, 0);
    while pos > 0 {
        let start = pos.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..usize::try_from(pos - start).unwrap_or(0)];
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(chunk)?;
        for (i, b) in chunk.iter().enumerate().rev() {
            let after = start + i as u64 + 1;
            // the newline ending the last record starts nothing
            if *b == b'\n' && after != len {
                seen += 1;
                if seen == n {
                    return Ok(after);
                }
            }
        }
        pos = start;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_time(0, 5), "1970-01-01T00:00:00.000000005Z");
        assert_eq!(
            format_time(1_767_225_600, 0),
            "2026-01-01T00:00:00.000000000Z"
        );
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        copy_to_log(&b"one\ntwo\r\nthree"[..], &log, "stdout").unwrap();
        let lines = read_lines(&log);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].text, b"one");
        assert_eq!(lines[1].text, b"two");
        assert!(lines[2].partial);
        assert_eq!(lines[2].stream, "stdout");
    }

    fn texts(reader: &mut LogReader) -> Vec<String> {
        let mut v = Vec::new();
        reader
            .read_new(&mut |r| {
                v.push(String::from_utf8_lossy(r.text).into_owned());
                true
            })
            .unwrap();
        v
    }

    #[test]
    fn max_size_truncates_and_keeps_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let input: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let opts = LogOptions {
            max_size: Some(500),
        };
        copy_to_log_with(input.as_bytes(), &log, "stdout", opts, |_| {}).unwrap();
        assert!(std::fs::metadata(&log).unwrap().len() <= 500);
        let got = texts(&mut LogReader::new(&log));
        assert_eq!(got.last().map(String::as_str), Some("line 999"));
    }

    #[test]
    fn tail_and_follow_across_a_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        copy_to_log(&b"a\nb\nc\n"[..], &log, "stdout").unwrap();
        assert_eq!(texts(&mut LogReader::tail(&log, 2)), ["b", "c"]);
        assert_eq!(texts(&mut LogReader::tail(&log, 9)), ["a", "b", "c"]);
        assert!(texts(&mut LogReader::tail(&log, 0)).is_empty());
        let mut r = LogReader::new(&log);
        assert_eq!(texts(&mut r).len(), 3);
        copy_to_log(&b"d\n"[..], &log, "stdout").unwrap();
        assert_eq!(texts(&mut r), ["d"]);
        std::fs::write(&log, b"").unwrap();
        copy_to_log(&b"e\n"[..], &log, "stdout").unwrap();
        assert_eq!(texts(&mut r), ["e"]);
    }
}

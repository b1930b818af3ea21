//! Container logs in Podman's k8s-file format, one line per line of output:
//! `2026-11-22T08:00:00.123456789Z stdout F text` (`P` marks a partial line).
//! Written by whoever supervises the container; read by `logs`.

use std::io::{BufRead, Read, Write};
use std::path::Path;

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

/// Copy `input` to the log at `path` as `stream` lines until EOF.
pub fn copy_to_log(input: impl Read, path: &Path, stream: &str) -> std::io::Result<()> {
    copy_to_log_tee(input, path, stream, |_| {})
}

/// [`copy_to_log`], also handing each piece read to `tee` as it arrives (the
/// attached clients).
pub fn copy_to_log_tee(
    mut input: impl Read,
    path: &Path,
    stream: &str,
    mut tee: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let mut buf = vec![0u8; 16 * 1024];
    let mut pending: Vec<u8> = Vec::new();
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
        let mut out = Vec::new();
        while let Some(i) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=i).collect();
            let text = line[..line.len() - 1]
                .strip_suffix(b"\r")
                .unwrap_or(&line[..line.len() - 1]);
            write!(out, "{} {stream} F ", timestamp_now())?;
            out.extend_from_slice(text);
            out.push(b'\n');
        }
        if pending.len() > 8192 {
            write!(out, "{} {stream} P ", timestamp_now())?;
            out.append(&mut pending);
            out.push(b'\n');
        }
        if !out.is_empty() {
            log.write_all(&out)?;
        }
    }
    if !pending.is_empty() {
        let mut out = Vec::new();
        write!(out, "{} {stream} P ", timestamp_now())?;
        out.append(&mut pending);
        out.push(b'\n');
        log.write_all(&out)?;
    }
    Ok(())
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
}

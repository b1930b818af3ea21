//! Unit tests of the log format, writer and reader.

use super::*;
use std::io::Write;

/// Each piece read, as `(stream, starts_line, partial, text)`.
fn pieces(reader: &mut LogReader) -> Vec<(Stream, bool, bool, String)> {
    let mut v = Vec::new();
    reader
        .read_new(&mut |r| {
            let text = String::from_utf8_lossy(r.text).into_owned();
            v.push((r.stream, r.starts_line, r.partial, text));
            true
        })
        .unwrap();
    v
}

/// The lines read (pieces joined), with `\n` after the whole ones.
fn text(reader: &mut LogReader) -> String {
    let mut s = String::new();
    for (_, _, partial, t) in pieces(reader) {
        s.push_str(&t);
        if !partial {
            s.push('\n');
        }
    }
    s
}

/// A reader that hands out `chunks` one per read.
struct Chunks(Vec<Vec<u8>>);
impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Ok(0);
        }
        let c = self.0.remove(0);
        buf[..c.len()].copy_from_slice(&c);
        Ok(c.len())
    }
}

fn write_chunks(log: &Path, stream: &str, chunks: &[&str]) {
    let c = Chunks(chunks.iter().map(|c| c.as_bytes().to_vec()).collect());
    copy_to_log_with(c, log, stream, LogOptions::default(), |_| {}).unwrap();
}

#[test]
fn round_trip_gives_the_bytes_back_per_stream() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let out: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    copy_to_log(&out[..], &log, "stdout").unwrap();
    copy_to_log(&b"err\r\nx"[..], &log, "stderr").unwrap();
    let (mut got, mut err) = (Vec::new(), Vec::new());
    LogReader::new(&log)
        .read_new(&mut |r| {
            let to = if r.stream == Stream::Stderr {
                &mut err
            } else {
                &mut got
            };
            to.extend_from_slice(r.text);
            if !r.partial {
                to.push(b'\n');
            }
            true
        })
        .unwrap();
    assert!(got == out, "stdout differs");
    assert_eq!(err, b"err\r\nx");
    let size = std::fs::metadata(&log).unwrap().len();
    assert!(
        size < out.len() as u64 + 200,
        "{size} bytes for {}",
        out.len()
    );
    let lines = read_lines(&log);
    assert_eq!(lines.last().unwrap().text, b"x");
    assert!(lines.last().unwrap().partial);
}

#[test]
fn lines_span_records_and_keep_the_time_they_started() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    write_chunks(&log, "stdout", &["a\nbe", "gin", "s\nend"]);
    let got = pieces(&mut LogReader::new(&log));
    let want = [
        (true, false, "a"),
        (true, true, "be"),
        (false, true, "gin"),
        (false, false, "s"),
        (true, true, "end"),
    ];
    let got3: Vec<_> = got
        .iter()
        .map(|(_, s, p, t)| (*s, *p, t.as_str()))
        .collect();
    assert_eq!(got3, want);
    let lines = read_lines(&log);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1].text, b"begins");
    // "begins" has the time of the record it started in, "end" a later one
    assert!(lines[1].time <= lines[2].time);
    let mut times = Vec::new();
    LogReader::new(&log)
        .read_new(&mut |r| {
            times.push(r.time);
            true
        })
        .unwrap();
    assert_eq!(times[1], times[2]);
    assert_eq!(times[2], times[3]);
}

#[test]
fn tail_counts_lines_across_records_and_streams() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    write_chunks(&log, "stdout", &["l1\nl2\nl", "3\nl4", "\nl5\n"]);
    assert_eq!(text(&mut LogReader::tail(&log, 2)), "l4\nl5\n");
    assert_eq!(text(&mut LogReader::tail(&log, 3)), "l3\nl4\nl5\n");
    assert_eq!(text(&mut LogReader::tail(&log, 9)), "l1\nl2\nl3\nl4\nl5\n");
    assert_eq!(text(&mut LogReader::tail(&log, 0)), "");
    // a line without a newline at the end is a line; stderr lines count too
    write_chunks(&log, "stderr", &["e1\ne", "2\n"]);
    write_chunks(&log, "stdout", &["l6\nlast"]);
    assert_eq!(text(&mut LogReader::tail(&log, 1)), "last");
    assert_eq!(text(&mut LogReader::tail(&log, 3)), "e2\nl6\nlast");
    // many records, one line each, split across two records
    let big: Vec<String> = (0..2000).map(|i| format!("n{i}\n")).collect();
    let halves: Vec<String> = big
        .iter()
        .flat_map(|l| [l[..1].to_string(), l[1..].to_string()])
        .collect();
    let refs: Vec<&str> = halves.iter().map(String::as_str).collect();
    write_chunks(&log, "stdout", &refs);
    assert_eq!(text(&mut LogReader::tail(&log, 2)), "n1998\nn1999\n");
}

#[test]
fn a_torn_final_record_is_ignored_and_cut_off_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    write_chunks(&log, "stdout", &["one\n", "two\n"]);
    let whole = std::fs::metadata(&log).unwrap().len();
    // a writer killed mid-record
    let mut torn = Vec::new();
    format::encode(&mut torn, Stream::Stdout, 1, b"three\nfour\n");
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(&torn[..torn.len() - 3]).unwrap();
    assert_eq!(text(&mut LogReader::new(&log)), "one\ntwo\n");
    assert_eq!(text(&mut LogReader::tail(&log, 1)), "two\n");
    write_chunks(&log, "stdout", &["five\n"]);
    assert_eq!(text(&mut LogReader::new(&log)), "one\ntwo\nfive\n");
    let rec = (format::HEADER + format::TRAILER + 5) as u64;
    assert_eq!(std::fs::metadata(&log).unwrap().len(), whole + rec);
    // torn inside the header, and an old k8s-file log
    f.write_all(&torn[..5]).unwrap();
    assert_eq!(text(&mut LogReader::new(&log)), "one\ntwo\nfive\n");
    std::fs::write(&log, b"2026-11-22T08:00:00.1Z stdout F x\n").unwrap();
    let err = LogReader::new(&log).read_new(&mut |_| true).unwrap_err();
    assert!(err.to_string().contains("not a log in skiff's format"));
}

#[test]
fn max_size_truncates_to_the_newest_whole_records() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let input: String = (0..20000).map(|i| format!("line {i}\n")).collect();
    let opts = LogOptions {
        max_size: Some(10240),
        terminal: false,
    };
    let chunks: Vec<Vec<u8>> = input
        .as_bytes()
        .chunks(4000)
        .map(<[u8]>::to_vec)
        .chain([b"last\n".to_vec()])
        .collect();
    copy_to_log_with(Chunks(chunks), &log, "stdout", opts, |_| {}).unwrap();
    assert!(std::fs::metadata(&log).unwrap().len() <= 10240);
    let got = text(&mut LogReader::new(&log));
    assert!(got.ends_with("line 19998\nline 19999\nlast\n"), "{got}");
    assert!(got.len() > 2000, "too little kept: {}", got.len());
    assert_eq!(text(&mut LogReader::tail(&log, 2)), "line 19999\nlast\n");
}

#[test]
fn follow_reads_what_was_added_and_survives_a_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    write_chunks(&log, "stdout", &["a\nb", "\nc\n"]);
    let mut r = LogReader::new(&log);
    assert_eq!(text(&mut r), "a\nb\nc\n");
    assert_eq!(text(&mut r), "");
    write_chunks(&log, "stdout", &["d\n"]);
    assert_eq!(text(&mut r), "d\n");
    // truncated (as by max-size) and written again, longer than before
    std::fs::write(&log, b"").unwrap();
    write_chunks(
        &log,
        "stdout",
        &["e\n", "ffffffffffffffffffffffffffffffffffff\n"],
    );
    assert_eq!(text(&mut r), "e\nffffffffffffffffffffffffffffffffffff\n");
}

#[test]
fn a_terminals_crlf_is_logged_as_lf() {
    let mut out = Vec::new();
    assert!(crlf_to_lf(false, b"a\r\nb\r", &mut out));
    assert_eq!(out, b"a\nb");
    assert!(!crlf_to_lf(true, b"\nc\rd", &mut out));
    assert_eq!(out, b"\nc\rd");
    assert!(!crlf_to_lf(true, b"x", &mut out));
    assert_eq!(out, b"\rx");
}

#[test]
fn follow_across_a_max_size_truncation_hands_out_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let opts = LogOptions {
        max_size: Some(1000),
        terminal: false,
    };
    let mut r = LogReader::new(&log);
    let mut got = String::new();
    let mut want = String::new();
    for i in 0..200 {
        let line = format!("line {i}\n");
        want.push_str(&line);
        copy_to_log_with(line.as_bytes(), &log, "stdout", opts, |_| {}).unwrap();
        got.push_str(&text(&mut r));
    }
    assert!(std::fs::metadata(&log).unwrap().len() <= 1000);
    assert_eq!(got, want);
}

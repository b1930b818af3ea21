//! Reading a container's log ([`super::format`]) back as lines: each record's
//! bytes exactly, per stream, in order, cut at newlines into pieces. A line may
//! span records; it has the time of the record it started in. A reader goes on
//! from where its last read stopped (`logs -f`), stops before a record not yet
//! whole (being written, or torn by a killed writer), and starts over when the
//! log was truncated by `max-size` since.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::format::{self, Stream, HEADER, TRAILER};
use super::writer;

/// One piece of a line, borrowed from the record it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The line's time (of the read it started in), Unix nanoseconds.
    pub time: i64,
    pub stream: Stream,
    /// The first piece of its line (later pieces continue it).
    pub starts_line: bool,
    /// No newline ends this piece: the line goes on in a later piece, or the log
    /// ends without one.
    pub partial: bool,
    /// Without the newline.
    pub text: &'a [u8],
}

/// Where a stream's current line stands.
#[derive(Debug, Clone, Copy, Default)]
struct Line {
    open: bool,
    time: i64,
    skipped: bool,
}

/// Reads a log from a record on, buffered; reading again goes on where the last
/// read stopped.
#[derive(Debug, Clone)]
pub struct LogReader {
    path: PathBuf,
    offset: u64,
    /// The header of the log's first record when last read: another one means
    /// the log was truncated since.
    first: Option<[u8; HEADER]>,
    /// The header of the last record read: after a truncation, reading goes on
    /// after it if it was kept, so nothing is handed out twice.
    last: Option<[u8; HEADER]>,
    lines: [Line; 2],
    /// Lines still to leave out (`--tail`).
    skip: usize,
}

fn invalid(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{} is not a log in skiff's format", path.display()),
    )
}

impl LogReader {
    /// From the start of the log.
    pub fn new(path: &Path) -> LogReader {
        LogReader {
            path: path.to_path_buf(),
            offset: 0,
            first: None,
            last: None,
            lines: [Line::default(); 2],
            skip: 0,
        }
    }

    /// From the last `n` lines of the log (a final line without a newline counts).
    pub fn tail(path: &Path, n: usize) -> LogReader {
        let mut r = LogReader::new(path);
        if let Ok(Some((offset, first))) = tail_offset(path, n) {
            (r.offset, r.first) = (offset, first);
            let mut count = r.clone();
            let mut lines = 0usize;
            if count
                .read_new(&mut |rec| {
                    lines += usize::from(rec.starts_line);
                    true
                })
                .is_ok()
            {
                r.skip = lines.saturating_sub(n);
            }
        }
        r
    }

    /// Hand each piece of the lines written since the last read to `each`, until
    /// it returns false (then this returns false too). A missing log has none.
    pub fn read_new(&mut self, each: &mut dyn FnMut(Record<'_>) -> bool) -> std::io::Result<bool> {
        let f = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
            Err(e) => return Err(e),
        };
        let len = f.metadata()?.len();
        let first = first_header(&f, len)?;
        if len > 0 && first.is_some_and(|h| h[0] != format::MAGIC) {
            return Err(invalid(&self.path));
        }
        if len < self.offset || (self.first.is_some() && first.is_some() && self.first != first) {
            match self.last.and_then(|l| after(&f, len, &l).transpose()) {
                Some(offset) => self.offset = offset?,
                None => *self = LogReader::new(&self.path),
            }
        }
        if first.is_some() {
            self.first = first;
        }
        let mut r = BufReader::with_capacity(256 * 1024, f);
        r.seek(SeekFrom::Start(self.offset))?;
        let mut head = [0u8; HEADER];
        let mut body = Vec::with_capacity(format::MAX_PAYLOAD + TRAILER);
        loop {
            // nothing more, a record still being written, or one torn
            if self.offset + HEADER as u64 > len || r.read_exact(&mut head).is_err() {
                return Ok(true);
            }
            let Some(h) = format::decode_header(&head) else {
                return Ok(true);
            };
            body.resize(h.len as usize + TRAILER, 0);
            if self.offset + h.record_len() > len
                || r.read_exact(&mut body).is_err()
                || format::decode_trailer(&body[h.len as usize..]) != Some(h.len)
            {
                return Ok(true);
            }
            self.offset += h.record_len();
            self.last = Some(head);
            if !self.pieces(&h, &body[..h.len as usize], each) {
                return Ok(false);
            }
        }
    }

    /// Cut one record's payload into pieces of lines for `each`.
    fn pieces(
        &mut self,
        h: &format::Header,
        mut rest: &[u8],
        each: &mut dyn FnMut(Record<'_>) -> bool,
    ) -> bool {
        let line = &mut self.lines[h.stream.index()];
        while !rest.is_empty() {
            let (text, partial, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], false, &rest[i + 1..]),
                None => (rest, true, &rest[rest.len()..]),
            };
            let starts_line = !line.open;
            if starts_line {
                line.time = h.time;
                line.skipped = self.skip > 0;
                self.skip = self.skip.saturating_sub(1);
            }
            line.open = partial;
            rest = next;
            let rec = Record {
                time: line.time,
                stream: h.stream,
                starts_line,
                partial,
                text,
            };
            if !line.skipped && !each(rec) {
                return false;
            }
        }
        true
    }
}

/// The end of the record of the log whose header is `last`, if there is one.
fn after(f: &File, len: u64, last: &[u8; HEADER]) -> std::io::Result<Option<u64>> {
    let (mut pos, mut h) = (0, [0u8; HEADER]);
    while pos + HEADER as u64 <= len {
        f.read_exact_at(&mut h, pos)?;
        let Some(hd) = format::decode_header(&h) else {
            break;
        };
        pos += hd.record_len();
        if h == *last && pos <= len {
            return Ok(Some(pos));
        }
    }
    Ok(None)
}

/// The header of the log's first record (or the bytes there).
fn first_header(f: &File, len: u64) -> std::io::Result<Option<[u8; HEADER]>> {
    if len < HEADER as u64 {
        return Ok(None);
    }
    let mut h = [0u8; HEADER];
    f.read_exact_at(&mut h, 0)?;
    Ok(Some(h))
}

/// Where to read the last `n` lines from: a record far enough back that every
/// stream's line cut at it is among the lines left out (see [`LogReader::tail`]),
/// and the log's first header.
fn tail_offset(path: &Path, n: usize) -> std::io::Result<Option<(u64, Option<[u8; HEADER]>)>> {
    let f = File::open(path)?;
    let len = f.metadata()?.len();
    let first = first_header(&f, len)?;
    if first.is_some_and(|h| h[0] != format::MAGIC) {
        return Ok(None);
    }
    let end = writer::valid_end(&f, len)?;
    let (mut pos, mut newlines) = (end, 0usize);
    // per stream: seen in what is read, and a newline of it has n + 2 after it
    let (mut seen, mut settled) = ([false; 2], [false; 2]);
    let mut buf = Vec::new();
    if n == 0 {
        return Ok(Some((end, first)));
    }
    while let Some(start) = writer::record_before(&f, pos)? {
        buf.resize(usize::try_from(pos - start).unwrap_or(0), 0);
        f.read_exact_at(&mut buf, start)?;
        let Some(h) = format::decode_header(&buf) else {
            break;
        };
        let s = h.stream.index();
        for _ in buf[HEADER..HEADER + h.len as usize]
            .iter()
            .rev()
            .filter(|&&b| b == b'\n')
        {
            settled[s] |= newlines >= n + 2;
            newlines += 1;
        }
        seen[s] = true;
        pos = start;
        if newlines >= n + 2 && (0..2).all(|i| !seen[i] || settled[i]) {
            break;
        }
    }
    Ok(Some((pos, first)))
}

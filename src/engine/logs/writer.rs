//! Appending records to a container's log ([`super::format`]). Opening the log
//! cuts off a torn final record (a writer killed mid-write), so what is
//! appended follows valid data. With `max-size`, a record that would take the
//! log past the limit first truncates it to its newest whole records (at most
//! half the limit). The writers of one log (the supervisor's stdout and stderr
//! copies) share one lock, so a truncation never interleaves with an append.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

use super::format::{self, Stream, HEADER, TRAILER};

/// Held around every change of any log by this process.
static LOCK: Mutex<()> = Mutex::new(());

/// The log being appended to.
pub struct LogFile {
    file: File,
    max: Option<u64>,
    out: Vec<u8>,
}

impl LogFile {
    /// Open (create) the log at `path` for appending, its torn tail cut off.
    pub fn open(path: &Path, max: Option<u64>) -> std::io::Result<LogFile> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let len = file.metadata()?.len();
        let valid = valid_end(&file, len)?;
        if valid != len {
            file.set_len(valid)?;
        }
        Ok(LogFile {
            file,
            max,
            out: Vec::new(),
        })
    }

    /// The largest payload of one record: small enough that a few fit in `max-size`.
    pub fn piece(&self) -> usize {
        match self.max {
            Some(m) => usize::try_from(m / 4)
                .unwrap_or(usize::MAX)
                .clamp(1, format::MAX_PAYLOAD),
            None => format::MAX_PAYLOAD,
        }
    }

    /// Append `payload` as records of `stream` stamped `time`, one write each.
    pub fn append(&mut self, stream: Stream, time: i64, payload: &[u8]) -> std::io::Result<()> {
        for piece in payload.chunks(self.piece()) {
            self.out.clear();
            format::encode(&mut self.out, stream, time, piece);
            let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(max) = self.max {
                self.make_room(max)?;
            }
            self.file.write_all(&self.out)?;
        }
        Ok(())
    }

    /// Truncate the log to its newest whole records if `self.out` would take it past `max`.
    fn make_room(&mut self, max: u64) -> std::io::Result<()> {
        let len = self.file.metadata()?.len();
        if len + self.out.len() as u64 <= max || len == 0 {
            return Ok(());
        }
        let keep = max.saturating_sub(self.out.len() as u64).min(max / 2);
        let mut kept = newest(&self.file, len, keep)?;
        kept.extend_from_slice(&self.out);
        self.out = kept;
        self.file.set_len(0)
    }
}

/// The newest whole records of the log (of length `len`) that fit in `keep` bytes.
fn newest(file: &File, len: u64, keep: u64) -> std::io::Result<Vec<u8>> {
    let mut start = len;
    while let Some(prev) = record_before(file, start)? {
        if len - prev > keep {
            break;
        }
        start = prev;
    }
    let mut buf = vec![0u8; usize::try_from(len - start).unwrap_or(0)];
    file.read_exact_at(&mut buf, start)?;
    Ok(buf)
}

/// The start of the valid record ending at `end`, if there is one.
pub fn record_before(file: &File, end: u64) -> std::io::Result<Option<u64>> {
    if end < (HEADER + TRAILER) as u64 {
        return Ok(None);
    }
    let mut t = [0u8; TRAILER];
    file.read_exact_at(&mut t, end - TRAILER as u64)?;
    let Some(n) = format::decode_trailer(&t) else {
        return Ok(None);
    };
    let Some(start) = end.checked_sub((HEADER + TRAILER) as u64 + u64::from(n)) else {
        return Ok(None);
    };
    let mut h = [0u8; HEADER];
    file.read_exact_at(&mut h, start)?;
    Ok(format::decode_header(&h)
        .filter(|h| h.len == n)
        .map(|_| start))
}

/// The end of the log's valid records: `len` when its last record is whole,
/// else found by walking the records from the start.
pub fn valid_end(file: &File, len: u64) -> std::io::Result<u64> {
    if len == 0 || record_before(file, len)?.is_some() {
        return Ok(len);
    }
    let mut pos = 0;
    let mut h = [0u8; HEADER];
    let mut t = [0u8; TRAILER];
    while pos + ((HEADER + TRAILER) as u64) <= len {
        file.read_exact_at(&mut h, pos)?;
        let Some(hd) = format::decode_header(&h) else {
            break;
        };
        let end = pos + hd.record_len();
        if end > len {
            break;
        }
        file.read_exact_at(&mut t, end - TRAILER as u64)?;
        if format::decode_trailer(&t) != Some(hd.len) {
            break;
        }
        pos = end;
    }
    Ok(pos)
}

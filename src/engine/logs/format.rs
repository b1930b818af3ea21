//! The container log's on-disk format, compact and length-framed like Docker's
//! `local` log driver: the file is a sequence of records, one per read of the
//! container's output (not one per line), each
//!
//! ```text
//! header  16 bytes: MAGIC, VERSION, stream (1 stdout, 2 stderr), 0,
//!                   payload length (u32 LE), time of the read (i64 LE, Unix nanoseconds)
//! payload the bytes read, exactly
//! trailer  4 bytes: the payload length again (u32 LE)
//! ```
//!
//! 20 bytes per record of up to 64 KiB. The trailer lets `--tail` walk back from
//! the end; a record is valid only when its header and trailer agree, so a torn
//! final record (its writer killed mid-write) is seen as such, never misparsed.

/// First byte of every record (not ASCII: an old k8s-file log starts with a digit).
pub const MAGIC: u8 = 0xd7;
/// Second byte of every record.
pub const VERSION: u8 = 1;
/// Bytes before the payload.
pub const HEADER: usize = 16;
/// Bytes after the payload.
pub const TRAILER: usize = 4;
/// Largest payload a writer puts in one record.
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// Which of the container's output streams a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    /// `"stdout"` or `"stderr"`.
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }

    /// The stream named `name` (anything but `"stderr"` is stdout).
    pub fn from_name(name: &str) -> Stream {
        if name == "stderr" {
            Stream::Stderr
        } else {
            Stream::Stdout
        }
    }

    fn code(self) -> u8 {
        match self {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        }
    }

    /// 0 for stdout, 1 for stderr (an index into per-stream state).
    pub fn index(self) -> usize {
        usize::from(self.code() - 1)
    }
}

/// A record's header, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub stream: Stream,
    pub len: u32,
    /// Unix nanoseconds.
    pub time: i64,
}

impl Header {
    /// The whole record's size on disk.
    pub fn record_len(&self) -> u64 {
        (HEADER + TRAILER) as u64 + u64::from(self.len)
    }
}

/// Decode a header; None if `b` is not one.
pub fn decode_header(b: &[u8]) -> Option<Header> {
    let b: &[u8; HEADER] = b.get(..HEADER)?.try_into().ok()?;
    if b[0] != MAGIC || b[1] != VERSION || b[3] != 0 {
        return None;
    }
    let stream = match b[2] {
        1 => Stream::Stdout,
        2 => Stream::Stderr,
        _ => return None,
    };
    let len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    if len as usize > MAX_PAYLOAD {
        return None;
    }
    let mut t = [0u8; 8];
    t.copy_from_slice(&b[8..16]);
    Some(Header {
        stream,
        len,
        time: i64::from_le_bytes(t),
    })
}

/// Decode a trailer (the payload length).
pub fn decode_trailer(b: &[u8]) -> Option<u32> {
    let b: [u8; TRAILER] = b.get(..TRAILER)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Append one record of `payload` (at most [`MAX_PAYLOAD`] bytes) to `out`.
pub fn encode(out: &mut Vec<u8>, stream: Stream, time: i64, payload: &[u8]) {
    let len = u32::try_from(payload.len().min(MAX_PAYLOAD)).unwrap_or(0);
    let payload = &payload[..len as usize];
    out.extend_from_slice(&[MAGIC, VERSION, stream.code(), 0]);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&time.to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&len.to_le_bytes());
}

/// Now, in Unix nanoseconds.
pub fn now_nanos() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_nanos()).unwrap_or(i64::MAX)
}

/// `nanos` (Unix) as RFC 3339 with nanoseconds, UTC.
pub fn format_time(nanos: i64) -> String {
    crate::oci::time::rfc3339_nanos(
        nanos.div_euclid(1_000_000_000),
        u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes() {
        let mut out = Vec::new();
        encode(&mut out, Stream::Stderr, -5, b"hello");
        assert_eq!(out.len(), HEADER + 5 + TRAILER);
        let h = decode_header(&out).unwrap();
        assert_eq!((h.stream, h.len, h.time), (Stream::Stderr, 5, -5));
        assert_eq!(&out[HEADER..HEADER + 5], b"hello");
        assert_eq!(decode_trailer(&out[HEADER + 5..]), Some(5));
        assert_eq!(h.record_len(), out.len() as u64);
        assert!(decode_header(b"2026-11-22T08:00:00.1Z stdout F x").is_none());
        assert_eq!(format_time(5), "1970-01-01T00:00:00.000000005Z");
        assert_eq!(
            format_time(1_767_225_600_000_000_000),
            "2026-01-01T00:00:00.000000000Z"
        );
    }
}

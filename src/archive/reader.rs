//! A streaming tar reader that yields fully-resolved entries.
//!
//! Responsibility: turn a byte stream into [`Entry`] values with GNU long
//! names/links and PAX records (`path`, `linkpath`, `size`, `uid`, `gid`,
//! `mtime`, `SCHILY.xattr.*`) already applied, and hand out each entry's data.
//! Raw header fields are decoded with [`tar::Header`].
//!
//! Why not `tar::Archive`: its PAX parser splits records on `\n`, which breaks
//! on binary xattr values (e.g. `security.capability`) and then silently loses
//! the `size`/`path` records that sort after them. Here PAX records are parsed
//! by their length prefix, as POSIX specifies.
//!
//! Invariants: names are raw bytes (never lossily converted); every byte read
//! is accounted for in `offset`; an entry's unread data is skipped before the
//! next header; [`TarReader::drain`] consumes the stream to EOF.

use std::io::{self, Read};
use std::path::PathBuf;

use super::error::ArchiveError;

const BLOCK: u64 = 512;
/// Largest GNU long-name or PAX header we accept (a guard against memory DoS).
const MAX_EXT: u64 = 1 << 20;

/// A timestamp in seconds and nanoseconds since the epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timestamp {
    pub sec: i64,
    pub nsec: u32,
}

/// What an entry creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
}

/// One tar member with its extension headers applied.
#[derive(Debug)]
pub struct Entry {
    pub kind: Kind,
    pub path: Vec<u8>,
    /// Symlink or hard link target (empty for other kinds).
    pub link: Vec<u8>,
    /// Permission bits including setuid/setgid/sticky (`0o7777` mask).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: Timestamp,
    pub dev_major: u32,
    pub dev_minor: u32,
    /// `(name, value)` from `SCHILY.xattr.NAME` records, in tar order.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// PAX overrides collected from `x` headers for the next entry.
#[derive(Default)]
struct Pax {
    path: Option<Vec<u8>>,
    linkpath: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
    mtime: Option<Timestamp>,
    sparse: bool,
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Extension data seen before the entry it describes.
#[derive(Default)]
struct Pending {
    long_name: Option<Vec<u8>>,
    long_link: Option<Vec<u8>>,
    pax: Option<Pax>,
}

pub struct TarReader<R> {
    inner: R,
    /// Bytes consumed from `inner` so far.
    offset: u64,
    /// Unread data bytes of the current entry.
    remaining: u64,
    /// Padding after the current entry's data, up to the next 512-byte block.
    padding: u64,
}

impl<R: Read> TarReader<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            remaining: 0,
            padding: 0,
        }
    }

    fn corrupt(&self, reason: impl Into<String>) -> ArchiveError {
        ArchiveError::Corrupt {
            offset: self.offset,
            reason: reason.into(),
        }
    }

    /// The next entry, or `None` at the end-of-archive marker (or a clean EOF
    /// on a block boundary).
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ArchiveError> {
        self.skip(self.remaining + self.padding)?;
        self.remaining = 0;
        self.padding = 0;
        let mut pending = Pending::default();
        loop {
            let mut block = [0u8; BLOCK as usize];
            let has_block = self.read_block(&mut block)?;
            if !has_block || block.iter().all(|b| *b == 0) {
                if pending.long_name.is_some()
                    || pending.long_link.is_some()
                    || pending.pax.is_some()
                {
                    return Err(self.corrupt("extension header without a following entry"));
                }
                return Ok(None);
            }
            let header = tar::Header::from_byte_slice(&block);
            self.check_sum(header)?;
            match header.entry_type().as_byte() {
                b'L' => pending.long_name = Some(self.read_ext(header, true)?),
                b'K' => pending.long_link = Some(self.read_ext(header, true)?),
                b'x' | b'X' => {
                    let data = self.read_ext(header, false)?;
                    let pax = pending.pax.get_or_insert_with(Pax::default);
                    parse_pax(&data, pax).map_err(|r| self.corrupt(r))?;
                }
                b'g' => drop(self.read_ext(header, false)?),
                _ => return self.finish_entry(header, pending).map(Some),
            }
        }
    }

    /// Reads up to `buf.len()` bytes of the current entry's data; 0 at its end.
    pub fn read_data(&mut self, buf: &mut [u8]) -> Result<usize, ArchiveError> {
        let want = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        if want == 0 {
            return Ok(0);
        }
        let n = loop {
            match self.inner.read(&mut buf[..want]) {
                Ok(0) => return Err(self.corrupt("truncated entry data")),
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => return Err(ArchiveError::Read { source }),
            }
        };
        self.remaining -= n as u64;
        self.offset += n as u64;
        Ok(n)
    }

    /// Consumes everything after the end-of-archive marker (the caller hashes
    /// the whole stream). Returns the number of trailing bytes.
    pub fn drain(&mut self) -> Result<u64, ArchiveError> {
        let n = io::copy(&mut self.inner, &mut io::sink())
            .map_err(|source| ArchiveError::Read { source })?;
        self.offset += n;
        Ok(n)
    }

    fn read_block(&mut self, block: &mut [u8; BLOCK as usize]) -> Result<bool, ArchiveError> {
        let mut got = 0;
        while got < block.len() {
            match self.inner.read(&mut block[got..]) {
                Ok(0) if got == 0 => return Ok(false),
                Ok(0) => return Err(self.corrupt("truncated header")),
                Ok(n) => {
                    got += n;
                    self.offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Err(ArchiveError::Read { source }),
            }
        }
        Ok(true)
    }

    fn skip(&mut self, n: u64) -> Result<(), ArchiveError> {
        if n == 0 {
            return Ok(());
        }
        let copied = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())
            .map_err(|source| ArchiveError::Read { source })?;
        self.offset += copied;
        if copied != n {
            return Err(self.corrupt("truncated entry data"));
        }
        Ok(())
    }

    fn check_sum(&self, header: &tar::Header) -> Result<(), ArchiveError> {
        let bytes = header.as_bytes();
        let sum: u32 = bytes[..148]
            .iter()
            .chain(&bytes[156..])
            .map(|b| u32::from(*b))
            .sum::<u32>()
            + 8 * 32;
        match header.cksum() {
            Ok(c) if c == sum => Ok(()),
            _ => Err(self.corrupt("header checksum mismatch")),
        }
    }

    /// Reads a GNU long name/link or PAX header's data (padding included).
    fn read_ext(
        &mut self,
        header: &tar::Header,
        nul_terminated: bool,
    ) -> Result<Vec<u8>, ArchiveError> {
        let size = header
            .entry_size()
            .map_err(|e| self.corrupt(e.to_string()))?;
        if size > MAX_EXT {
            return Err(self.corrupt(format!("extension header of {size} bytes is too large")));
        }
        let mut data = vec![0u8; size as usize];
        self.remaining = size;
        let mut got = 0;
        while got < data.len() {
            got += self.read_data(&mut data[got..])?;
        }
        self.skip(padding(size))?;
        if nul_terminated {
            if let Some(end) = data.iter().position(|b| *b == 0) {
                data.truncate(end);
            }
        }
        Ok(data)
    }

    fn finish_entry(
        &mut self,
        header: &tar::Header,
        pending: Pending,
    ) -> Result<Entry, ArchiveError> {
        let pax = pending.pax.unwrap_or_default();
        let path = pax
            .path
            .or(pending.long_name)
            .unwrap_or_else(|| header.path_bytes().into_owned());
        let type_byte = header.entry_type().as_byte();
        let kind = match type_byte {
            b'\0' if path.ends_with(b"/") => Kind::Dir,
            b'0' | b'\0' | b'7' if !pax.sparse => Kind::File,
            b'1' => Kind::Hardlink,
            b'2' => Kind::Symlink,
            b'3' => Kind::Char,
            b'4' => Kind::Block,
            b'5' => Kind::Dir,
            b'6' => Kind::Fifo,
            _ => {
                let kind = if pax.sparse { b'S' } else { type_byte };
                return Err(ArchiveError::Unsupported {
                    path: bytes_path(&path),
                    kind,
                });
            }
        };
        let bad = |what: &str, e: io::Error| self.corrupt(format!("bad {what} field: {e}"));
        let size = match pax.size {
            Some(s) => s,
            None => header.entry_size().map_err(|e| bad("size", e))?,
        };
        let (dev_major, dev_minor) = if matches!(kind, Kind::Char | Kind::Block) {
            let major = header.device_major().map_err(|e| bad("devmajor", e))?;
            let minor = header.device_minor().map_err(|e| bad("devminor", e))?;
            (major.unwrap_or(0), minor.unwrap_or(0))
        } else {
            (0, 0)
        };
        let mtime = match pax.mtime {
            Some(t) => t,
            None => {
                let secs = header.mtime().map_err(|e| bad("mtime", e))?;
                Timestamp {
                    sec: i64::try_from(secs).unwrap_or(i64::MAX),
                    nsec: 0,
                }
            }
        };
        let link = pax
            .linkpath
            .or(pending.long_link)
            .or_else(|| header.link_name_bytes().map(|l| l.into_owned()))
            .unwrap_or_default();
        let entry = Entry {
            kind,
            path,
            link,
            mode: header.mode().map_err(|e| bad("mode", e))? & 0o7777,
            uid: match pax.uid {
                Some(u) => u,
                None => header.uid().map_err(|e| bad("uid", e))?,
            },
            gid: match pax.gid {
                Some(g) => g,
                None => header.gid().map_err(|e| bad("gid", e))?,
            },
            mtime,
            dev_major,
            dev_minor,
            xattrs: pax.xattrs,
        };
        self.remaining = size;
        self.padding = padding(size);
        Ok(entry)
    }
}

fn padding(size: u64) -> u64 {
    (BLOCK - size % BLOCK) % BLOCK
}

/// The raw name bytes as a path, for error messages.
pub fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// Parses PAX records `"<len> <key>=<value>\n"` by their length prefix.
fn parse_pax(mut data: &[u8], pax: &mut Pax) -> Result<(), String> {
    while !data.is_empty() {
        if data.iter().all(|b| *b == 0) {
            break; // some writers NUL-pad the record block
        }
        let space = data
            .iter()
            .position(|b| *b == b' ')
            .ok_or("PAX record without a length")?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("PAX record with a bad length")?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err("PAX record with a bad length".into());
        }
        let record = &data[space + 1..len - 1];
        let eq = record
            .iter()
            .position(|b| *b == b'=')
            .ok_or("PAX record without '='")?;
        apply_pax(pax, &record[..eq], &record[eq + 1..])?;
        data = &data[len..];
    }
    Ok(())
}

fn apply_pax(pax: &mut Pax, key: &[u8], value: &[u8]) -> Result<(), String> {
    let num = |v: &[u8]| -> Result<Option<u64>, String> {
        if v.is_empty() {
            return Ok(None);
        }
        let s = std::str::from_utf8(v).map_err(|_| "PAX number is not ASCII")?;
        s.parse()
            .map(Some)
            .map_err(|_| format!("bad PAX number {s:?}"))
    };
    let bytes = |v: &[u8]| (!v.is_empty()).then(|| v.to_vec());
    match key {
        b"path" => pax.path = bytes(value),
        b"linkpath" => pax.linkpath = bytes(value),
        b"size" => pax.size = num(value)?,
        b"uid" => pax.uid = num(value)?,
        b"gid" => pax.gid = num(value)?,
        b"mtime" => pax.mtime = parse_time(value)?,
        _ if key.starts_with(b"GNU.sparse.") => pax.sparse = true,
        _ => {
            if let Some(name) = key.strip_prefix(b"SCHILY.xattr.") {
                pax.xattrs.push((name.to_vec(), value.to_vec()));
            }
        }
    }
    Ok(())
}

/// Parses a PAX time `[-]SECONDS[.FRACTION]`.
fn parse_time(v: &[u8]) -> Result<Option<Timestamp>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let s = std::str::from_utf8(v).map_err(|_| "PAX mtime is not ASCII")?;
    let bad = || format!("bad PAX mtime {s:?}");
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut sec: i64 = whole.parse().map_err(|_| bad())?;
    let mut nsec: u32 = 0;
    for (i, d) in frac.bytes().take(9).enumerate() {
        nsec += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
    }
    if neg {
        sec = -sec;
        if nsec > 0 {
            sec -= 1;
            nsec = 1_000_000_000 - nsec;
        }
    }
    Ok(Some(Timestamp { sec, nsec }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_records_with_binary_values() {
        let mut data = Vec::new();
        for (k, v) in [
            (
                &b"SCHILY.xattr.security.capability"[..],
                &b"\x01\n\0\x02"[..],
            ),
            (b"path", b"a/b"),
            (b"size", b"7"),
            (b"mtime", b"1700000000.25"),
        ] {
            let body = [&b" "[..], k, b"=", v, b"\n"].concat();
            let mut len = body.len() + 1;
            while len.to_string().len() + body.len() != len {
                len += 1;
            }
            data.extend_from_slice(format!("{len}").as_bytes());
            data.extend_from_slice(&body);
        }
        let mut pax = Pax::default();
        parse_pax(&data, &mut pax).unwrap();
        assert_eq!(pax.path.as_deref(), Some(&b"a/b"[..]));
        assert_eq!(pax.size, Some(7));
        assert_eq!(
            pax.mtime,
            Some(Timestamp {
                sec: 1_700_000_000,
                nsec: 250_000_000
            })
        );
        assert_eq!(
            pax.xattrs,
            vec![(b"security.capability".to_vec(), b"\x01\n\0\x02".to_vec())]
        );
    }

    #[test]
    fn pax_time_negative_and_bad() {
        assert_eq!(
            parse_time(b"-1.5").unwrap(),
            Some(Timestamp {
                sec: -2,
                nsec: 500_000_000
            })
        );
        assert_eq!(
            parse_time(b"12").unwrap(),
            Some(Timestamp { sec: 12, nsec: 0 })
        );
        assert!(parse_time(b"1.x").is_err());
        assert!(parse_time(b".5").is_err());
    }

    #[test]
    fn bad_pax_length_is_corrupt() {
        assert!(parse_pax(b"99 path=x\n", &mut Pax::default()).is_err());
        assert!(parse_pax(b"path=x\n", &mut Pax::default()).is_err());
    }
}

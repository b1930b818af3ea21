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
use super::pax::{parse_pax, Pax};

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
        let kind = kind_of(header.entry_type().as_byte(), &path, pax.sparse)?;
        let bad = |what: &str, e: io::Error| self.corrupt(format!("bad {what} field: {e}"));
        let old = header.as_old();
        // Like GNU tar and Go, an empty (all NUL/space) numeric field means 0.
        let or_zero = |field: &[u8], v: io::Result<u64>| if blank(field) { Ok(0) } else { v };
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
                let secs = or_zero(&old.mtime, header.mtime()).map_err(|e| bad("mtime", e))?;
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
            mode: (or_zero(&old.mode, header.mode().map(u64::from)).map_err(|e| bad("mode", e))?
                & 0o7777) as u32,
            uid: match pax.uid {
                Some(u) => u,
                None => or_zero(&old.uid, header.uid()).map_err(|e| bad("uid", e))?,
            },
            gid: match pax.gid {
                Some(g) => g,
                None => or_zero(&old.gid, header.gid()).map_err(|e| bad("gid", e))?,
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

/// What a typeflag creates; sparse and exotic types are unsupported.
fn kind_of(type_byte: u8, path: &[u8], sparse: bool) -> Result<Kind, ArchiveError> {
    Ok(match type_byte {
        // Pre-POSIX tars mark directories with a trailing slash only.
        b'\0' if path.ends_with(b"/") => Kind::Dir,
        b'0' | b'\0' | b'7' if !sparse => Kind::File,
        b'1' => Kind::Hardlink,
        b'2' => Kind::Symlink,
        b'3' => Kind::Char,
        b'4' => Kind::Block,
        b'5' => Kind::Dir,
        b'6' => Kind::Fifo,
        _ => {
            let kind = if sparse { b'S' } else { type_byte };
            return Err(ArchiveError::Unsupported {
                path: bytes_path(path),
                kind,
            });
        }
    })
}

fn blank(field: &[u8]) -> bool {
    field.iter().all(|b| *b == 0 || *b == b' ')
}

fn padding(size: u64) -> u64 {
    (BLOCK - size % BLOCK) % BLOCK
}

/// The raw name bytes as a path, for error messages.
pub fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

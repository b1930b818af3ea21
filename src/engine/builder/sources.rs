//! Where ADD's sources come from besides plain files: local tar archives (plain,
//! gzip, bzip2, xz, zstd; recognised by magic number, and only when they hold a
//! tar) and URLs (`--checksum` verified).

use std::io::Read;
use std::path::Path;

use crate::oci::Digest;

/// A local file as a tar stream, when it is an archive ADD unpacks: a tar, plain
/// or compressed with gzip, bzip2, xz or zstd (recognised by their magic numbers,
/// and only if what they hold is a tar).
pub fn open_archive(path: &Path) -> Result<Option<Box<dyn Read>>, String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut probe = match decoder(path)? {
        Some(r) => r,
        None => return Ok(None),
    };
    let mut head = [0u8; 512];
    let n = read_full(&mut probe, &mut head).map_err(err)?;
    if n >= 262 && &head[257..262] == b"ustar" {
        Ok(decoder(path)?)
    } else {
        Ok(None)
    }
}

/// The decompressed content of `path` by its magic number; the file itself when it
/// is uncompressed; `None` for an empty file.
fn decoder(path: &Path) -> Result<Option<Box<dyn Read>>, String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut magic = [0u8; 6];
    let n = read_full(&mut std::fs::File::open(path).map_err(err)?, &mut magic).map_err(err)?;
    if n == 0 {
        return Ok(None);
    }
    let f = std::io::BufReader::new(std::fs::File::open(path).map_err(err)?);
    let r: Box<dyn Read> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(f))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::new(f.into_inner()).map_err(err)?)
    } else if magic.starts_with(b"BZh") {
        Box::new(bzip2::read::MultiBzDecoder::new(f))
    } else if magic == [0xfd, b'7', b'z', b'X', b'Z', 0] {
        let mut out = Vec::new();
        let mut input = f;
        lzma_rs::xz_decompress(&mut input, &mut out)
            .map_err(|e| format!("{}: xz: {e:?}", path.display()))?;
        Box::new(std::io::Cursor::new(out))
    } else {
        Box::new(f)
    };
    Ok(Some(r))
}

fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// GET `url`, verifying `checksum` (`sha256:…`) when given.
pub fn fetch(url: &str, checksum: Option<&str>) -> Result<Vec<u8>, String> {
    let resp = ureq::get(url)
        .call()
        .map_err(|e| format!("ADD {url}: {e}"))?;
    let mut body = Vec::new();
    resp.into_reader()
        .take(1 << 32)
        .read_to_end(&mut body)
        .map_err(|e| format!("ADD {url}: {e}"))?;
    if let Some(want) = checksum {
        let got = Digest::of(&body).to_string();
        if got != want {
            return Err(format!(
                "ADD {url}: checksum mismatch: expected {want}, got {got}"
            ));
        }
    }
    Ok(body)
}

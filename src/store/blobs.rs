//! Blobs by digest under `blobs/sha256/<hex>`. A blob is written in temp space,
//! hashed as it is written, and renamed to its digest name only when the digest (and
//! size, when known) match: a blob file's name is always the hash of its content.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest as _, Sha256};

use super::{io_err, Store, StoreError};
use crate::oci::Digest;

/// Streams a blob into temp space; [`BlobWriter::commit`] verifies and names it.
pub struct BlobWriter {
    path: PathBuf,
    file: File,
    hasher: Sha256,
    count: u64,
}

impl Write for BlobWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl BlobWriter {
    /// Bytes written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The digest of what was written so far.
    pub fn digest(&self) -> Digest {
        Digest::from_hasher(self.hasher.clone())
    }

    /// The temp file being written (to read it back before commit).
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Verify the content against `expected` (and `size` if given), then move it
    /// into place. On mismatch the temp file is removed and nothing is stored.
    pub fn commit(
        self,
        store: &Store,
        expected: &Digest,
        size: Option<u64>,
    ) -> Result<(), StoreError> {
        let actual = Digest::from_hasher(self.hasher);
        let result = if &actual != expected {
            Err(StoreError::DigestMismatch {
                digest: expected.clone(),
                actual,
                size: self.count,
            })
        } else if size.is_some_and(|s| s != self.count) {
            Err(StoreError::SizeMismatch {
                digest: expected.clone(),
                expected: size.unwrap_or_default(),
                actual: self.count,
            })
        } else {
            self.file.sync_all().map_err(io_err("syncing", &self.path))
        };
        if let Err(e) = result {
            let _ = std::fs::remove_file(&self.path);
            return Err(e);
        }
        let dest = store.blob_path(expected);
        std::fs::rename(&self.path, &dest).map_err(io_err("renaming into place", &dest))?;
        super::atomic::sync_parent(&dest)
    }
}

impl Store {
    /// Where the blob with `digest` lives.
    pub fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.root.join("blobs/sha256").join(digest.hex())
    }

    /// Whether the blob is present.
    pub fn has_blob(&self, digest: &Digest) -> bool {
        self.blob_path(digest).is_file()
    }

    /// Start writing a blob.
    pub fn blob_writer(&self) -> Result<BlobWriter, StoreError> {
        let path = self.temp_dir("blob")?;
        let file = File::create(&path).map_err(io_err("creating", &path))?;
        Ok(BlobWriter {
            path,
            file,
            hasher: Sha256::new(),
            count: 0,
        })
    }

    /// Where a partial download of `digest` is kept between pulls. Only the holder
    /// of the blob's layer lock writes it.
    pub fn partial_blob_path(&self, digest: &Digest) -> PathBuf {
        self.root.join("blobs/partial").join(digest.hex())
    }

    /// A writer that continues the partial download of `digest` (created empty when
    /// there is none); returns it and how many bytes were already there, which it
    /// has hashed. A partial that turns out wrong is removed at commit.
    pub fn resume_blob_writer(&self, digest: &Digest) -> Result<(BlobWriter, u64), StoreError> {
        let path = self.partial_blob_path(digest);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_err("creating", dir))?;
        }
        let mut hasher = Sha256::new();
        let mut count = 0u64;
        if let Ok(mut f) = File::open(&path) {
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = std::io::Read::read(&mut f, &mut buf).map_err(io_err("reading", &path))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                count += n as u64;
            }
        }
        let file = File::options()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_err("opening", &path))?;
        Ok((
            BlobWriter {
                path,
                file,
                hasher,
                count,
            },
            count,
        ))
    }

    /// Store `data`, which must hash to `expected`.
    pub fn put_blob_verified(&self, data: &[u8], expected: &Digest) -> Result<(), StoreError> {
        if self.has_blob(expected) {
            return Ok(());
        }
        let mut w = self.blob_writer()?;
        w.write_all(data).map_err(io_err("writing blob", &w.path))?;
        w.commit(self, expected, Some(data.len() as u64))
    }

    /// Store `data` under its own digest.
    pub fn put_blob(&self, data: &[u8]) -> Result<Digest, StoreError> {
        let d = Digest::of(data);
        self.put_blob_verified(data, &d)?;
        Ok(d)
    }

    /// Read a whole (small) blob and verify it still matches its name.
    pub fn read_blob(&self, digest: &Digest) -> Result<Vec<u8>, StoreError> {
        let path = self.blob_path(digest);
        let data = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::MissingBlob(digest.clone()))
            }
            other => other.map_err(io_err("reading", &path))?,
        };
        let actual = Digest::of(&data);
        if &actual != digest {
            return Err(StoreError::DigestMismatch {
                digest: digest.clone(),
                actual,
                size: data.len() as u64,
            });
        }
        Ok(data)
    }

    /// Every blob digest in the store.
    pub fn list_blobs(&self) -> Result<Vec<Digest>, StoreError> {
        let dir = self.root.join("blobs/sha256");
        let entries = std::fs::read_dir(&dir).map_err(io_err("listing", &dir))?;
        Ok(entries
            .flatten()
            .filter_map(|e| Digest::from_hex(&e.file_name().to_string_lossy()).ok())
            .collect())
    }

    /// Remove a blob (garbage collection only).
    pub(crate) fn remove_blob(&self, digest: &Digest) -> Result<(), StoreError> {
        let p = self.blob_path(digest);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err("removing", &p)(e)),
            _ => Ok(()),
        }
    }
}

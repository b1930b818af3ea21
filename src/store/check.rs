//! `system check`: verify the store. Every blob hashes to its name, every image
//! record's blobs and layers exist, every name points at a record, and no temp
//! space is left by a dead process.

use std::fs::File;
use std::io::Read;

use sha2::{Digest as _, Sha256};

use super::{Store, StoreError};
use crate::oci::Digest;

/// One thing wrong with the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    CorruptBlob(Digest),
    MissingBlob { image: Digest, blob: Digest },
    MissingLayer { image: Digest, layer: Digest },
    DanglingName { name: String, image: Digest },
    LeftoverTemp(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::CorruptBlob(d) => write!(f, "blob {d} does not match its content"),
            Problem::MissingBlob { image, blob } => {
                write!(f, "image {} needs missing blob {blob}", image.short())
            }
            Problem::MissingLayer { image, layer } => {
                write!(f, "image {} needs missing layer {layer}", image.short())
            }
            Problem::DanglingName { name, image } => {
                write!(f, "name {name} points at missing image {}", image.short())
            }
            Problem::LeftoverTemp(p) => write!(f, "temp space {p} left by a dead process"),
        }
    }
}

fn hash_file(path: &std::path::Path) -> std::io::Result<Digest> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(Digest::from_hasher(h))
}

impl Store {
    /// Check the whole store; an empty list means it is clean.
    pub fn check(&self) -> Result<Vec<Problem>, StoreError> {
        let mut problems = Vec::new();
        for d in self.list_blobs()? {
            match hash_file(&self.blob_path(&d)) {
                Ok(actual) if actual == d => {}
                _ => problems.push(Problem::CorruptBlob(d)),
            }
        }
        let images = self.list_images()?;
        for img in &images {
            for b in img.blobs() {
                if !self.has_blob(b) {
                    problems.push(Problem::MissingBlob {
                        image: img.id.clone(),
                        blob: b.clone(),
                    });
                }
            }
            for l in &img.layers {
                if !self.has_layer(&l.diff_id) {
                    problems.push(Problem::MissingLayer {
                        image: img.id.clone(),
                        layer: l.diff_id.clone(),
                    });
                }
            }
        }
        for (name, id) in self.list_names()? {
            if !images.iter().any(|i| i.id == id) {
                problems.push(Problem::DanglingName {
                    name: name.to_string(),
                    image: id,
                });
            }
        }
        problems.extend(self.dead_temps().into_iter().map(Problem::LeftoverTemp));
        Ok(problems)
    }

    /// Temp areas whose owner died and that a sweep has not removed yet.
    fn dead_temps(&self) -> Vec<String> {
        let tmp = self.dir("tmp");
        let Ok(entries) = std::fs::read_dir(&tmp) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let owner = name.strip_suffix(".lock")?;
                let file = File::open(e.path()).ok()?;
                nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock)
                    .ok()
                    .map(|_| owner.to_string())
            })
            .collect()
    }
}

//! `push`: send a local image to a registry. Blobs go first (config and layers, in
//! parallel), each skipped when the registry has it and mounted when the image came
//! from (or went to) another repository on the same registry; the manifest goes
//! last. Then the pushed `repository@digest` joins the image record's RepoDigests.
//!
//! Blobs are sent from the store as they are: no recompression, so the pushed layer
//! digests are the stored ones. A push killed at any moment leaves the store as it
//! was and the registry with, at worst, some complete blobs and an abandoned upload;
//! running it again skips what arrived and finishes.

use super::resolve::resolve;
use super::{Engine, EngineError};
use crate::oci::convert::{self, ManifestFormat};
use crate::oci::{Digest, Reference};
use crate::registry::push::BlobSource;
use crate::registry::{BlobPush, Client, ManifestRef, RegistryOptions};

/// How many blobs upload at once.
const PARALLEL_BLOBS: usize = 3;

/// Progress callbacks; the cli draws bars or lines.
pub trait PushProgress: Sync {
    fn blob_start(&self, _blob: &Digest, _size: u64) {}
    fn blob_bytes(&self, _blob: &Digest, _bytes: u64) {}
    fn blob_done(&self, _blob: &Digest, _how: BlobPush) {}
    /// The image config is up (it gets no blob_start/blob_done).
    fn config_done(&self, _config: &Digest, _how: BlobPush) {}
    fn writing_manifest(&self) {}
}

/// Push options.
pub struct PushOptions {
    pub registry: RegistryOptions,
    /// `None`: Docker schema 2, unless a layer needs OCI (zstd), then OCI.
    pub format: Option<ManifestFormat>,
    /// Blobs larger than this go up in chunks of this size; `None`: monolithic.
    pub chunk_size: Option<u64>,
}

/// What was pushed.
pub struct Pushed {
    pub destination: Reference,
    pub digest: Digest,
    pub media_type: &'static str,
}

/// Push local image `source` to `destination` (default: the name `source` names).
pub fn push(
    engine: &Engine,
    source: &str,
    destination: Option<&str>,
    opts: &PushOptions,
    progress: &dyn PushProgress,
) -> Result<Pushed, EngineError> {
    let store = &engine.store;
    let found = resolve(engine, source)?;
    let record = found.record;
    let dest = destination_ref(source, destination, found.name)?;
    let (manifest, format) = manifest_for(engine, &record, &dest, opts.format)?;
    let mount_from = mount_sources(&record.repo_digests, &dest);
    let client = Client::for_push(&dest, &engine.registry_options(&opts.registry), &mount_from)?;
    // The config first: push_blobs tells it apart by its place.
    let mut blobs: Vec<(Digest, u64)> = vec![(record.id.clone(), record.config_size)];
    blobs.extend(
        record
            .layers
            .iter()
            .map(|l| (l.blob.clone(), l.compressed_size)),
    );
    for (d, _) in &blobs {
        if !store.has_blob(d) {
            return Err(crate::store::StoreError::MissingBlob(d.clone()).into());
        }
    }
    push_blobs(
        engine,
        &client,
        &blobs,
        mount_from.first().map(String::as_str),
        opts,
        progress,
    )?;
    progress.writing_manifest();
    let target = match dest.digest() {
        Some(d) => ManifestRef::Digest(d.clone()),
        None => ManifestRef::Tag(dest.tag().unwrap_or("latest").to_string()),
    };
    let pushed = client.put_manifest(&target, format.media_type(), &manifest)?;
    record_repo_digest(
        engine,
        &record.id,
        &format!("{}@{pushed}", dest.repository()),
    )?;
    Ok(Pushed {
        destination: dest,
        digest: pushed,
        media_type: format.media_type(),
    })
}

/// The manifest to push in the chosen format, and the format; a digest
/// in the destination must match.
fn manifest_for(
    engine: &Engine,
    record: &crate::store::ImageRecord,
    dest: &Reference,
    format: Option<ManifestFormat>,
) -> Result<(Vec<u8>, ManifestFormat), EngineError> {
    let store = &engine.store;
    let stored =
        std::fs::read(store.blob_path(&record.manifest)).map_err(|e| EngineError::CopyFile {
            path: store.blob_path(&record.manifest),
            source: e,
        })?;
    let format = match format {
        Some(f) => f,
        None if convert::fits(&stored, ManifestFormat::V2s2) => ManifestFormat::V2s2,
        None => ManifestFormat::Oci,
    };
    let manifest = convert::convert(&stored, &record.manifest_media_type, format)?;
    let digest = Digest::of(&manifest);
    if let Some(want) = dest.digest() {
        if *want != digest {
            return Err(EngineError::PushDigest {
                dest: Box::new(dest.clone()),
                digest,
                wanted: want.clone(),
            });
        }
    }
    Ok((manifest, format))
}

/// The reference to push to: `destination` (a `docker://` prefix allowed), else
/// the name the image was found by, else `source` itself when it is a name.
fn destination_ref(
    source: &str,
    destination: Option<&str>,
    found_name: Option<Reference>,
) -> Result<Reference, EngineError> {
    if let Some(d) = destination {
        let d = d.strip_prefix("docker://").unwrap_or(d);
        return Ok(d.parse()?);
    }
    if let Some(n) = found_name {
        return Ok(n);
    }
    let looks_like_id = source.strip_prefix("sha256:").unwrap_or(source).len() >= 3
        && source
            .strip_prefix("sha256:")
            .unwrap_or(source)
            .bytes()
            .all(|b| b.is_ascii_hexdigit());
    if looks_like_id {
        return Err(EngineError::IdNeedsDestination(source.to_string()));
    }
    Ok(source.parse()?)
}

/// Repositories on `dest`'s registry (other than `dest`'s own) that hold this image.
fn mount_sources(repo_digests: &[String], dest: &Reference) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rd in repo_digests {
        let Ok(r) = rd.parse::<Reference>() else {
            continue;
        };
        if r.domain() == dest.domain()
            && r.path() != dest.path()
            && !out.iter().any(|p| p == r.path())
        {
            out.push(r.path().to_string());
        }
    }
    out
}

fn push_blobs(
    engine: &Engine,
    client: &Client,
    blobs: &[(Digest, u64)],
    mount_from: Option<&str>,
    opts: &PushOptions,
    progress: &dyn PushProgress,
) -> Result<(), EngineError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<EngineError>> = std::sync::Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..PARALLEL_BLOBS.min(blobs.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((digest, size)) = blobs.get(i) else {
                    break;
                };
                let path = engine.store.blob_path(digest);
                let src = BlobSource {
                    digest,
                    size: *size,
                    path: &path,
                    mount_from,
                };
                // The first is the config (see `push`), which is told apart.
                let config = i == 0;
                if !config {
                    progress.blob_start(digest, *size);
                }
                let bytes = |n: u64| {
                    if !config {
                        progress.blob_bytes(digest, n);
                    }
                };
                match client.push_blob(&src, opts.chunk_size, &bytes) {
                    Ok(how) if config => progress.config_done(digest, how),
                    Ok(how) => progress.blob_done(digest, how),
                    Err(e) => {
                        if let Ok(mut f) = failed.lock() {
                            f.get_or_insert(e.into());
                        }
                        next.store(blobs.len(), std::sync::atomic::Ordering::SeqCst);
                        break;
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Add `repo_digest` to image `id`'s record (re-read now, written atomically).
fn record_repo_digest(engine: &Engine, id: &Digest, repo_digest: &str) -> Result<(), EngineError> {
    let _lock = engine.store.lock_shared()?;
    let Some(mut record) = engine.store.get_image(id)? else {
        return Ok(());
    };
    if !record.repo_digests.iter().any(|d| d == repo_digest) {
        record.repo_digests.push(repo_digest.to_string());
        engine.store.put_image(&record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_sources_on_the_same_registry_only() {
        let dest: Reference = "localhost:5000/new:1".parse().unwrap();
        let d = "sha256:".to_string() + &"a".repeat(64);
        let rds = vec![
            format!("localhost:5000/old@{d}"),
            format!("localhost:5000/new@{d}"),
            format!("quay.io/x/y@{d}"),
            format!("localhost:5000/old@{d}"),
        ];
        assert_eq!(mount_sources(&rds, &dest), vec!["old".to_string()]);
    }

    #[test]
    fn destinations() {
        let r = destination_ref("x", Some("docker://localhost:5000/a:b"), None).unwrap();
        assert_eq!(r.to_string(), "localhost:5000/a:b");
        assert!(destination_ref("abcdef123", None, None).is_err());
        let r = destination_ref("localhost:5000/q", None, None).unwrap();
        assert_eq!(r.path(), "q");
    }
}

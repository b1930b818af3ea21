//! `pull`: fetch an image from a registry into the store.
//!
//! Layers are fetched in parallel; each is unpacked while it streams in (download
//! thread: network -> blob file + channel; unpack thread: channel -> decompress ->
//! hash -> untar), so there is no second pass over the blob. A layer or blob already
//! complete in the store is not fetched again, so a pull interrupted at any moment
//! resumes from the layers it finished. The image record and its name are written
//! last, after everything they name is stored.

use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use serde::Deserialize;

use super::{now_secs, Engine, EngineError};
use crate::archive::{self, UnpackOptions};
use crate::oci::manifest::{looks_like_index, Descriptor, Index, Manifest};
use crate::oci::media::{self, Compression};
use crate::oci::{Digest, HashingReader, ImageConfig, Ordered, Platform, Reference};

/// Why a config without `rootfs` is refused (the words serde used before).
pub(super) const NO_ROOTFS: &str = "missing field `rootfs`";
use crate::registry::{Client, ManifestRef, RegistryOptions};
use crate::store::{ImageRecord, LayerRecord};

/// How many layers download at once.
const PARALLEL_LAYERS: usize = 3;
const CHUNK: usize = 256 * 1024;

/// Progress callbacks; the cli draws bars or lines.
pub trait PullProgress: Sync {
    fn resolved(&self, _reference: &Reference, _manifest: &Digest) {}
    fn layer_start(&self, _blob: &Digest, _size: u64) {}
    fn layer_bytes(&self, _blob: &Digest, _bytes: u64) {}
    fn layer_done(&self, _blob: &Digest, _skipped: bool) {}
    fn config_done(&self, _config: &Digest) {}
    fn writing_manifest(&self) {}
    /// A short name matched several images: `picked` is used, `others` are not.
    fn short_name_picked(&self, _input: &str, _picked: &Reference, _others: &[Reference]) {}
    /// The image pulled is for another platform than the one asked for.
    fn platform_mismatch(&self, _image: &Platform, _wanted: &Platform) {}
}

/// Pull options.
#[derive(Default)]
pub struct PullOptions {
    pub platform: Option<Platform>,
    pub registry: RegistryOptions,
}

/// Pull `reference` and return the image record.
pub fn pull(
    engine: &Engine,
    reference: &Reference,
    opts: &PullOptions,
    progress: &dyn PullProgress,
) -> Result<ImageRecord, EngineError> {
    let store = &engine.store;
    let client = Client::new(reference, &engine.registry_options(&opts.registry))?;
    let wanted = match reference.digest() {
        Some(d) => ManifestRef::Digest(d.clone()),
        None => ManifestRef::Tag(reference.tag().unwrap_or("latest").to_string()),
    };
    let mut fetched = client.get_manifest(&wanted)?;
    let mut index = None;
    if looks_like_index(&fetched.media_type, &fetched.bytes) {
        let idx = Index::parse(&fetched.bytes)?;
        let platform = opts.platform.clone().unwrap_or_else(Platform::host);
        let chosen = idx.select(&platform)?.digest.clone();
        index = Some(fetched);
        fetched = client.get_manifest(&ManifestRef::Digest(chosen))?;
    }
    if looks_like_index(&fetched.media_type, &fetched.bytes) {
        return Err(
            crate::oci::manifest::ManifestError::UnsupportedType(fetched.media_type).into(),
        );
    }
    progress.resolved(reference, &fetched.digest);
    let manifest = Manifest::parse(&fetched.bytes)?;

    let config_bytes = client.get_blob(&manifest.config.digest)?;
    let bad = |reason: String| EngineError::BadConfig {
        digest: manifest.config.digest.clone(),
        reason,
    };
    let config = Ordered::<ImageConfig>::parse(&config_bytes).map_err(|e| bad(e.to_string()))?;
    let diff_ids = config.diff_ids().ok_or_else(|| bad(NO_ROOTFS.into()))?;
    // A single-platform image asked for another platform: Podman warns and
    // keeps it (Docker fails); skiff warns, as Podman.
    if let (Some(wanted), Some(got)) = (&opts.platform, config.platform()) {
        if !wanted.matches(&got.os, &got.architecture, got.variant.as_deref()) {
            progress.platform_mismatch(&got, wanted);
        }
    }
    if diff_ids.len() != manifest.layers.len() {
        return Err(EngineError::LayerCountMismatch {
            layers: manifest.layers.len(),
            diff_ids: diff_ids.len(),
        });
    }

    let _lock = store.lock_shared()?;
    let layers = fetch_layers(engine, &client, &manifest.layers, diff_ids, progress)?;

    store.put_blob_verified(&config_bytes, &manifest.config.digest)?;
    progress.config_done(&manifest.config.digest);
    progress.writing_manifest();
    store.put_blob_verified(&fetched.bytes, &fetched.digest)?;
    if let Some(idx) = &index {
        store.put_blob_verified(&idx.bytes, &idx.digest)?;
    }
    let repo = reference.repository();
    let repo_digests: Vec<String> = index
        .iter()
        .map(|i| &i.digest)
        .chain([&fetched.digest])
        .map(|d| format!("{repo}@{d}"))
        .collect();
    let record = ImageRecord {
        id: manifest.config.digest.clone(),
        manifest: fetched.digest.clone(),
        manifest_media_type: fetched.media_type.clone(),
        index: index.map(|i| i.digest),
        config_size: config_bytes.len() as u64,
        layers,
        repo_digests,
        added: now_secs(),
    };
    let record = store.put_image_merged(record)?;
    if let Some(name) = super::tagged(reference) {
        store.set_name(&name, &record.id)?;
    }
    Ok(record)
}

fn fetch_layers(
    engine: &Engine,
    client: &Client,
    descs: &[Descriptor],
    diff_ids: &[Digest],
    progress: &dyn PullProgress,
) -> Result<Vec<LayerRecord>, EngineError> {
    let jobs: Vec<(usize, &Descriptor, &Digest)> = descs
        .iter()
        .zip(diff_ids)
        .enumerate()
        .map(|(i, (d, id))| (i, d, id))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<Result<LayerRecord, EngineError>>>> =
        std::sync::Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL_LAYERS.min(jobs.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((idx, desc, diff_id)) = jobs.get(i) else {
                    break;
                };
                let r = fetch_layer(engine, client, desc, diff_id, progress);
                let failed = r.is_err();
                if let Ok(mut res) = results.lock() {
                    res[*idx] = Some(r);
                }
                if failed {
                    // Stop handing out new layers; running ones finish.
                    next.store(jobs.len(), std::sync::atomic::Ordering::SeqCst);
                    break;
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Some(r) => out.push(r?),
            None => return Err(EngineError::EarlierLayerFailed),
        }
    }
    Ok(out)
}

/// Layer metadata kept beside the unpacked tree.
#[derive(serde::Serialize, Deserialize)]
struct LayerMeta {
    size: u64,
}

fn fetch_layer(
    engine: &Engine,
    client: &Client,
    desc: &Descriptor,
    diff_id: &Digest,
    progress: &dyn PullProgress,
) -> Result<LayerRecord, EngineError> {
    let store = &engine.store;
    let compression = match media::layer_compression(&desc.media_type) {
        Some(c) => Some(c),
        None if desc.media_type.is_empty() || desc.media_type == "application/octet-stream" => None,
        None => return Err(EngineError::UnsupportedLayer(desc.media_type.clone())),
    };
    let record = |size| LayerRecord {
        diff_id: diff_id.clone(),
        blob: desc.digest.clone(),
        media_type: desc.media_type.clone(),
        compressed_size: desc.size,
        size,
    };
    progress.layer_start(&desc.digest, desc.size);
    if let (true, Some(size)) = (store.has_blob(&desc.digest), layer_size(engine, diff_id)) {
        progress.layer_done(&desc.digest, true);
        return Ok(record(size));
    }
    let _layer_lock = store.lock_layer(diff_id)?;
    if let Some(size) = layer_size(engine, diff_id) {
        if !store.has_blob(&desc.digest) {
            download_blob_only(engine, client, desc, progress)?;
        }
        progress.layer_done(&desc.digest, true);
        return Ok(record(size));
    }
    let size = if store.has_blob(&desc.digest) {
        let path = store.blob_path(&desc.digest);
        let file = std::fs::File::open(&path).map_err(|e| crate::store::StoreError::Io {
            step: "opening",
            path,
            source: e,
        })?;
        let (tmp_dir, size) = unpack_stream(engine, file, compression, desc, diff_id)?;
        engine.store.commit_layer(&tmp_dir, diff_id)?;
        size
    } else {
        stream_and_unpack(engine, client, desc, diff_id, compression, progress)?
    };
    progress.layer_done(&desc.digest, false);
    Ok(record(size))
}

/// Size of an unpacked layer already in the store, if it is there.
pub(crate) fn layer_size(engine: &Engine, diff_id: &Digest) -> Option<u64> {
    if !engine.store.has_layer(diff_id) {
        return None;
    }
    let meta = std::fs::read(engine.store.layer_dir(diff_id).join("meta.json")).ok()?;
    serde_json::from_slice::<LayerMeta>(&meta)
        .ok()
        .map(|m| m.size)
}

fn download_blob_only(
    engine: &Engine,
    client: &Client,
    desc: &Descriptor,
    progress: &dyn PullProgress,
) -> Result<(), EngineError> {
    let (mut reader, _) = client.open_blob(&desc.digest, 0)?;
    let mut w = engine.store.blob_writer()?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut buf).map_err(|e| stream_err(desc, e))?;
        if n == 0 {
            break;
        }
        std::io::Write::write_all(&mut w, &buf[..n]).map_err(|e| stream_err(desc, e))?;
        progress.layer_bytes(&desc.digest, n as u64);
    }
    w.commit(&engine.store, &desc.digest, Some(desc.size))?;
    Ok(())
}

fn stream_err(desc: &Descriptor, e: std::io::Error) -> EngineError {
    EngineError::LayerStream {
        digest: desc.digest.clone(),
        reason: e.to_string(),
    }
}

/// Download the blob on one thread (to the blob file and a channel) while this
/// thread decompresses, hashes and unpacks from the channel.
fn stream_and_unpack(
    engine: &Engine,
    client: &Client,
    desc: &Descriptor,
    diff_id: &Digest,
    compression: Option<Compression>,
    progress: &dyn PullProgress,
) -> Result<u64, EngineError> {
    // A download an earlier pull left half done continues where it stopped; the
    // bytes already on disk are unpacked from the file, the rest as it arrives.
    let (mut writer, have) = engine.store.resume_blob_writer(&desc.digest)?;
    let mut reader: Box<dyn Read + Send> = if have >= desc.size {
        Box::new(std::io::empty())
    } else {
        client.open_blob(&desc.digest, have)?.0
    };
    let head = std::fs::File::open(engine.store.partial_blob_path(&desc.digest))
        .map_err(|e| stream_err(desc, e))?
        .take(have);
    let (tx, rx) = sync_channel::<std::io::Result<Vec<u8>>>(32);
    std::thread::scope(|s| {
        let downloader = s.spawn(move || -> Result<bool, EngineError> {
            match copy_to_channel(&mut reader, &mut writer, &tx, desc, progress) {
                Err(e) => {
                    let _ = tx.send(Err(std::io::Error::other(e.to_string())));
                    Err(e)
                }
                // The unpacker stopped early; its own error tells why.
                Ok(false) => Ok(false),
                Ok(true) => {
                    drop(tx);
                    writer.commit(&engine.store, &desc.digest, Some(desc.size))?;
                    Ok(true)
                }
            }
        });
        let unpacked = unpack_stream(
            engine,
            head.chain(ChannelReader::new(rx)),
            compression,
            desc,
            diff_id,
        );
        let downloaded = downloader.join().unwrap_or_else(|_| {
            Err(EngineError::PullStopped(
                desc.digest.clone(),
                "download thread panicked",
            ))
        });
        // The download error explains an unpack failure better than the reverse.
        let complete = downloaded?;
        let (tmp_dir, size) = unpacked?;
        if !complete {
            return Err(EngineError::PullStopped(
                desc.digest.clone(),
                "unpacking stopped early",
            ));
        }
        // Only a verified blob's layer gets its name.
        engine.store.commit_layer(&tmp_dir, diff_id)?;
        Ok(size)
    })
}

fn copy_to_channel(
    reader: &mut dyn Read,
    writer: &mut crate::store::BlobWriter,
    tx: &SyncSender<std::io::Result<Vec<u8>>>,
    desc: &Descriptor,
    progress: &dyn PullProgress,
) -> Result<bool, EngineError> {
    loop {
        let mut buf = vec![0u8; CHUNK];
        let n = reader.read(&mut buf).map_err(|e| stream_err(desc, e))?;
        if n == 0 {
            return Ok(true);
        }
        if writer.count() + n as u64 > desc.size {
            return Err(EngineError::LayerStream {
                digest: desc.digest.clone(),
                reason: format!(
                    "registry sent more than the {} bytes the manifest declares",
                    desc.size
                ),
            });
        }
        buf.truncate(n);
        std::io::Write::write_all(writer, &buf).map_err(|e| stream_err(desc, e))?;
        progress.layer_bytes(&desc.digest, n as u64);
        if tx.send(Ok(buf)).is_err() {
            return Ok(false);
        }
    }
}

/// `input` decompressed as `compression` says (sniffed from the first bytes when
/// `None`). Shared by pull, load and import.
pub(crate) fn decompressed<'a, R: Read + 'a>(
    input: R,
    compression: Option<Compression>,
) -> std::io::Result<Box<dyn Read + 'a>> {
    let mut input = std::io::BufReader::with_capacity(CHUNK, input);
    let compression = match compression {
        Some(c) => c,
        None => media::sniff_compression(std::io::BufRead::fill_buf(&mut input)?),
    };
    Ok(match compression {
        Compression::None => Box::new(input),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
    })
}

/// A layer unpacked into temp space by [`unpack_layer_stream`].
pub(crate) struct UnpackedLayer {
    /// The temp layer dir, for [`crate::store::Store::commit_layer`].
    pub tmp_dir: std::path::PathBuf,
    /// Digest of the uncompressed tar.
    pub diff_id: Digest,
    /// Size of the uncompressed tar.
    pub size: u64,
}

/// Decompress, hash and unpack `input` (the content of blob `blob`) into a new temp
/// layer; when `expected` is given, the uncompressed digest must match it.
pub(crate) fn unpack_layer_stream<R: Read>(
    engine: &Engine,
    input: R,
    compression: Option<Compression>,
    blob: &Digest,
    expected: Option<&Digest>,
) -> Result<UnpackedLayer, EngineError> {
    let io_err = |e: std::io::Error| EngineError::LayerStream {
        digest: blob.clone(),
        reason: e.to_string(),
    };
    let mut hashing = HashingReader::new(decompressed(input, compression).map_err(io_err)?);
    let (tmp_dir, diff) = engine.store.new_layer_dir()?;
    let opts = UnpackOptions {
        ids: engine.id_policy(),
    };
    archive::unpack_layer(&mut hashing, &diff, &opts).map_err(|source| EngineError::Unpack {
        digest: blob.clone(),
        source,
    })?;
    let (actual, size) = hashing.finish();
    if let Some(want) = expected.filter(|w| **w != actual) {
        return Err(EngineError::DiffIdMismatch {
            digest: blob.clone(),
            expected: want.clone(),
            actual,
        });
    }
    let meta = serde_json::to_vec(&LayerMeta { size }).unwrap_or_default();
    let meta_path = tmp_dir.join("meta.json");
    std::fs::write(&meta_path, meta).map_err(|e| crate::store::StoreError::Io {
        step: "writing",
        path: meta_path,
        source: e,
    })?;
    Ok(UnpackedLayer {
        tmp_dir,
        diff_id: actual,
        size,
    })
}

/// [`unpack_layer_stream`] for a pulled layer: returns the temp dir and size.
fn unpack_stream<R: Read>(
    engine: &Engine,
    input: R,
    compression: Option<Compression>,
    desc: &Descriptor,
    diff_id: &Digest,
) -> Result<(std::path::PathBuf, u64), EngineError> {
    let l = unpack_layer_stream(engine, input, compression, &desc.digest, Some(diff_id))?;
    Ok((l.tmp_dir, l.size))
}

/// A `Read` over chunks arriving on a channel; an `Err` chunk is a download error.
struct ChannelReader {
    rx: Receiver<std::io::Result<Vec<u8>>>,
    buf: Vec<u8>,
    pos: usize,
}

impl ChannelReader {
    fn new(rx: Receiver<std::io::Result<Vec<u8>>>) -> Self {
        ChannelReader {
            rx,
            buf: Vec::new(),
            pos: 0,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.buf = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

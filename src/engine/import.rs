//! `import`: a one-layer image from a tarball (a file, a URL or stdin; gzip- or
//! zstd-compressed or not), its config built from `--change` instructions and a
//! history entry carrying the message.
//!
//! The tarball is spooled into the store's temp space as a blob (hashed as it is
//! written) and kept as it came, so the layer blob is the input's bytes; then it
//! is decompressed, hashed and unpacked into a temp layer dir. Layer, blobs,
//! record and name are committed in that order, each by temp + rename.

use std::io::Read;

use serde_json::{json, Map, Value};

use super::pull::unpack_layer_stream;
use super::{changes, now_secs, Engine, EngineError};
use crate::oci::media::{self, Compression};
use crate::oci::Platform;
use crate::store::{ImageRecord, LayerRecord};

/// What `import` makes.
pub struct ImportOptions<'a> {
    /// `--change` instructions, applied in order.
    pub changes: &'a [String],
    /// `--message`: the history entry's comment.
    pub message: Option<&'a str>,
    /// Where the tarball came from (for the default comment).
    pub source: &'a str,
    /// The name to give the image.
    pub reference: Option<&'a str>,
}

/// Import the tarball read from `input`; returns the new image's record.
pub fn import<R: Read>(
    engine: &Engine,
    mut input: R,
    opts: &ImportOptions,
) -> Result<ImageRecord, EngineError> {
    let store = &engine.store;
    let name = match opts.reference {
        Some(r) => Some(super::local_name(r)?),
        None => None,
    };
    let mut inner = Map::new();
    for c in opts.changes {
        changes::apply(&mut inner, c)?;
    }
    let _lock = store.lock_shared()?;
    let mut blob = store.blob_writer()?;
    std::io::copy(&mut input, &mut blob).map_err(|e| EngineError::Process {
        step: "reading the tarball",
        source: e,
    })?;
    let (blob_digest, blob_size) = (blob.digest(), blob.count());
    let open = || {
        std::fs::File::open(blob.path()).map_err(|source| EngineError::CopyFile {
            path: blob.path().to_path_buf(),
            source,
        })
    };
    let mut head = Vec::new();
    open()?
        .take(8)
        .read_to_end(&mut head)
        .map_err(|source| EngineError::CopyFile {
            path: blob.path().to_path_buf(),
            source,
        })?;
    let compression = media::sniff_compression(&head);
    let layer = unpack_layer_stream(engine, open()?, Some(compression), &blob_digest, None)?;
    let media_type = match compression {
        Compression::None => media::OCI_LAYER_TAR,
        Compression::Gzip => media::OCI_LAYER_GZIP,
        Compression::Zstd => media::OCI_LAYER_ZSTD,
    };
    let config = config_json(&inner, &layer.diff_id, opts);
    store.commit_layer(&layer.tmp_dir, &layer.diff_id)?;
    if !store.has_blob(&blob_digest) {
        blob.commit(store, &blob_digest, Some(blob_size))?;
    }
    let config_digest = store.put_blob(&config)?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": { "mediaType": media::OCI_CONFIG, "digest": config_digest.to_string(), "size": config.len() },
        "layers": [{ "mediaType": media_type, "digest": blob_digest.to_string(), "size": blob_size }],
    });
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
    let record = ImageRecord {
        id: config_digest,
        manifest: store.put_blob(&manifest)?,
        manifest_media_type: media::OCI_MANIFEST.to_string(),
        index: None,
        config_size: config.len() as u64,
        layers: vec![LayerRecord {
            diff_id: layer.diff_id,
            blob: blob_digest,
            media_type: media_type.to_string(),
            compressed_size: blob_size,
            size: layer.size,
        }],
        repo_digests: Vec::new(),
        added: now_secs(),
    };
    store.put_image(&record)?;
    if let Some(n) = &name {
        store.set_name(n, &record.id)?;
    }
    Ok(record)
}

fn config_json(
    inner: &Map<String, Value>,
    diff_id: &crate::oci::Digest,
    opts: &ImportOptions,
) -> Vec<u8> {
    let created = crate::oci::time::rfc3339_nanos(i64::try_from(now_secs()).unwrap_or(0), 0);
    let comment = match opts.message {
        Some(m) => m.to_string(),
        None => format!("Imported from {}", opts.source),
    };
    let platform = Platform::host();
    let mut config = json!({
        "created": created,
        "comment": comment,
        "architecture": platform.architecture,
        "os": platform.os,
        "config": inner,
        "rootfs": { "type": "layers", "diff_ids": [diff_id.to_string()] },
        "history": [{ "created": created, "created_by": "skiff import", "comment": comment }],
    });
    if let Some(v) = platform.variant {
        config["variant"] = json!(v);
    }
    serde_json::to_vec(&config).unwrap_or_default()
}

//! `import`: a one-layer image from a tarball (a file, a URL or stdin; gzip- or
//! zstd-compressed or not), its config built from `--change` instructions (the
//! same as `commit -c`) and a history entry carrying the message.
//!
//! The tarball is spooled into the store's temp space as a blob (hashed as it is
//! written) and kept as it came, so the layer blob is the input's bytes; then it
//! is decompressed, hashed and unpacked into a temp layer dir. Layer, blobs,
//! record and name are committed in that order, each by temp + rename.

use std::io::Read;

use super::commit;
use super::draft::Draft;
use super::pull::unpack_layer_stream;
use super::{Engine, EngineError};
use crate::oci::media::{self, Compression};
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
    let changes = opts
        .changes
        .iter()
        .map(|c| commit::parse_change(c))
        .collect::<Result<Vec<_>, _>>()?;
    // The config first: a bad --change stores nothing.
    let comment = match opts.message {
        Some(m) => m.to_string(),
        None => format!("Imported from {}", opts.source),
    };
    let mut draft = Draft::scratch();
    draft.config.set_comment(&comment);
    commit::apply_changes(&mut draft, &changes)?;
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
    store.commit_layer(&layer.tmp_dir, &layer.diff_id)?;
    if !store.has_blob(&blob_digest) {
        blob.commit(store, &blob_digest, Some(blob_size))?;
    }
    draft.add(
        Some(LayerRecord {
            diff_id: layer.diff_id,
            blob: blob_digest,
            media_type: media_type.to_string(),
            compressed_size: blob_size,
            size: layer.size,
        }),
        "skiff import",
        Some(&comment),
    );
    let record = draft.save(engine)?;
    if let Some(n) = &name {
        store.set_name(n, &record.id)?;
    }
    Ok(record)
}

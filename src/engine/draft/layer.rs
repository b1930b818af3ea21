//! New layers for an image being made: a tar written by a callback (or from an
//! overlay upper dir), stored as a blob and a layer.
//!
//! A new layer is written as a tar in temp space (hashed as it is written: the
//! diff id), then gzip-compressed into a blob (hashed: the blob digest) and
//! unpacked into `layers/<diff id>` from the same tar; an empty tar makes no
//! layer.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::archive::writer::{HashingWriter, LayerTar};
use crate::archive::{self, UnpackOptions};
use crate::engine::{Engine, EngineError};
use crate::oci::{media, Digest};
use crate::store::{LayerRecord, StoreError};

/// The tar being written for a new layer.
pub type NewLayerTar = LayerTar<HashingWriter<BufWriter<std::fs::File>>>;

fn io(step: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> EngineError {
    let path = path.to_path_buf();
    move |source| StoreError::Io { step, path, source }.into()
}

/// Write a layer with `fill` (which appends entries and returns how many). Returns
/// `None` when `fill` wrote no entry: nothing changed, no layer.
pub fn new_layer(
    engine: &Engine,
    fill: &mut dyn FnMut(&mut NewLayerTar) -> Result<u64, EngineError>,
) -> Result<Option<LayerRecord>, EngineError> {
    let store = &engine.store;
    let tar_path = store.temp_dir("layer.tar")?;
    let file = std::fs::File::create(&tar_path).map_err(io("creating", &tar_path))?;
    let mut tar = LayerTar::new(HashingWriter::new(BufWriter::new(file)));
    let entries = fill(&mut tar)?;
    let hashing = tar.finish().map_err(io("writing", &tar_path))?;
    let (diff_id, size, mut out) = hashing.finish();
    out.flush().map_err(io("writing", &tar_path))?;
    drop(out);
    let result = if entries == 0 {
        Ok(None)
    } else {
        store_tar(engine, &tar_path, &diff_id, size).map(Some)
    };
    let _ = std::fs::remove_file(&tar_path);
    result
}

/// A layer from an overlay upper dir over `lower` (layer dirs, top first).
pub fn layer_from_upper(
    engine: &Engine,
    upper: &Path,
    lower: &[PathBuf],
) -> Result<Option<LayerRecord>, EngineError> {
    let keep = |rel: &str, m: &std::fs::Metadata| {
        crate::engine::layerfs::keep_upper_entry(upper, lower, rel, m)
    };
    new_layer(engine, &mut |tar| {
        Ok(crate::archive::writer::write_tree(upper, tar, &keep)?)
    })
}

/// Compress the tar into a blob and unpack it into the layer store.
fn store_tar(
    engine: &Engine,
    tar_path: &Path,
    diff_id: &Digest,
    size: u64,
) -> Result<LayerRecord, EngineError> {
    let store = &engine.store;
    let open = || std::fs::File::open(tar_path).map_err(io("opening", tar_path));
    let mut blob = store.blob_writer()?;
    let digest = {
        let hashing = HashingWriter::new(&mut blob);
        let mut gz = flate2::write::GzEncoder::new(hashing, flate2::Compression::fast());
        std::io::copy(&mut std::io::BufReader::new(open()?), &mut gz)
            .map_err(io("compressing", tar_path))?;
        let hashing = gz.finish().map_err(io("compressing", tar_path))?;
        hashing.finish().0
    };
    let compressed_size = blob.count();
    if store.has_blob(&digest) {
        drop(blob);
    } else {
        blob.commit(store, &digest, Some(compressed_size))?;
    }
    if !store.has_layer(diff_id) {
        let _lock = store.lock_layer(diff_id)?;
        if !store.has_layer(diff_id) {
            let (tmp_dir, diff) = store.new_layer_dir()?;
            let opts = UnpackOptions {
                ids: engine.id_policy(),
            };
            archive::unpack_layer(std::io::BufReader::new(open()?), &diff, &opts).map_err(
                |source| EngineError::Unpack {
                    digest: digest.clone(),
                    source,
                },
            )?;
            let meta = json!({ "size": size }).to_string();
            let meta_path = tmp_dir.join("meta.json");
            std::fs::write(&meta_path, meta).map_err(io("writing", &meta_path))?;
            store.commit_layer(&tmp_dir, diff_id)?;
        }
    }
    Ok(LayerRecord {
        diff_id: diff_id.clone(),
        blob: digest,
        media_type: media::OCI_LAYER_GZIP.to_string(),
        compressed_size,
        size,
    })
}

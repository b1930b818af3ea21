//! `save`: local images into a docker-archive, an oci-archive or an OCI layout
//! directory, several images in one (blobs they share written once).
//!
//! docker-archive is what `docker save` and `podman save` write: `manifest.json`
//! (`[{Config, RepoTags, Layers}]`), `<config-hex>.json`, one uncompressed
//! `<diffid-hex>.tar` per layer and `repositories`. The store keeps the registry's
//! compressed blobs, so each layer is decompressed as it streams into the archive
//! and its diff id checked on the way. The OCI formats carry the stored blobs as
//! they are, with an OCI manifest (converted from schema 2 when needed: media
//! types only), `index.json` (`org.opencontainers.image.ref.name` per name) and
//! `oci-layout`. Nothing is held in memory but the JSON documents.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::resolve::resolve;
use super::{Engine, EngineError};
use crate::oci::convert::{self, ManifestFormat};
use crate::oci::media;
use crate::oci::{Digest, HashingReader, Reference};
use crate::store::ImageRecord;

/// The annotation naming an image in an OCI index.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// Archive formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveFormat {
    DockerArchive,
    OciArchive,
    OciDir,
}

/// One image to save and the names it is saved under.
struct Item {
    record: ImageRecord,
    names: Vec<Reference>,
}

/// Resolve what the user named; the same image named twice is saved once, with
/// both names.
fn collect(engine: &Engine, images: &[String]) -> Result<Vec<Item>, EngineError> {
    let mut items: Vec<Item> = Vec::new();
    for input in images {
        let found = resolve(engine, input)?;
        let name = found.name.and_then(|n| super::tagged(&n));
        match items.iter_mut().find(|i| i.record.id == found.record.id) {
            Some(item) => item.names.extend(name.filter(|n| !item.names.contains(n))),
            None => items.push(Item {
                record: found.record,
                names: name.into_iter().collect(),
            }),
        }
    }
    Ok(items)
}

fn write_err(what: &str) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::ArchiveWrite {
        what: what.to_string(),
        source,
    }
}

/// Where files of the saved layout go: a tar stream or a directory.
trait Sink {
    /// Whether `name` was written already (a blob shared by two images).
    fn has(&self, name: &str) -> bool;
    /// Write `size` bytes from `data` as `name`.
    fn file(&mut self, name: &str, size: u64, data: &mut dyn Read) -> Result<(), EngineError>;
    fn bytes(&mut self, name: &str, data: &[u8]) -> Result<(), EngineError> {
        self.file(name, data.len() as u64, &mut &data[..])
    }
}

struct TarSink<W: Write> {
    builder: tar::Builder<W>,
    written: HashSet<String>,
}

impl<W: Write> Sink for TarSink<W> {
    fn has(&self, name: &str) -> bool {
        self.written.contains(name)
    }

    fn file(&mut self, name: &str, size: u64, data: &mut dyn Read) -> Result<(), EngineError> {
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        h.set_entry_type(tar::EntryType::Regular);
        self.builder
            .append_data(&mut h, name, data)
            .map_err(write_err(name))?;
        self.written.insert(name.to_string());
        Ok(())
    }
}

/// An OCI layout directory; every file is written to a temp name and renamed.
struct DirSink {
    dir: PathBuf,
}

impl Sink for DirSink {
    fn has(&self, name: &str) -> bool {
        name.starts_with("blobs/") && self.dir.join(name).is_file()
    }

    fn file(&mut self, name: &str, size: u64, data: &mut dyn Read) -> Result<(), EngineError> {
        let path = self.dir.join(name);
        let file_err = |source| EngineError::CopyFile {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(file_err)?;
        }
        let tmp = self.dir.join(format!(
            ".{}.tmp-{}",
            name.replace('/', "_"),
            std::process::id()
        ));
        let result = (|| {
            let mut f = File::create(&tmp)?;
            let n = std::io::copy(&mut data.take(size), &mut f)?;
            if n != size {
                return Err(std::io::Error::other(format!(
                    "{n} bytes where {size} were expected"
                )));
            }
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(file_err)
    }
}

/// Write `images` as a `format` archive to `out` (docker-archive or oci-archive);
/// returns `out` once the archive is complete.
pub fn save_archive<W: Write>(
    engine: &Engine,
    images: &[String],
    format: SaveFormat,
    out: W,
) -> Result<W, EngineError> {
    let items = collect(engine, images)?;
    let mut sink = TarSink {
        builder: tar::Builder::new(out),
        written: HashSet::new(),
    };
    match format {
        SaveFormat::DockerArchive => write_docker(engine, &items, &mut sink)?,
        SaveFormat::OciArchive | SaveFormat::OciDir => {
            let index = write_oci_blobs(engine, &items, &mut sink)?;
            sink.bytes("index.json", &index_bytes(index))?;
        }
    }
    sink.builder.into_inner().map_err(write_err("the end"))
}

/// Write `images` into the OCI layout directory `dir` (created when missing; an
/// existing layout keeps its other images, an entry with the same name is replaced).
pub fn save_oci_dir(engine: &Engine, images: &[String], dir: &Path) -> Result<(), EngineError> {
    let items = collect(engine, images)?;
    let index_path = dir.join("index.json");
    let mut previous: Vec<Value> = Vec::new();
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_some());
    if non_empty {
        {
            let text = std::fs::read(&index_path)
                .map_err(|_| EngineError::NotEmptyNotOciLayout(dir.to_path_buf()))?;
            let v: Value = serde_json::from_slice(&text)
                .map_err(|e| EngineError::BadArchive(format!("{}: {e}", index_path.display())))?;
            previous = v["manifests"].as_array().cloned().unwrap_or_default();
        }
    }
    let mut sink = DirSink {
        dir: dir.to_path_buf(),
    };
    let mut index = write_oci_blobs(engine, &items, &mut sink)?;
    let ours: Vec<Value> = index
        .iter()
        .map(|d| d["annotations"][REF_NAME].clone())
        .collect();
    previous.retain(|d| {
        let name = &d["annotations"][REF_NAME];
        name.is_null() || !ours.contains(name)
    });
    previous.append(&mut index);
    sink.bytes("index.json", &index_bytes(previous))
}

fn index_bytes(manifests: Vec<Value>) -> Vec<u8> {
    let index = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_INDEX,
        "manifests": manifests,
    });
    serde_json::to_vec(&index).unwrap_or_default()
}

/// Write `oci-layout` and every blob of `items`; returns the index entries.
fn write_oci_blobs(
    engine: &Engine,
    items: &[Item],
    sink: &mut dyn Sink,
) -> Result<Vec<Value>, EngineError> {
    let store = &engine.store;
    sink.bytes("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    let mut entries = Vec::new();
    for item in items {
        let r = &item.record;
        let stored = store.read_blob(&r.manifest)?;
        let manifest = convert::convert(&stored, &r.manifest_media_type, ManifestFormat::Oci)?;
        let digest = Digest::of(&manifest);
        let mut blobs: Vec<(&Digest, u64)> = vec![(&r.id, r.config_size)];
        blobs.extend(r.layers.iter().map(|l| (&l.blob, l.compressed_size)));
        for (d, size) in blobs {
            copy_blob(engine, sink, d, size)?;
        }
        let name = format!("blobs/sha256/{}", digest.hex());
        if !sink.has(&name) {
            sink.bytes(&name, &manifest)?;
        }
        let desc = json!({
            "mediaType": media::OCI_MANIFEST,
            "digest": digest.to_string(),
            "size": manifest.len(),
        });
        if item.names.is_empty() {
            entries.push(desc.clone());
        }
        for n in &item.names {
            let mut d = desc.clone();
            d["annotations"] = json!({ REF_NAME: n.to_string() });
            entries.push(d);
        }
    }
    Ok(entries)
}

/// Copy a stored blob into the sink as `blobs/sha256/<hex>`, checking it on the way.
fn copy_blob(
    engine: &Engine,
    sink: &mut dyn Sink,
    digest: &Digest,
    size: u64,
) -> Result<(), EngineError> {
    let name = format!("blobs/sha256/{}", digest.hex());
    if sink.has(&name) {
        return Ok(());
    }
    let path = engine.store.blob_path(digest);
    let file = open(&path)?;
    let mut hashing = HashingReader::new(file.take(size));
    sink.file(&name, size, &mut hashing)?;
    let (actual, n) = hashing.finish();
    if &actual != digest || n != size {
        return Err(crate::store::StoreError::DigestMismatch {
            digest: digest.clone(),
            actual,
            size: n,
        }
        .into());
    }
    Ok(())
}

fn open(path: &Path) -> Result<File, EngineError> {
    File::open(path).map_err(|source| EngineError::CopyFile {
        path: path.to_path_buf(),
        source,
    })
}

/// Write the docker-archive files of `items`.
fn write_docker(engine: &Engine, items: &[Item], sink: &mut dyn Sink) -> Result<(), EngineError> {
    let store = &engine.store;
    let mut manifest = Vec::new();
    let mut repositories = serde_json::Map::new();
    for item in items {
        let r = &item.record;
        let mut layers = Vec::new();
        for l in &r.layers {
            let name = format!("{}.tar", l.diff_id.hex());
            if !sink.has(&name) {
                write_uncompressed_layer(engine, sink, &name, l)?;
            }
            layers.push(name);
        }
        let config_name = format!("{}.json", r.id.hex());
        if !sink.has(&config_name) {
            let config = store.read_blob(&r.id)?;
            sink.bytes(&config_name, &config)?;
        }
        let tags: Vec<String> = item.names.iter().map(ToString::to_string).collect();
        if let Some(top) = r.layers.last() {
            for n in &item.names {
                let repo = repositories
                    .entry(n.repository())
                    .or_insert_with(|| json!({}));
                repo[n.tag().unwrap_or("latest")] = json!(top.diff_id.hex());
            }
        }
        manifest.push(json!({ "Config": config_name, "RepoTags": tags, "Layers": layers }));
    }
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
    sink.bytes("manifest.json", &manifest)?;
    if !repositories.is_empty() {
        let repos = serde_json::to_vec(&repositories).unwrap_or_default();
        sink.bytes("repositories", &repos)?;
    }
    Ok(())
}

/// Stream a layer blob decompressed into the sink; its size and diff id must be the
/// ones the store recorded.
fn write_uncompressed_layer(
    engine: &Engine,
    sink: &mut dyn Sink,
    name: &str,
    layer: &crate::store::LayerRecord,
) -> Result<(), EngineError> {
    let path = engine.store.blob_path(&layer.blob);
    let file = open(&path)?;
    let data = super::pull::decompressed(file, media::layer_compression(&layer.media_type))
        .map_err(|e| EngineError::LayerStream {
            digest: layer.blob.clone(),
            reason: e.to_string(),
        })?;
    let mut hashing = HashingReader::new(data.take(layer.size));
    sink.file(name, layer.size, &mut hashing)?;
    let (actual, n) = hashing.finish();
    if actual != layer.diff_id || n != layer.size {
        return Err(EngineError::DiffIdMismatch {
            digest: layer.blob.clone(),
            expected: layer.diff_id.clone(),
            actual,
        });
    }
    Ok(())
}

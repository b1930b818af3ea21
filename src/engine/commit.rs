//! New images from old ones: "parent image + new layers + config + history",
//! shared by `commit` and the builder.
//!
//! A new layer is written as a tar in temp space (hashed as it is written: the
//! diff id), then gzip-compressed into a blob (hashed: the blob digest) and
//! unpacked into `layers/<diff id>` from the same tar. The config, manifest and
//! image record follow, in that order, each only after what it names is stored;
//! names are set last, by the caller.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{now_secs, Engine, EngineError};
use crate::archive::writer::{HashingWriter, LayerTar};
use crate::archive::{self, UnpackOptions};
use crate::build::dockerfile::ast::Instruction;
use crate::oci::{media, Digest};
use crate::store::{ImageRecord, LayerRecord, StoreError};

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
    let keep =
        |rel: &str, m: &std::fs::Metadata| super::layerfs::keep_upper_entry(upper, lower, rel, m);
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

/// RFC 3339 for now.
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    crate::oci::time::rfc3339_nanos(i64::try_from(d.as_secs()).unwrap_or(0), d.subsec_nanos())
}

/// An image being made: the full config JSON and the layers so far.
#[derive(Debug, Clone)]
pub struct Draft {
    pub config: Value,
    pub layers: Vec<LayerRecord>,
}

impl Draft {
    /// An empty image (`FROM scratch`).
    pub fn scratch() -> Draft {
        let platform = crate::oci::Platform::host();
        Draft {
            config: json!({
                "architecture": platform.architecture,
                "os": platform.os,
                "config": {},
                "rootfs": { "type": "layers", "diff_ids": [] },
                "history": [],
            }),
            layers: Vec::new(),
        }
    }

    /// Start from a stored image.
    pub fn from_image(engine: &Engine, image: &ImageRecord) -> Result<Draft, EngineError> {
        let mut config = super::images::load_config(engine, image)?;
        if !config.get("config").is_some_and(Value::is_object) {
            config["config"] = json!({});
        }
        Ok(Draft {
            config,
            layers: image.layers.clone(),
        })
    }

    /// The `config` object (Env, Cmd, …).
    pub fn run_config(&mut self) -> &mut serde_json::Map<String, Value> {
        if !self.config["config"].is_object() {
            self.config["config"] = json!({});
        }
        match self.config["config"].as_object_mut() {
            Some(m) => m,
            None => unreachable!("set to an object above"),
        }
    }

    /// Add a history entry (and the layer, if any).
    pub fn add(&mut self, layer: Option<LayerRecord>, created_by: &str, comment: Option<&str>) {
        let mut h = json!({ "created": now_rfc3339(), "created_by": created_by });
        if let Some(c) = comment.filter(|c| !c.is_empty()) {
            h["comment"] = json!(c);
        }
        match layer {
            Some(l) => self.layers.push(l),
            None => h["empty_layer"] = json!(true),
        }
        if !self.config["history"].is_array() {
            self.config["history"] = json!([]);
        }
        if let Some(a) = self.config["history"].as_array_mut() {
            a.push(h);
        }
    }

    /// Layer dirs of the image so far, top first, each once.
    pub fn layer_dirs(&self, engine: &Engine) -> Vec<PathBuf> {
        super::layerfs::dedup_lower(
            self.layers
                .iter()
                .rev()
                .map(|l| engine.store.layer_diff(&l.diff_id))
                .collect(),
        )
    }

    /// Store config, manifest and image record. Returns the record (not named).
    pub fn save(mut self, engine: &Engine) -> Result<ImageRecord, EngineError> {
        let store = &engine.store;
        let diff_ids: Vec<String> = self.layers.iter().map(|l| l.diff_id.to_string()).collect();
        self.config["rootfs"] = json!({ "type": "layers", "diff_ids": diff_ids });
        // The last step's time: a fully cached rebuild gives the same image.
        let created = self.config["history"]
            .as_array()
            .and_then(|h| h.last())
            .and_then(|h| h.get("created"))
            .cloned()
            .unwrap_or_else(|| json!(now_rfc3339()));
        self.config["created"] = created;
        let config = serde_json::to_vec(&self.config).map_err(|e| EngineError::BadConfig {
            digest: Digest::of(b""),
            reason: e.to_string(),
        })?;
        let config_digest = store.put_blob(&config)?;
        let layers: Vec<Value> = self
            .layers
            .iter()
            .map(|l| {
                json!({
                    "mediaType": l.media_type,
                    "digest": l.blob.to_string(),
                    "size": l.compressed_size,
                })
            })
            .collect();
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": media::OCI_MANIFEST,
            "config": {
                "mediaType": media::OCI_CONFIG,
                "digest": config_digest.to_string(),
                "size": config.len(),
            },
            "layers": layers,
        });
        let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
        let manifest_digest = store.put_blob(&manifest)?;
        let record = ImageRecord {
            id: config_digest,
            manifest: manifest_digest,
            manifest_media_type: media::OCI_MANIFEST.to_string(),
            index: None,
            config_size: config.len() as u64,
            layers: self.layers,
            repo_digests: Vec::new(),
            added: now_secs(),
        };
        Ok(store.put_image_merged(record)?)
    }
}

/// One `--change` of `commit` or `import`: a Dockerfile config instruction,
/// written `INSTR args` or (as Podman also takes it) `INSTR=args`.
pub fn parse_change(change: &str) -> Result<Instruction, EngineError> {
    let text = change.trim();
    let keyword_end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let text = match text[keyword_end..].strip_prefix('=') {
        Some(rest) => format!("{} {rest}", &text[..keyword_end]),
        None => text.to_string(),
    };
    if text[..keyword_end].eq_ignore_ascii_case("FROM") {
        return Err(not_config(change));
    }
    crate::build::dockerfile::parse_trigger(&text, 1).map_err(|e| EngineError::BadChange {
        change: change.to_string(),
        reason: e.kind.to_string(),
    })
}

fn not_config(change: &str) -> EngineError {
    EngineError::NotConfigChange(change.to_string())
}

/// Apply `--change` instructions to `draft`'s config, expanded with its Env as
/// Docker does; anything but a config instruction is refused.
pub fn apply_changes(draft: &mut Draft, changes: &[Instruction]) -> Result<(), EngineError> {
    for change in changes {
        let env = super::build::config::strings(draft.config["config"].get("Env"));
        let lookup = |n: &str| super::build::config::get_env(&env, n).map(str::to_string);
        let ex = |w: &str| super::build::expand_word(w, '\\', &lookup);
        let applied = super::build::config::apply(draft, &change.kind, &ex).map_err(|e| {
            EngineError::BadChange {
                change: change.original.clone(),
                reason: e.to_string(),
            }
        })?;
        if !applied {
            return Err(not_config(&change.original));
        }
    }
    Ok(())
}

/// What `commit` was asked besides the container.
pub struct CommitOptions {
    /// `--change` instructions, parsed.
    pub changes: Vec<Instruction>,
    pub message: Option<String>,
    pub author: Option<String>,
}

/// `commit`: the container's changes as a new layer over its image.
pub fn commit_container(
    engine: &Engine,
    query: &str,
    opts: &CommitOptions,
) -> Result<ImageRecord, EngineError> {
    let view = super::containers::find(engine, query)?;
    let record = &view.record;
    let image = engine
        .store
        .get_image(&record.image)?
        .ok_or_else(|| EngineError::ImageNotKnown(record.image_name.clone()))?;
    let mut draft = Draft::from_image(engine, &image)?;
    let dir = crate::container::Containers::new(engine.store.root())?.dir_of(&record.id);
    if dir.join("work/.skiff-copied").exists() {
        return Err(EngineError::CopiedRootfs(record.name.clone()));
    }
    let _lock = engine.store.lock_shared()?;
    let lower = draft.layer_dirs(engine);
    let upper = dir.join("upper");
    let layer = if upper.is_dir() {
        layer_from_upper(engine, &upper, &lower)?
    } else {
        None
    };
    carry_container_config(&mut draft, &record.config);
    apply_changes(&mut draft, &opts.changes)?;
    if let Some(a) = &opts.author {
        draft.config["author"] = json!(a);
    }
    draft.add(
        layer,
        &record.config.args.join(" "),
        opts.message.as_deref(),
    );
    draft.save(engine)
}

/// The container's config over its image's, as Podman's and Docker's `commit`:
/// its command, entrypoint, environment, working dir, user and stop signal
/// replace the image's; its labels, published ports and anonymous volumes are
/// added to the image's.
fn carry_container_config(draft: &mut Draft, c: &crate::container::RunConfig) {
    let cfg = draft.run_config();
    let list = |v: &[String]| match v {
        [] => Value::Null,
        v => json!(v),
    };
    cfg.insert("Cmd".into(), list(&c.cmd));
    cfg.insert("Entrypoint".into(), list(&c.entrypoint));
    cfg.insert("Env".into(), json!(c.env));
    cfg.insert("WorkingDir".into(), json!(c.workdir));
    cfg.insert("User".into(), json!(c.user));
    if let Some(s) = &c.stop_signal {
        cfg.insert("StopSignal".into(), json!(s));
    }
    let mut add = |key: &str, entries: Vec<(String, Value)>| {
        if entries.is_empty() {
            return;
        }
        let v = cfg.entry(key).or_insert_with(|| json!({}));
        if !v.is_object() {
            *v = json!({});
        }
        if let Some(m) = v.as_object_mut() {
            m.extend(entries);
        }
    };
    add(
        "Labels",
        c.labels
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect(),
    );
    add(
        "ExposedPorts",
        c.ports
            .iter()
            .map(|p| (p.container_key(), json!({})))
            .collect(),
    );
    let anonymous = c.mounts.iter().filter_map(|m| match m {
        crate::container::MountRecord::Volume { name, dest, .. }
            if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Some((dest.clone(), json!({})))
        }
        _ => None,
    });
    add("Volumes", anonymous.collect());
}

/// One row of `history`, newest first.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// The image id for the top row, else `None` (`<missing>`).
    pub id: Option<Digest>,
    /// Unix seconds.
    pub created: i64,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
    pub empty_layer: bool,
}

/// `history`: the image's history entries matched with its layers.
pub fn history(engine: &Engine, input: &str) -> Result<Vec<HistoryRow>, EngineError> {
    let found = super::resolve::resolve(engine, input)?;
    let config = super::images::load_config(engine, &found.record)?;
    let entries = config
        .get("history")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut layers = found.record.layers.iter();
    let mut rows = Vec::new();
    for h in &entries {
        let empty = h
            .get("empty_layer")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let size = if empty {
            0
        } else {
            layers.next().map_or(0, |l| l.size)
        };
        let text = |k: &str| h.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        rows.push(HistoryRow {
            id: None,
            created: crate::oci::time::parse_rfc3339(&text("created")).unwrap_or(0),
            created_by: text("created_by"),
            size,
            comment: text("comment"),
            empty_layer: empty,
        });
    }
    // Layers without history entries (images made by tools that write none).
    for l in layers {
        rows.push(HistoryRow {
            id: None,
            created: 0,
            created_by: String::new(),
            size: l.size,
            comment: String::new(),
            empty_layer: false,
        });
    }
    rows.reverse();
    if let Some(top) = rows.first_mut() {
        top.id = Some(found.record.id.clone());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_parse_with_or_without_an_equals_sign() {
        assert!(parse_change("ENV A=1").is_ok());
        assert!(parse_change("CMD=[\"sh\"]").is_ok());
        assert!(parse_change("label a=b").is_ok());
    }

    #[test]
    fn from_is_refused_as_not_a_config_instruction() {
        let e = parse_change("FROM busybox").unwrap_err().to_string();
        assert!(e.contains("only config instructions"), "{e}");
        assert!(!e.contains("ONBUILD"), "{e}");
    }
}

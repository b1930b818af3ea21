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
use crate::dockerfile::ast::Instruction;
use crate::oci::config::History;
use crate::oci::{media, ContainerConfig, Digest, ImageConfig, Ordered};
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

/// An image being made: the full typed config and the layers so far.
#[derive(Debug, Clone)]
pub struct Draft {
    pub config: Ordered<ImageConfig>,
    pub layers: Vec<LayerRecord>,
}

impl Draft {
    /// An empty image (`FROM scratch`).
    pub fn scratch() -> Draft {
        let platform = crate::oci::Platform::host();
        Draft {
            config: Ordered::<ImageConfig>::scratch(&platform.architecture, &platform.os),
            layers: Vec::new(),
        }
    }

    /// Start from a stored image.
    pub fn from_image(engine: &Engine, image: &ImageRecord) -> Result<Draft, EngineError> {
        let mut config = super::images::load_config(engine, image)?;
        config.run_config_mut();
        Ok(Draft {
            config,
            layers: image.layers.clone(),
        })
    }

    /// The run settings (Env, Cmd, …).
    pub fn run_config(&mut self) -> &mut Ordered<ContainerConfig> {
        self.config.run_config_mut()
    }

    /// Add a history entry (and the layer, if any).
    pub fn add(&mut self, layer: Option<LayerRecord>, created_by: &str, comment: Option<&str>) {
        let h = Ordered::<History>::entry(&now_rfc3339(), created_by, comment, layer.is_none());
        if let Some(l) = layer {
            self.layers.push(l);
        }
        self.config.history_mut().push(h);
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
        let diff_ids = self.layers.iter().map(|l| l.diff_id.clone()).collect();
        self.config.set_rootfs(diff_ids);
        // The last step's time: a fully cached rebuild gives the same image.
        let created = self
            .config
            .history()
            .last()
            .and_then(|h| h.created.clone())
            .unwrap_or_else(now_rfc3339);
        self.config.set_created(&created);
        let config = self.config.to_bytes().map_err(|e| EngineError::BadConfig {
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
    crate::dockerfile::parse_trigger(&text, 1).map_err(|e| EngineError::BadChange {
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
        let env = draft.run_config().env().to_vec();
        let lookup = |n: &str| super::builder::config::get_env(&env, n).map(str::to_string);
        let ex = |w: &str| super::builder::expand_word(w, '\\', &lookup);
        let applied = super::builder::config::apply(draft, &change.kind, &ex).map_err(|e| {
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
        draft.config.set_author(a);
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
    let list = |v: &[String]| (!v.is_empty()).then(|| v.to_vec());
    cfg.set_cmd(list(&c.cmd));
    cfg.set_entrypoint(list(&c.entrypoint));
    cfg.set_env(c.env.clone());
    cfg.set_working_dir(c.workdir.clone());
    cfg.set_user(c.user.clone());
    if let Some(s) = &c.stop_signal {
        cfg.set_stop_signal(s.clone());
    }
    if !c.labels.is_empty() {
        let labels = cfg.labels_mut();
        labels.extend(c.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if !c.ports.is_empty() {
        let ports = cfg.exposed_ports_mut();
        ports.extend(c.ports.iter().map(|p| (p.container_key(), json!({}))));
    }
    let anonymous: Vec<(String, Value)> = c
        .mounts
        .iter()
        .filter_map(|m| match m {
            crate::container::MountRecord::Volume { name, dest, .. }
                if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Some((dest.clone(), json!({})))
            }
            _ => None,
        })
        .collect();
    if !anonymous.is_empty() {
        cfg.volumes_mut().extend(anonymous);
    }
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
    let mut layers = found.record.layers.iter();
    let mut rows = Vec::new();
    for h in config.history() {
        let empty = h.empty_layer.unwrap_or(false);
        let size = if empty {
            0
        } else {
            layers.next().map_or(0, |l| l.size)
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        rows.push(HistoryRow {
            id: None,
            created: crate::oci::time::parse_rfc3339(&text(&h.created)).unwrap_or(0),
            created_by: text(&h.created_by),
            size,
            comment: text(&h.comment),
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

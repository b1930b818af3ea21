//! An image being made: "parent image + new layers + config + history", the
//! part shared by the builder ([`crate::engine::builder`]) and `commit`
//! ([`crate::engine::commit`]), which use this module and not each other
//! (`import` uses it too, with commit's `--change` parsing).
//!
//! [`new_layer`] and [`layer_from_upper`] write the new layers, [`config`]
//! applies Dockerfile config instructions to a [`Draft`]. [`Draft::save`] stores the config, manifest and
//! image record, in that order, each only after what it names is stored; names
//! are set last, by the caller.

pub mod config;
mod layer;

pub use layer::{layer_from_upper, new_layer, NewLayerTar};

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::engine::{now_secs, Engine, EngineError};
use crate::oci::config::History;
use crate::oci::{media, ContainerConfig, Digest, ImageConfig, Ordered};
use crate::store::{ImageRecord, LayerRecord};

/// RFC 3339 for now.
fn now_rfc3339() -> String {
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
        let mut config = crate::engine::images::load_config(engine, image)?;
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
        crate::engine::layerfs::dedup_lower(
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

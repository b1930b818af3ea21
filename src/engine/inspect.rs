//! `image inspect`: the image as [`ImageInspect`], with the field names of
//! `podman image inspect` (Id, Digest, RepoTags, RepoDigests, Created, Config,
//! RootFS, …), so scripts written against Podman keep working. Its fields
//! serialize in declaration order: that order is the output. `container
//! inspect` (in `container_json`): Docker's ContainerJSON.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Map;

mod container_json;
pub use container_json::{
    container, of_view, Config, ContainerInspect, HostConfig, Mount, NetworkSettings, PortBinding,
    PortMap, RestartPolicyJson, State,
};

use super::images::{load_config, names_of};
use super::resolve::resolve;
use super::{Engine, EngineError};
use crate::oci::config::History;
use crate::oci::{ContainerConfig, Ordered};

/// One image, as `image inspect` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageInspect {
    pub id: String,
    pub digest: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub parent: String,
    pub comment: String,
    pub created: String,
    /// The run settings; `null` when the config has an explicit null.
    pub config: Option<Ordered<ContainerConfig>>,
    pub version: String,
    pub author: String,
    pub architecture: String,
    pub os: String,
    pub size: u64,
    pub virtual_size: u64,
    pub graph_driver: GraphDriver,
    #[serde(rename = "RootFS")]
    pub root_fs: RootFsView,
    pub labels: Option<IndexMap<String, String>>,
    pub annotations: Map<String, serde_json::Value>,
    pub manifest_type: String,
    pub user: String,
    /// `null` when the config has an explicit null.
    pub history: Option<Vec<Ordered<History>>>,
    pub names_history: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// Where the image's layers are.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GraphDriver {
    pub name: String,
    pub data: GraphDriverData,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GraphDriverData {
    /// The layer dirs, top first, `:`-separated.
    pub lower_dir: String,
}

/// The image's layers by diff id, bottom first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootFsView {
    #[serde(rename = "Type")]
    pub kind: String,
    pub layers: Vec<String>,
}

/// Inspect one image.
pub fn inspect(engine: &Engine, input: &str) -> Result<ImageInspect, EngineError> {
    let found = resolve(engine, input)?;
    let record = &found.record;
    let config = load_config(engine, record)?;
    let names = names_of(engine, &record.id)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let inner = match (&config.config, config.run_config_is_null()) {
        (None, true) => None,
        (c, _) => Some(c.clone().unwrap_or_default()),
    };
    let lower: Vec<String> = record
        .layers
        .iter()
        .rev()
        .map(|l| engine.store.layer_diff(&l.diff_id).display().to_string())
        .collect();
    let size = record.size();
    let run = inner.as_deref();
    Ok(ImageInspect {
        id: record.id.hex().to_string(),
        digest: record.manifest.to_string(),
        repo_tags: names.iter().map(|n| n.to_string()).collect(),
        repo_digests: record.repo_digests.clone(),
        parent: String::new(),
        comment: text(&config.comment),
        created: text(&config.created),
        version: text(&config.docker_version),
        author: text(&config.author),
        architecture: text(&config.architecture),
        os: text(&config.os),
        size,
        virtual_size: size,
        graph_driver: GraphDriver {
            name: "overlay".into(),
            data: GraphDriverData {
                lower_dir: lower.join(":"),
            },
        },
        root_fs: RootFsView {
            kind: "layers".into(),
            layers: record
                .layers
                .iter()
                .map(|l| l.diff_id.to_string())
                .collect(),
        },
        labels: run.and_then(|c| c.labels.clone()),
        annotations: Map::new(),
        manifest_type: record.manifest_media_type.clone(),
        user: run.and_then(|c| c.user.clone()).unwrap_or_default(),
        history: match (&config.history, config.history_is_null()) {
            (None, true) => None,
            (h, _) => Some(h.clone().unwrap_or_default()),
        },
        names_history: Vec::new(),
        variant: config.variant.clone(),
        config: inner,
    })
}

//! `image inspect`: the image as JSON with the field names of `podman image inspect`
//! (Id, Digest, RepoTags, RepoDigests, Created, Config, RootFS, …), so scripts
//! written against Podman keep working; `container inspect` (in `container_json`):
//! Docker's ContainerJSON.

use serde_json::{json, Value};

mod container_json;
pub use container_json::{
    container, of_view, Config, ContainerInspect, HostConfig, Mount, NetworkSettings, PortBinding,
    PortMap, RestartPolicyJson, State,
};

use super::images::{load_config, names_of};
use super::resolve::resolve;
use super::{Engine, EngineError};

/// Inspect one image.
pub fn inspect(engine: &Engine, input: &str) -> Result<Value, EngineError> {
    let found = resolve(engine, input)?;
    let record = &found.record;
    let config = load_config(engine, record)?;
    let names = names_of(engine, &record.id)?;
    let text = |k: &str| {
        config
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let inner = config.get("config").cloned().unwrap_or_else(|| json!({}));
    let lower: Vec<String> = record
        .layers
        .iter()
        .rev()
        .map(|l| engine.store.layer_diff(&l.diff_id).display().to_string())
        .collect();
    let size = record.size();
    let mut out = json!({
        "Id": record.id.hex(),
        "Digest": record.manifest.to_string(),
        "RepoTags": names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        "RepoDigests": record.repo_digests,
        "Parent": "",
        "Comment": text("comment"),
        "Created": text("created"),
        "Config": inner,
        "Version": text("docker_version"),
        "Author": text("author"),
        "Architecture": text("architecture"),
        "Os": text("os"),
        "Size": size,
        "VirtualSize": size,
        "GraphDriver": {"Name": "overlay", "Data": {"LowerDir": lower.join(":")}},
        "RootFS": {
            "Type": "layers",
            "Layers": record.layers.iter().map(|l| l.diff_id.to_string()).collect::<Vec<_>>(),
        },
        "Labels": inner.get("Labels").cloned().unwrap_or(Value::Null),
        "Annotations": {},
        "ManifestType": record.manifest_media_type,
        "User": inner.get("User").and_then(Value::as_str).unwrap_or(""),
        "History": config.get("history").cloned().unwrap_or_else(|| json!([])),
        "NamesHistory": [],
    });
    if let Some(v) = config.get("variant").and_then(Value::as_str) {
        out["Variant"] = json!(v);
    }
    Ok(out)
}

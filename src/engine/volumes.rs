//! Named volumes: `<root>/volumes/<name>/_data`, with create, list (filters),
//! inspect, remove, prune and exists as use cases returning Docker's Volume object.
//!
//! Invariant: a volume's users are checked and the volume deleted under its lock
//! (`locks/volume-<name>.lock`), which `create` also holds while it attaches the
//! volume to a new container (see [`attach`]); so a volume a container was created
//! with is never removed without `-f`, and a removal never leaves a container
//! pointing at a volume it saw deleted.

use std::path::PathBuf;

use serde::Serialize;

use super::{containers, Engine, EngineError};
use crate::container::MountRecord;
use crate::store::StoreLock;

/// Errors of the volume use cases.
#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error("invalid volume name {0:?}: use [a-zA-Z0-9][a-zA-Z0-9_.-]*")]
    BadName(String),
    #[error("no such volume: {name}")]
    NotFound {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("volume {name} is in use by container {users}: remove the container or use -f")]
    InUse { name: String, users: String },
    #[error("removing volume {name}")]
    Remove {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid volume filter {0:?}: expected key=value")]
    BadFilter(String),
    #[error("invalid volume filter {0:?}: use name, label or dangling")]
    UnknownFilter(String),
}

/// Docker's Volume object (the fields `volume inspect` and `volume ls --format json`
/// show).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Volume {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub created_at: String,
    pub labels: serde_json::Map<String, serde_json::Value>,
    pub scope: String,
    pub options: serde_json::Map<String, serde_json::Value>,
}

/// `volume create`.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// Generated (64 hex digits) when absent.
    pub name: Option<String>,
}

/// `volume ls`.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// `name=SUBSTRING`, `label=KEY[=VALUE]` (volumes carry no labels yet, so a
    /// label filter matches none), `dangling=true|false`.
    pub filters: Vec<String>,
}

/// `volume rm`.
#[derive(Debug, Clone, Default)]
pub struct RemoveOptions {
    /// Remove even when a container uses the volume.
    pub force: bool,
}

/// What `volume prune` removed.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PruneReport {
    pub volumes_deleted: Vec<String>,
    pub space_reclaimed: u64,
}

fn volumes_dir(engine: &Engine) -> PathBuf {
    engine.store.root().join("volumes")
}

/// Where volume `name`'s data lives.
pub fn data_dir(engine: &Engine, name: &str) -> PathBuf {
    volumes_dir(engine).join(name).join("_data")
}

/// Whether volume `name` exists.
pub fn exists(engine: &Engine, name: &str) -> bool {
    volumes_dir(engine).join(name).join("_data").is_dir()
}

/// Names of all volumes, sorted.
pub fn names(engine: &Engine) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(volumes_dir(engine))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("_data").is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Take volume `name`'s lock (exclusive; released on drop).
pub fn lock(engine: &Engine, name: &str) -> Result<StoreLock, EngineError> {
    Ok(engine.store.lock_volume(name)?)
}

/// Make volume `name` exist for a container being created, under its lock. The
/// caller keeps the returned lock until the container's record is written.
pub fn attach(engine: &Engine, name: &str) -> Result<StoreLock, EngineError> {
    let held = lock(engine, name)?;
    super::spec::volume_dir(engine, name)?;
    Ok(held)
}

/// `volume create`: the volume's name.
pub fn create(engine: &Engine, opts: &CreateOptions) -> Result<String, EngineError> {
    let name = opts.name.clone().unwrap_or_else(crate::container::new_id);
    if !crate::container::valid_name(&name) {
        return Err(VolumeError::BadName(name).into());
    }
    super::spec::volume_dir(engine, &name)?;
    Ok(name)
}

/// `volume inspect`: one volume.
pub fn inspect(engine: &Engine, name: &str) -> Result<Volume, EngineError> {
    let path = volumes_dir(engine).join(name).join("_data");
    let meta = std::fs::metadata(&path).map_err(|source| VolumeError::NotFound {
        name: name.to_string(),
        source,
    })?;
    let created = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    Ok(Volume {
        name: name.to_string(),
        driver: "local".into(),
        mountpoint: path.display().to_string(),
        created_at: crate::oci::time::utc_text(created as i64),
        labels: serde_json::Map::new(),
        scope: "local".into(),
        options: serde_json::Map::new(),
    })
}

/// `volume ls`: the volumes the filters keep, sorted by name.
pub fn list(engine: &Engine, opts: &ListOptions) -> Result<Vec<Volume>, EngineError> {
    // a bad filter is an error even when there is no volume to filter
    for f in &opts.filters {
        match f.split_once('=') {
            None => return Err(VolumeError::BadFilter(f.clone()).into()),
            Some(("name" | "label" | "dangling", _)) => {}
            Some(_) => return Err(VolumeError::UnknownFilter(f.clone()).into()),
        }
    }
    let mut out = Vec::new();
    for name in names(engine) {
        let mut keep = true;
        for f in &opts.filters {
            keep &= matches_filter(engine, &name, f)?;
        }
        if keep {
            // gone since it was listed: not shown
            if let Ok(v) = inspect(engine, &name) {
                out.push(v);
            }
        }
    }
    Ok(out)
}

fn matches_filter(engine: &Engine, name: &str, filter: &str) -> Result<bool, EngineError> {
    let (k, want) = filter
        .split_once('=')
        .ok_or_else(|| VolumeError::BadFilter(filter.to_string()))?;
    Ok(match k {
        "name" => name.contains(want),
        "label" => false,
        "dangling" => users(engine, name)?.is_empty() == matches!(want, "true" | "1"),
        _ => return Err(VolumeError::UnknownFilter(filter.to_string()).into()),
    })
}

/// Names of the containers whose record mounts volume `name`.
pub fn users(engine: &Engine, name: &str) -> Result<Vec<String>, EngineError> {
    Ok(containers::views(engine)?
        .into_iter()
        .filter(|c| {
            c.record
                .config
                .mounts
                .iter()
                .any(|m| matches!(m, MountRecord::Volume { name: n, .. } if n == name))
        })
        .map(|c| c.record.name)
        .collect())
}

/// `volume rm NAME`: refused while a container uses it (unless forced); the check
/// and the delete happen under the volume's lock.
pub fn remove(engine: &Engine, name: &str, opts: &RemoveOptions) -> Result<(), EngineError> {
    let _held = lock(engine, name)?;
    inspect(engine, name)?;
    let users = users(engine, name)?;
    if !users.is_empty() && !opts.force {
        return Err(VolumeError::InUse {
            name: name.to_string(),
            users: users.join(", "),
        }
        .into());
    }
    delete(engine, name)
}

/// Remove an anonymous volume a removed container used (`rm -v`); named volumes
/// (anything but a 64-hex id) are kept, as Docker does.
pub fn remove_anonymous(engine: &Engine, name: &str) -> Result<(), EngineError> {
    if name.len() != 64 {
        return Ok(());
    }
    let _held = lock(engine, name)?;
    delete(engine, name)
}

fn delete(engine: &Engine, name: &str) -> Result<(), EngineError> {
    crate::store::remove_tree(&volumes_dir(engine).join(name)).map_err(|source| {
        VolumeError::Remove {
            name: name.to_string(),
            source,
        }
    })?;
    Ok(())
}

/// `volume prune`: every volume no container uses, each checked and removed under
/// its lock. `on_removed` is called with each name as it goes.
pub fn prune(
    engine: &Engine,
    on_removed: &mut dyn FnMut(&str),
) -> Result<PruneReport, EngineError> {
    let mut report = PruneReport::default();
    for name in names(engine) {
        let _held = lock(engine, &name)?;
        if !users(engine, &name)?.is_empty() || !exists(engine, &name) {
            continue;
        }
        let size = tree_size(&volumes_dir(engine).join(&name));
        delete(engine, &name)?;
        report.space_reclaimed += size;
        on_removed(&name);
        report.volumes_deleted.push(name);
    }
    Ok(report)
}

/// Bytes of the regular files under `path` (best effort).
pub(crate) fn tree_size(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return if meta.is_file() { meta.len() } else { 0 };
    }
    std::fs::read_dir(path)
        .map(|rd| rd.flatten().map(|e| tree_size(&e.path())).sum())
        .unwrap_or(0)
}

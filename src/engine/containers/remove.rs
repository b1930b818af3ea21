//! `rm` (with `-v`: the container's anonymous volumes too) and `container prune`,
//! and the stop that `rm -f` does first.

use std::time::Duration;

use serde::Serialize;

use super::{find, views, ContainerView};
use crate::container::{Containers, MountRecord, Status};
use crate::engine::{lifecycle, volumes, Engine, EngineError};

/// `rm` options.
#[derive(Debug, Clone, Default)]
pub struct RemoveOptions {
    /// Stop a running container first (see [`stop_before_remove`]).
    pub force: bool,
    /// Remove the container's anonymous volumes too.
    pub volumes: bool,
}

/// What `rm` removed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveReport {
    pub id: String,
    pub name: String,
    /// Anonymous volumes removed with it (`-v`).
    pub volumes_removed: Vec<String>,
}

/// What `container prune` removed.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PruneReport {
    pub containers_deleted: Vec<String>,
    /// Bytes of the removed containers' directories.
    pub space_reclaimed: u64,
}

/// The part of `rm` that must run in the host namespace, before entering ours:
/// stopping (with `force`), and stopping network helpers a killed monitor left
/// behind (only the owner of the container's namespace may signal them). Missing
/// names are skipped: the removal reports them.
pub fn stop_before_remove(
    engine: &Engine,
    names: &[String],
    all: bool,
    force: bool,
) -> Result<(), EngineError> {
    // One by one: a missing name (ignored with -f) must not keep the others running.
    let views: Vec<ContainerView> = if all {
        views(engine)?
    } else {
        names.iter().filter_map(|n| find(engine, n).ok()).collect()
    };
    for v in views {
        let running = matches!(v.state.status, Status::Running | Status::Stopping);
        if force || !running {
            lifecycle::stop(engine, &v, Duration::from_secs(0))?;
        }
    }
    Ok(())
}

/// `rm`: remove a container that is not running (run inside the user namespace,
/// after [`stop_before_remove`]).
pub fn remove(
    engine: &Engine,
    query: &str,
    opts: &RemoveOptions,
) -> Result<RemoveReport, EngineError> {
    let v = find(engine, query)?;
    remove_view(engine, &v)?;
    let mut volumes_removed = Vec::new();
    if opts.volumes {
        for m in &v.record.config.mounts {
            if let MountRecord::Volume { name, .. } = m {
                // Anonymous volumes are named by a 64-hex id; best effort, as Docker.
                if name.len() == 64 && volumes::remove_anonymous(engine, name).is_ok() {
                    volumes_removed.push(name.clone());
                }
            }
        }
    }
    Ok(RemoveReport {
        id: v.record.id,
        name: v.record.name,
        volumes_removed,
    })
}

/// Remove a container that is not running (else the error `rm` gives).
pub fn remove_view(engine: &Engine, view: &ContainerView) -> Result<(), EngineError> {
    if matches!(view.state.status, Status::Running | Status::Stopping) {
        return Err(EngineError::ContainerRunning(view.record.name.clone()));
    }
    Containers::new(engine.store.root())?.remove(&view.record)?;
    Ok(())
}

/// `container prune`: every container that is not running (Created ones too), as
/// Docker and Podman do. `on_removed` gets each id as it goes.
pub fn prune(
    engine: &Engine,
    on_removed: &mut dyn FnMut(&str),
) -> Result<PruneReport, EngineError> {
    let mut report = PruneReport::default();
    let containers = Containers::new(engine.store.root())?;
    for v in views(engine)? {
        if !matches!(v.state.status, Status::Running | Status::Stopping) {
            let size = volumes::tree_size(&containers.dir_of(&v.record.id));
            remove_view(engine, &v)?;
            report.space_reclaimed += size;
            on_removed(&v.record.id);
            report.containers_deleted.push(v.record.id);
        }
    }
    Ok(report)
}

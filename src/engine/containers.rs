//! Container use cases that need no running process: create (with the image pulled
//! as `--pull` says), find, list with filters, rename, stop, kill, wait, remove
//! (with anonymous volumes), prune. Each takes options and returns a typed report;
//! nothing here prints.

mod create;
mod list;
mod options;
mod remove;
mod signal;

pub use create::{create, image_for_run, CreateReport};
pub use list::{
    labels, list, status_text, summary, ContainerSummary, ListError, ListOptions, Mount, Port,
    SummaryHostConfig,
};
pub use options::{CreateOptions, OptionsError, PullPolicy};
pub use remove::{
    prune, remove, remove_view, stop_before_remove, PruneReport, RemoveOptions, RemoveReport,
};
pub use signal::{kill, stop, wait, ContainerRef, KillOptions, SignalError, StopOptions};

use super::{Engine, EngineError};
use crate::container::{ContainerRecord, ContainerState, Containers};

/// A container and its (checked) state.
pub struct ContainerView {
    pub record: ContainerRecord,
    pub state: ContainerState,
}

/// Every container with its state.
pub fn views(engine: &Engine) -> Result<Vec<ContainerView>, EngineError> {
    let containers = Containers::new(engine.store.root())?;
    Ok(containers
        .list()
        .into_iter()
        .filter_map(|record| {
            let state = containers.state(&record.id);
            // gone when reading its state applied its --rm (see Containers::state)
            let removed = !containers.dir_of(&record.id).join("config.json").exists();
            (!removed).then_some(ContainerView { record, state })
        })
        .collect())
}

/// Find one container.
pub fn find(engine: &Engine, query: &str) -> Result<ContainerView, EngineError> {
    let containers = Containers::new(engine.store.root())?;
    let record = containers.find(query)?;
    let state = containers.state(&record.id);
    Ok(ContainerView { record, state })
}

/// `rename OLD NEW`: the container, under its new name.
pub fn rename(engine: &Engine, query: &str, new_name: &str) -> Result<ContainerRef, EngineError> {
    let containers = Containers::new(engine.store.root())?;
    let mut record = containers.find(query)?;
    containers.reserve_name(new_name, &record.id)?;
    let old = std::mem::replace(&mut record.name, new_name.to_string());
    if let Err(e) = containers.save_record(&record) {
        containers.release_name(new_name);
        return Err(e.into());
    }
    containers.release_name(&old);
    Ok(ContainerRef {
        id: record.id,
        name: record.name,
    })
}

/// `run --rm` once its container exited: [`remove`], with the directory (and
/// the container's namespaces and devices, when the run kept them) let go of
/// in the background.
pub fn remove_exited_in_background(
    engine: &Engine,
    record: &crate::container::ContainerRecord,
    teardown: Vec<std::os::fd::OwnedFd>,
) -> Result<(), EngineError> {
    let containers = Containers::new(engine.store.root())?;
    containers.remove_in_background(record, teardown)?;
    Ok(())
}

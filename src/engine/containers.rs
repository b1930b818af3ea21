//! Container use cases that need no running process: create (with the image pulled
//! as `--pull` says), find, list, rename, remove, prune; and building the runtime
//! spec from a record.

use serde_json::Value;

use super::build::config::strings;
use super::images::load_config;
use super::pull::{pull, PullOptions, PullProgress};
use super::resolve::resolve;
use super::{now_secs, Engine, EngineError};
use crate::container::{
    ContainerError, ContainerRecord, ContainerState, Containers, RunConfig, Status,
};
use crate::oci::Reference;
use crate::store::ImageRecord;

/// When `run`/`create` pull the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PullPolicy {
    Always,
    Missing,
    Never,
    Newer,
}

/// What `create` needs besides the run config.
pub struct CreateOptions<'a> {
    pub image: &'a str,
    pub name: Option<&'a str>,
    pub pull: PullPolicy,
    pub pull_options: PullOptions,
    /// `--entrypoint` given (even empty).
    pub entrypoint: Option<Vec<String>>,
    /// Arguments after the image.
    pub args: Vec<String>,
    pub config: RunConfig,
    /// `-P`: publish every port the image exposes on a free host port.
    pub publish_all: bool,
}

/// Find the image locally, pulling it when the policy says so.
pub fn image_for_run(
    engine: &Engine,
    image: &str,
    policy: PullPolicy,
    opts: &PullOptions,
    progress: &dyn PullProgress,
) -> Result<ImageRecord, EngineError> {
    let mut local = resolve(engine, image);
    // The embedded hello image comes back after a prune, offline.
    if matches!(local, Err(EngineError::ImageNotKnown(_))) && super::hello::is_hello(image) {
        engine.ids_mapped()?;
        super::hello::seed(engine)?;
        local = resolve(engine, image);
    }
    match (policy, local) {
        (PullPolicy::Never | PullPolicy::Missing | PullPolicy::Newer, Ok(f)) => {
            if let (Some(name), false) = (&f.name, f.also.is_empty()) {
                progress.short_name_picked(image, name, &f.also);
            }
            Ok(f.record)
        }
        (PullPolicy::Never, Err(e)) => Err(e),
        (PullPolicy::Missing | PullPolicy::Newer, Err(EngineError::ImageNotKnown(_)))
        | (PullPolicy::Always, _) => {
            let reference: Reference = image.parse()?;
            engine.ids_mapped()?;
            pull(engine, &reference, opts, progress)
        }
        (_, Err(e)) => Err(e),
    }
}

/// Apply Docker's rules for the command, env, workdir and user from the image.
fn merge_image_config(
    image_config: &Value,
    opts: &CreateOptions<'_>,
    mut cfg: RunConfig,
) -> Result<RunConfig, EngineError> {
    let c = image_config.get("config").cloned().unwrap_or(Value::Null);
    let image_ep = strings(c.get("Entrypoint"));
    let image_cmd = strings(c.get("Cmd"));
    // --entrypoint replaces the image's and clears its Cmd, as in Docker.
    let (ep, cmd) = match &opts.entrypoint {
        Some(ep) => (ep.clone(), opts.args.clone()),
        None if opts.args.is_empty() => (image_ep, image_cmd),
        None => (image_ep, opts.args.clone()),
    };
    cfg.args = ep.iter().chain(cmd.iter()).cloned().collect();
    if cfg.args.is_empty() {
        return Err(EngineError::NoCommand(opts.image.to_string()));
    }
    cfg.entrypoint = ep;
    cfg.cmd = cmd;
    let mut env = strings(c.get("Env"));
    for e in std::mem::take(&mut cfg.env) {
        let key = e.split('=').next().unwrap_or("").to_string();
        env.retain(|x| x.split('=').next() != Some(key.as_str()));
        env.push(e);
    }
    cfg.env = env;
    if cfg.workdir.is_empty() {
        cfg.workdir = c
            .get("WorkingDir")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string();
    }
    if cfg.workdir.is_empty() {
        cfg.workdir = "/".into();
    }
    if cfg.user.is_empty() {
        cfg.user = c
            .get("User")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
    }
    if cfg.stop_signal.is_none() {
        cfg.stop_signal = c
            .get("StopSignal")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    Ok(cfg)
}

/// `-P`: a mapping to a free host port for each of the image's ExposedPorts
/// that `-p` did not publish already.
fn publish_exposed(image_config: &Value, config: &mut RunConfig) -> Result<(), EngineError> {
    use crate::container::ports::{assign_free_ports, parse_publish};
    let exposed = image_config
        .pointer("/config/ExposedPorts")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for key in exposed {
        let bad = |error| EngineError::ExposedPort {
            key: key.clone(),
            error,
        };
        for m in parse_publish(&key).map_err(bad)? {
            if !config
                .ports
                .iter()
                .any(|p| p.container_key() == m.container_key())
            {
                config.ports.push(m);
            }
        }
    }
    assign_free_ports(&mut config.ports).map_err(EngineError::Ports)
}

/// Create a container (not started).
pub fn create(
    engine: &Engine,
    opts: CreateOptions<'_>,
    progress: &dyn PullProgress,
) -> Result<ContainerRecord, EngineError> {
    let image = image_for_run(engine, opts.image, opts.pull, &opts.pull_options, progress)?;
    let image_config = load_config(engine, &image)?;
    let containers = Containers::new(engine.store.root())?;
    let id = crate::container::new_id();
    let mut config = merge_image_config(&image_config, &opts, opts.config.clone())?;
    if config.hostname.is_empty() {
        config.hostname = id[..12].to_string();
    }
    if opts.publish_all {
        publish_exposed(&image_config, &mut config)?;
    }
    let name = match opts.name {
        Some(n) => {
            containers.reserve_name(n, &id)?;
            n.to_string()
        }
        None => reserve_generated_name(&containers, &id)?,
    };
    let record = ContainerRecord {
        id,
        name: name.clone(),
        image: image.id.clone(),
        image_name: opts.image.to_string(),
        created: now_secs(),
        config,
    };
    if let Err(e) = containers.create(&record) {
        containers.release_name(&name);
        return Err(e.into());
    }
    // Nothing here needs the id maps (files are created with the user's own
    // ids, which are root's in the namespace): a foreground `run` does it while
    // newuidmap and newgidmap still run. Removing what crashed creates left
    // (files of any owner) does: Engine::tidy does that then.
    if !engine.ids_pending() {
        containers.prune_incomplete();
    }
    Ok(record)
}

/// Reserve a Docker-style `adjective_noun` name, made unique with the id's first
/// digits when taken. Each candidate is tried through the O_EXCL reservation, so
/// creates running at the same time never end up with the same name.
fn reserve_generated_name(containers: &Containers, id: &str) -> Result<String, EngineError> {
    const ADJ: [&str; 16] = [
        "brave", "calm", "eager", "fond", "gentle", "happy", "jolly", "keen", "lucid", "merry",
        "nifty", "proud", "quirky", "sharp", "tender", "witty",
    ];
    const NOUN: [&str; 16] = [
        "albatross",
        "beacon",
        "cutter",
        "dinghy",
        "ensign",
        "ferry",
        "galley",
        "harbor",
        "island",
        "jetty",
        "keel",
        "lagoon",
        "mooring",
        "oar",
        "pilot",
        "rudder",
    ];
    let bytes = hex::decode(&id[..8]).unwrap_or_default();
    let (a, n) = (
        bytes.first().copied().unwrap_or(0),
        bytes.get(1).copied().unwrap_or(0),
    );
    let base = format!("{}_{}", ADJ[usize::from(a % 16)], NOUN[usize::from(n % 16)]);
    let candidates = [
        base.clone(),
        format!("{base}_{}", &id[..6]),
        format!("{base}_{id}"),
    ];
    let mut last = None;
    for name in candidates {
        match containers.reserve_name(&name, id) {
            Ok(()) => return Ok(name),
            Err(e @ ContainerError::NameInUse(_)) => last = Some(e),
            Err(e) => return Err(e.into()),
        }
    }
    Err(last.map_or_else(|| ContainerError::NameInUse(base).into(), Into::into))
}

/// A container and its (checked) state.
pub struct ContainerView {
    pub record: ContainerRecord,
    pub state: ContainerState,
}

/// Every container with its state.
pub fn list(engine: &Engine) -> Result<Vec<ContainerView>, EngineError> {
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

/// `rename OLD NEW`.
pub fn rename(engine: &Engine, query: &str, new_name: &str) -> Result<(), EngineError> {
    let containers = Containers::new(engine.store.root())?;
    let mut record = containers.find(query)?;
    containers.reserve_name(new_name, &record.id)?;
    let old = std::mem::replace(&mut record.name, new_name.to_string());
    if let Err(e) = containers.save_record(&record) {
        containers.release_name(new_name);
        return Err(e.into());
    }
    containers.release_name(&old);
    Ok(())
}

/// Remove a container that is not running (the caller stops it first for `-f`).
/// Runs inside the user namespace.
pub fn remove(engine: &Engine, view: &ContainerView) -> Result<(), EngineError> {
    stopped(engine, view)?.remove(&view.record)?;
    Ok(())
}

/// `run --rm` once its container exited: [`remove`], with the directory (and
/// the container's namespaces and devices, when the run kept them) let go of
/// in the background.
pub fn remove_exited_in_background(
    engine: &Engine,
    record: &crate::container::ContainerRecord,
) -> Result<(), EngineError> {
    let containers = Containers::new(engine.store.root())?;
    containers.remove_in_background(record, engine.take_exited_teardown())?;
    Ok(())
}

/// The containers, when `view` is not running (else the error `rm` gives).
fn stopped(engine: &Engine, view: &ContainerView) -> Result<Containers, EngineError> {
    if matches!(view.state.status, Status::Running | Status::Stopping) {
        return Err(EngineError::ContainerRunning(view.record.name.clone()));
    }
    Ok(Containers::new(engine.store.root())?)
}

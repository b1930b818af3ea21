//! `create`: a container record from [`CreateOptions`], the image found or
//! pulled as `--pull` says and its config merged by Docker's rules.

use serde::Serialize;

use super::options::{CreateOptions, OptionsError, PullPolicy};
use crate::container::{ContainerError, ContainerRecord, Containers, MountRecord, RunConfig};
use crate::engine::images::load_config;
use crate::engine::pull::{pull, PullOptions, PullProgress};
use crate::engine::resolve::resolve;
use crate::engine::{now_secs, Engine, EngineError};
use crate::oci::{ImageConfig, Ordered, Reference};
use crate::store::ImageRecord;

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
    if matches!(local, Err(EngineError::ImageNotKnown(_))) && crate::engine::hello::is_hello(image)
    {
        engine.ids_mapped()?;
        crate::engine::hello::seed(engine)?;
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
    image_config: &Ordered<ImageConfig>,
    opts: &CreateOptions,
    mut cfg: RunConfig,
) -> Result<RunConfig, EngineError> {
    let c = image_config.run_config();
    let image_ep = c.entrypoint().to_vec();
    let image_cmd = c.cmd().to_vec();
    // --entrypoint replaces the image's and clears its Cmd, as in Docker.
    let (ep, cmd) = match &opts.entrypoint {
        Some(ep) if ep.is_empty() => (Vec::new(), opts.command.clone()),
        Some(ep) => (vec![ep.clone()], opts.command.clone()),
        None if opts.command.is_empty() => (image_ep, image_cmd),
        None => (image_ep, opts.command.clone()),
    };
    cfg.args = ep.iter().chain(cmd.iter()).cloned().collect();
    if cfg.args.is_empty() {
        return Err(EngineError::NoCommand(opts.image.clone()));
    }
    cfg.entrypoint = ep;
    cfg.cmd = cmd;
    let mut env = c.env().to_vec();
    for e in std::mem::take(&mut cfg.env) {
        let key = e.split('=').next().unwrap_or("").to_string();
        env.retain(|x| x.split('=').next() != Some(key.as_str()));
        env.push(e);
    }
    cfg.env = env;
    if cfg.workdir.is_empty() {
        cfg.workdir = c.working_dir.clone().unwrap_or_else(|| "/".into());
    }
    if cfg.workdir.is_empty() {
        cfg.workdir = "/".into();
    }
    if cfg.user.is_empty() {
        cfg.user = c.user.clone().unwrap_or_default();
    }
    if cfg.stop_signal.is_none() {
        cfg.stop_signal = c.stop_signal.clone();
    }
    Ok(cfg)
}

/// `-P`: a mapping to a free host port for each of the image's ExposedPorts
/// that `-p` did not publish already.
fn publish_exposed(
    image_config: &Ordered<ImageConfig>,
    config: &mut RunConfig,
) -> Result<(), EngineError> {
    use crate::container::ports::{assign_free_ports, parse_publish};
    let exposed = image_config
        .run_config()
        .exposed_ports
        .as_ref()
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for key in exposed {
        let bad = |source| OptionsError::ExposedPort {
            key: key.clone(),
            source,
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
    assign_free_ports(&mut config.ports).map_err(OptionsError::from)?;
    Ok(())
}

/// What `create` made.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateReport {
    pub id: String,
    pub name: String,
    /// Warnings for the user (none yet at create time; kept as data).
    pub warnings: Vec<String>,
    /// The container's record, for a front end that starts it next.
    #[serde(skip)]
    pub record: ContainerRecord,
}

/// Create a container (not started): check the options, find or pull the image,
/// merge its config, reserve the name and write the record, with each named
/// volume made and locked while the record is written (see `engine::volumes`).
pub fn create(
    engine: &Engine,
    opts: &CreateOptions,
    progress: &dyn PullProgress,
) -> Result<CreateReport, EngineError> {
    let run_config = super::options::run_config(opts)?;
    let image = image_for_run(engine, &opts.image, opts.pull, &opts.pull_options, progress)?;
    let image_config = load_config(engine, &image)?;
    let containers = Containers::new(engine.store.root())?;
    let id = crate::container::new_id();
    let mut config = merge_image_config(&image_config, opts, run_config)?;
    if config.hostname.is_empty() {
        config.hostname = id[..12].to_string();
    }
    if opts.publish_all {
        publish_exposed(&image_config, &mut config)?;
    }
    let name = match &opts.name {
        Some(n) => {
            containers.reserve_name(n, &id)?;
            n.clone()
        }
        None => reserve_generated_name(&containers, &id)?,
    };
    let record = ContainerRecord {
        id,
        name: name.clone(),
        image: image.id.clone(),
        image_name: opts.image.clone(),
        created: now_secs(),
        config,
    };
    if let Err(e) = write_record(engine, &containers, &record) {
        containers.release_name(&name);
        return Err(e);
    }
    // Nothing here needs the id maps (files are created with the user's own
    // ids, which are root's in the namespace): a foreground `run` does it while
    // newuidmap and newgidmap still run. Removing what crashed creates left
    // (files of any owner) does: Engine::tidy does that then.
    if !engine.ids_pending() {
        containers.prune_incomplete();
    }
    Ok(CreateReport {
        id: record.id.clone(),
        name,
        warnings: Vec::new(),
        record,
    })
}

/// Write the record with every named volume it mounts made and locked, so a
/// `volume rm` either sees this container or ran before the volume was made.
fn write_record(
    engine: &Engine,
    containers: &Containers,
    record: &ContainerRecord,
) -> Result<(), EngineError> {
    let mut names: Vec<&str> = record
        .config
        .mounts
        .iter()
        .filter_map(|m| match m {
            MountRecord::Volume { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // one order for every process: no lock-order deadlock
    names.sort_unstable();
    names.dedup();
    let mut held = Vec::new();
    for n in names {
        held.push(crate::engine::volumes::attach(engine, n)?);
    }
    containers.create(record)?;
    drop(held);
    Ok(())
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

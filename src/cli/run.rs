//! `run`, `create`, `start`: the options Docker and Podman take, handed to
//! `engine::containers::create` (with `-e KEY` and `--env-file` resolved here),
//! then run in the foreground or under a detached monitor.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use super::output::emit;
use super::progress::Progress;
use super::pull::RegistryArgs;
use crate::engine::containers::{self, CreateOptions, PullPolicy};
use crate::engine::lifecycle::{self, Io};
use crate::engine::pull::PullOptions;
use crate::engine::Engine;
use crate::oci::Platform;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Print help (`-h` is --hostname, as in Docker and Podman)
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Set environment variables (KEY=value, or KEY to copy it from the host)
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: Vec<String>,
    /// Read environment variables from a file
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<std::path::PathBuf>,
    /// Working directory inside the container
    #[arg(short = 'w', long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Run as user[:group] (names or ids from the container's /etc/passwd and /etc/group)
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Override the image's entrypoint
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Container host name
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Keep stdin open
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Bind mount or volume: /host:/ctr[:ro] or name:/ctr[:ro]
    #[arg(short = 'v', long = "volume", value_name = "VOLUME")]
    pub volumes: Vec<String>,
    /// Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]
    #[arg(long = "mount", value_name = "MOUNT")]
    pub mounts: Vec<String>,
    /// Mount a tmpfs: /path[:options]
    #[arg(long = "tmpfs", value_name = "TMPFS")]
    pub tmpfs: Vec<String>,
    /// Network mode: none, host, pasta, slirp4netns, or the default private network
    /// (skiff's own stack)
    #[arg(
        long,
        visible_alias = "net",
        default_value = "private",
        value_name = "MODE"
    )]
    pub network: String,
    /// Restart policy: no, on-failure[:N], always, unless-stopped
    #[arg(long, default_value = "no", value_name = "POLICY")]
    pub restart: String,
    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Run a minimal init as pid 1 that reaps zombies and forwards signals
    #[arg(long)]
    pub init: bool,
    /// Mount the root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// Give the container all capabilities and no masked paths
    #[arg(long)]
    pub privileged: bool,
    /// Add Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// Security options (no-new-privileges)
    #[arg(long, value_name = "OPT")]
    pub security_opt: Vec<String>,
    /// Resource limits: name=soft[:hard]
    #[arg(long, value_name = "ULIMIT")]
    pub ulimit: Vec<String>,
    /// Log options: max-size=SIZE (e.g. 10m) truncates the log before it grows past SIZE
    #[arg(long = "log-opt", value_name = "OPT")]
    pub log_opt: Vec<String>,
    /// Additional groups (numeric ids)
    #[arg(long, value_name = "GID")]
    pub group_add: Vec<u32>,
    /// Labels (key=value)
    #[arg(short = 'l', long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,
    /// Signal to stop the container
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Seconds to wait before killing the container on stop
    #[arg(long, value_name = "SECONDS")]
    pub stop_timeout: Option<u32>,
    /// Memory limit (needs a delegated cgroup; otherwise a warning)
    #[arg(short = 'm', long, value_name = "BYTES")]
    pub memory: Option<String>,
    /// CPU limit (needs a delegated cgroup; otherwise a warning)
    #[arg(long, value_name = "CPUS")]
    pub cpus: Option<String>,
    /// Process limit (needs a delegated cgroup; otherwise a warning)
    #[arg(long, value_name = "N")]
    pub pids_limit: Option<i64>,
    /// Publish a container port: [IP:][HOST_PORT:]PORT[/tcp|udp], ranges too
    #[arg(short = 'p', long = "publish", value_name = "PORT")]
    pub publish: Vec<String>,
    /// Publish every port the image exposes on a free host port
    #[arg(short = 'P', long)]
    pub publish_all: bool,
    /// When to pull the image: always, missing, never, newer
    #[arg(long, value_enum, default_value = "missing")]
    pub pull: PullArg,
    /// Platform of the image to pull
    #[arg(long)]
    pub platform: Option<Platform>,
    #[command(flatten)]
    pub registry: RegistryArgs,
    /// Suppress pull progress
    #[arg(short, long)]
    pub quiet: bool,
    /// Image to run
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Command and arguments
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

/// `--pull` values (the engine's [`PullPolicy`], spelled for clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PullArg {
    Always,
    Missing,
    Never,
    Newer,
}

impl From<PullArg> for PullPolicy {
    fn from(p: PullArg) -> PullPolicy {
        match p {
            PullArg::Always => PullPolicy::Always,
            PullArg::Missing => PullPolicy::Missing,
            PullArg::Never => PullPolicy::Never,
            PullArg::Newer => PullPolicy::Newer,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run in the background and print the container id
    #[arg(short = 'd', long)]
    pub detach: bool,
    #[command(flatten)]
    pub create: CreateArgs,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Attach to the container's output and wait for it
    #[arg(short = 'a', long)]
    pub attach: bool,
    /// Attach stdin (with -a)
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Containers to start
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

/// `--env-file` lines, then `-e` values, each resolved to `KEY=VALUE`: a bare `KEY`
/// copies KEY from the host when set (as Docker does) and is dropped otherwise.
/// Front-end work: the engine never reads the environment.
fn env_from(args: &CreateArgs) -> Result<Vec<String>> {
    let mut env = Vec::new();
    for f in &args.env_file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading env file {}", f.display()))?;
        env.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    env.extend(args.env.iter().cloned());
    Ok(env
        .into_iter()
        .filter_map(|e| match e.split_once('=') {
            Some(_) => Some(e),
            // `-e KEY` copies KEY from the host when set, as Docker does.
            None => super::env::host_var(&e).map(|v| format!("{e}={v}")),
        })
        .collect())
}

/// The engine's create options for these arguments.
fn create_options(args: &CreateArgs) -> Result<CreateOptions> {
    Ok(CreateOptions {
        image: args.image.clone(),
        name: args.name.clone(),
        pull: args.pull.into(),
        pull_options: PullOptions {
            platform: args.platform.clone(),
            registry: args.registry.options(),
        },
        entrypoint: args.entrypoint.clone(),
        command: args.command.clone(),
        env: env_from(args)?,
        workdir: args.workdir.clone(),
        user: args.user.clone(),
        hostname: args.hostname.clone(),
        tty: args.tty,
        interactive: args.interactive,
        volumes: args.volumes.clone(),
        mounts: args.mounts.clone(),
        tmpfs: args.tmpfs.clone(),
        network: args.network.clone(),
        restart: args.restart.clone(),
        auto_remove: args.rm,
        init: args.init,
        read_only: args.read_only,
        privileged: args.privileged,
        cap_add: args.cap_add.clone(),
        cap_drop: args.cap_drop.clone(),
        security_opt: args.security_opt.clone(),
        ulimit: args.ulimit.clone(),
        log_opt: args.log_opt.clone(),
        group_add: args.group_add.clone(),
        labels: args.labels.clone(),
        stop_signal: args.stop_signal.clone(),
        stop_timeout: args.stop_timeout,
        memory: args.memory.clone(),
        cpus: args.cpus.clone(),
        pids_limit: args.pids_limit,
        publish: args.publish.clone(),
        publish_all: args.publish_all,
    })
}

fn create_record(engine: &Engine, args: &CreateArgs) -> Result<crate::container::ContainerRecord> {
    let opts = create_options(args)?;
    let progress = Progress::new(args.quiet);
    let report = containers::create(engine, &opts, &progress)?;
    report.warnings.iter().for_each(|w| super::warn(w));
    Ok(report.record)
}

pub fn create(engine: &Engine, args: &CreateArgs) -> Result<i32> {
    let record = create_record(engine, args)?;
    emit(&format!("{}\n", record.id))?;
    Ok(0)
}

pub fn run(engine: &Engine, args: &RunArgs) -> Result<i32> {
    let record = create_record(engine, &args.create)?;
    super::debug("container created");
    if args.detach {
        let warnings = match lifecycle::start_detached(engine, &record) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("Error: {e}");
                return Ok(super::exit::code_of(&e));
            }
        };
        warnings.iter().for_each(|w| super::warn(w));
        emit(&format!("{}\n", record.id))?;
        return Ok(0);
    }
    foreground(engine, &record)
}

/// Run under this process; print the container's failure like Podman; honour --rm.
fn foreground(engine: &Engine, record: &crate::container::ContainerRecord) -> Result<i32> {
    let handle = std::sync::Arc::new(lifecycle::RunHandle::new());
    let mut on_start = |r: Result<&[String], &crate::engine::EngineError>| {
        if let Ok(w) = r {
            w.iter().for_each(|w| super::warn(w));
            super::caller::forward_signals(handle.clone(), record.config.tty);
        }
    };
    let io = Io::Caller(super::caller::caller_io());
    let result = lifecycle::supervise(engine, record, io, &handle, &mut on_start);
    super::debug("container exited");
    if record.config.auto_remove {
        containers::remove_exited_in_background(engine, record, handle.take_teardown())?;
        super::debug("container removed");
    }
    match result {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("Error: {e}");
            Ok(super::exit::code_of(&e))
        }
    }
}

pub fn start(engine: &Engine, args: &StartArgs) -> Result<i32> {
    let mut code = 0;
    for c in &args.containers {
        let view = containers::find(engine, c)?;
        if matches!(view.state.status, crate::container::Status::Running) {
            continue;
        }
        if args.attach {
            let mut record = view.record.clone();
            record.config.interactive |= args.interactive;
            code = foreground(engine, &record)?;
        } else {
            lifecycle::start_detached(engine, &view.record)?
                .iter()
                .for_each(|w| super::warn(w));
            emit(&format!("{c}\n"))?;
        }
    }
    Ok(code)
}

/// `restart`: the containers were stopped before the user namespace was entered;
/// start them again.
pub fn restart(engine: &Engine, args: &super::containers::StopArgs) -> Result<i32> {
    let names = super::containers::names_or_all(engine, &args.containers, args.all)?;
    start(
        engine,
        &StartArgs {
            attach: false,
            interactive: false,
            containers: names,
        },
    )
}

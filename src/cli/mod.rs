//! Command line: clap definitions (one file per command group), output, and the
//! process frame: parse, enter the user namespace when the command needs it, run the
//! operation, print, map errors to Docker's exit codes. The only module that prints.

mod archive_cmds;
mod attach;
mod build;
mod caller;
mod containers;
pub mod env;
mod exec;
mod exit;
pub mod format;
mod humanize;
mod images;
mod internal;
mod lazy;
mod login;
mod logs;
mod output;
mod progress;
mod pull;
mod push;
mod run;
mod system;
mod top;
mod usage;
mod volumes;

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};

use clap::{CommandFactory, Parser, Subcommand};

use crate::engine::{Engine, EngineConfig};
use crate::store::Store;
use crate::sys::userns::{self, FallbackReason, MapKind};
use lazy::{Lazy, LazyGroup};
pub use usage::confirm_prune;

pub use exit::EXIT_FAILURE;

static LOG_LEVEL: AtomicU8 = AtomicU8::new(1);

/// Log levels, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// skiff: build, pull, push and run containers, rootless and without a daemon.
#[derive(Debug, Parser)]
#[command(
    name = "skiff",
    version,
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Path to the store (default $XDG_DATA_HOME/skiff)
    #[arg(long, global = true, env = "SKIFF_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Path to the run-state directory (default $XDG_RUNTIME_DIR/skiff)
    #[arg(long, global = true, env = "SKIFF_RUNROOT", value_name = "DIR")]
    pub runroot: Option<PathBuf>,
    /// Log messages at this level and above
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "warn",
        value_name = "LEVEL"
    )]
    pub log_level: LogLevel,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a command in a new container
    #[command(disable_help_flag = true)]
    Run(Lazy<run::RunArgs>),
    /// Create a container without starting it
    #[command(disable_help_flag = true)]
    Create(Lazy<run::CreateArgs>),
    /// Start containers
    Start(Lazy<run::StartArgs>),
    /// Stop running containers (stop signal, then SIGKILL after a timeout)
    Stop(Lazy<containers::StopArgs>),
    /// Stop and start containers again
    Restart(Lazy<containers::StopArgs>),
    /// Send a signal to containers
    Kill(Lazy<containers::KillArgs>),
    /// Remove containers
    Rm(Lazy<containers::RmArgs>),
    /// List containers
    Ps(Lazy<containers::PsArgs>),
    /// Block until containers stop and print their exit codes
    Wait(Lazy<containers::NamesArgs>),
    /// Show a container's output
    Logs(Lazy<logs::LogsArgs>),
    /// Run a process in a running container
    Exec(Lazy<exec::ExecArgs>),
    /// Attach stdin, stdout and stderr to a running container
    Attach(Lazy<attach::AttachArgs>),
    /// Rename a container
    Rename(Lazy<containers::RenameArgs>),
    /// Copy files between a container and the host
    Cp(Lazy<top::CpArgs>),
    /// Display the processes of a container
    Top(Lazy<containers::TopArgs>),
    /// List a container's published ports
    Port(Lazy<containers::PortArgs>),
    /// Manage containers
    #[command(subcommand)]
    Container(LazyGroup<ContainerCommand>),
    /// Manage volumes
    #[command(subcommand)]
    Volume(LazyGroup<volumes::VolumeCommand>),
    /// Build an image from a Dockerfile
    Build(Lazy<build::BuildArgs>),
    /// Create a new image from a container's changes
    Commit(Lazy<build::CommitArgs>),
    /// Show the history of an image
    History(Lazy<build::HistoryArgs>),
    /// Pull an image from a registry
    Pull(Lazy<pull::PullArgs>),
    /// Push an image to a registry
    Push(Lazy<push::PushArgs>),
    /// Log in to a registry (credentials are checked, then stored)
    Login(Lazy<login::LoginArgs>),
    /// Remove the stored credentials of a registry
    Logout(Lazy<login::LogoutArgs>),
    /// Save images to an archive (docker-archive, oci-archive or oci-dir)
    Save(Lazy<archive_cmds::SaveArgs>),
    /// Load images from a docker-archive or oci-archive (gzip-compressed or not)
    Load(Lazy<archive_cmds::LoadArgs>),
    /// Export a container's filesystem as a tar archive
    Export(Lazy<archive_cmds::ExportArgs>),
    /// Create an image from a tarball (a file, a URL or stdin)
    Import(Lazy<archive_cmds::ImportArgs>),
    /// List images in local storage
    #[command(visible_alias = "list")]
    Images(Lazy<images::ImagesArgs>),
    /// Manage images
    #[command(subcommand)]
    Image(LazyGroup<images::ImageCommand>),
    /// Display the configuration of containers or images
    Inspect(Lazy<images::InspectArgs>),
    /// Add an additional name to a local image
    Tag(Lazy<images::TagArgs>),
    /// Remove one or more images from local storage
    Rmi(Lazy<images::RmiArgs>),
    /// Display skiff system information
    Info(Lazy<system::InfoArgs>),
    /// Display the skiff version information
    Version(Lazy<system::VersionArgs>),
    /// Manage skiff
    #[command(subcommand)]
    System(LazyGroup<system::SystemCommand>),
}

/// `container …`: the container verbs under one group, as Podman has them.
#[derive(Debug, Subcommand)]
pub enum ContainerCommand {
    /// Run a command in a new container
    #[command(disable_help_flag = true)]
    Run(Lazy<run::RunArgs>),
    /// Create a container without starting it
    #[command(disable_help_flag = true)]
    Create(Lazy<run::CreateArgs>),
    /// Start containers
    Start(Lazy<run::StartArgs>),
    /// Stop running containers
    Stop(Lazy<containers::StopArgs>),
    /// Stop and start containers again
    Restart(Lazy<containers::StopArgs>),
    /// Send a signal to containers
    Kill(Lazy<containers::KillArgs>),
    /// Remove containers
    Rm(Lazy<containers::RmArgs>),
    /// List containers
    #[command(visible_alias = "ps", alias = "list")]
    Ls(Lazy<containers::PsArgs>),
    /// Block until containers stop
    Wait(Lazy<containers::NamesArgs>),
    /// Show a container's output
    Logs(Lazy<logs::LogsArgs>),
    /// Run a process in a running container
    Exec(Lazy<exec::ExecArgs>),
    /// Display the configuration of containers
    Inspect(Lazy<containers::InspectArgs>),
    /// Rename a container
    Rename(Lazy<containers::RenameArgs>),
    /// Display the processes of a container
    Top(Lazy<containers::TopArgs>),
    /// List a container's published ports
    Port(Lazy<containers::PortArgs>),
    /// Remove all stopped containers
    Prune(Lazy<containers::PruneArgs>),
    /// Export a container's filesystem as a tar archive
    Export(Lazy<archive_cmds::ExportArgs>),
}

impl ContainerCommand {
    /// The same command at top level (`container ls` is `ps`).
    fn flatten(self) -> Command {
        match self {
            ContainerCommand::Run(a) => Command::Run(a),
            ContainerCommand::Create(a) => Command::Create(a),
            ContainerCommand::Start(a) => Command::Start(a),
            ContainerCommand::Stop(a) => Command::Stop(a),
            ContainerCommand::Restart(a) => Command::Restart(a),
            ContainerCommand::Kill(a) => Command::Kill(a),
            ContainerCommand::Rm(a) => Command::Rm(a),
            ContainerCommand::Ls(a) => Command::Ps(a),
            ContainerCommand::Wait(a) => Command::Wait(a),
            ContainerCommand::Logs(a) => Command::Logs(a),
            ContainerCommand::Exec(a) => Command::Exec(a),
            ContainerCommand::Rename(a) => Command::Rename(a),
            ContainerCommand::Top(a) => Command::Top(a),
            ContainerCommand::Port(a) => Command::Port(a),
            ContainerCommand::Export(a) => Command::Export(a),
            other => Command::Container(LazyGroup(other)),
        }
    }
}

impl Command {
    /// Whether the command changes container-owned files or starts containers, and
    /// so must run inside the user namespace. Commands that signal or join running
    /// containers (stop, kill, exec) must not: the host user owns the containers'
    /// namespaces, a sibling namespace would not.
    fn needs_userns(&self) -> bool {
        match self {
            Command::Pull(_) | Command::Rmi(_) | Command::Run(_) | Command::Create(_) => true,
            Command::Load(_) | Command::Import(_) => true,
            Command::Build(_) | Command::Commit(_) => true,
            Command::Start(_) | Command::Restart(_) | Command::Rm(_) => true,
            Command::Container(c) => matches!(c.0, ContainerCommand::Prune(_)),
            Command::Image(c) => c.needs_userns(),
            Command::System(c) => c.needs_userns(),
            Command::Volume(c) => c.needs_userns(),
            _ => false,
        }
    }
}

/// The whole clap command, for docs and completions.
pub fn command() -> clap::Command {
    lazy::build_eagerly();
    Cli::command()
}

/// Print a warning (one line, stderr) when the log level allows.
pub fn warn(msg: &str) {
    if LOG_LEVEL.load(Ordering::Relaxed) >= LogLevel::Warn as u8 {
        say_err(&format!("WARN[0000] {msg}"));
    }
}

/// One line to stderr. Not `eprintln!`, which panics when stderr is a closed
/// pipe (`2>&1 | head`): that would stop a pull or a run halfway.
pub fn say_err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Print a debug line when `--log-level debug`, with the milliseconds since the
/// process started (to see where a command spends its time).
pub fn debug(msg: &str) {
    crate::trace::mark(msg);
}

/// Entry point: returns the process exit code.
pub fn main() -> i32 {
    if let Some(code) = internal::dispatch() {
        return code;
    }
    crate::trace::start_clock();
    // Descriptors the caller leaked to us (a test runner's pipes, a shell's
    // files) go to none of our helpers or containers: pasta or a RUN step that
    // outlives a killed skiff must not keep the caller's pipes open. Those we
    // pass on on purpose are cleared one by one.
    let _ = crate::sys::process::cloexec_from(3);
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        // Bare `skiff` (or a bare group, `skiff volume`): the usage on stdout,
        // then the error, exit 125, as Podman.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(std::io::stdout().lock(), "{}", e.render());
            say_err(&format!(
                "Error: missing command '{} COMMAND'",
                usage::command_path(&e)
            ));
            return EXIT_FAILURE;
        }
        Err(e) if e.use_stderr() => {
            say_err(&format!("Error: {}", usage::usage_error_line(&e)));
            return EXIT_FAILURE;
        }
        Err(e) => {
            let _ = e.print();
            return 0;
        }
    };
    LOG_LEVEL.store(cli.log_level as u8, Ordering::Relaxed);
    crate::trace::enable(cli.log_level >= LogLevel::Debug);
    debug("command line parsed");
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {}", one_line(&e));
            EXIT_FAILURE
        }
    }
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ").replace('\n', " ")
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    // Paths first: inside the user namespace our uid reads as 0.
    let config = env::engine_config(cli.root.clone(), cli.runroot.clone());
    match &cli.command {
        Command::Version(args) => return system::version(args),
        Command::Login(args) => return login::login(args, &config.auth_files),
        Command::Logout(args) => return login::logout(args, &config.auth_files),
        _ => {}
    }
    let command = match cli.command {
        Command::Container(c) => c.0.flatten(),
        other => other,
    };
    // Work that must happen in the host namespace before entering ours: stopping
    // containers for `rm -f` and `restart`.
    if matches!(command, Command::Rm(_) | Command::Restart(_)) {
        let engine = Engine::open(config.clone(), MapKind::Identity)?;
        match &command {
            Command::Rm(a) => containers::rm_stop_first(&engine, a)?,
            Command::Restart(a) => {
                containers::stop_for_restart(&engine, a)?;
            }
            _ => {}
        }
    }
    // A foreground `run` creates its container while newuidmap and newgidmap
    // still write the id maps (see Engine::with_pending_ids).
    let overlap = matches!(&command, Command::Run(a) if !a.detach);
    let (map_kind, pending) = if command.needs_userns() {
        enter_userns(&config, overlap)?
    } else {
        (MapKind::Identity, None)
    };
    let store = Store::open(&config.root, &config.runroot)?;
    let engine = match pending {
        Some(p) => Engine::with_pending_ids(config, store, map_kind, p),
        None => {
            if command.needs_userns() {
                store.sweep();
            }
            Engine::with_config(config, store, map_kind)
        }
    };
    engine.seed_if_new()?;
    debug("store open");
    match command {
        Command::Run(a) => run::run(&engine, &a),
        Command::Create(a) => run::create(&engine, &a),
        Command::Start(a) => run::start(&engine, &a),
        Command::Restart(a) => run::restart(&engine, &a),
        Command::Stop(a) => containers::stop(&engine, &a),
        Command::Kill(a) => containers::kill(&engine, &a),
        Command::Rm(a) => containers::rm(&engine, &a),
        Command::Ps(a) => containers::ps(&engine, &a),
        Command::Wait(a) => containers::wait(&engine, &a),
        Command::Logs(a) => logs::logs(&engine, &a),
        Command::Exec(a) => exec::exec(&engine, &a),
        Command::Attach(a) => attach::attach(&engine, &a),
        Command::Rename(a) => containers::rename(&engine, &a),
        Command::Top(a) => top::top(&engine, &a),
        Command::Cp(a) => top::cp(&engine, &a),
        Command::Port(a) => top::port(&engine, &a),
        Command::Container(LazyGroup(ContainerCommand::Inspect(a))) => {
            containers::inspect(&engine, &a)
        }
        Command::Container(LazyGroup(ContainerCommand::Prune(a))) => containers::prune(&engine, &a),
        Command::Container(_) => unreachable!("flattened above"),
        Command::Volume(c) => volumes::run(&engine, c.0),
        Command::Build(a) => build::build(&engine, &a),
        Command::Commit(a) => build::commit(&engine, &a),
        Command::History(a) => build::history(&engine, &a),
        Command::Pull(a) => pull::run(&engine, &a),
        Command::Push(a) => push::run(&engine, &a),
        Command::Save(a) => archive_cmds::save(&engine, &a),
        Command::Load(a) => archive_cmds::load(&engine, &a),
        Command::Export(a) => archive_cmds::export(&engine, &a),
        Command::Import(a) => archive_cmds::import(&engine, &a),
        Command::Login(a) => login::login(&a, &engine.config.auth_files),
        Command::Logout(a) => login::logout(&a, &engine.config.auth_files),
        Command::Images(a) => images::list(&engine, &a),
        Command::Image(c) => images::run_image(&engine, c.0),
        Command::Inspect(a) => inspect_any(&engine, &a),
        Command::Tag(a) => images::tag(&engine, &a),
        Command::Rmi(a) => images::rmi(&engine, &a),
        Command::Info(a) => system::info(&engine, &a),
        Command::System(c) => system::run_system(&engine, c.0),
        Command::Version(a) => system::version(&a),
    }
}

/// `inspect`: containers first, then images, as Podman does.
fn inspect_any(engine: &Engine, args: &images::InspectArgs) -> anyhow::Result<i32> {
    let format = format::Format::parse(args.format.as_deref())?;
    let mut items = Vec::new();
    for name in &args.images {
        match crate::engine::containers::find(engine, name) {
            Ok(v) => items.push(containers::inspect_value(engine, &v)),
            // An id prefix of several containers is that, not an unknown image.
            Err(
                e @ crate::engine::EngineError::Container(
                    crate::container::ContainerError::Ambiguous(_),
                ),
            ) => return Err(e.into()),
            Err(_) => items.push(serde_json::to_value(crate::engine::inspect::inspect(
                engine, name,
            )?)?),
        }
    }
    output::print_inspect(&format, &items)?;
    Ok(0)
}

/// Enter the user namespace, warning once per boot when ids cannot all be mapped.
/// With `overlap`, the id maps may still be pending (see
/// [`userns::enter_unmapped`]).
fn enter_userns(
    config: &EngineConfig,
    overlap: bool,
) -> anyhow::Result<(MapKind, Option<userns::Pending>)> {
    let mapping = crate::sys::idmap::current_mapping(std::path::Path::new("/etc"));
    let (kind, reason, pending) = if overlap {
        userns::enter_unmapped(&mapping, &config.helper_path)?
    } else {
        let (kind, reason) = userns::enter(&mapping, &config.helper_path)?;
        (kind, reason, None)
    };
    if let Some(reason) = reason {
        let marker = config.runroot.join("warned-single-id");
        if !marker.exists() {
            let why = match reason {
                FallbackReason::NoRange => format!(
                    "no subordinate id range for uid {} in /etc/subuid and /etc/subgid",
                    mapping.uid
                ),
                FallbackReason::NoHelper(tool) => {
                    format!("{tool} is not installed (Debian/Ubuntu: apt-get install uidmap)")
                }
            };
            warn(&format!("{why}: mapping only your own id; files owned by other users in images are owned by root in containers"));
            if let Some(dir) = marker.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(&marker, b"");
        }
    }
    debug(&format!("user namespace: {kind:?}"));
    Ok((kind, pending))
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command, ContainerCommand};

    #[test]
    fn clap_definitions_are_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn deferred_commands_parse_their_arguments() {
        let cli =
            Cli::try_parse_from(["skiff", "--root", "/r", "run", "--rm", "-d", "img", "true"])
                .expect("parses");
        assert_eq!(cli.root.as_deref(), Some(std::path::Path::new("/r")));
        let Command::Run(a) = cli.command else {
            panic!("not run: {:?}", cli.command)
        };
        assert!(a.detach && a.create.rm);
        assert_eq!(a.create.image, "img");
        let cli = Cli::try_parse_from(["skiff", "container", "ls", "-a", "--log-level", "debug"])
            .expect("parses");
        assert!(
            matches!(cli.command, Command::Container(c) if matches!(c.0, ContainerCommand::Ls(ref p) if p.all))
        );
        assert!(Cli::try_parse_from(["skiff", "run", "--no-such-flag", "img"]).is_err());
    }

    #[test]
    fn deferred_commands_keep_their_own_help_line() {
        let mut cmd = Cli::command();
        cmd.build();
        let about = |name: &str| {
            cmd.find_subcommand(name)
                .and_then(|c| c.get_about())
                .map(|a| a.to_string())
                .unwrap_or_default()
        };
        assert_eq!(about("run"), "Run a command in a new container");
        assert_eq!(about("container"), "Manage containers");
    }
}

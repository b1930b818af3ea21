//! Container commands that need no new container: ps, stop, kill, rm, wait, logs,
//! inspect, rename, restart, prune, top, port, exec: their arguments, and the
//! rendering of what `engine::containers` and `engine::inspect` report.

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::humanize;
use super::output::{emit, print_inspect, print_listing, Listing};
use crate::container::ContainerError;
use crate::engine::containers::{
    self, ContainerSummary, ContainerView, KillOptions, ListOptions, RemoveOptions, StopOptions,
};
use crate::engine::{now_secs, Engine, EngineError};

#[derive(Debug, Args)]
pub struct PsArgs {
    /// Show all containers (default: running only)
    #[arg(short, long)]
    pub all: bool,
    /// Show only container ids
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate ids and commands
    #[arg(long)]
    pub no_trunc: bool,
    /// Filter: status=, name=, id=, label=, ancestor=, exited=
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Pretty-print with a Go template, `json`, or `table …`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Show only the latest container
    #[arg(short = 'l', long)]
    pub latest: bool,
    /// Do not print column headings
    #[arg(short = 'n', long)]
    pub noheading: bool,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// Seconds to wait before killing the container
    #[arg(
        short = 't',
        long = "time",
        visible_alias = "timeout",
        value_name = "SECONDS"
    )]
    pub time: Option<u64>,
    /// Stop every running container
    #[arg(short, long)]
    pub all: bool,
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct KillArgs {
    /// Signal to send
    #[arg(short, long, default_value = "KILL", value_name = "SIGNAL")]
    pub signal: String,
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Stop running containers first
    #[arg(short, long)]
    pub force: bool,
    /// Remove anonymous volumes too
    #[arg(short, long)]
    pub volumes: bool,
    /// Remove every container
    #[arg(short, long)]
    pub all: bool,
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NamesArgs {
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Format the output with a Go template or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct TopArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Debug, Args)]
pub struct PortArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Only this container port (PORT[/PROTO])
    #[arg(value_name = "PRIVATE_PORT")]
    pub port: Option<String>,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ContainerCommand {
    /// List containers
    #[command(visible_alias = "list")]
    Ls(PsArgs),
    /// Display the configuration of containers
    Inspect(InspectArgs),
    /// Remove all stopped containers
    Prune(PruneArgs),
}

fn short(id: &str, no_trunc: bool) -> String {
    if no_trunc {
        id.to_string()
    } else {
        id[..12.min(id.len())].to_string()
    }
}

fn ps_row(v: &ContainerSummary, no_trunc: bool) -> Value {
    let cmd = &v.command;
    let cmd = if no_trunc || cmd.chars().count() <= 20 {
        cmd.clone()
    } else {
        format!("{}…", cmd.chars().take(19).collect::<String>())
    };
    let ports = v
        .ports
        .iter()
        .map(|p| {
            format!(
                "{}:{}->{}/{}",
                p.ip, p.public_port, p.private_port, p.protocol
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    json!({
        "ID": short(&v.id, no_trunc),
        "Image": v.image,
        "Command": cmd,
        "CreatedAt": humanize::timestamp(v.created as i64),
        "RunningFor": humanize::ago(now_secs().saturating_sub(v.created)),
        "Created": humanize::ago(now_secs().saturating_sub(v.created)),
        "Status": v.status,
        "State": v.state,
        "Ports": ports,
        "Names": v.names.join(","),
        "ExitCode": v.exit_code,
        "Labels": v.label_list.iter().map(|(k, x)| format!("{k}={x}")).collect::<Vec<_>>().join(","),
    })
}

/// Podman's `ps --format json` entry.
fn ps_json(v: &ContainerSummary) -> Value {
    json!({
        "AutoRemove": v.auto_remove,
        "Command": v.args,
        "Created": v.created,
        "CreatedAt": humanize::timestamp(v.created as i64),
        "Exited": v.exited,
        "ExitedAt": v.exited_at,
        "ExitCode": v.exit_code,
        "Id": v.id,
        "Image": v.image,
        "ImageID": v.image_id,
        "Labels": v.labels,
        "Names": v.names,
        "Pid": v.pid,
        "Ports": v.ports.iter().map(|p| json!({
            "host_ip": p.host_ip,
            "container_port": p.private_port,
            "host_port": p.public_port,
            "range": 1,
            "protocol": p.protocol,
        })).collect::<Vec<_>>(),
        "StartedAt": v.started_at,
        "State": v.state,
        "Status": v.status,
    })
}

pub fn ps(engine: &Engine, args: &PsArgs) -> Result<i32> {
    let opts = ListOptions {
        all: args.all,
        filters: args.filter.clone(),
        latest: args.latest,
    };
    let listed = containers::list(engine, &opts)?;
    if args.quiet {
        return emit(
            &listed
                .iter()
                .map(|v| short(&v.id, args.no_trunc) + "\n")
                .collect::<String>(),
        )
        .map(|()| 0);
    }
    let format = Format::parse(args.format.as_deref())?;
    let rows: Vec<Value> = listed.iter().map(|v| ps_row(v, args.no_trunc)).collect();
    let json = Value::Array(listed.iter().map(ps_json).collect());
    let headers = |f: &str| match f {
        "ID" => Some("CONTAINER ID".to_string()),
        "RunningFor" | "Created" => Some("CREATED".to_string()),
        _ => None,
    };
    let table =
        "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Created}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    print_listing(
        &format,
        &Listing {
            rows: &rows,
            json: &json,
            default_table: table,
            headers: &headers,
            no_heading: args.noheading,
        },
    )?;
    Ok(0)
}

/// The containers named, or the ids of all of them with `--all`.
pub fn names_or_all(engine: &Engine, names: &[String], all: bool) -> Result<Vec<String>> {
    if all {
        return Ok(containers::views(engine)?
            .into_iter()
            .map(|v| v.record.id)
            .collect());
    }
    Ok(names.to_vec())
}

fn targets(engine: &Engine, names: &[String], all: bool) -> Result<Vec<ContainerView>> {
    if all {
        return Ok(containers::views(engine)?);
    }
    names
        .iter()
        .map(|n| Ok(containers::find(engine, n)?))
        .collect()
}

pub fn stop(engine: &Engine, args: &StopArgs) -> Result<i32> {
    stop_each(engine, args, !args.all)
}

/// The stop half of `restart`, which prints the names once, after the start.
pub fn stop_for_restart(engine: &Engine, args: &StopArgs) -> Result<i32> {
    stop_each(engine, args, false)
}

fn stop_each(engine: &Engine, args: &StopArgs, print: bool) -> Result<i32> {
    if args.containers.is_empty() && !args.all {
        bail!("stop needs at least one container (or --all)");
    }
    let opts = StopOptions { timeout: args.time };
    for v in targets(engine, &args.containers, args.all)? {
        let stopped = containers::stop(engine, &v, &opts)?;
        if print {
            emit(&format!("{}\n", stopped.name))?;
        }
    }
    Ok(0)
}

pub fn kill(engine: &Engine, args: &KillArgs) -> Result<i32> {
    let opts = KillOptions {
        signal: args.signal.clone(),
    };
    for c in &args.containers {
        let killed = containers::kill(engine, c, &opts)?;
        emit(&format!("{}\n", killed.name))?;
    }
    Ok(0)
}

/// The part of `rm` that must run in the host namespace, before entering ours.
pub fn rm_stop_first(engine: &Engine, args: &RmArgs) -> Result<()> {
    containers::stop_before_remove(engine, &args.containers, args.all, args.force)?;
    Ok(())
}

pub fn rm(engine: &Engine, args: &RmArgs) -> Result<i32> {
    if args.containers.is_empty() && !args.all {
        bail!("rm needs at least one container (or --all)");
    }
    let opts = RemoveOptions {
        force: args.force,
        volumes: args.volumes,
    };
    let mut code = 0;
    for name in names_or_all(engine, &args.containers, args.all)? {
        match containers::remove(engine, &name, &opts) {
            Ok(_) => emit(&format!("{name}\n"))?,
            // -f ignores containers that do not exist (Docker, Podman).
            Err(EngineError::Container(ContainerError::NotFound(_))) if args.force => {}
            Err(e) => {
                eprintln!("Error: {e}");
                code = code.max(super::exit::item_code(&e));
            }
        }
    }
    Ok(code)
}

pub fn wait(engine: &Engine, args: &NamesArgs) -> Result<i32> {
    for c in &args.containers {
        let code = containers::wait(engine, c)?;
        emit(&format!("{code}\n"))?;
    }
    Ok(0)
}

/// Podman-style `container inspect` JSON (built by `engine::inspect`).
pub fn inspect_value(engine: &Engine, v: &ContainerView) -> Value {
    serde_json::to_value(crate::engine::inspect::of_view(engine, v)).unwrap_or(Value::Null)
}

pub fn inspect(engine: &Engine, args: &InspectArgs) -> Result<i32> {
    let format = Format::parse(args.format.as_deref())?;
    let mut items = Vec::new();
    for c in &args.containers {
        items.push(serde_json::to_value(crate::engine::inspect::container(
            engine, c,
        )?)?);
    }
    print_inspect(&format, &items)?;
    Ok(0)
}

pub fn rename(engine: &Engine, args: &RenameArgs) -> Result<i32> {
    containers::rename(engine, &args.container, &args.name)?;
    Ok(0)
}

/// `container prune`: every container that is not running (Created ones too), as
/// Docker and Podman do.
pub fn prune(engine: &Engine, args: &PruneArgs) -> Result<i32> {
    if !super::confirm_prune(
        args.force,
        "container prune",
        "This will remove all non running containers.",
    )? {
        return Ok(0);
    }
    let mut emitted = Ok(());
    let result = containers::prune(engine, &mut |id| {
        if emitted.is_ok() {
            emitted = emit(&format!("{id}\n"));
        }
    });
    emitted?;
    result?;
    Ok(0)
}

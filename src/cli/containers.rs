//! Container commands that need no new container: ps, stop, kill, rm, wait, logs,
//! inspect, rename, restart, prune, top, port, exec.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::humanize;
use super::output::{emit, print_inspect, print_listing, Listing};
use crate::container::{MountRecord, Status};
use crate::engine::containers::{self, ContainerView};
use crate::engine::lifecycle;
use crate::engine::{now_secs, Engine};

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

/// Podman's STATUS column.
pub fn status_text(v: &ContainerView) -> String {
    let now = now_secs();
    match v.state.status {
        Status::Created => "Created".into(),
        Status::Running | Status::Stopping => {
            format!(
                "Up {}",
                humanize::duration(now.saturating_sub(v.state.started_at.unwrap_or(now)))
            )
        }
        Status::Exited => match v.state.exit_code {
            Some(c) => format!(
                "Exited ({c}) {}",
                humanize::ago(now.saturating_sub(v.state.finished_at.unwrap_or(now)))
            ),
            None => format!(
                "Exited (unknown) {}",
                humanize::ago(now.saturating_sub(v.state.finished_at.unwrap_or(now)))
            ),
        },
    }
}

fn ps_row(v: &ContainerView, no_trunc: bool) -> Value {
    let cmd = v.record.config.args.join(" ");
    let cmd = if no_trunc || cmd.chars().count() <= 20 {
        cmd
    } else {
        format!("{}…", cmd.chars().take(19).collect::<String>())
    };
    json!({
        "ID": short(&v.record.id, no_trunc),
        "Image": v.record.image_name,
        "Command": cmd,
        "CreatedAt": humanize::timestamp(v.record.created as i64),
        "RunningFor": humanize::ago(now_secs().saturating_sub(v.record.created)),
        "Created": humanize::ago(now_secs().saturating_sub(v.record.created)),
        "Status": status_text(v),
        "State": v.state.status.as_str(),
        "Ports": v.record.config.ports.iter().map(|p| p.ps_text()).collect::<Vec<_>>().join(", "),
        "Names": v.record.name,
        "ExitCode": v.state.exit_code.unwrap_or(0),
        "Labels": v.record.config.labels.iter().map(|(k, x)| format!("{k}={x}")).collect::<Vec<_>>().join(","),
    })
}

fn ps_json(v: &ContainerView) -> Value {
    json!({
        "AutoRemove": v.record.config.auto_remove,
        "Command": v.record.config.args,
        "Created": v.record.created,
        "CreatedAt": humanize::timestamp(v.record.created as i64),
        "Exited": v.state.status == Status::Exited,
        "ExitedAt": v.state.finished_at.unwrap_or(0),
        "ExitCode": v.state.exit_code.unwrap_or(0),
        "Id": v.record.id,
        "Image": v.record.image_name,
        "ImageID": v.record.image.hex(),
        "Labels": labels(&v.record.config.labels),
        "Names": [v.record.name],
        "Pid": v.state.pid.unwrap_or(0),
        "Ports": v.record.config.ports.iter().map(|p| json!({
            "host_ip": p.host_ip,
            "container_port": p.container_port,
            "host_port": p.host_port,
            "range": 1,
            "protocol": p.protocol,
        })).collect::<Vec<_>>(),
        "StartedAt": v.state.started_at.unwrap_or(0),
        "State": v.state.status.as_str(),
        "Status": status_text(v),
    })
}

fn labels(l: &[(String, String)]) -> Value {
    Value::Object(
        l.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn matches_filter(v: &ContainerView, filter: &str) -> Result<bool> {
    let (k, want) = filter
        .split_once('=')
        .with_context(|| format!("invalid filter {filter:?}: expected key=value"))?;
    Ok(match k {
        "status" => v.state.status.as_str() == want,
        "name" => v.record.name.contains(want),
        "id" => v.record.id.starts_with(want),
        "ancestor" => v.record.image_name == want || v.record.image.hex().starts_with(want),
        "exited" => {
            v.state.status == Status::Exited
                && v.state.exit_code.map(|c| c.to_string()).as_deref() == Some(want)
        }
        "label" => {
            let (lk, lv) = want
                .split_once('=')
                .map_or((want, None), |(a, b)| (a, Some(b)));
            v.record
                .config
                .labels
                .iter()
                .any(|(a, b)| a == lk && lv.is_none_or(|lv| lv == b))
        }
        other => bail!("invalid filter {other:?}: use status, name, id, label, ancestor or exited"),
    })
}

pub fn ps(engine: &Engine, args: &PsArgs) -> Result<i32> {
    let mut views = containers::list(engine)?;
    views.retain(|v| {
        args.all
            || !args.filter.is_empty()
            || matches!(v.state.status, Status::Running | Status::Stopping)
    });
    for f in &args.filter {
        let mut kept = Vec::new();
        for v in views {
            if matches_filter(&v, f)? {
                kept.push(v);
            }
        }
        views = kept;
    }
    views.sort_by_key(|v| std::cmp::Reverse(v.record.created));
    if args.latest {
        views.truncate(1);
    }
    if args.quiet {
        return emit(
            &views
                .iter()
                .map(|v| short(&v.record.id, args.no_trunc) + "\n")
                .collect::<String>(),
        )
        .map(|()| 0);
    }
    let format = Format::parse(args.format.as_deref())?;
    let rows: Vec<Value> = views.iter().map(|v| ps_row(v, args.no_trunc)).collect();
    let json = Value::Array(views.iter().map(ps_json).collect());
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
        return Ok(containers::list(engine)?
            .into_iter()
            .map(|v| v.record.id)
            .collect());
    }
    Ok(names.to_vec())
}

fn targets(engine: &Engine, names: &[String], all: bool) -> Result<Vec<ContainerView>> {
    if all {
        return Ok(containers::list(engine)?);
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
    for v in targets(engine, &args.containers, args.all)? {
        let t = args
            .time
            .or(v.record.config.stop_timeout.map(u64::from))
            .unwrap_or(10);
        lifecycle::stop(engine, &v, Duration::from_secs(t))?;
        if print {
            emit(&format!("{}\n", v.record.name))?;
        }
    }
    Ok(0)
}

pub fn kill(engine: &Engine, args: &KillArgs) -> Result<i32> {
    let sig = lifecycle::parse_signal(&args.signal)
        .with_context(|| format!("invalid signal {:?}", args.signal))?;
    for c in &args.containers {
        let v = containers::find(engine, c)?;
        if matches!(
            sig,
            nix::sys::signal::Signal::SIGKILL | nix::sys::signal::Signal::SIGTERM
        ) {
            lifecycle::mark_stopped(engine, &v.record.id)?;
        }
        lifecycle::kill(&v, sig)?;
        emit(&format!("{}\n", v.record.name))?;
    }
    Ok(0)
}

/// The part of `rm` that must run in the host namespace, before entering ours:
/// stopping (with -f), and stopping network helpers a killed monitor left behind
/// (only the owner of the container's namespace may signal them).
pub fn rm_stop_first(engine: &Engine, args: &RmArgs) -> Result<()> {
    // One by one: a missing name (ignored with -f) must not keep the others running.
    let views: Vec<ContainerView> = if args.all {
        containers::list(engine)?
    } else {
        args.containers
            .iter()
            .filter_map(|n| containers::find(engine, n).ok())
            .collect()
    };
    for v in views {
        let running = matches!(v.state.status, Status::Running | Status::Stopping);
        if args.force || !running {
            lifecycle::stop(engine, &v, Duration::from_secs(0))?;
        }
    }
    Ok(())
}

pub fn rm(engine: &Engine, args: &RmArgs) -> Result<i32> {
    if args.containers.is_empty() && !args.all {
        bail!("rm needs at least one container (or --all)");
    }
    let mut code = 0;
    for name in names_or_all(engine, &args.containers, args.all)? {
        let result = containers::find(engine, &name).and_then(|v| {
            containers::remove(engine, &v)?;
            if args.volumes {
                for m in &v.record.config.mounts {
                    if let MountRecord::Volume { name, .. } = m {
                        // Anonymous volumes are named by a 64-hex id.
                        if name.len() == 64 {
                            let _ = crate::store::remove_tree(
                                &engine.store.root().join("volumes").join(name),
                            );
                        }
                    }
                }
            }
            Ok(v)
        });
        match result {
            Ok(_) => emit(&format!("{name}\n"))?,
            // -f ignores containers that do not exist (Docker, Podman).
            Err(crate::engine::EngineError::Container(
                crate::container::ContainerError::NotFound(_),
            )) if args.force => {}
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
        let v = containers::find(engine, c)?;
        let code = lifecycle::wait_exit(engine, &v.record.id)?;
        emit(&format!("{code}\n"))?;
    }
    Ok(0)
}

/// Podman-style `container inspect` JSON.
pub fn inspect_value(engine: &Engine, v: &ContainerView) -> Value {
    let c = &v.record.config;
    let iso =
        |t: Option<u64>| t.map_or("0001-01-01T00:00:00Z".to_string(), |t| logs_time(t as i64));
    let mounts: Vec<Value> = c
        .mounts
        .iter()
        .map(|m| match m {
            MountRecord::Bind { source, dest, readonly } => {
                json!({"Type": "bind", "Source": source, "Destination": dest, "RW": !readonly})
            }
            MountRecord::Volume { name, dest, readonly } => json!({
                "Type": "volume", "Name": name, "Destination": dest, "RW": !readonly,
                "Source": engine.store.root().join("volumes").join(name).join("_data").display().to_string(),
            }),
            MountRecord::Tmpfs { dest, .. } => json!({"Type": "tmpfs", "Source": "tmpfs", "Destination": dest, "RW": true}),
        })
        .collect();
    let (policy, max) = match c.restart {
        crate::container::RestartPolicy::OnFailure(n) => ("on-failure".to_string(), n.unwrap_or(0)),
        p => (p.name(), 0),
    };
    let running = matches!(v.state.status, Status::Running | Status::Stopping);
    json!({
        "Id": v.record.id,
        "Created": logs_time(v.record.created as i64),
        "Path": c.args.first().cloned().unwrap_or_default(),
        "Args": c.args.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": v.state.status.as_str(),
            "Running": running,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": v.state.pid.unwrap_or(0),
            "ExitCode": v.state.exit_code.unwrap_or(0),
            "Error": v.state.error.clone().unwrap_or_default(),
            "StartedAt": iso(v.state.started_at),
            "FinishedAt": iso(v.state.finished_at),
        },
        "Image": v.record.image.hex(),
        "ImageName": v.record.image_name,
        "Name": v.record.name,
        "RestartCount": v.state.restart_count,
        "Mounts": mounts,
        "Config": {
            "Hostname": c.hostname,
            "User": c.user,
            "Env": c.env,
            "Cmd": c.cmd,
            "Entrypoint": c.entrypoint,
            "WorkingDir": c.workdir,
            "Image": v.record.image_name,
            "Labels": labels(&c.labels),
            "Tty": c.tty,
            "OpenStdin": c.interactive,
            "StopSignal": c.stop_signal.clone().unwrap_or_else(|| "SIGTERM".into()),
        },
        "HostConfig": {
            "RestartPolicy": {"Name": policy, "MaximumRetryCount": max},
            "AutoRemove": c.auto_remove,
            "NetworkMode": c.network,
            "Privileged": c.privileged,
            "ReadonlyRootfs": c.read_only,
            "CapAdd": c.cap_add,
            "CapDrop": c.cap_drop,
            "Init": c.init,
            "PortBindings": port_bindings(&c.ports, false),
        },
        "NetworkSettings": network_settings(&c.network, &c.ports, running),
    })
}

/// Docker's `NetworkSettings`: the address of a running container on its
/// private network (skiff's stack and slirp4netns give the same, 10.0.2.100/24;
/// pasta copies the host's, which is not known here), and its published ports.
fn network_settings(
    network: &str,
    ports: &[crate::container::ports::PortMapping],
    running: bool,
) -> Value {
    let private = matches!(
        crate::engine::spec::network_mode(network),
        Ok(crate::runtime::NetworkMode::Private(
            crate::runtime::NetHelper::Builtin | crate::runtime::NetHelper::Slirp4netns
        ))
    );
    let (ip, gateway, prefix) = if running && private {
        (
            crate::netstack::CONTAINER.to_string(),
            crate::netstack::GATEWAY.to_string(),
            24,
        )
    } else {
        (String::new(), String::new(), 0)
    };
    json!({
        "IPAddress": ip,
        "Gateway": gateway,
        "IPPrefixLen": prefix,
        "Ports": port_bindings(ports, true),
    })
}

/// `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}` (HostConfig has the
/// address as given, NetworkSettings the one bound).
fn port_bindings(ports: &[crate::container::ports::PortMapping], bound: bool) -> Value {
    let mut map = serde_json::Map::new();
    for p in ports {
        let ip = if bound {
            p.shown_ip()
        } else {
            p.host_ip.as_str()
        };
        let entry = json!({"HostIp": ip, "HostPort": p.host_port.to_string()});
        match map
            .entry(p.container_key())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(v) => v.push(entry),
            other => *other = Value::Array(vec![entry]),
        }
    }
    Value::Object(map)
}

fn logs_time(secs: i64) -> String {
    humanize::timestamp(secs)
        .replacen(' ', "T", 1)
        .replace(" +0000 UTC", "Z")
}

pub fn inspect(engine: &Engine, args: &InspectArgs) -> Result<i32> {
    let format = Format::parse(args.format.as_deref())?;
    let mut items = Vec::new();
    for c in &args.containers {
        items.push(inspect_value(engine, &containers::find(engine, c)?));
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
    for v in containers::list(engine)? {
        if !matches!(v.state.status, Status::Running | Status::Stopping) {
            containers::remove(engine, &v)?;
            emit(&format!("{}\n", v.record.id))?;
        }
    }
    Ok(0)
}

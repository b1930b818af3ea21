//! `volume create|ls|inspect|rm|prune`: named volumes under `<root>/volumes/<name>/_data`.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::output::{emit, print_inspect, print_listing, Listing};
use crate::container::MountRecord;
use crate::engine::{containers, Engine};

#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// Create a volume
    Create(VolumeCreateArgs),
    /// List volumes
    #[command(visible_alias = "list")]
    Ls(VolumeLsArgs),
    /// Display the configuration of volumes
    Inspect(VolumeInspectArgs),
    /// Remove volumes
    Rm(VolumeRmArgs),
    /// Remove volumes no container uses
    Prune(VolumePruneArgs),
}

impl VolumeCommand {
    pub fn needs_userns(&self) -> bool {
        matches!(self, VolumeCommand::Rm(_) | VolumeCommand::Prune(_))
    }
}

#[derive(Debug, Args)]
pub struct VolumeCreateArgs {
    /// Volume name (generated when omitted)
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct VolumeLsArgs {
    /// Pretty-print with a Go template, `json`, or `table …`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Show only volume names
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct VolumeInspectArgs {
    /// Format the output with a Go template or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[arg(required = true, value_name = "VOLUME")]
    pub volumes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumeRmArgs {
    /// Remove even when a container uses the volume
    #[arg(short, long)]
    pub force: bool,
    #[arg(required = true, value_name = "VOLUME")]
    pub volumes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VolumePruneArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

fn dir(engine: &Engine) -> std::path::PathBuf {
    engine.store.root().join("volumes")
}

fn names(engine: &Engine) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir(engine))
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

fn users(engine: &Engine, name: &str) -> Result<Vec<String>> {
    Ok(containers::list(engine)?
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

fn info(engine: &Engine, name: &str) -> Result<Value> {
    let path = dir(engine).join(name).join("_data");
    let meta = std::fs::metadata(&path).with_context(|| format!("no such volume: {name}"))?;
    let created = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    Ok(json!({
        "Name": name,
        "Driver": "local",
        "Mountpoint": path.display().to_string(),
        "CreatedAt": super::humanize::timestamp(created as i64),
        "Labels": {},
        "Scope": "local",
        "Options": {},
    }))
}

pub fn run(engine: &Engine, cmd: VolumeCommand) -> Result<i32> {
    match cmd {
        VolumeCommand::Create(a) => {
            let name = a.name.unwrap_or_else(crate::container::new_id);
            if !crate::container::valid_name(&name) {
                bail!("invalid volume name {name:?}: use [a-zA-Z0-9][a-zA-Z0-9_.-]*");
            }
            crate::engine::spec::volume_dir(engine, &name)?;
            emit(&format!("{name}\n"))?;
        }
        VolumeCommand::Ls(a) => {
            let all = names(engine);
            if a.quiet {
                emit(&all.iter().map(|n| format!("{n}\n")).collect::<String>())?;
                return Ok(0);
            }
            let rows: Vec<Value> = all
                .iter()
                .map(|n| json!({"Driver": "local", "Name": n}))
                .collect();
            let json = Value::Array(all.iter().filter_map(|n| info(engine, n).ok()).collect());
            let headers = |f: &str| (f == "Name").then(|| "VOLUME NAME".to_string());
            print_listing(
                &Format::parse(a.format.as_deref())?,
                &Listing {
                    rows: &rows,
                    json: &json,
                    default_table: "{{.Driver}}\t{{.Name}}",
                    headers: &headers,
                    no_heading: false,
                },
            )?;
        }
        VolumeCommand::Inspect(a) => {
            let items = a
                .volumes
                .iter()
                .map(|n| info(engine, n))
                .collect::<Result<Vec<_>>>()?;
            print_inspect(&Format::parse(a.format.as_deref())?, &items)?;
        }
        VolumeCommand::Rm(a) => {
            for n in &a.volumes {
                info(engine, n)?;
                let u = users(engine, n)?;
                if !u.is_empty() && !a.force {
                    bail!(
                        "volume {n} is in use by container {}: remove the container or use -f",
                        u.join(", ")
                    );
                }
                crate::store::remove_tree(&dir(engine).join(n))
                    .with_context(|| format!("removing volume {n}"))?;
                emit(&format!("{n}\n"))?;
            }
        }
        VolumeCommand::Prune(a) => {
            let warning = "This will remove all volumes not used by at least one container.";
            if !super::confirm_prune(a.force, "volume prune", warning)? {
                return Ok(0);
            }
            for n in names(engine) {
                if users(engine, &n)?.is_empty() {
                    crate::store::remove_tree(&dir(engine).join(&n))
                        .with_context(|| format!("removing volume {n}"))?;
                    emit(&format!("{n}\n"))?;
                }
            }
        }
    }
    Ok(0)
}

//! `volume create|ls|inspect|rm|prune`: the arguments, and the rendering of what
//! `engine::volumes` reports.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::output::{emit, print_inspect, print_listing, Listing};
use crate::engine::{volumes, Engine};

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

/// `volume ls`'s and `volume inspect`'s JSON: Docker's Volume object.
fn json_of(v: &volumes::Volume) -> Result<Value> {
    Ok(serde_json::to_value(v)?)
}

pub fn run(engine: &Engine, cmd: VolumeCommand) -> Result<i32> {
    match cmd {
        VolumeCommand::Create(a) => {
            let name = volumes::create(engine, &volumes::CreateOptions { name: a.name })?;
            emit(&format!("{name}\n"))?;
        }
        VolumeCommand::Ls(a) => {
            let all = volumes::names(engine);
            if a.quiet {
                emit(&all.iter().map(|n| format!("{n}\n")).collect::<String>())?;
                return Ok(0);
            }
            let rows: Vec<Value> = all
                .iter()
                .map(|n| json!({"Driver": "local", "Name": n}))
                .collect();
            let listed = volumes::list(engine, &volumes::ListOptions::default())?;
            let json = Value::Array(listed.iter().map(json_of).collect::<Result<_>>()?);
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
                .map(|n| json_of(&volumes::inspect(engine, n)?))
                .collect::<Result<Vec<_>>>()?;
            print_inspect(&Format::parse(a.format.as_deref())?, &items)?;
        }
        VolumeCommand::Rm(a) => {
            let opts = volumes::RemoveOptions { force: a.force };
            for n in &a.volumes {
                volumes::remove(engine, n, &opts)?;
                emit(&format!("{n}\n"))?;
            }
        }
        VolumeCommand::Prune(a) => {
            let warning = "This will remove all volumes not used by at least one container.";
            if !super::confirm_prune(a.force, "volume prune", warning)? {
                return Ok(0);
            }
            let mut emitted = Ok(());
            volumes::prune(engine, &mut |n| {
                if emitted.is_ok() {
                    emitted = emit(&format!("{n}\n"));
                }
            })?;
            emitted?;
        }
    }
    Ok(0)
}

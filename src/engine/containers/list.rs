//! Listing containers (`ps`): the filters, the order, and Docker's container
//! summary (with the fields Podman adds) as the report.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{views, ContainerView};
use crate::container::{MountRecord, Status};
use crate::engine::{now_secs, Engine, EngineError};

/// `ps` options.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// Stopped containers too (implied by any filter).
    pub all: bool,
    /// `status=`, `name=`, `id=`, `label=KEY[=VALUE]`, `ancestor=`, `exited=`.
    pub filters: Vec<String>,
    /// Only the newest container.
    pub latest: bool,
}

/// Errors in `ps` filters.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("invalid filter {0:?}: expected key=value")]
    NotKeyValue(String),
    #[error("invalid filter {0:?}: use status, name, id, label, ancestor or exited")]
    UnknownKey(String),
}

/// A published port, as Docker's summary shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Port {
    /// The host address (`0.0.0.0` for all).
    #[serde(rename = "IP")]
    pub ip: String,
    #[serde(rename = "PrivatePort")]
    pub private_port: u16,
    #[serde(rename = "PublicPort")]
    pub public_port: u16,
    #[serde(rename = "Type")]
    pub protocol: String,
    /// The host address as given (empty for all).
    #[serde(skip)]
    pub host_ip: String,
}

/// A mount, as Docker's summary shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Mount {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub source: String,
    pub destination: String,
    #[serde(rename = "RW")]
    pub rw: bool,
}

/// The network mode, as Docker's summary shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SummaryHostConfig {
    pub network_mode: String,
}

/// Docker's container summary (`GET /containers/json`), with Podman's extra
/// fields (AutoRemove, Pid, ExitCode, Exited, StartedAt, ExitedAt).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerSummary {
    pub id: String,
    pub names: Vec<String>,
    /// The image as the user named it.
    pub image: String,
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// The command and its arguments, joined by spaces.
    pub command: String,
    /// Unix seconds.
    pub created: u64,
    pub ports: Vec<Port>,
    pub labels: Map<String, Value>,
    /// `created`, `running`, `stopping`, `exited`.
    pub state: String,
    /// `Up 5 minutes`, `Exited (0) 2 hours ago`, `Created`.
    pub status: String,
    pub host_config: SummaryHostConfig,
    pub mounts: Vec<Mount>,
    pub auto_remove: bool,
    pub pid: i32,
    pub exit_code: i32,
    pub exited: bool,
    /// Unix seconds (0: never).
    pub started_at: u64,
    /// Unix seconds (0: never).
    pub exited_at: u64,
    /// The command and its arguments.
    #[serde(skip)]
    pub args: Vec<String>,
    /// The labels in the order given.
    #[serde(skip)]
    pub label_list: Vec<(String, String)>,
}

/// `ps`: the containers `opts` select, newest first.
pub fn list(engine: &Engine, opts: &ListOptions) -> Result<Vec<ContainerSummary>, EngineError> {
    // a bad filter is an error even when there is nothing to filter
    opts.filters.iter().try_for_each(|f| check_filter(f))?;
    let mut views = views(engine)?;
    views.retain(|v| {
        opts.all
            || !opts.filters.is_empty()
            || matches!(v.state.status, Status::Running | Status::Stopping)
    });
    for f in &opts.filters {
        let mut kept = Vec::new();
        for v in views {
            if matches_filter(&v, f)? {
                kept.push(v);
            }
        }
        views = kept;
    }
    views.sort_by_key(|v| std::cmp::Reverse(v.record.created));
    if opts.latest {
        views.truncate(1);
    }
    Ok(views.iter().map(|v| summary(engine, v)).collect())
}

/// The filter keys `ps` knows.
const FILTER_KEYS: [&str; 6] = ["status", "name", "id", "ancestor", "exited", "label"];

fn check_filter(filter: &str) -> Result<(), ListError> {
    let (k, _) = filter
        .split_once('=')
        .ok_or_else(|| ListError::NotKeyValue(filter.to_string()))?;
    if !FILTER_KEYS.contains(&k) {
        return Err(ListError::UnknownKey(k.to_string()));
    }
    Ok(())
}

fn matches_filter(v: &ContainerView, filter: &str) -> Result<bool, ListError> {
    let (k, want) = filter
        .split_once('=')
        .ok_or_else(|| ListError::NotKeyValue(filter.to_string()))?;
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
        other => return Err(ListError::UnknownKey(other.to_string())),
    })
}

/// One container's summary.
pub fn summary(engine: &Engine, v: &ContainerView) -> ContainerSummary {
    let c = &v.record.config;
    ContainerSummary {
        id: v.record.id.clone(),
        names: vec![v.record.name.clone()],
        image: v.record.image_name.clone(),
        image_id: v.record.image.hex().to_string(),
        command: c.args.join(" "),
        created: v.record.created,
        ports: c
            .ports
            .iter()
            .map(|p| Port {
                ip: p.shown_ip().to_string(),
                private_port: p.container_port,
                public_port: p.host_port,
                protocol: p.protocol.clone(),
                host_ip: p.host_ip.clone(),
            })
            .collect(),
        labels: labels(&c.labels),
        state: v.state.status.as_str().to_string(),
        status: status_text(v),
        host_config: SummaryHostConfig {
            network_mode: c.network.clone(),
        },
        mounts: c.mounts.iter().map(|m| mount(engine, m)).collect(),
        auto_remove: c.auto_remove,
        pid: v.state.pid.unwrap_or(0),
        exit_code: v.state.exit_code.unwrap_or(0),
        exited: v.state.status == Status::Exited,
        started_at: v.state.started_at.unwrap_or(0),
        exited_at: v.state.finished_at.unwrap_or(0),
        args: c.args.clone(),
        label_list: c.labels.clone(),
    }
}

/// Labels as a JSON object (a repeated key keeps its last value).
pub fn labels(l: &[(String, String)]) -> Map<String, Value> {
    l.iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

fn mount(engine: &Engine, m: &MountRecord) -> Mount {
    match m {
        MountRecord::Bind {
            source,
            dest,
            readonly,
        } => Mount {
            kind: "bind".into(),
            name: None,
            source: source.clone(),
            destination: dest.clone(),
            rw: !readonly,
        },
        MountRecord::Volume {
            name,
            dest,
            readonly,
        } => Mount {
            kind: "volume".into(),
            name: Some(name.clone()),
            source: crate::engine::volumes::data_dir(engine, name)
                .display()
                .to_string(),
            destination: dest.clone(),
            rw: !readonly,
        },
        MountRecord::Tmpfs { dest, .. } => Mount {
            kind: "tmpfs".into(),
            name: None,
            source: "tmpfs".into(),
            destination: dest.clone(),
            rw: true,
        },
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
                crate::oci::time::human_duration(
                    now.saturating_sub(v.state.started_at.unwrap_or(now))
                )
            )
        }
        Status::Exited => {
            let ago = crate::oci::time::human_duration(
                now.saturating_sub(v.state.finished_at.unwrap_or(now)),
            );
            match v.state.exit_code {
                Some(c) => format!("Exited ({c}) {ago} ago"),
                None => format!("Exited (unknown) {ago} ago"),
            }
        }
    }
}

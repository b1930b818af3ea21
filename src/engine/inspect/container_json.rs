//! `container inspect`: Docker's ContainerJSON (with Podman's ImageName), built
//! from the record and the checked state. Field order is the output order.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::container::ports::PortMapping;
use crate::container::{MountRecord, RestartPolicy, Status};
use crate::engine::containers::{find, labels, ContainerView};
use crate::engine::{Engine, EngineError};

/// Docker's ContainerJSON, as much of it as skiff has.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInspect {
    pub id: String,
    /// RFC 3339, seconds.
    pub created: String,
    pub path: String,
    pub args: Vec<String>,
    pub state: State,
    /// The image id (hex).
    pub image: String,
    /// The image as the user named it.
    pub image_name: String,
    pub name: String,
    pub restart_count: u32,
    pub mounts: Vec<Mount>,
    pub config: Config,
    pub host_config: HostConfig,
    pub network_settings: NetworkSettings,
}

/// ContainerJSON's State.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct State {
    pub status: String,
    pub running: bool,
    pub paused: bool,
    pub restarting: bool,
    #[serde(rename = "OOMKilled")]
    pub oom_killed: bool,
    pub dead: bool,
    pub pid: i32,
    pub exit_code: i32,
    pub error: String,
    pub started_at: String,
    pub finished_at: String,
}

/// One entry of ContainerJSON's Mounts (the fields each type has, in Docker's
/// order for it).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Mount {
    Bind {
        #[serde(rename = "Type")]
        kind: &'static str,
        #[serde(rename = "Source")]
        source: String,
        #[serde(rename = "Destination")]
        destination: String,
        #[serde(rename = "RW")]
        rw: bool,
    },
    Volume {
        #[serde(rename = "Type")]
        kind: &'static str,
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Destination")]
        destination: String,
        #[serde(rename = "RW")]
        rw: bool,
        #[serde(rename = "Source")]
        source: String,
    },
}

/// ContainerJSON's Config.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Config {
    pub hostname: String,
    pub user: String,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub working_dir: String,
    pub image: String,
    pub labels: Map<String, Value>,
    pub tty: bool,
    pub open_stdin: bool,
    pub stop_signal: String,
}

/// ContainerJSON's HostConfig.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostConfig {
    pub restart_policy: RestartPolicyJson,
    pub auto_remove: bool,
    pub network_mode: String,
    pub privileged: bool,
    pub readonly_rootfs: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub init: bool,
    /// As given (`HostIp` empty for all addresses).
    pub port_bindings: PortMap,
}

/// `{"Name": "on-failure", "MaximumRetryCount": 3}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestartPolicyJson {
    pub name: String,
    pub maximum_retry_count: u32,
}

/// ContainerJSON's NetworkSettings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkSettings {
    #[serde(rename = "IPAddress")]
    pub ip_address: String,
    pub gateway: String,
    #[serde(rename = "IPPrefixLen")]
    pub ip_prefix_len: u8,
    /// As bound (`HostIp` 0.0.0.0 for all addresses).
    pub ports: PortMap,
}

/// One host binding of a container port.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: String,
}

/// `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}`: container port key
/// to its bindings, in the order the ports were published.
#[derive(Debug, Clone, Default)]
pub struct PortMap(pub Vec<(String, Vec<PortBinding>)>);

impl Serialize for PortMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `container inspect NAME`.
pub fn container(engine: &Engine, query: &str) -> Result<ContainerInspect, EngineError> {
    Ok(of_view(engine, &find(engine, query)?))
}

/// The inspect report of a container already found.
pub fn of_view(engine: &Engine, v: &ContainerView) -> ContainerInspect {
    let c = &v.record.config;
    let iso = |t: Option<u64>| t.map_or("0001-01-01T00:00:00Z".to_string(), |t| rfc3339(t as i64));
    let (policy, max) = match c.restart {
        RestartPolicy::OnFailure(n) => ("on-failure".to_string(), n.unwrap_or(0)),
        p => (p.name(), 0),
    };
    let running = matches!(v.state.status, Status::Running | Status::Stopping);
    ContainerInspect {
        id: v.record.id.clone(),
        created: rfc3339(v.record.created as i64),
        path: c.args.first().cloned().unwrap_or_default(),
        args: c.args.iter().skip(1).cloned().collect(),
        state: State {
            status: v.state.status.as_str().to_string(),
            running,
            paused: false,
            restarting: false,
            oom_killed: false,
            dead: false,
            pid: v.state.pid.unwrap_or(0),
            exit_code: v.state.exit_code.unwrap_or(0),
            error: v.state.error.clone().unwrap_or_default(),
            started_at: iso(v.state.started_at),
            finished_at: iso(v.state.finished_at),
        },
        image: v.record.image.hex().to_string(),
        image_name: v.record.image_name.clone(),
        name: v.record.name.clone(),
        restart_count: v.state.restart_count,
        mounts: c.mounts.iter().map(|m| mount(engine, m)).collect(),
        config: Config {
            hostname: c.hostname.clone(),
            user: c.user.clone(),
            env: c.env.clone(),
            cmd: c.cmd.clone(),
            entrypoint: c.entrypoint.clone(),
            working_dir: c.workdir.clone(),
            image: v.record.image_name.clone(),
            labels: labels(&c.labels),
            tty: c.tty,
            open_stdin: c.interactive,
            stop_signal: c.stop_signal.clone().unwrap_or_else(|| "SIGTERM".into()),
        },
        host_config: HostConfig {
            restart_policy: RestartPolicyJson {
                name: policy,
                maximum_retry_count: max,
            },
            auto_remove: c.auto_remove,
            network_mode: c.network.clone(),
            privileged: c.privileged,
            readonly_rootfs: c.read_only,
            cap_add: c.cap_add.clone(),
            cap_drop: c.cap_drop.clone(),
            init: c.init,
            port_bindings: port_bindings(&c.ports, false),
        },
        network_settings: network_settings(&c.network, &c.ports, running),
    }
}

fn mount(engine: &Engine, m: &MountRecord) -> Mount {
    match m {
        MountRecord::Bind {
            source,
            dest,
            readonly,
        } => Mount::Bind {
            kind: "bind",
            source: source.clone(),
            destination: dest.clone(),
            rw: !readonly,
        },
        MountRecord::Volume {
            name,
            dest,
            readonly,
        } => Mount::Volume {
            kind: "volume",
            name: name.clone(),
            destination: dest.clone(),
            rw: !readonly,
            source: crate::engine::volumes::data_dir(engine, name)
                .display()
                .to_string(),
        },
        MountRecord::Tmpfs { dest, .. } => Mount::Bind {
            kind: "tmpfs",
            source: "tmpfs".into(),
            destination: dest.clone(),
            rw: true,
        },
    }
}

/// Docker's `NetworkSettings`: the address of a running container on its
/// private network (skiff's stack and slirp4netns give the same, 10.0.2.100/24;
/// pasta copies the host's, which is not known here), and its published ports.
fn network_settings(network: &str, ports: &[PortMapping], running: bool) -> NetworkSettings {
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
    NetworkSettings {
        ip_address: ip,
        gateway,
        ip_prefix_len: prefix,
        ports: port_bindings(ports, true),
    }
}

/// The bindings of each container port (HostConfig has the address as given,
/// NetworkSettings the one bound).
fn port_bindings(ports: &[PortMapping], bound: bool) -> PortMap {
    let mut map: Vec<(String, Vec<PortBinding>)> = Vec::new();
    for p in ports {
        let ip = if bound {
            p.shown_ip()
        } else {
            p.host_ip.as_str()
        };
        let entry = PortBinding {
            host_ip: ip.to_string(),
            host_port: p.host_port.to_string(),
        };
        let key = p.container_key();
        match map.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(entry),
            None => map.push((key, vec![entry])),
        }
    }
    PortMap(map)
}

/// Unix seconds as `2006-01-02T15:04:05Z`.
fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = crate::oci::time::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

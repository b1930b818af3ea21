//! `ContainerRecord`: what a container is, fixed at create time (image, command,
//! mounts, networking, policies). Serialized as `config.json`.

use serde::{Deserialize, Serialize};

use crate::oci::Digest;

/// A container's restart policy (`--restart`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RestartPolicy {
    #[default]
    No,
    OnFailure(Option<u32>),
    Always,
    UnlessStopped,
}

impl RestartPolicy {
    /// Parse `no`, `on-failure[:N]`, `always`, `unless-stopped`.
    pub fn parse(s: &str) -> Option<RestartPolicy> {
        match s.split_once(':') {
            None => match s {
                "no" | "" => Some(RestartPolicy::No),
                "on-failure" => Some(RestartPolicy::OnFailure(None)),
                "always" => Some(RestartPolicy::Always),
                "unless-stopped" => Some(RestartPolicy::UnlessStopped),
                _ => None,
            },
            Some(("on-failure", n)) => n.parse().ok().map(|n| RestartPolicy::OnFailure(Some(n))),
            Some(_) => None,
        }
    }

    /// Docker's name for the policy.
    pub fn name(&self) -> String {
        match self {
            RestartPolicy::No => "no".into(),
            RestartPolicy::OnFailure(None) => "on-failure".into(),
            RestartPolicy::OnFailure(Some(n)) => format!("on-failure:{n}"),
            RestartPolicy::Always => "always".into(),
            RestartPolicy::UnlessStopped => "unless-stopped".into(),
        }
    }

    /// Whether to restart after exiting with `code`, having restarted `count` times.
    /// `stopped` is true when the user stopped the container.
    pub fn should_restart(&self, code: i32, count: u32, stopped: bool) -> bool {
        if stopped {
            return false;
        }
        match self {
            RestartPolicy::No => false,
            RestartPolicy::OnFailure(max) => code != 0 && max.is_none_or(|m| count < m),
            RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
        }
    }
}

/// A mount as the user asked for it, resolved to host paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountRecord {
    Bind {
        source: String,
        dest: String,
        readonly: bool,
    },
    Volume {
        name: String,
        dest: String,
        readonly: bool,
    },
    Tmpfs {
        dest: String,
        options: String,
    },
}

/// How the container's process is run; everything `run`/`create` was told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunConfig {
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub workdir: String,
    pub user: String,
    pub hostname: String,
    pub tty: bool,
    pub interactive: bool,
    pub mounts: Vec<MountRecord>,
    pub network: String,
    pub restart: RestartPolicy,
    pub auto_remove: bool,
    pub init: bool,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub no_new_privileges: bool,
    pub ulimits: Vec<String>,
    /// `--log-opt max-size` in bytes.
    #[serde(default)]
    pub log_max_size: Option<u64>,
    pub group_add: Vec<u32>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u32>,
    pub labels: Vec<(String, String)>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// Published ports (`-p`), host ports already chosen.
    #[serde(default)]
    pub ports: Vec<super::ports::PortMapping>,
    /// `--memory` in bytes.
    #[serde(default)]
    pub memory: Option<u64>,
    /// `--cpus` as a quota in microseconds per 100 ms.
    #[serde(default)]
    pub cpu_quota: Option<u64>,
    /// `--pids-limit`.
    #[serde(default)]
    pub pids_limit: Option<u64>,
}

/// What a container is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerRecord {
    pub id: String,
    pub name: String,
    pub image: Digest,
    /// The image as the user named it.
    pub image_name: String,
    /// Unix seconds.
    pub created: u64,
    pub config: RunConfig,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policies() {
        assert_eq!(
            RestartPolicy::parse("on-failure:2"),
            Some(RestartPolicy::OnFailure(Some(2)))
        );
        assert_eq!(RestartPolicy::parse("sometimes"), None);
        let p = RestartPolicy::OnFailure(Some(2));
        assert!(p.should_restart(1, 0, false));
        assert!(p.should_restart(1, 1, false));
        assert!(!p.should_restart(1, 2, false));
        assert!(!p.should_restart(0, 0, false));
        assert!(!RestartPolicy::Always.should_restart(1, 0, true));
        assert_eq!(p.name(), "on-failure:2");
    }
}

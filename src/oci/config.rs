//! The image config (the JSON blob a manifest's `config` names) as typed data:
//! [`ImageConfig`] with its run settings [`ContainerConfig`], [`RootFs`] and
//! [`History`] entries, each wrapped in [`Ordered`].
//!
//! Why skiff's own types and not `oci-spec`'s `ImageConfiguration`: that type
//! lacks the fields Docker images carry and the builder writes (`Healthcheck`,
//! `OnBuild`, `Shell`, `ArgsEscaped`, Docker's `comment`/`docker_version`…), it
//! drops fields it does not know, and it serializes in its own key order. skiff
//! must not do any of that:
//!
//! Invariants:
//! - Unknown fields are kept (`extra`, a serde flatten map), so nothing is lost
//!   when skiff rewrites a config it read (build, commit).
//! - [`Ordered`] remembers each object's key order and its explicit `null`s, so
//!   a config parsed and serialized again gives the same JSON: the same keys in
//!   the same order, `null` where there was `null`, absent where absent. Keys set
//!   through the setters keep their place or go at the end in the order they
//!   were set, and a key removed takes the last key into its place (the
//!   behaviour of the untyped `serde_json::Map` skiff used before, so built
//!   images' configs, and the build cache keys over them, are the bytes they
//!   were). Configs skiff did not change are never re-serialized at all: the
//!   store keeps the blob as received.
//! - Pure data, no I/O.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::ordered::Ordered;
use super::Digest;

/// The image config document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The run settings (`config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Ordered<ContainerConfig>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rootfs: Option<Ordered<RootFs>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<Ordered<History>>>,
    /// Docker: the commit message (`commit -m`, `import -m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Docker: the version of the engine that made the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_version: Option<String>,
    /// Every other field, kept as it was.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The run settings of an image (Docker's and the OCI's `config` object).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `"80/tcp": {}` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_ports: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    /// Docker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Ordered<Healthcheck>>,
    /// Docker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args_escaped: Option<bool>,
    /// `"/data": {}` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    /// Docker: ONBUILD triggers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_build: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<IndexMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    /// Docker: the SHELL instruction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
    /// Every other field (Hostname, Tty, Image…), kept as it was.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Docker's HEALTHCHECK settings; durations in nanoseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The layers of the image, bottom first, by diff id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<Digest>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One history entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_layer: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Why a config could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(#[from] serde_json::Error);

impl Ordered<ImageConfig> {
    /// Parse a config blob.
    pub fn parse(bytes: &[u8]) -> Result<Ordered<ImageConfig>, ConfigError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The layers' diff ids, bottom first; `None` when the config has no `rootfs`.
    pub fn diff_ids(&self) -> Option<&[Digest]> {
        self.value.rootfs.as_ref().map(|r| r.diff_ids.as_slice())
    }

    /// The platform the config says the image is for, if it says.
    pub fn platform(&self) -> Option<super::Platform> {
        let (os, arch) = (
            self.value.os.as_deref()?,
            self.value.architecture.as_deref()?,
        );
        (!os.is_empty() && !arch.is_empty()).then(|| super::Platform {
            os: os.to_string(),
            architecture: arch.to_string(),
            variant: self.value.variant.clone(),
        })
    }

    /// The config blob skiff writes for this config.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ConfigError> {
        Ok(serde_json::to_vec(self)?)
    }

    /// An empty config for `architecture`/`os` (`FROM scratch`): architecture,
    /// os, an empty `config`, an empty `rootfs` and an empty history.
    pub fn scratch(architecture: &str, os: &str) -> Ordered<ImageConfig> {
        let mut c = Ordered::<ImageConfig>::default();
        c.set_architecture(architecture);
        c.set_os(os);
        c.run_config_mut();
        c.set_rootfs(Vec::new());
        c.history_mut();
        c
    }

    fn set_architecture(&mut self, v: &str) {
        self.value.architecture = Some(v.to_string());
        self.layout.touch("architecture");
    }

    fn set_os(&mut self, v: &str) {
        self.value.os = Some(v.to_string());
        self.layout.touch("os");
    }

    pub fn set_author(&mut self, v: &str) {
        self.value.author = Some(v.to_string());
        self.layout.touch("author");
    }

    pub fn set_comment(&mut self, v: &str) {
        self.value.comment = Some(v.to_string());
        self.layout.touch("comment");
    }

    pub fn set_created(&mut self, v: &str) {
        self.value.created = Some(v.to_string());
        self.layout.touch("created");
    }

    /// Set `rootfs` to the layers `diff_ids` (replacing any other rootfs field).
    pub fn set_rootfs(&mut self, diff_ids: Vec<Digest>) {
        let mut r = Ordered::new(RootFs {
            kind: "layers".into(),
            diff_ids,
            extra: Map::new(),
        });
        r.layout.touch("type");
        r.layout.touch("diff_ids");
        self.value.rootfs = Some(r);
        self.layout.touch("rootfs");
    }

    /// The run settings, made an empty object when missing or `null`.
    pub fn run_config_mut(&mut self) -> &mut Ordered<ContainerConfig> {
        if self.value.config.is_none() {
            self.layout.touch("config");
        }
        self.value.config.get_or_insert_with(Ordered::default)
    }

    /// The run settings (empty when the config has none).
    pub fn run_config(&self) -> Ordered<ContainerConfig> {
        self.value.config.clone().unwrap_or_default()
    }

    /// The history, made an empty list when missing or `null`.
    pub fn history_mut(&mut self) -> &mut Vec<Ordered<History>> {
        if self.value.history.is_none() {
            self.layout.touch("history");
        }
        self.value.history.get_or_insert_with(Vec::new)
    }

    /// The history entries (none when the config has none).
    pub fn history(&self) -> &[Ordered<History>] {
        self.value.history.as_deref().unwrap_or(&[])
    }

    /// Whether the config has an explicit `null` `config`.
    pub fn run_config_is_null(&self) -> bool {
        self.value.config.is_none() && self.layout.is_null("config")
    }

    /// Whether the config has an explicit `null` `history`.
    pub fn history_is_null(&self) -> bool {
        self.value.history.is_none() && self.layout.is_null("history")
    }

    /// The author as JSON text: `"…"`, `null` for an explicit null, empty when
    /// absent (a part of the build cache key).
    pub fn author_json(&self) -> String {
        match &self.value.author {
            Some(a) => Value::String(a.clone()).to_string(),
            None if self.layout.is_null("author") => "null".into(),
            None => String::new(),
        }
    }

    /// The JSON of what a build step can observe of the config: all but
    /// `history`, `created` and `rootfs` (a part of the build cache key).
    pub fn state_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.swap_remove("history");
            m.swap_remove("created");
            m.swap_remove("rootfs");
        }
        v.to_string()
    }
}

impl Ordered<ContainerConfig> {
    /// The run settings as JSON text (a part of the build cache key).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn set_env(&mut self, env: Vec<String>) {
        self.value.env = Some(env);
        self.layout.touch("Env");
    }

    /// Set `Cmd`; `None` writes `null`.
    pub fn set_cmd(&mut self, cmd: Option<Vec<String>>) {
        self.value.cmd = cmd;
        match &self.value.cmd {
            Some(_) => self.layout.touch("Cmd"),
            None => self.layout.set_null("Cmd"),
        }
    }

    pub fn remove_cmd(&mut self) {
        self.value.cmd = None;
        self.layout.remove("Cmd");
    }

    /// Set `Entrypoint`; `None` writes `null`.
    pub fn set_entrypoint(&mut self, ep: Option<Vec<String>>) {
        self.value.entrypoint = ep;
        match &self.value.entrypoint {
            Some(_) => self.layout.touch("Entrypoint"),
            None => self.layout.set_null("Entrypoint"),
        }
    }

    pub fn set_working_dir(&mut self, dir: String) {
        self.value.working_dir = Some(dir);
        self.layout.touch("WorkingDir");
    }

    pub fn set_user(&mut self, user: String) {
        self.value.user = Some(user);
        self.layout.touch("User");
    }

    pub fn set_shell(&mut self, shell: Vec<String>) {
        self.value.shell = Some(shell);
        self.layout.touch("Shell");
    }

    pub fn set_stop_signal(&mut self, s: String) {
        self.value.stop_signal = Some(s);
        self.layout.touch("StopSignal");
    }

    pub fn set_healthcheck(&mut self, h: Ordered<Healthcheck>) {
        self.value.healthcheck = Some(h);
        self.layout.touch("Healthcheck");
    }

    pub fn set_on_build(&mut self, triggers: Vec<String>) {
        self.value.on_build = Some(triggers);
        self.layout.touch("OnBuild");
    }

    pub fn remove_on_build(&mut self) {
        self.value.on_build = None;
        self.layout.remove("OnBuild");
    }

    /// The labels, made an empty map when missing or `null`.
    pub fn labels_mut(&mut self) -> &mut IndexMap<String, String> {
        if self.value.labels.is_none() {
            self.layout.touch("Labels");
        }
        self.value.labels.get_or_insert_with(IndexMap::new)
    }

    /// The exposed ports, made an empty map when missing or `null`.
    pub fn exposed_ports_mut(&mut self) -> &mut Map<String, Value> {
        if self.value.exposed_ports.is_none() {
            self.layout.touch("ExposedPorts");
        }
        self.value.exposed_ports.get_or_insert_with(Map::new)
    }

    /// The volumes, made an empty map when missing or `null`.
    pub fn volumes_mut(&mut self) -> &mut Map<String, Value> {
        if self.value.volumes.is_none() {
            self.layout.touch("Volumes");
        }
        self.value.volumes.get_or_insert_with(Map::new)
    }
}

impl ContainerConfig {
    pub fn env(&self) -> &[String] {
        self.env.as_deref().unwrap_or(&[])
    }

    pub fn cmd(&self) -> &[String] {
        self.cmd.as_deref().unwrap_or(&[])
    }

    pub fn entrypoint(&self) -> &[String] {
        self.entrypoint.as_deref().unwrap_or(&[])
    }

    pub fn shell(&self) -> &[String] {
        self.shell.as_deref().unwrap_or(&[])
    }

    pub fn on_build(&self) -> &[String] {
        self.on_build.as_deref().unwrap_or(&[])
    }
}

impl Ordered<Healthcheck> {
    /// A healthcheck running `test`; durations and retries are set after.
    pub fn with_test(test: Vec<String>) -> Ordered<Healthcheck> {
        let mut h = Ordered::<Healthcheck>::default();
        h.value.test = Some(test);
        h.layout.touch("Test");
        h
    }

    pub fn set_interval(&mut self, ns: u64) {
        self.value.interval = Some(ns);
        self.layout.touch("Interval");
    }

    pub fn set_timeout(&mut self, ns: u64) {
        self.value.timeout = Some(ns);
        self.layout.touch("Timeout");
    }

    pub fn set_start_period(&mut self, ns: u64) {
        self.value.start_period = Some(ns);
        self.layout.touch("StartPeriod");
    }

    pub fn set_start_interval(&mut self, ns: u64) {
        self.value.start_interval = Some(ns);
        self.layout.touch("StartInterval");
    }

    pub fn set_retries(&mut self, n: u64) {
        self.value.retries = Some(n);
        self.layout.touch("Retries");
    }
}

impl Ordered<History> {
    /// A history entry: `created`, `created_by`, then `comment` (when not empty)
    /// and `empty_layer: true` (when the step made no layer).
    pub fn entry(created: &str, created_by: &str, comment: Option<&str>, empty: bool) -> Self {
        let mut h = Ordered::<History>::default();
        h.value.created = Some(created.to_string());
        h.layout.touch("created");
        h.value.created_by = Some(created_by.to_string());
        h.layout.touch("created_by");
        if let Some(c) = comment.filter(|c| !c.is_empty()) {
            h.value.comment = Some(c.to_string());
            h.layout.touch("comment");
        }
        if empty {
            h.value.empty_layer = Some(true);
            h.layout.touch("empty_layer");
        }
        h
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;

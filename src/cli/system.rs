//! `info`, `version`, `system check`.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::output::{emit, json_string, rows_through};
use crate::engine::Engine;
use crate::sys::userns::find_helper;

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Format the output with a Go template or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Format the output with a Go template or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Check the store for damage: every blob's digest, every image's parts, and
    /// temp space of dead processes (which is removed first)
    Check,
    /// Display skiff system information
    Info(InfoArgs),
}

impl SystemCommand {
    pub fn needs_userns(&self) -> bool {
        matches!(self, SystemCommand::Check)
    }
}

pub fn run_system(engine: &Engine, cmd: SystemCommand) -> Result<i32> {
    match cmd {
        SystemCommand::Check => check(engine),
        SystemCommand::Info(a) => info(engine, &a),
    }
}

fn check(engine: &Engine) -> Result<i32> {
    let problems = engine.store.check()?;
    if problems.is_empty() {
        emit("store is clean\n")?;
        return Ok(0);
    }
    for p in &problems {
        eprintln!("{p}");
    }
    eprintln!("Error: the store has {} problem(s)", problems.len());
    Ok(1)
}

fn version_value() -> Value {
    json!({
        "Client": {
            "Version": env!("CARGO_PKG_VERSION"),
            "OsArch": format!("linux/{}", crate::oci::Platform::host().architecture),
            "BuiltBy": "cargo",
        }
    })
}

pub fn version(args: &VersionArgs) -> Result<i32> {
    let v = version_value();
    match Format::parse(args.format.as_deref())? {
        Format::Json => emit(&(json_string(&v)? + "\n"))?,
        Format::Template(t) | Format::Table(Some(t)) => emit(&rows_through(&t, &[v])?)?,
        Format::Default | Format::Table(None) => emit(&format!(
            "Version:      {}\nOS/Arch:      {}\n",
            env!("CARGO_PKG_VERSION"),
            v["Client"]["OsArch"].as_str().unwrap_or("")
        ))?,
    }
    Ok(0)
}

pub fn info(engine: &Engine, args: &InfoArgs) -> Result<i32> {
    let mapping = crate::sys::idmap::current_mapping(std::path::Path::new("/etc"));
    let range = |r: Option<crate::sys::idmap::IdRange>| {
        r.map_or(
            Value::Null,
            |r| json!({"ContainerID": 1, "HostID": r.start, "Size": r.count}),
        )
    };
    let path = &engine.config.helper_path;
    let helper =
        |n: &str| find_helper(n, path).map_or(Value::Null, |p| json!(p.display().to_string()));
    let images = engine.store.list_images()?.len();
    let v = json!({
        "host": {
            "arch": crate::oci::Platform::host().architecture,
            "os": "linux",
            "kernel": std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim(),
            "rootless": !nix::unistd::geteuid().is_root(),
            "idMappings": {"uidmap": range(mapping.sub_uids), "gidmap": range(mapping.sub_gids)},
            "helpers": {"newuidmap": helper("newuidmap"), "newgidmap": helper("newgidmap"), "pasta": helper("pasta"), "slirp4netns": helper("slirp4netns")},
            "network": {
                "default": "skiff's own stack (TUN eth0, 10.0.2.100/24)",
                "tunUsable": std::fs::OpenOptions::new().read(true).write(true).open("/dev/net/tun").is_ok(),
            },
        },
        "store": {
            "graphRoot": engine.store.root().display().to_string(),
            "runRoot": engine.store.runroot().display().to_string(),
            "graphDriverName": "overlay",
            "formatVersion": crate::store::FORMAT_VERSION,
            "imageStore": {"number": images},
        },
        "registries": {"search": ["docker.io"]},
        "plugins": {"volume": ["local"], "log": ["k8s-file"]},
        "version": version_value()["Client"].clone(),
    });
    match Format::parse(args.format.as_deref())? {
        // Templates name Podman's Go fields (`{{.Host.Arch}}`); JSON keeps its keys.
        Format::Template(t) | Format::Table(Some(t)) => emit(&rows_through(&t, &[go_fields(&v)])?)?,
        _ => emit(&(json_string(&v)? + "\n"))?,
    }
    Ok(0)
}

/// `info`'s JSON with its keys as Podman's Go struct fields, for templates:
/// `host` → `Host`, `idMappings` → `IDMappings`, `os` → `OS`.
fn go_fields(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (go_field(k), go_fields(x))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(go_fields).collect()),
        other => other.clone(),
    }
}

fn go_field(key: &str) -> String {
    match key {
        "os" => "OS".into(),
        "idMappings" => "IDMappings".into(),
        "uidmap" => "UIDMap".into(),
        "gidmap" => "GIDMap".into(),
        _ => {
            let mut c = key.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_keys_are_go_fields() {
        let v = json!({"host": {"arch": "amd64", "os": "linux", "idMappings": {"uidmap": null}},
                       "store": {"imageStore": {"number": 1}}});
        let g = go_fields(&v);
        assert_eq!(g["Host"]["Arch"], "amd64");
        assert_eq!(g["Host"]["OS"], "linux");
        assert!(g["Host"]["IDMappings"].get("UIDMap").is_some());
        assert_eq!(g["Store"]["ImageStore"]["Number"], 1);
    }
}

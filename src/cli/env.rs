//! The process environment: the one module of skiff that reads it.
//!
//! Everything the engine needs from the environment (default store and run-state
//! directories, the auth files to search and write, the PATH its helpers are looked
//! up on) is resolved here, once, into an [`EngineConfig`]; the engine and the layers
//! below take that config as a parameter and never read `std::env` themselves (clippy's
//! `disallowed-methods`, see clippy.toml, holds the rest of the crate to that). The
//! few values the command line itself takes from the host (`-e KEY`, `--build-arg
//! KEY`) are read through [`host_var`].
#![allow(clippy::disallowed_methods)] // the one place allowed to read the environment

use std::ffi::OsString;
use std::path::PathBuf;

use crate::engine::EngineConfig;
use crate::registry::AuthFiles;

/// A variable that is set and not empty.
fn set(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// The value of host variable `name` when it is set and valid UTF-8 (`-e KEY`,
/// `--build-arg KEY`).
pub fn host_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The engine's configuration: `root` and `runroot` from the command line when given
/// (clap reads `SKIFF_ROOT` and `SKIFF_RUNROOT`), else the defaults below.
pub fn engine_config(root: Option<PathBuf>, runroot: Option<PathBuf>) -> EngineConfig {
    EngineConfig {
        root: root.unwrap_or_else(default_root),
        runroot: runroot.unwrap_or_else(default_runroot),
        auth_files: auth_files(),
        helper_path: helper_path(),
    }
}

/// The PATH helpers (newuidmap, newgidmap, pasta, slirp4netns) are looked up on.
pub fn helper_path() -> OsString {
    std::env::var_os("PATH").unwrap_or_default()
}

/// Default store: `$XDG_DATA_HOME/skiff`, else the platform's data directory (as
/// Podman chooses it), else `/var/lib/skiff`.
fn default_root() -> PathBuf {
    if let Some(d) = set("XDG_DATA_HOME") {
        return PathBuf::from(d).join("skiff");
    }
    match directories::BaseDirs::new() {
        Some(b) => b.data_dir().join("skiff"),
        None => PathBuf::from("/var/lib/skiff"),
    }
}

/// Default run-state directory: `$XDG_RUNTIME_DIR/skiff`, else `/tmp/skiff-<uid>`.
fn default_runroot() -> PathBuf {
    match set("XDG_RUNTIME_DIR") {
        Some(d) => PathBuf::from(d).join("skiff"),
        None => PathBuf::from(format!("/tmp/skiff-{}", nix::unistd::getuid())),
    }
}

/// The auth files when `--authfile` is not given (see `registry::credentials`).
pub fn auth_files() -> AuthFiles {
    AuthFiles::from_env(|k| std::env::var_os(k))
}

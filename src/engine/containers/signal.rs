//! `stop`, `kill` and `wait` on a container found by name or id: the options
//! (timeout, signal) resolved here, the process work in `engine::lifecycle`.

use std::time::Duration;

use serde::Serialize;

use super::{find, ContainerView};
use crate::engine::{lifecycle, Engine, EngineError};

/// Errors in `stop`/`kill` options.
#[derive(Debug, thiserror::Error)]
pub enum SignalError {
    #[error("invalid signal {0:?}")]
    BadSignal(String),
}

/// `stop` options.
#[derive(Debug, Clone, Default)]
pub struct StopOptions {
    /// Seconds before SIGKILL; else the container's `--stop-timeout`, else 10.
    pub timeout: Option<u64>,
}

/// `kill` options.
#[derive(Debug, Clone)]
pub struct KillOptions {
    /// `KILL`, `SIGTERM`, `15`, …
    pub signal: String,
}

/// Which container a `stop` or `kill` acted on.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerRef {
    pub id: String,
    pub name: String,
}

impl ContainerRef {
    fn of(view: &ContainerView) -> ContainerRef {
        ContainerRef {
            id: view.record.id.clone(),
            name: view.record.name.clone(),
        }
    }
}

/// `stop`: the stop signal, then SIGKILL after the timeout; returns once it is
/// down. A container that is not running is left as it is.
pub fn stop(
    engine: &Engine,
    view: &ContainerView,
    opts: &StopOptions,
) -> Result<ContainerRef, EngineError> {
    let t = opts
        .timeout
        .or(view.record.config.stop_timeout.map(u64::from))
        .unwrap_or(10);
    lifecycle::stop(engine, view, Duration::from_secs(t))?;
    Ok(ContainerRef::of(view))
}

/// `kill`: send the signal to the container's pid 1 (SIGKILL and SIGTERM mark
/// it stopped by the user first, so restart policies leave it down).
pub fn kill(engine: &Engine, query: &str, opts: &KillOptions) -> Result<ContainerRef, EngineError> {
    let sig = lifecycle::parse_signal(&opts.signal)
        .ok_or_else(|| SignalError::BadSignal(opts.signal.clone()))?;
    let v = find(engine, query)?;
    if matches!(
        sig,
        nix::sys::signal::Signal::SIGKILL | nix::sys::signal::Signal::SIGTERM
    ) {
        lifecycle::mark_stopped(engine, &v.record.id)?;
    }
    lifecycle::kill(&v, sig)?;
    Ok(ContainerRef::of(&v))
}

/// `wait`: block until the container exits; its exit code.
pub fn wait(engine: &Engine, query: &str) -> Result<i32, EngineError> {
    let v = find(engine, query)?;
    lifecycle::wait_exit(engine, &v.record.id)
}

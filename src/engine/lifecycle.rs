//! Running containers: the supervise loop shared by a foreground `run`, `start -a`
//! and the detached monitor (spawn, record state, publish the pid to the run's
//! [`RunHandle`], wait, record the exit, apply the restart policy), and
//! stop/kill/wait.
//!
//! Process model: the command that starts a container runs inside the user
//! namespace; for `-d` it starts a monitor ([`super::monitor`]: skiff
//! re-executed with a hidden subcommand) that owns the container's stdio, and
//! lives exactly as long as the container (and its restarts). Whoever
//! supervises writes the log (see [`super::stdio`]), and the container dies
//! with it (`runtime::pdeath`); a supervisor killed before it
//! recorded the exit leaves a state the next reader corrects (`Containers::state`).
//! Stop and kill run in the host namespace: as the owner of the container's user
//! namespace they may signal any process in it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use nix::unistd::Pid;

use super::containers::ContainerView;
pub use super::handle::RunHandle;
pub use super::monitor::start_detached;
pub use super::stdio::{CallerIo, Io};
use super::{now_secs, spec, stdio, Engine, EngineError};
use crate::container::process_start_time;
use crate::container::{ContainerRecord, ContainerState, Containers, RestartPolicy, Status};
use crate::runtime;

/// Called once the container process exists (or failed to start), with warnings.
pub type Started<'a> = &'a mut dyn FnMut(Result<&[String], &EngineError>);

fn containers(engine: &Engine) -> Result<Containers, EngineError> {
    Ok(Containers::new(engine.store.root())?)
}

fn log_path(engine: &Engine, id: &str) -> Result<PathBuf, EngineError> {
    Ok(containers(engine)?.dir_of(id).join(super::logs::FILE))
}

/// Run the container under this process until it exits for good (restart policy
/// applied). Returns the last exit code. `handle` is this run's: signals and
/// resizes sent through it reach the container while it runs, and after a
/// `run --rm` it holds what the container left to tear down.
pub fn supervise(
    engine: &Engine,
    record: &ContainerRecord,
    io: Io,
    handle: &RunHandle,
    started: Started<'_>,
) -> Result<i32, EngineError> {
    let ctrs = containers(engine)?;
    let mut first = true;
    loop {
        let mut state = ctrs.state(&record.id);
        let outcome = run_once(
            engine,
            record,
            &io,
            handle,
            &mut state,
            if first { Some(&mut *started) } else { None },
        );
        first = false;
        let code = match outcome {
            Ok(code) => code,
            Err(e) => {
                state.status = Status::Exited;
                state.exit_code = Some(exit_code_of(&e));
                state.error = Some(e.to_string());
                state.finished_at = Some(now_secs());
                ctrs.save_state(&record.id, &state)?;
                return Err(e);
            }
        };
        if foreground_rm(record, &io) {
            // `run --rm`: the caller removes the container at once; its exit
            // is kept only for a `wait` in progress
            ctrs.record_exit(&record.id, code);
            return Ok(code);
        }
        // `stop` may have marked the state while we waited.
        let latest = ctrs.state(&record.id);
        state.stopped_by_user = latest.stopped_by_user;
        state.status = Status::Exited;
        state.exit_code = Some(code);
        state.pid = None;
        state.finished_at = Some(now_secs());
        let again =
            record
                .config
                .restart
                .should_restart(code, state.restart_count, state.stopped_by_user);
        if again {
            state.restart_count += 1;
        }
        ctrs.save_state(&record.id, &state)?;
        if !again {
            return Ok(code);
        }
        std::thread::sleep(Duration::from_millis(100 << state.restart_count.min(6)));
    }
}

/// A `run --rm` in the foreground: removed by the caller as soon as it exits.
fn foreground_rm(record: &ContainerRecord, io: &Io) -> bool {
    record.config.auto_remove
        && record.config.restart == RestartPolicy::No
        && matches!(io, Io::Caller(_))
}

/// The exit code a failure to run maps to (125, 126, 127).
pub fn exit_code_of(e: &EngineError) -> i32 {
    match e {
        EngineError::Runtime(r) => r.exit_code(),
        EngineError::StartFailed { code, .. } => *code,
        _ => 125,
    }
}

fn run_once(
    engine: &Engine,
    record: &ContainerRecord,
    io: &Io,
    handle: &RunHandle,
    state: &mut ContainerState,
    started: Option<Started<'_>>,
) -> Result<i32, EngineError> {
    let ctrs = containers(engine)?;
    let spec = spec::build(engine, record)?;
    let (stdio, ends) = stdio::prepare(io, record.config.tty, record.config.interactive)?;
    crate::trace::mark("spec built");
    let ids_mapped = || engine.map_ids().map_err(|e| e.to_string());
    let spawned = runtime::spawn_when(&spec, stdio, &ids_mapped).map_err(EngineError::from);
    crate::trace::mark("container process started");
    let mut running = match spawned {
        Ok(r) => r,
        Err(e) => {
            if let Some(cb) = started {
                cb(Err(&e));
            }
            return Err(e);
        }
    };
    let pid = running.pid.as_raw();
    let me = std::process::id() as i32;
    state.status = Status::Running;
    state.pid = Some(pid);
    state.pid_start = process_start_time(pid);
    state.monitor_pid = Some(me);
    state.monitor_start = process_start_time(me);
    state.started_at = Some(now_secs());
    state.exit_code = None;
    state.error = None;
    state.stopped_by_user = false;
    ctrs.save_state(&record.id, state)?;
    crate::trace::mark("state saved: running");
    engine.tidy();
    if let Some(cb) = started {
        cb(Ok(&running.warnings));
    }
    handle.running(pid, running.pty_master.as_ref());
    let log = log_path(engine, &record.id)?;
    let copies = stdio::start(
        io,
        ends,
        running.pty_master.take(),
        record.config.interactive,
        &log,
    );
    let code = running.wait();
    handle.exited();
    let code = code?;
    crate::trace::mark("pid 1 reaped");
    if foreground_rm(record, io) {
        handle.keep_teardown(running.take_teardown());
    }
    if let Io::Log(Some(h)) = io {
        h.clear_input();
    }
    copies.join();
    crate::trace::mark("copiers joined");
    Ok(code)
}

/// Send `sig` to the container's pid 1.
pub fn kill(view: &ContainerView, sig: Signal) -> Result<(), EngineError> {
    match (view.state.status, view.state.pid) {
        (Status::Running | Status::Stopping, Some(pid)) => {
            nix::sys::signal::kill(Pid::from_raw(pid), sig).map_err(|e| EngineError::Process {
                step: "signalling the container",
                source: e.into(),
            })
        }
        _ => Err(EngineError::NotRunning(view.record.name.clone())),
    }
}

/// Mark the container as stopped by the user (so restart policies leave it down).
pub fn mark_stopped(engine: &Engine, id: &str) -> Result<(), EngineError> {
    let ctrs = containers(engine)?;
    let mut s = ctrs.state(id);
    s.stopped_by_user = true;
    if s.status == Status::Running {
        s.status = Status::Stopping;
    }
    ctrs.save_state(id, &s)?;
    Ok(())
}

/// `stop`: the stop signal, then SIGKILL after `timeout`; waits until it is gone.
pub fn stop(engine: &Engine, view: &ContainerView, timeout: Duration) -> Result<(), EngineError> {
    if !matches!(view.state.status, Status::Running | Status::Stopping) {
        if !view.state.monitor_alive() {
            containers(engine)?.stop_helpers(&view.record.id);
        }
        return Ok(());
    }
    mark_stopped(engine, &view.record.id)?;
    let sig = view
        .record
        .config
        .stop_signal
        .as_deref()
        .and_then(parse_signal)
        .unwrap_or(Signal::SIGTERM);
    let _ = kill(view, sig);
    if !wait_gone(engine, &view.record.id, timeout) {
        let _ = kill(view, Signal::SIGKILL);
        wait_gone(engine, &view.record.id, Duration::from_secs(10));
    }
    // A killed monitor cannot stop its network helper any more.
    containers(engine)?.stop_helpers(&view.record.id);
    Ok(())
}

/// Wait until the container is no longer running (or `timeout`); true when it is down.
fn wait_gone(engine: &Engine, id: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let Ok(ctrs) = containers(engine) else {
            return true;
        };
        let s = ctrs.state(id);
        // Down, and whoever supervised it has recorded the exit (or died).
        if !matches!(s.status, Status::Running | Status::Stopping) && !s.monitor_alive() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `wait`: block until the container exits; its exit code. A container removed
/// meanwhile (`--rm`, `rm -f`) gives the code it exited with; one removed
/// without having exited (or too long ago) is an error, as in Podman.
pub fn wait_exit(engine: &Engine, id: &str) -> Result<i32, EngineError> {
    let ctrs = containers(engine)?;
    loop {
        // The state first: when the record is still there after it was read,
        // the state was the container's.
        let s = ctrs.state(id);
        if !ctrs.dir_of(id).join("config.json").exists() {
            return ctrs
                .removed_exit(id)
                .ok_or_else(|| crate::container::ContainerError::NotFound(id.to_string()).into());
        }
        match s.status {
            Status::Exited => return Ok(s.exit_code.unwrap_or(-1)),
            Status::Created => return Ok(s.exit_code.unwrap_or(0)),
            Status::Running | Status::Stopping => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Parse `SIGTERM`, `TERM`, `term` or `15`.
pub fn parse_signal(s: &str) -> Option<Signal> {
    if let Ok(n) = s.parse::<i32>() {
        return Signal::try_from(n).ok();
    }
    let upper = s.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    name.parse().ok()
}

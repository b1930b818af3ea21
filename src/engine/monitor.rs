//! The detached container's monitor (`run -d`, `start`): how it is started and
//! what it does. It is skiff re-executed (`/proc/self/exe` with the hidden
//! [`MONITOR_COMMAND`]), never a forked copy of the caller: the caller may have
//! other threads (a server), whose locks a forked copy running engine code
//! could find held forever (see `sys::process`'s fork contract). The new
//! process stays in the caller's namespaces (exec keeps them), makes a session,
//! forks once (it is single-threaded then) and supervises the container with
//! its log and attach socket, for exactly as long as the container (and its
//! restarts) lives; it reports the start on a pipe passed as descriptor
//! [`MONITOR_REPORT_FD`].

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

use super::attach::Hub;
use super::handle::RunHandle;
use super::lifecycle::{exit_code_of, supervise, Io};
use super::{Engine, EngineError};
use crate::container::{ContainerRecord, Containers};
use crate::sys::signals;
use crate::sys::userns::MapKind;

fn containers(engine: &Engine) -> Result<Containers, EngineError> {
    Ok(Containers::new(engine.store.root())?)
}

/// The hidden subcommand that starts a monitor: `skiff __monitor NAME ROOT
/// RUNROOT MAPPING ID`, with the report pipe on descriptor [`MONITOR_REPORT_FD`].
pub const MONITOR_COMMAND: &str = "__monitor";
/// The monitor's descriptor for its one report (`ok` and the warnings, or `err`).
pub const MONITOR_REPORT_FD: i32 = 3;

/// What a monitor is started with (the arguments of [`MONITOR_COMMAND`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorArgs {
    /// The caller's process name, which the monitor takes (`ps` shows it as
    /// the forked monitor it replaces was shown).
    pub name: String,
    pub root: PathBuf,
    pub runroot: PathBuf,
    pub map_kind: MapKind,
    pub id: String,
}

impl MonitorArgs {
    /// The command-line words after [`MONITOR_COMMAND`].
    pub fn to_args(&self) -> Vec<std::ffi::OsString> {
        let kind = match self.map_kind {
            MapKind::Identity => "identity",
            MapKind::SubordinateRange => "subordinate",
            MapKind::SingleId => "single",
        };
        vec![
            self.name.clone().into(),
            self.root.clone().into(),
            self.runroot.clone().into(),
            kind.into(),
            self.id.clone().into(),
        ]
    }

    /// Parse what [`MonitorArgs::to_args`] made.
    pub fn parse(args: &[std::ffi::OsString]) -> Option<MonitorArgs> {
        let [name, root, runroot, kind, id] = args else {
            return None;
        };
        let map_kind = match kind.to_str()? {
            "identity" => MapKind::Identity,
            "subordinate" => MapKind::SubordinateRange,
            "single" => MapKind::SingleId,
            _ => return None,
        };
        Some(MonitorArgs {
            name: name.to_str()?.to_string(),
            root: root.into(),
            runroot: runroot.into(),
            map_kind,
            id: id.to_str()?.to_string(),
        })
    }
}

/// Start `record` detached under a new monitor process; returns once the container
/// runs (or failed to start), with the runtime's warnings.
///
/// The monitor is this binary re-executed (`/proc/self/exe` with
/// [`MONITOR_COMMAND`]), never a forked copy of this process: the caller may
/// have other threads (a server), whose locks a forked copy running engine code
/// could find held forever. It stays in the caller's namespaces (exec keeps
/// them), detaches itself ([`monitor_main`]) and reports on a pipe.
pub fn start_detached(
    engine: &Engine,
    record: &ContainerRecord,
) -> Result<Vec<String>, EngineError> {
    let process = |step| move |e: std::io::Error| EngineError::Process { step, source: e };
    let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|e| process("creating a pipe")(e.into()))?;
    // The kernel's name of this process (comm). Not nix's prctl::get_name: it
    // hands the kernel an immutable buffer to write into, which the optimiser
    // may assume still holds zeros (a release build passed NULs on).
    let name = std::fs::read_to_string("/proc/self/comm")
        .ok()
        .map(|n| n.trim_end_matches('\n').to_string())
        .filter(|n| !n.is_empty() && !n.contains('\0'))
        .unwrap_or_else(|| "skiff".into());
    let args = MonitorArgs {
        name,
        root: engine.store.root().to_path_buf(),
        runroot: engine.store.runroot().to_path_buf(),
        map_kind: engine.map_kind,
        id: record.id.clone(),
    };
    let mut cmd = std::process::Command::new("/proc/self/exe");
    cmd.arg0("skiff")
        .arg(MONITOR_COMMAND)
        .args(args.to_args())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = crate::sys::process::spawn_passing(&mut cmd, w.as_fd(), MONITOR_REPORT_FD)
        .map_err(process("starting the monitor"))?;
    drop(w);
    // it exits as soon as it forked the monitor proper
    let _ = child.wait();
    read_report(r)
}

/// The monitor's report: warnings, or why the container did not start.
fn read_report(r: OwnedFd) -> Result<Vec<String>, EngineError> {
    let mut report = String::new();
    let _ = std::io::Read::read_to_string(&mut std::fs::File::from(r), &mut report);
    match report.split_once('\n') {
        Some(("ok", warnings)) => Ok(warnings.lines().map(str::to_string).collect()),
        Some(("err", rest)) => {
            let (code, msg) = rest.split_once('\n').unwrap_or(("125", rest));
            Err(EngineError::StartFailed {
                code: code.parse().unwrap_or(125),
                message: msg.trim().to_string(),
            })
        }
        _ => Err(EngineError::MonitorDied),
    }
}

/// The process [`start_detached`] started, still single-threaded: a new
/// session, then a fork (sound here: no other thread exists yet), whose child
/// is the monitor; this returns at once in the parent (exit 0 for the caller's
/// wait) and with the container's last exit code in the monitor.
pub fn monitor_main(args: &MonitorArgs, report: OwnedFd) -> i32 {
    if let Ok(name) = std::ffi::CString::new(args.name.as_str()) {
        let _ = nix::sys::prctl::set_name(&name);
    }
    let _ = nix::unistd::setsid();
    match crate::sys::process::fork() {
        Ok(crate::sys::process::Forked::Child) => {}
        _ => return 0,
    }
    let engine = match crate::store::Store::open(&args.root, &args.runroot) {
        Ok(store) => Engine::new(store, args.map_kind),
        Err(e) => return report_failure(report, &e.into()),
    };
    let record = match containers(&engine).and_then(|c| Ok(c.load(&args.id)?)) {
        Ok(r) => r,
        Err(e) => return report_failure(report, &e),
    };
    monitor(&engine, &record, report)
}

fn report_failure(report: OwnedFd, e: &EngineError) -> i32 {
    let text = format!("err\n{}\n{e}", exit_code_of(e));
    let _ = std::io::Write::write_all(&mut std::fs::File::from(report), text.as_bytes());
    exit_code_of(e)
}

/// The monitor: stdio to /dev/null, supervise with the log, apply `--rm`.
fn monitor(engine: &Engine, record: &ContainerRecord, report: OwnedFd) -> i32 {
    let _ = signals::ignore_hangup();
    // Hold nothing of the caller's beyond stdio (a test runner waits on its pipes).
    crate::sys::process::close_fds_from(3, &[report.as_raw_fd()]);
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        for fd in 0..3 {
            let _ = nix::unistd::dup2(null.as_raw_fd(), fd);
        }
    }
    let mut report = Some(std::fs::File::from(report));
    let mut tell = |r: Result<&[String], &EngineError>| {
        if let Some(mut f) = report.take() {
            let text = match r {
                Ok(w) => format!("ok\n{}", w.join("\n")),
                Err(e) => format!("err\n{}\n{e}", exit_code_of(e)),
            };
            let _ = std::io::Write::write_all(&mut f, text.as_bytes());
        }
    };
    // Without the socket the container still runs; `attach` then follows the log.
    let hub = containers(engine)
        .ok()
        .and_then(|c| Hub::serve(&c.dir_of(&record.id)).ok());
    let handle = RunHandle::new();
    let code = supervise(engine, record, Io::Log(hub.clone()), &handle, &mut tell)
        .unwrap_or_else(|e| exit_code_of(&e));
    if let Some(h) = hub {
        h.close();
    }
    if record.config.auto_remove {
        if let Ok(ctrs) = containers(engine) {
            let _ = ctrs.remove(record);
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_args_round_trip() {
        let args = MonitorArgs {
            name: "skiff".into(),
            root: "/a b/root".into(),
            runroot: "/run/x".into(),
            map_kind: MapKind::SubordinateRange,
            id: "0123".into(),
        };
        assert_eq!(MonitorArgs::parse(&args.to_args()), Some(args));
        assert_eq!(MonitorArgs::parse(&["x".into()]), None);
    }
}

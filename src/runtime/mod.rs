//! The container runtime, inside the binary: namespaces, rootfs, mounts,
//! /dev, capabilities, user switch, pty, networking helper, a minimal init.
//!
//! # Process model
//! The caller (already in its user namespace, see `sys::userns`) calls
//! [`spawn`]. It becomes a *child subreaper* (for good: see `start`) and
//! forks a setup process, which
//! unshares the mount, uts, ipc, pid, cgroup (and net) namespaces and forks
//! container pid 1; the setup process reports pid 1's pid and exits, so pid 1
//! is re-parented to the caller, who can `waitpid` it ([`Running::wait`]).
//! The setup process itself is reaped once pid 1 exec'd: its exit (the
//! teardown of a copy of the caller's address space) is nobody's hurry.
//! Pid 1 brings up its network and mounts /proc and /sys on a stage
//! ([`early`]), then waits for `IdsMapped` from the caller (who may still be
//! waiting for newuidmap, see [`spawn_when`]), then builds the rootfs, moves
//! /proc and /sys in, pivots, drops privileges and execs. Every step is
//! reported over a close-on-exec socket ([`protocol`]): the channel closing
//! without a failure means the exec succeeded. After the exit, the caller
//! holds the container's mount namespace ([`Running::take_teardown`]), so
//! that its teardown need not delay anyone. Pid 1 dies with the caller
//! (a parent-death signal, see [`pdeath`]); call [`spawn`] and
//! [`Running::wait`] on one thread that lives as long as the container.
//!
//! Invariant: between fork and exec the child only allocates and makes
//! syscalls; it never prints (the caller may have other threads).

pub mod caps;
pub mod cgroup;
mod child;
mod devices;
mod early;
mod init;
mod mounts;
pub mod network;
mod pdeath;
pub mod process;
mod protocol;
mod rootfs;
pub mod spec;
mod stdio;
pub mod tty;

use std::os::fd::OwnedFd;

use nix::errno::Errno;
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

pub use spec::{
    default_masked_paths, default_readonly_paths, ContainerSpec, EtcFiles, MountSpec, NetHelper,
    NetworkMode, ProcessSpec, Rlimit, Rootfs, RootfsKind,
};

use crate::sys::process::{fork, Forked};
use protocol::Msg;

/// The setup step that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Subreaper,
    Channel,
    Fork,
    Unshare,
    Setns,
    Stdio,
    Loopback,
    MakePrivate,
    MountRootfs,
    Proc,
    Sys,
    Dev,
    Devpts,
    Bind,
    Tmpfs,
    EtcFiles,
    Pty,
    PivotRoot,
    Mask,
    ReadonlyPath,
    ReadonlyRoot,
    Hostname,
    Rlimit,
    User,
    Chdir,
    Capabilities,
    SetGroups,
    SetGid,
    SetUid,
    NoNewPrivs,
    Session,
    Init,
    Wait,
    Signal,
    Cgroup,
    ParentDeath,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// Runtime failures. [`RuntimeError::exit_code`] gives Docker's code.
#[derive(Debug, Clone, thiserror::Error, Serialize, Deserialize)]
pub enum RuntimeError {
    /// A setup step failed (exit code 125).
    #[error("container setup failed: {step} {path}: {errno}")]
    Setup {
        step: Step,
        path: String,
        #[serde(with = "errno_serde")]
        errno: Errno,
    },
    /// The command was not found (127).
    #[error("{cmd:?}: executable file not found in $PATH")]
    NotFound { cmd: String },
    /// The command exists but cannot be executed (126).
    #[error("{cmd:?}: cannot execute: {errno}")]
    NotExecutable {
        cmd: String,
        #[serde(with = "errno_serde")]
        errno: Errno,
    },
    /// `-u NAME` with no such user in the container's /etc/passwd (125).
    #[error("unable to find user {user}: no matching entries in passwd file")]
    UnknownUser { user: String },
    /// `-u USER:GROUP` with no such group in the container's /etc/group (125).
    #[error("unable to find group {group}: no matching entries in group file")]
    UnknownGroup { group: String },
    /// The container's network could not be set up (a published port in use).
    #[error("{detail}")]
    Network { detail: String },
    /// The user namespace's id maps could not be written (125).
    #[error("{detail}")]
    IdMap { detail: String },
    /// The setup processes broke the sync protocol (died early, garbage).
    #[error("container setup process ended unexpectedly ({detail})")]
    Protocol { detail: String },
}

impl RuntimeError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind));
    /// the exit code a container's command gets is [`RuntimeError::exit_code`].
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            RuntimeError::NotFound { .. } => ErrorKind::NotFound,
            RuntimeError::NotExecutable { .. }
            | RuntimeError::UnknownUser { .. }
            | RuntimeError::UnknownGroup { .. } => ErrorKind::InvalidArgument,
            RuntimeError::Network { .. } | RuntimeError::IdMap { .. } => ErrorKind::Unavailable,
            RuntimeError::Setup { .. } | RuntimeError::Protocol { .. } => ErrorKind::Internal,
        }
    }
}

impl RuntimeError {
    pub(crate) fn setup(step: Step, path: &str, errno: Errno) -> Self {
        RuntimeError::Setup {
            step,
            path: path.to_string(),
            errno,
        }
    }

    /// Docker's exit code for this failure: 127, 126, else 125.
    pub fn exit_code(&self) -> i32 {
        match self {
            RuntimeError::NotFound { .. } => 127,
            RuntimeError::NotExecutable { .. } => 126,
            _ => 125,
        }
    }
}

mod errno_serde {
    use nix::errno::Errno;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(e: &Errno, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*e as i32)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Errno, D::Error> {
        Ok(Errno::from_raw(i32::deserialize(d)?))
    }
}

/// The container's standard streams; `None` inherits the caller's. Unused
/// when the process has a terminal: then 0, 1 and 2 are the pty slave. The
/// caller's copies are closed when `spawn` returns (so a pipe sees EOF).
#[derive(Debug, Default)]
pub struct Stdio {
    pub stdin: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
}

/// A started container (or exec'd process).
#[derive(Debug)]
pub struct Running {
    /// Host-visible pid of the container's pid 1 (or the exec'd process);
    /// a child of the caller.
    pub pid: Pid,
    /// The pty master, when the process has a terminal.
    pub pty_master: Option<OwnedFd>,
    /// The network (skiff's own stack, pasta or slirp4netns), stopped by [`Running::wait`].
    pub network_helper: Option<network::Helper>,
    /// How the rootfs was mounted (`None` for `exec_in`).
    pub rootfs: Option<RootfsKind>,
    /// Warnings for the user (e.g. no networking helper found).
    pub warnings: Vec<String>,
    /// The container's own cgroup, removed by [`Running::wait`].
    pub cgroup: Option<std::path::PathBuf>,
    /// Descriptors whose last close tears down what the container leaves:
    /// its mount namespace, held open so that pid 1's exit does not unmount
    /// the rootfs, /proc, /dev… (and wait for an RCU grace period) before the
    /// caller learns of the exit, and skiff's own network's TUN device (its
    /// detach waits for one too). Whoever closes them pays for the teardown:
    /// [`Running::take_teardown`] lets `run --rm` hand them to its background
    /// removal.
    teardown: Vec<OwnedFd>,
    /// The setup process, exited or exiting: reaped once the process exec'd,
    /// when waiting for its exit no longer delays anything (or on drop, when
    /// the start failed).
    setup: Option<Pid>,
}

impl Running {
    /// Wait for the process to end: its exit code, or 128+signal. Stops the
    /// network helper.
    pub fn wait(&mut self) -> Result<i32, RuntimeError> {
        let code = loop {
            match waitpid(self.pid, None) {
                Ok(WaitStatus::Exited(_, c)) => break c,
                Ok(WaitStatus::Signaled(_, s, _)) => break 128 + s as i32,
                Ok(_) | Err(Errno::EINTR) => continue,
                Err(e) => return Err(RuntimeError::setup(Step::Wait, &self.pid.to_string(), e)),
            }
        };
        crate::trace::mark("waitpid returned");
        if let Some(h) = self.network_helper.take() {
            self.teardown.extend(h.stop());
        }
        if let Some(dir) = self.cgroup.take() {
            cgroup::remove(&dir);
        }
        Ok(code)
    }

    /// Reap the setup process (see the field).
    fn reap_setup(&mut self) {
        if let Some(pid) = self.setup.take() {
            let _ = waitpid(pid, None);
        }
    }

    /// After [`Running::wait`]: the descriptors of the teardown (see the
    /// field), for a process that closes them later, off the caller's path.
    pub fn take_teardown(&mut self) -> Vec<OwnedFd> {
        std::mem::take(&mut self.teardown)
    }

    /// Send `sig` to the process (pid 1 of the container: without `init`, it
    /// ignores signals it has no handler for, as in Docker).
    pub fn signal(&self, sig: Signal) -> Result<(), RuntimeError> {
        kill(self.pid, sig).map_err(|e| RuntimeError::setup(Step::Signal, &self.pid.to_string(), e))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.reap_setup();
        if let Some(h) = self.network_helper.take() {
            drop(h.stop());
        }
        if let Some(dir) = self.cgroup.take() {
            cgroup::remove(&dir);
        }
    }
}

/// Start a container. See the module docs for which process does what.
pub fn spawn(spec: &ContainerSpec, stdio: Stdio) -> Result<Running, RuntimeError> {
    spawn_when(spec, stdio, &|| Ok(()))
}

/// [`spawn`] from a user namespace whose id maps may still be being written
/// (`sys::userns::enter_unmapped`): the setup process makes the namespaces and
/// forks pid 1 meanwhile (they need only the capabilities the new user
/// namespace gave us), and pid 1 builds nothing until `ids_mapped`, called here
/// once pid 1 exists, returned. An error from it stops the container.
pub fn spawn_when(
    spec: &ContainerSpec,
    stdio: Stdio,
    ids_mapped: &dyn Fn() -> Result<(), String>,
) -> Result<Running, RuntimeError> {
    child::write_etc_files(spec)?;
    crate::trace::mark("etc files written");
    let mut warnings = Vec::new();
    let cgroup = if spec.resources.is_empty() {
        None
    } else {
        match cgroup::prepare(&spec.id, &spec.resources) {
            Ok(dir) => Some(dir),
            Err(why) => {
                warnings.push(format!(
                    "resource limits ignored, the container runs without them: {why}"
                ));
                None
            }
        }
    };
    // the container dies with this process (see pdeath)
    let supervisor = pdeath::supervisor();
    let started = start(
        stdio,
        |sock, stdio| child::stage1(spec, cgroup.as_deref(), sock, stdio, supervisor),
        Some((spec, ids_mapped)),
    );
    match started {
        Ok(mut running) => {
            running.warnings.splice(0..0, warnings);
            running.cgroup = cgroup;
            Ok(running)
        }
        Err(e) => {
            if let Some(dir) = &cgroup {
                cgroup::remove(dir);
            }
            Err(e)
        }
    }
}

/// Run `process` in the running container whose pid 1 is `pid` (`exec`):
/// joins its user (if different from ours), mount, pid, uts, ipc, net and
/// cgroup namespaces. Call it from a process that is *not* in a sibling user
/// namespace (i.e. the host user, or the container's own user namespace).
pub fn exec_in(pid: Pid, process: &ProcessSpec, stdio: Stdio) -> Result<Running, RuntimeError> {
    start(
        stdio,
        |sock, stdio| child::exec_stage1(pid, process, sock, stdio),
        None,
    )
}

/// A container's spec and what its pid 1 waits for (see [`spawn_when`]).
type ContainerStart<'a> = (&'a ContainerSpec, &'a dyn Fn() -> Result<(), String>);

fn start(
    stdio: Stdio,
    child_main: impl FnOnce(OwnedFd, Stdio),
    container: Option<ContainerStart<'_>>,
) -> Result<Running, RuntimeError> {
    // The one place skiff makes itself a child subreaper, and it is needed:
    // the setup process exits once it forked pid 1 (or the exec'd process), so
    // that process must be re-parented to us, not to init, for
    // `Running::wait` to waitpid it and for pdeath to hold. The attribute is
    // the whole process's and stays set: from now on every orphaned
    // descendant of this process (a daemonized pasta, a detached monitor
    // started later by this same process) is re-parented here too. A
    // long-lived caller (a server) must therefore reap children it did not
    // wait for, or they stay zombies until it exits; the CLI exits with them.
    nix::sys::prctl::set_child_subreaper(true)
        .map_err(|e| RuntimeError::setup(Step::Subreaper, "", e))?;
    let (ours, theirs) = protocol::pair().map_err(|e| RuntimeError::setup(Step::Channel, "", e))?;
    match fork().map_err(|e| RuntimeError::setup(Step::Fork, "", e))? {
        Forked::Child => {
            drop(ours);
            child_main(theirs, stdio);
            crate::sys::process::exit_now(125)
        }
        Forked::Parent(setup) => {
            drop(theirs);
            drop(stdio);
            supervise(ours, setup, container)
        }
    }
}

/// The caller's side of the protocol, until the process has exec'd.
fn supervise(
    sock: OwnedFd,
    setup: Pid,
    container: Option<ContainerStart<'_>>,
) -> Result<Running, RuntimeError> {
    let first = protocol::recv(&sock);
    let pid = match first {
        Ok(Some((Msg::Pid(p), _))) => Pid::from_raw(p),
        other => {
            let _ = waitpid(setup, None);
            return Err(match other {
                Ok(Some((Msg::Failed(e), _))) => e,
                _ => protocol_error("no pid from the setup process"),
            });
        }
    };
    crate::trace::mark("pid 1 forked");
    let mut running = Running {
        pid,
        pty_master: None,
        network_helper: None,
        rootfs: None,
        warnings: Vec::new(),
        cgroup: None,
        teardown: Vec::new(),
        // exiting now: reaped once the process exec'd
        setup: Some(setup),
    };
    let spec = container.map(|(spec, _)| spec);
    if let Some((_, ids_mapped)) = container {
        // Still in our user namespace with our ids, before any exec: we may open it.
        if let Ok(ns) = std::fs::File::open(format!("/proc/{pid}/ns/mnt")) {
            running.teardown.push(ns.into());
        }
        if let Err(detail) = ids_mapped() {
            return Err(abort(running, RuntimeError::IdMap { detail }));
        }
        if let Err(e) = protocol::send(&sock, &Msg::IdsMapped, None) {
            return Err(abort(running, RuntimeError::setup(Step::Channel, "", e)));
        }
    }
    loop {
        match protocol::recv(&sock) {
            Ok(None) => {
                // exec'd: the setup process exited long ago
                running.reap_setup();
                return Ok(running);
            }
            Ok(Some((Msg::NeedNetwork, tun))) => {
                crate::trace::mark("network asked");
                if let Some(spec) = spec {
                    match tun {
                        Some(tun) => match crate::netstack::start(tun, &spec.ports) {
                            Ok(stack) => {
                                running.network_helper = Some(network::Helper::Builtin(stack))
                            }
                            Err(e) => {
                                let detail = e.to_string();
                                return Err(abort(running, RuntimeError::Network { detail }));
                            }
                        },
                        None => match network::attach(pid, spec) {
                            Ok(h) => running.network_helper = Some(h),
                            Err(w) => running.warnings.push(w),
                        },
                    }
                }
                if let Err(e) = protocol::send(&sock, &Msg::Go, None) {
                    // The child may have failed after asking (command not found…):
                    // its report, still queued, explains more than EPIPE does.
                    if let Ok(Some((Msg::Failed(f), _))) = protocol::recv(&sock) {
                        return Err(abort(running, f));
                    }
                    return Err(abort(running, RuntimeError::setup(Step::Channel, "", e)));
                }
            }
            Ok(Some((Msg::Pty, fd))) => running.pty_master = fd,
            Ok(Some((Msg::Ready(kind), _))) => {
                crate::trace::mark("rootfs ready");
                running.rootfs = Some(kind)
            }
            Ok(Some((Msg::Failed(e), _))) => return Err(abort(running, e)),
            Ok(Some(_)) => return Err(abort(running, protocol_error("unexpected message"))),
            Err(e) => return Err(abort(running, protocol_error(&e.to_string()))),
        }
    }
}

fn protocol_error(detail: &str) -> RuntimeError {
    RuntimeError::Protocol {
        detail: detail.to_string(),
    }
}

/// Make sure the failed container is gone and reaped, then return `e`.
fn abort(mut running: Running, e: RuntimeError) -> RuntimeError {
    let _ = running.signal(Signal::SIGKILL);
    let _ = running.wait();
    e
}

/// Make the calling process see a container's filesystem at `/`: join the
/// namespaces of its running pid 1 (from the host user, as for [`exec_in`]).
/// Only for a forked, single-threaded child that then does file work and exits.
pub fn enter_running_fs(pid: Pid) -> Result<(), RuntimeError> {
    child::join_namespaces(pid)
}

/// Make the calling process see a stopped container's filesystem at `/`: a
/// private mount namespace with the rootfs mounted and chrooted into. The caller
/// is a forked, single-threaded child already inside the user namespace.
pub fn enter_stopped_fs(rootfs: &Rootfs) -> Result<(), RuntimeError> {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNS)
        .map_err(|e| RuntimeError::setup(Step::Unshare, "mnt", e))?;
    mounts::make_private()?;
    let (root, _) = rootfs::mount_rootfs(rootfs)?;
    nix::unistd::chroot(&root)
        .map_err(|e| RuntimeError::setup(Step::PivotRoot, &root.display().to_string(), e))?;
    nix::unistd::chdir("/").map_err(|e| RuntimeError::setup(Step::PivotRoot, "/", e))
}

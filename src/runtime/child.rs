//! The forked side of [`super::spawn`] and [`super::exec_in`]: the setup
//! process (unshare or setns, then fork) and the container process (rootfs,
//! mounts, pivot, process setup, exec). Runs single-threaded; reports
//! failures on the sync socket and `_exit`s with Docker's code.

use std::convert::Infallible;
use std::fs::File;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sched::{setns, unshare, CloneFlags};
use nix::unistd::{dup2, Pid};

use super::process::{self, User};
use super::protocol::{self, Msg};
use super::spec::{ContainerSpec, NetHelper, NetworkMode, ProcessSpec};
use super::{devices, early, init, mounts, pdeath, rootfs, stdio, RuntimeError, Stdio, Step};
use crate::sys::process::{cloexec_from, exit_now, fork, Forked};
use crate::sys::{netif, pty, signals};

/// Write the generated /etc files into the state dir (caller side).
pub fn write_etc_files(spec: &ContainerSpec) -> Result<(), RuntimeError> {
    let Some(files) = &spec.etc_files else {
        return Ok(());
    };
    std::fs::create_dir_all(&spec.state_dir)
        .map_err(|e| mounts::io_err(Step::EtcFiles, &spec.state_dir, &e))?;
    let contents = [&files.hosts, &files.hostname, &files.resolv_conf];
    for (name, text) in mounts::ETC_FILES.iter().zip(contents) {
        let path = spec.state_dir.join(name);
        std::fs::write(&path, text).map_err(|e| mounts::io_err(Step::EtcFiles, &path, &e))?;
    }
    Ok(())
}

/// Report `e` to the caller and exit with its code.
fn fail(sock: &OwnedFd, e: RuntimeError) -> ! {
    let _ = protocol::send(sock, &Msg::Failed(e.clone()), None);
    exit_now(e.exit_code())
}

/// Fork the process that will live in the new pid namespace; the setup
/// process reports its pid and exits. The child waits for that exit (EOF on
/// a pipe) so the caller always gets `Pid` before anything else.
fn fork_into_ns(sock: &OwnedFd) -> Result<(), RuntimeError> {
    let (rd, wr) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|e| RuntimeError::setup(Step::Fork, "pipe", e))?;
    match fork().map_err(|e| RuntimeError::setup(Step::Fork, "", e))? {
        Forked::Child => {
            drop(wr);
            let mut byte = [0u8; 1];
            while nix::unistd::read(rd.as_raw_fd(), &mut byte) == Err(Errno::EINTR) {}
            Ok(())
        }
        Forked::Parent(pid) => {
            let _ = protocol::send(sock, &Msg::Pid(pid.as_raw()), None);
            exit_now(0)
        }
    }
}

/// Setup process of `spawn`. `supervisor` is the caller's pidfd (see
/// [`super::pdeath`]).
pub fn stage1(
    spec: &ContainerSpec,
    cgroup: Option<&Path>,
    sock: OwnedFd,
    stdio: Stdio,
    supervisor: Option<OwnedFd>,
) -> ! {
    // Into the container's cgroup before the cgroup namespace is made, so
    // that the container sees its own group as the root.
    if let Some(dir) = cgroup {
        let procs = dir.join("cgroup.procs");
        if let Err(e) = std::fs::write(&procs, "0") {
            let errno = Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO));
            fail(
                &sock,
                RuntimeError::setup(Step::Cgroup, &procs.display().to_string(), errno),
            );
        }
    }
    let mut flags = CloneFlags::CLONE_NEWNS
        | CloneFlags::CLONE_NEWUTS
        | CloneFlags::CLONE_NEWIPC
        | CloneFlags::CLONE_NEWPID
        | CloneFlags::CLONE_NEWCGROUP;
    if spec.network != NetworkMode::Host {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    if let Err(e) = unshare(flags) {
        fail(&sock, RuntimeError::setup(Step::Unshare, "", e));
    }
    let setup = supervisor.as_ref().and_then(|_| pdeath::setup_pidfd());
    if let Err(e) = fork_into_ns(&sock) {
        fail(&sock, e);
    }
    pdeath::wait_reparented(setup);
    match container_main(spec, &sock, stdio, supervisor) {
        Err(e) => fail(&sock, e),
        Ok(never) => match never {},
    }
}

/// `eth0` as a TUN device with the container's address and default route.
fn own_network() -> nix::Result<OwnedFd> {
    use crate::netstack::{CONTAINER, GATEWAY, IFNAME, MTU, PREFIX};
    let tun = netif::create_tun(IFNAME)?;
    netif::configure_v4(IFNAME, CONTAINER, PREFIX, MTU as u32)?;
    netif::add_default_route_v4(GATEWAY)?;
    // Only a device that is complete outlives this fd (a half-made one goes
    // with it, and pasta takes over).
    netif::set_persistent(&tun)?;
    Ok(tun)
}

/// Container pid 1: everything from the rootfs to the exec.
fn container_main(
    spec: &ContainerSpec,
    sock: &OwnedFd,
    stdio: Stdio,
    supervisor: Option<OwnedFd>,
) -> Result<Infallible, RuntimeError> {
    if spec.network != NetworkMode::Host {
        netif::set_up("lo").map_err(|e| RuntimeError::setup(Step::Loopback, "lo", e))?;
    }
    let private = matches!(spec.network, NetworkMode::Private(_));
    if let NetworkMode::Private(helper) = spec.network {
        // skiff's own network when the TUN device can be made here (the
        // caller serves it); without it the caller falls back to pasta.
        let tun = match helper {
            NetHelper::Builtin => own_network().ok(),
            NetHelper::Pasta | NetHelper::Slirp4netns => None,
        };
        send(sock, &Msg::NeedNetwork, tun.as_ref().map(|t| t.as_raw_fd()))?;
        drop(tun); // the caller holds the device now
    }
    // The network above needs only our capabilities over the new namespaces,
    // and so do the early mounts; nothing else may run before our user
    // namespace has its id maps.
    let early = early::mount(spec);
    match protocol::recv(sock) {
        Ok(Some((Msg::IdsMapped, _))) => {}
        _ => return Err(RuntimeError::setup(Step::Channel, "id maps", Errno::EPROTO)),
    }
    crate::sys::userns::become_root_mapped()
        .map_err(|e| RuntimeError::setup(Step::SetUid, "0", e))?;
    let terminal = spec.process.terminal;
    if !terminal {
        apply_stdio(stdio)?;
    }
    if !early.private {
        mounts::make_private()?;
    }
    let (root, kind) = rootfs::mount_rootfs(&spec.rootfs)?;
    early.place(&root, spec)?;
    devices::setup_dev(&root)?;
    mounts::mount_user(&root, &spec.mounts)?;
    mounts::mount_etc_files(&root, spec)?;
    let tty = if terminal {
        Some(open_tty(&root.join("dev/pts/ptmx"), Some(&root), sock)?)
    } else {
        None
    };
    mounts::pivot(&root)?;
    nix::unistd::sethostname(&spec.hostname)
        .map_err(|e| RuntimeError::setup(Step::Hostname, &spec.hostname, e))?;
    process::apply_rlimits(&spec.process.rlimits)?;
    let mut prepared = prepare(&spec.process, &spec.hostname)?;
    mounts::restrict(
        &not_in(&spec.masked_paths, &early.restricted),
        &not_in(&spec.readonly_paths, &early.restricted),
        spec.readonly_rootfs,
    )?;
    if private {
        match protocol::recv(sock) {
            Ok(Some((Msg::Go, _))) => {}
            _ => return Err(RuntimeError::setup(Step::Channel, "network", Errno::EPROTO)),
        }
    }
    send(sock, &Msg::Ready(kind), None)?;
    if spec.init {
        // the init changes no credentials any more: it may die with the caller
        // now (and holds no descriptor of the caller's)
        pdeath::die_with(supervisor.as_ref())?;
        drop(supervisor);
        return Err(init::run(&prepared, &spec.process, tty, sock));
    }
    prepared.supervisor = supervisor;
    Err(exec_prepared(&prepared, &spec.process, tty))
}

/// The paths of `paths` not in `done`.
fn not_in<'a>(paths: &'a [String], done: &[String]) -> Vec<&'a String> {
    paths.iter().filter(|p| !done.contains(p)).collect()
}

fn send(sock: &OwnedFd, msg: &Msg, fd: Option<i32>) -> Result<(), RuntimeError> {
    protocol::send(sock, msg, fd).map_err(|e| RuntimeError::setup(Step::Channel, "", e))
}

/// Put the caller's chosen streams on 0, 1, 2.
fn apply_stdio(stdio: Stdio) -> Result<(), RuntimeError> {
    for (fd, target) in [(stdio.stdin, 0), (stdio.stdout, 1), (stdio.stderr, 2)] {
        if let Some(fd) = fd {
            dup2(fd.as_raw_fd(), target)
                .map_err(|e| RuntimeError::setup(Step::Stdio, &target.to_string(), e))?;
        }
    }
    Ok(())
}

/// Open a pty on `ptmx`, send the master to the caller, bind the slave on
/// /dev/console (when `root` is given); returns the slave.
fn open_tty(ptmx: &Path, root: Option<&Path>, sock: &OwnedFd) -> Result<OwnedFd, RuntimeError> {
    let (master, slave) = pty::open_pair(ptmx).map_err(|e| mounts::err(Step::Pty, ptmx, e))?;
    if let Some(root) = root {
        let link = PathBuf::from(format!("/proc/self/fd/{}", slave.as_raw_fd()));
        let path = std::fs::read_link(&link).map_err(|e| mounts::io_err(Step::Pty, &link, &e))?;
        devices::bind_console(root, &path)?;
    }
    send(sock, &Msg::Pty, Some(master.as_raw_fd()))?;
    Ok(slave)
}

/// The process, resolved in the container: user, environment, program.
pub struct Prepared {
    pub user: User,
    pub env: Vec<String>,
    pub program: String,
    /// Die with this process (a pidfd) from the exec on: see [`super::pdeath`].
    pub supervisor: Option<OwnedFd>,
}

/// Resolve user, environment and program, and enter the working directory
/// (created if missing). Runs as root in the container's root.
fn prepare(process: &ProcessSpec, hostname: &str) -> Result<Prepared, RuntimeError> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let user = process::resolve_user(&process.user, &read("/etc/passwd"), &read("/etc/group"))?;
    let env = process::default_env(&process.env, hostname, &user.home, process.terminal);
    let cmd = process
        .args
        .first()
        .ok_or_else(|| RuntimeError::NotFound { cmd: String::new() })?;
    let program = process::lookup(cmd, &env, Path::new("/"))
        .ok_or_else(|| RuntimeError::NotFound { cmd: cmd.clone() })?;
    process::enter_cwd(&process.cwd)?;
    Ok(Prepared {
        user,
        env,
        program,
        supervisor: None,
    })
}

/// New session (with the pty as controlling terminal on 0, 1, 2), streams
/// the user may reopen, drop privileges, exec with nothing of ours: no
/// descriptor beyond 0, 1, 2, every signal at its default and none blocked.
/// Returns only on failure.
pub fn exec_prepared(p: &Prepared, process: &ProcessSpec, tty: Option<OwnedFd>) -> RuntimeError {
    if let Err(e) = session(tty) {
        return e;
    }
    stdio::give_to(p.user.uid);
    if let Err(e) = process::drop_privileges(&p.user, process, &process.additional_gids) {
        return e;
    }
    // after the last change of credentials, which would clear it
    if let Err(e) = pdeath::die_with(p.supervisor.as_ref()) {
        return e;
    }
    if let Err(e) = cloexec_from(3) {
        return RuntimeError::setup(Step::Stdio, "close_range", e);
    }
    if let Err(e) = signals::reset_for_exec() {
        return RuntimeError::setup(Step::Signal, "sigprocmask", e);
    }
    process::exec(&p.program, &process.args, &p.env)
}

fn session(tty: Option<OwnedFd>) -> Result<(), RuntimeError> {
    nix::unistd::setsid().map_err(|e| RuntimeError::setup(Step::Session, "", e))?;
    if let Some(tty) = tty {
        pty::set_controlling(tty.as_fd())
            .map_err(|e| RuntimeError::setup(Step::Session, "tty", e))?;
        for target in 0..3 {
            dup2(tty.as_raw_fd(), target)
                .map_err(|e| RuntimeError::setup(Step::Session, "tty", e))?;
        }
    }
    Ok(())
}

/// Setup process of `exec_in`: join the namespaces of `pid`, fork into its
/// pid namespace, prepare and exec.
pub fn exec_stage1(pid: Pid, process: &ProcessSpec, sock: OwnedFd, stdio: Stdio) -> ! {
    if let Err(e) = join_namespaces(pid) {
        fail(&sock, e);
    }
    if let Err(e) = fork_into_ns(&sock) {
        fail(&sock, e);
    }
    let run = || -> Result<Infallible, RuntimeError> {
        let tty = if process.terminal {
            Some(open_tty(Path::new("/dev/pts/ptmx"), None, &sock)?)
        } else {
            apply_stdio(stdio)?;
            None
        };
        let hostname = nix::unistd::gethostname()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prepared = prepare(process, &hostname)?;
        Err(exec_prepared(&prepared, process, tty))
    };
    match run() {
        Err(e) => fail(&sock, e),
        Ok(never) => match never {},
    }
}

/// Namespaces joined by `exec_in`, user first (it grants the rights for the
/// others), mount last but one so /proc paths still resolve.
const JOIN: [(&str, CloneFlags); 7] = [
    ("user", CloneFlags::CLONE_NEWUSER),
    ("ipc", CloneFlags::CLONE_NEWIPC),
    ("uts", CloneFlags::CLONE_NEWUTS),
    ("net", CloneFlags::CLONE_NEWNET),
    ("pid", CloneFlags::CLONE_NEWPID),
    ("cgroup", CloneFlags::CLONE_NEWCGROUP),
    ("mnt", CloneFlags::CLONE_NEWNS),
];

pub(super) fn join_namespaces(pid: Pid) -> Result<(), RuntimeError> {
    // Open all first: after joining the mount namespace /proc is the container's.
    let mut files = Vec::new();
    for (name, flag) in JOIN {
        let path = format!("/proc/{pid}/ns/{name}");
        let mine = std::fs::metadata(format!("/proc/self/ns/{name}")).map(|m| m.ino());
        let theirs = std::fs::metadata(&path).map(|m| m.ino());
        if theirs.is_err() || mine.ok() == theirs.as_ref().ok().copied() {
            continue; // same namespace (or not supported): nothing to join
        }
        let f = File::open(&path).map_err(|e| mounts::io_err(Step::Setns, Path::new(&path), &e))?;
        files.push((path, f, flag));
    }
    for (path, f, flag) in files {
        setns(f.as_fd(), flag).map_err(|e| RuntimeError::setup(Step::Setns, &path, e))?;
    }
    Ok(())
}

//! Entering a user namespace: how a rootless skiff becomes "root" over its own files.
//!
//! With a subordinate id range, a helper child (still in the parent user namespace)
//! runs the setuid `newuidmap`/`newgidmap` on us after we unshare; the mapping is the
//! same every time (container 0 = the user, 1.. = the subordinate range), so separate
//! commands agree on ownership without a pause process. Without a range we map only
//! our own ids. Real root needs no namespace at all.
//!
//! Invariant: [`enter`] must be called while the process is single-threaded (the
//! kernel refuses `unshare(CLONE_NEWUSER)` otherwise, and `fork` in a threaded
//! process may deadlock), i.e. first thing in `main`.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use nix::sched::{unshare, CloneFlags};
use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::{Gid, Pid, Uid};

use super::idmap::IdMapping;
use super::process::Forked;

/// Errors from entering the user namespace.
#[derive(Debug, thiserror::Error)]
pub enum UsernsError {
    #[error("creating a pipe for the id-mapping helper: {0}")]
    Pipe(nix::Error),
    #[error("forking the id-mapping helper: {0}")]
    Fork(nix::Error),
    #[error("creating a user namespace (unshare CLONE_NEWUSER): {0} (are unprivileged user namespaces disabled?)")]
    Unshare(nix::Error),
    #[error("mapping ids with {tool}: {message}")]
    MapTool { tool: &'static str, message: String },
    #[error("writing {path}: {source}")]
    WriteMap {
        path: &'static str,
        source: std::io::Error,
    },
    #[error("becoming root in the user namespace: {0}")]
    SetId(nix::Error),
}

impl UsernsError {
    /// Always [`ErrorKind::Unavailable`](crate::error_kind::ErrorKind): the host
    /// (kernel settings, id-mapping helpers) does not let us map ids.
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        crate::error_kind::ErrorKind::Unavailable
    }
}

/// How ids ended up mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// Real root: host ids as they are.
    Identity,
    /// Container 0 is the user; 1..N the subordinate range.
    SubordinateRange,
    /// Only the user's own id is mapped (to 0); other owners cannot be represented.
    SingleId,
}

/// Why the single-id fallback was taken, when it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FallbackReason {
    NoRange,
    NoHelper(&'static str),
}

/// Enter a new user namespace mapped as described in the module docs, with
/// newuidmap and newgidmap looked up on `helper_path` (see [`find_helper`]).
/// Returns the mapping kind and, for the single-id fallback, why.
pub fn enter(
    mapping: &IdMapping,
    helper_path: &OsStr,
) -> Result<(MapKind, Option<FallbackReason>), UsernsError> {
    let (kind, reason, pending) = enter_unmapped(mapping, helper_path)?;
    if let Some(p) = pending {
        drop(p.finish()?);
    }
    Ok((kind, reason))
}

/// [`enter`], except that with a subordinate range the helper may still be
/// writing the id maps when this returns: then [`Pending::finish`] must be called
/// before anything that needs them. Until then this process is in the new
/// namespace with its host ids (files it creates are the user's, as they would
/// be for root in the namespace), no id of the namespace is valid (chown, setuid
/// and `stat` owners all fail or read as the overflow id), and it has no
/// privilege over files it does not own. The newuidmap/newgidmap execs are the
/// slowest part of a `run`, so work that needs none of that can overlap them.
pub fn enter_unmapped(
    mapping: &IdMapping,
    helper_path: &OsStr,
) -> Result<(MapKind, Option<FallbackReason>, Option<Pending>), UsernsError> {
    if nix::unistd::geteuid().is_root() {
        return Ok((MapKind::Identity, None, None));
    }
    let why = if !mapping.has_ranges() {
        FallbackReason::NoRange
    } else {
        let find = |name| find_helper(name, helper_path);
        match (find("newuidmap"), find("newgidmap")) {
            (Some(u), Some(g)) => {
                let pending = begin_with_helpers(mapping, u, g)?;
                return Ok((MapKind::SubordinateRange, None, Some(pending)));
            }
            (None, _) => FallbackReason::NoHelper("newuidmap"),
            (_, None) => FallbackReason::NoHelper("newgidmap"),
        }
    };
    enter_single(mapping)?;
    Ok((MapKind::SingleId, Some(why), None))
}

/// Look for a helper on `search_path` (a `PATH` value, from the front end) and
/// then in the usual system directories.
pub fn find_helper(name: &str, search_path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(search_path)
        .chain(
            ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
                .iter()
                .map(PathBuf::from),
        )
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn enter_single(m: &IdMapping) -> Result<(), UsernsError> {
    unshare(CloneFlags::CLONE_NEWUSER).map_err(UsernsError::Unshare)?;
    write_proc("/proc/self/setgroups", "deny")?;
    write_proc("/proc/self/uid_map", &format!("0 {} 1\n", m.uid))?;
    write_proc("/proc/self/gid_map", &format!("0 {} 1\n", m.gid))?;
    become_root(false)
}

fn write_proc(path: &'static str, text: &str) -> Result<(), UsernsError> {
    std::fs::write(path, text).map_err(|source| UsernsError::WriteMap { path, source })
}

fn become_root(with_groups: bool) -> Result<(), UsernsError> {
    let root_g = Gid::from_raw(0);
    let root_u = Uid::from_raw(0);
    nix::unistd::setresgid(root_g, root_g, root_g).map_err(UsernsError::SetId)?;
    if with_groups {
        nix::unistd::setgroups(&[root_g]).map_err(UsernsError::SetId)?;
    }
    nix::unistd::setresuid(root_u, root_u, root_u).map_err(UsernsError::SetId)
}

/// Become root, with root's group only, in a user namespace whose id maps were
/// written after this process was forked from the one that entered it (see
/// [`enter_unmapped`]). Our ids are already the ones mapped to root; the host
/// user's supplementary groups go. A single-id namespace denies setgroups: the
/// groups stay as [`enter`] left them.
pub fn become_root_mapped() -> nix::Result<()> {
    let (root_g, root_u) = (Gid::from_raw(0), Uid::from_raw(0));
    nix::unistd::setresgid(root_g, root_g, root_g)?;
    match nix::unistd::setgroups(&[root_g]) {
        Ok(()) | Err(nix::errno::Errno::EPERM) => {}
        Err(e) => return Err(e),
    }
    nix::unistd::setresuid(root_u, root_u, root_u)
}

/// A user namespace entered, its id maps still being written by the helper
/// child (see [`enter_unmapped`]). Dropping it without [`Pending::finish`] still
/// waits for the helper.
#[derive(Debug)]
pub struct Pending {
    helper: Pid,
    report: Option<OwnedFd>,
    gidmap: PathBuf,
}

impl Pending {
    /// Wait until the helper mapped our ids, then become root in the namespace.
    /// The helper says so just before it exits: the returned [`Helper`] reaps it.
    pub fn finish(mut self) -> Result<Helper, UsernsError> {
        let mut report = Vec::new();
        if let Some(fd) = self.report.take() {
            let mut f = std::fs::File::from(fd);
            let mut first = [0u8; 1];
            if f.read_exact(&mut first).is_ok() {
                report.push(first[0]);
                if first[0] != REPORT_OK {
                    let _ = f.read_to_end(&mut report);
                }
            }
        }
        let helper = Helper(Some(self.helper));
        if report != [REPORT_OK] {
            drop(helper);
            let text = String::from_utf8_lossy(report.get(1..).unwrap_or_default());
            return Err(parse_report(&text, &self.gidmap));
        }
        become_root(true)?;
        Ok(helper)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(fd) = self.report.take() {
            // the helper's report is not read: it ends when its tools do
            drop(fd);
            let _ = waitpid(self.helper, None);
        }
    }
}

/// The id-mapping helper after it reported success: it is exiting, and
/// dropping this reaps it (a moment later nobody waits for that).
#[derive(Debug)]
pub struct Helper(Option<Pid>);

impl Drop for Helper {
    fn drop(&mut self) {
        if let Some(pid) = self.0.take() {
            let _ = waitpid(pid, None);
        }
    }
}

/// The helper's first byte when both maps are written; anything else is
/// followed by "<tool>\n<message>".
const REPORT_OK: u8 = b'0';

fn begin_with_helpers(
    m: &IdMapping,
    uidmap: PathBuf,
    gidmap: PathBuf,
) -> Result<Pending, UsernsError> {
    // close-on-exec: neither the setuid tools nor a container (forked while the
    // report is still unread, see enter_unmapped) may hold these
    let cloexec = nix::fcntl::OFlag::O_CLOEXEC;
    let (go_r, go_w) = nix::unistd::pipe2(cloexec).map_err(UsernsError::Pipe)?;
    let (done_r, done_w) = nix::unistd::pipe2(cloexec).map_err(UsernsError::Pipe)?;
    let parent = nix::unistd::getpid();
    match super::process::fork().map_err(UsernsError::Fork)? {
        Forked::Child => {
            drop(go_w);
            drop(done_r);
            let code = helper_child(m, parent, &uidmap, &gidmap, go_r, done_w);
            super::process::exit_now(code)
        }
        Forked::Parent(child) => {
            drop(go_r);
            drop(done_w);
            let unshared = unshare(CloneFlags::CLONE_NEWUSER);
            let mut go = std::fs::File::from(go_w);
            // The child reads one byte: 1 to map us, 0 to give up.
            let _ = go.write_all(if unshared.is_ok() { b"1" } else { b"0" });
            drop(go);
            let pending = Pending {
                helper: child,
                report: Some(done_r),
                gidmap,
            };
            match unshared {
                Ok(()) => Ok(pending),
                Err(e) => {
                    drop(pending);
                    Err(UsernsError::Unshare(e))
                }
            }
        }
    }
}

/// The error in a failing helper's report, "<tool>\n<message>".
fn parse_report(report: &str, gidmap: &Path) -> UsernsError {
    let (tool, message) = report.split_once('\n').unwrap_or(("", report));
    let tool = if tool == gidmap.to_string_lossy() {
        "newgidmap"
    } else {
        "newuidmap"
    };
    UsernsError::MapTool {
        tool,
        message: if message.trim().is_empty() {
            "the helper died".into()
        } else {
            message.trim().to_string()
        },
    }
}

fn helper_child(
    m: &IdMapping,
    parent: Pid,
    uidmap: &Path,
    gidmap: &Path,
    go: OwnedFd,
    done: OwnedFd,
) -> i32 {
    let mut byte = [0u8; 1];
    let mut done = std::fs::File::from(done);
    if std::fs::File::from(go).read_exact(&mut byte).is_err() || byte[0] != b'1' {
        return 1;
    }
    let (Some(u), Some(g)) = (m.sub_uids, m.sub_gids) else {
        return 1;
    };
    let steps = [
        (uidmap, m.uid, u.start, u.count),
        (gidmap, m.gid, g.start, g.count),
    ];
    // Both helpers at once: each is a setuid exec, the slowest part of a run.
    let spawned: Vec<_> = steps
        .iter()
        .map(|&(tool, own, start, count)| {
            let child = Command::new(tool)
                .args([
                    parent.to_string(),
                    "0".into(),
                    own.to_string(),
                    "1".into(),
                    "1".into(),
                ])
                .args([start.to_string(), count.to_string()])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn();
            (tool, child)
        })
        .collect();
    let mut failed = None;
    for (tool, child) in spawned {
        let failure = match child.and_then(|c| c.wait_with_output()) {
            Ok(o) if o.status.success() => continue,
            Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
            Err(e) => e.to_string(),
        };
        failed.get_or_insert((tool, failure));
    }
    if let Some((tool, failure)) = failed {
        let _ = write!(done, "1{}\n{}", tool.display(), failure);
        return 1;
    }
    let _ = done.write_all(&[REPORT_OK]);
    0
}

/// Wait for `child` and return its exit code the way a shell reports it.
pub fn exit_code_of(child: Pid) -> i32 {
    match waitpid(child, None) {
        Ok(WaitStatus::Exited(_, code)) => code,
        Ok(WaitStatus::Signaled(_, sig, _)) => 128 + sig as i32,
        _ => 125,
    }
}

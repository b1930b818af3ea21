//! The container process as Docker sets it up: user and groups from the
//! container's own /etc/passwd and /etc/group, default environment, argv[0]
//! through `PATH`, working directory, rlimits; then the final privilege drop
//! and `execve`. Runs in the container (after `pivot_root`).

use std::ffi::CString;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use nix::errno::Errno;
use nix::sys::resource::{setrlimit, Resource};
use nix::unistd::{Gid, Uid};

use super::spec::{ProcessSpec, Rlimit};
use super::{caps, RuntimeError, Step};

/// Docker's default `PATH`.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The ids a process runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    pub home: String,
}

/// The `nix` resource for an rlimit name (`nofile`, `RLIMIT_NOFILE`, …).
pub fn rlimit_resource(name: &str) -> Option<Resource> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.strip_prefix("rlimit_").unwrap_or(&lower);
    Some(match bare {
        "as" => Resource::RLIMIT_AS,
        "core" => Resource::RLIMIT_CORE,
        "cpu" => Resource::RLIMIT_CPU,
        "data" => Resource::RLIMIT_DATA,
        "fsize" => Resource::RLIMIT_FSIZE,
        "locks" => Resource::RLIMIT_LOCKS,
        "memlock" => Resource::RLIMIT_MEMLOCK,
        "msgqueue" => Resource::RLIMIT_MSGQUEUE,
        "nice" => Resource::RLIMIT_NICE,
        "nofile" => Resource::RLIMIT_NOFILE,
        "nproc" => Resource::RLIMIT_NPROC,
        "rss" => Resource::RLIMIT_RSS,
        "rtprio" => Resource::RLIMIT_RTPRIO,
        "rttime" => Resource::RLIMIT_RTTIME,
        "sigpending" => Resource::RLIMIT_SIGPENDING,
        "stack" => Resource::RLIMIT_STACK,
        _ => return None,
    })
}

/// Apply resource limits (before dropping CAP_SYS_RESOURCE).
pub fn apply_rlimits(limits: &[Rlimit]) -> Result<(), RuntimeError> {
    for l in limits {
        let res = rlimit_resource(&l.name)
            .ok_or_else(|| RuntimeError::setup(Step::Rlimit, &l.name, Errno::EINVAL))?;
        setrlimit(res, l.soft, l.hard)
            .map_err(|e| RuntimeError::setup(Step::Rlimit, &l.name, e))?;
    }
    Ok(())
}

/// Resolve `-u user[:group]` against passwd and group file contents. Numeric
/// ids need no entry (as in Docker); names must exist.
pub fn resolve_user(spec: &str, passwd: &str, group: &str) -> Result<User, RuntimeError> {
    let (user, grp) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user = if user.is_empty() { "0" } else { user };
    let entries: Vec<Vec<&str>> = passwd
        .lines()
        .map(|l| l.split(':').collect())
        .filter(|f: &Vec<&str>| f.len() >= 7)
        .collect();
    let by_name = entries.iter().find(|f| f[0] == user);
    let (uid, mut gid, home, name) = match (by_name, user.parse::<u32>()) {
        (Some(f), _) => (num(f[2])?, num(f[3])?, f[5].to_string(), Some(f[0])),
        (None, Ok(uid)) => match entries.iter().find(|f| f[2].parse() == Ok(uid)) {
            Some(f) => (uid, num(f[3])?, f[5].to_string(), Some(f[0])),
            None => (uid, 0, "/".to_string(), None),
        },
        (None, Err(_)) => {
            return Err(RuntimeError::UnknownUser {
                user: user.to_string(),
            })
        }
    };
    let groups: Vec<Vec<&str>> = group
        .lines()
        .map(|l| l.split(':').collect())
        .filter(|f: &Vec<&str>| f.len() >= 4)
        .collect();
    if let Some(g) = grp {
        gid = match (groups.iter().find(|f| f[0] == g), g.parse::<u32>()) {
            (Some(f), _) => num(f[2])?,
            (None, Ok(n)) => n,
            (None, Err(_)) => {
                return Err(RuntimeError::UnknownGroup {
                    group: g.to_string(),
                })
            }
        };
    }
    let mut supplementary = Vec::new();
    if let (Some(name), None) = (name, grp) {
        for f in &groups {
            if f[3].split(',').any(|m| m == name) {
                if let Ok(g) = f[2].parse::<u32>() {
                    if g != gid && !supplementary.contains(&g) {
                        supplementary.push(g);
                    }
                }
            }
        }
    }
    Ok(User {
        uid,
        gid,
        groups: supplementary,
        home,
    })
}

fn num(s: &str) -> Result<u32, RuntimeError> {
    s.parse()
        .map_err(|_| RuntimeError::setup(Step::User, s, Errno::EINVAL))
}

/// Docker's environment defaults: `PATH`, `HOSTNAME`, `HOME`, `TERM` (with a
/// tty) are added when the spec does not set them.
pub fn default_env(env: &[String], hostname: &str, home: &str, terminal: bool) -> Vec<String> {
    let has = |k: &str| {
        env.iter()
            .any(|e| e.split_once('=').map(|(a, _)| a) == Some(k))
    };
    let mut out = Vec::new();
    if !has("PATH") {
        out.push(format!("PATH={DEFAULT_PATH}"));
    }
    if !has("HOSTNAME") && !hostname.is_empty() {
        out.push(format!("HOSTNAME={hostname}"));
    }
    out.extend(env.iter().cloned());
    if terminal && !has("TERM") {
        out.push("TERM=xterm".to_string());
    }
    if !has("HOME") {
        out.push(format!("HOME={home}"));
    }
    out
}

/// Find `cmd` as `execve` will: as given when it has a `/`, else the first
/// executable regular file in the `PATH` of `env` (Docker's default when
/// unset). `None`: not found (exit 127).
pub fn lookup(cmd: &str, env: &[String], root: &Path) -> Option<String> {
    if cmd.contains('/') {
        return Some(cmd.to_string());
    }
    let path = env
        .iter()
        .rev()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH);
    path.split(':').filter(|d| !d.is_empty()).find_map(|dir| {
        let candidate = format!("{}/{cmd}", dir.trim_end_matches('/'));
        let host = root.join(candidate.trim_start_matches('/'));
        let meta = std::fs::metadata(&host).ok()?;
        (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then_some(candidate)
    })
}

/// Switch to `user` keeping the capabilities in `kept` (as root; a non-root
/// user ends with none, as in Docker), and set `no_new_privs` if asked.
pub fn drop_privileges(
    user: &User,
    process: &ProcessSpec,
    extra: &[u32],
) -> Result<(), RuntimeError> {
    let kept = caps::mask(&process.capabilities)
        .map_err(|_| RuntimeError::setup(Step::Capabilities, "", Errno::EINVAL))?;
    caps::limit_bounding(kept)
        .map_err(|e| RuntimeError::setup(Step::Capabilities, "bounding", e))?;
    let mut groups: Vec<Gid> = user
        .groups
        .iter()
        .chain(extra)
        .map(|g| Gid::from_raw(*g))
        .collect();
    groups.dedup();
    if let Err(e) = nix::unistd::setgroups(&groups) {
        // With a single-id mapping setgroups is denied; fine when none are needed.
        let denied =
            std::fs::read_to_string("/proc/self/setgroups").is_ok_and(|s| s.trim() == "deny");
        if !(e == Errno::EPERM && denied && groups.is_empty()) {
            return Err(RuntimeError::setup(Step::SetGroups, "", e));
        }
    }
    let (uid, gid) = (Uid::from_raw(user.uid), Gid::from_raw(user.gid));
    nix::unistd::setresgid(gid, gid, gid)
        .map_err(|e| RuntimeError::setup(Step::SetGid, &user.gid.to_string(), e))?;
    nix::unistd::setresuid(uid, uid, uid)
        .map_err(|e| RuntimeError::setup(Step::SetUid, &user.uid.to_string(), e))?;
    caps::set_thread_sets(kept).map_err(|e| RuntimeError::setup(Step::Capabilities, "sets", e))?;
    if process.no_new_privileges {
        nix::sys::prctl::set_no_new_privs()
            .map_err(|e| RuntimeError::setup(Step::NoNewPrivs, "", e))?;
    }
    crate::sys::process::set_umask(process.umask.unwrap_or(0o022));
    Ok(())
}

/// `chdir` to `cwd`, creating it (as root, before the user switch) if missing.
pub fn enter_cwd(cwd: &str) -> Result<(), RuntimeError> {
    let cwd = if cwd.is_empty() { "/" } else { cwd };
    if let Err(e) = std::fs::create_dir_all(cwd) {
        return Err(RuntimeError::setup(
            Step::Chdir,
            cwd,
            Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
        ));
    }
    nix::unistd::chdir(cwd).map_err(|e| RuntimeError::setup(Step::Chdir, cwd, e))
}

/// `execve` the resolved program; returns only on failure, as the error the
/// caller turns into exit code 126 or 127.
pub fn exec(program: &str, args: &[String], env: &[String]) -> RuntimeError {
    let c = |s: &str| CString::new(s).map_err(|_| Errno::EINVAL);
    let prepared = (|| -> Result<(CString, Vec<CString>, Vec<CString>), Errno> {
        let argv = args.iter().map(|a| c(a)).collect::<Result<Vec<_>, _>>()?;
        let envp = env.iter().map(|a| c(a)).collect::<Result<Vec<_>, _>>()?;
        Ok((c(program)?, argv, envp))
    })();
    let err = match prepared {
        Ok((prog, argv, envp)) => match nix::unistd::execve(&prog, &argv, &envp) {
            Err(e) => e,
            Ok(never) => match never {},
        },
        Err(e) => e,
    };
    let cmd = args.first().cloned().unwrap_or_default();
    match err {
        Errno::ENOENT => RuntimeError::NotFound { cmd },
        e => RuntimeError::NotExecutable { cmd, errno: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n";
    const GROUP: &str = "root:x:0:\nalice:x:1000:\nwheel:x:10:alice,bob\n";

    #[test]
    fn users_resolve_like_docker() {
        let r = resolve_user("", PASSWD, GROUP).unwrap();
        assert_eq!((r.uid, r.gid, r.home.as_str()), (0, 0, "/root"));
        let a = resolve_user("alice", PASSWD, GROUP).unwrap();
        assert_eq!((a.uid, a.gid, a.groups.clone()), (1000, 1000, vec![10]));
        let n = resolve_user("1234:wheel", PASSWD, GROUP).unwrap();
        assert_eq!((n.uid, n.gid, n.home.as_str()), (1234, 10, "/"));
        assert!(matches!(
            resolve_user("bob", PASSWD, GROUP),
            Err(RuntimeError::UnknownUser { .. })
        ));
        assert!(matches!(
            resolve_user("alice:nope", PASSWD, GROUP),
            Err(RuntimeError::UnknownGroup { .. })
        ));
    }

    #[test]
    fn env_defaults() {
        let e = default_env(&["A=1".into()], "h", "/root", true);
        assert_eq!(e[0], format!("PATH={DEFAULT_PATH}"));
        assert!(e.contains(&"TERM=xterm".to_string()) && e.contains(&"HOME=/root".to_string()));
        let e = default_env(&["PATH=/x".into(), "HOME=/y".into()], "", "/root", false);
        assert_eq!(e, vec!["PATH=/x".to_string(), "HOME=/y".to_string()]);
    }

    #[test]
    fn lookup_through_path() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("usr/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("tool"), "").unwrap();
        std::fs::write(bin.join("data"), "").unwrap();
        std::fs::set_permissions(bin.join("tool"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let env = vec!["PATH=/nope:/usr/bin".to_string()];
        assert_eq!(
            lookup("tool", &env, dir.path()).as_deref(),
            Some("/usr/bin/tool")
        );
        assert_eq!(lookup("data", &env, dir.path()), None);
        assert_eq!(lookup("missing", &env, dir.path()), None);
        assert_eq!(lookup("./x", &env, dir.path()).as_deref(), Some("./x"));
    }
}

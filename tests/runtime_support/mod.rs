//! Helpers for the runtime tests: a busybox rootfs, a user namespace for the
//! test's forked child, running a container and collecting its output.
#![allow(clippy::unwrap_used, dead_code)]
// Test harness: reads its own knobs (SKIFF_TEST_SUBUID) and PATH from the environment.
#![allow(clippy::disallowed_methods)]

use std::fs;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use nix::sched::{unshare, CloneFlags};
use nix::sys::signal::Signal;
use nix::sys::wait::{waitpid, WaitStatus};
use skiff::runtime::{
    self, caps, ContainerSpec, EtcFiles, NetworkMode, ProcessSpec, Rootfs, Stdio,
};
use skiff::sys::process::{exit_now, fork, Forked};

/// What a container run produced: `Ok(exit code)` or `Err((code, message))`
/// from spawn, and its stdout.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub result: Result<i32, (i32, String)>,
    pub stdout: String,
    /// How the rootfs was mounted (`Debug` of `RootfsKind`), when known.
    pub rootfs: String,
}

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var("PATH")
        .ok()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

/// A busybox root filesystem in `dir`.
pub fn busybox_rootfs(dir: &Path) {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    fs::copy("/bin/busybox", bin.join("busybox")).unwrap();
    let list = Command::new("/bin/busybox").arg("--list").output().unwrap();
    for applet in String::from_utf8_lossy(&list.stdout).lines() {
        if applet != "busybox" {
            let _ = symlink("busybox", bin.join(applet));
        }
    }
    for d in ["etc", "proc", "sys", "dev", "tmp", "root"] {
        fs::create_dir_all(dir.join(d)).unwrap();
    }
    fs::write(
        dir.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n",
    )
    .unwrap();
    fs::write(dir.join("etc/group"), "root:x:0:\nnobody:x:65534:\n").unwrap();
}

/// A spec for `args` over a fresh busybox layer under `dir`.
pub fn spec(dir: &Path, args: &[&str]) -> ContainerSpec {
    let lower = dir.join("layer");
    busybox_rootfs(&lower);
    ContainerSpec {
        id: "test".into(),
        rootfs: Rootfs::Overlay {
            lower: vec![lower],
            upper: dir.join("upper"),
            work: dir.join("work"),
            target: dir.join("merged"),
        },
        process: ProcessSpec {
            args: args.iter().map(|s| s.to_string()).collect(),
            capabilities: caps::default_set(),
            ..Default::default()
        },
        hostname: "box".into(),
        mounts: vec![],
        readonly_rootfs: false,
        network: NetworkMode::None,
        etc_files: Some(EtcFiles::generate(
            "box",
            NetworkMode::None,
            "nameserver 10.0.0.1\n",
        )),
        state_dir: dir.join("state"),
        masked_paths: runtime::default_masked_paths(),
        readonly_paths: runtime::default_readonly_paths(),
        init: false,
        ports: vec![],
        resources: Default::default(),
    }
}

/// Run a container for `args`, with `modify` applied to the spec.
pub fn run(args: &[&str], modify: impl FnOnce(&mut ContainerSpec)) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spec(dir.path(), args);
    modify(&mut s);
    in_userns(|| collect(&s, None))
}

/// Start `sleep 30`, `exec_in` it with `args`, return what the exec printed.
pub fn run_with_exec(args: &[&str]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let s = spec(dir.path(), &["sleep", "30"]);
    in_userns(|| {
        let mut ctr = match runtime::spawn(&s, Stdio::default()) {
            Ok(r) => r,
            Err(e) => {
                return Outcome {
                    result: Err((e.exit_code(), e.to_string())),
                    stdout: String::new(),
                    rootfs: String::new(),
                }
            }
        };
        let mut p = s.process.clone();
        p.args = args.iter().map(|a| a.to_string()).collect();
        let (rd, wr) = nix::unistd::pipe().unwrap();
        let stdio = Stdio {
            stdout: Some(wr),
            ..Default::default()
        };
        let out = finish(runtime::exec_in(ctr.pid, &p, stdio), Some(rd), None);
        let _ = ctr.signal(nix::sys::signal::Signal::SIGKILL);
        let _ = ctr.wait();
        out
    })
}

/// Like [`run`], sending `sig` to the container after `ms` milliseconds.
pub fn run_signalled(
    args: &[&str],
    modify: impl FnOnce(&mut ContainerSpec),
    ms: u64,
    sig: Signal,
) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spec(dir.path(), args);
    modify(&mut s);
    in_userns(|| collect(&s, Some((ms, sig))))
}

fn collect(s: &ContainerSpec, signal: Option<(u64, Signal)>) -> Outcome {
    if s.process.terminal {
        return finish(runtime::spawn(s, Stdio::default()), None, signal);
    }
    let (rd, wr) = nix::unistd::pipe().unwrap();
    let stdio = Stdio {
        stdout: Some(wr),
        ..Default::default()
    };
    finish(runtime::spawn(s, stdio), Some(rd), signal)
}

fn finish(
    r: Result<runtime::Running, runtime::RuntimeError>,
    rd: Option<OwnedFd>,
    signal: Option<(u64, Signal)>,
) -> Outcome {
    let mut running = match r {
        Ok(r) => r,
        Err(e) => {
            return Outcome {
                result: Err((e.exit_code(), e.to_string())),
                stdout: String::new(),
                rootfs: String::new(),
            }
        }
    };
    if let Some((ms, sig)) = signal {
        std::thread::sleep(std::time::Duration::from_millis(ms));
        running.signal(sig).unwrap();
    }
    let src = rd.or_else(|| running.pty_master.take()).unwrap();
    let mut stdout = Vec::new();
    let _ = fs::File::from(src).read_to_end(&mut stdout); // a pty ends with EIO
    let code = running.wait().unwrap();
    Outcome {
        result: Ok(code),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        rootfs: running.rootfs.map(|k| format!("{k:?}")).unwrap_or_default(),
    }
}

/// The mapping the tests run under.
pub fn mapping() -> &'static str {
    if nix::unistd::geteuid().is_root() {
        "identity"
    } else if std::env::var("SKIFF_TEST_SUBUID").is_ok() {
        "subuid"
    } else {
        "single"
    }
}

/// Run `f` in a forked child, in a user namespace unless we are real root.
pub fn in_userns(f: impl FnOnce() -> Outcome) -> Outcome {
    let (rd, wr) = nix::unistd::pipe().unwrap();
    let (go_rd, go_wr) = nix::unistd::pipe().unwrap();
    let (ready_rd, ready_wr) = nix::unistd::pipe().unwrap();
    let uid = nix::unistd::geteuid().as_raw();
    let gid = nix::unistd::getegid().as_raw();
    let subuid = uid != 0 && std::env::var("SKIFF_TEST_SUBUID").is_ok();
    match fork().unwrap() {
        Forked::Child => {
            drop(rd);
            drop(go_wr);
            if uid != 0 {
                unshare(CloneFlags::CLONE_NEWUSER).unwrap();
                drop(ready_wr);
                if subuid {
                    let mut b = [0u8; 1];
                    let _ = fs::File::from(go_rd).read(&mut b);
                } else {
                    fs::write("/proc/self/setgroups", "deny").unwrap();
                    fs::write("/proc/self/uid_map", format!("0 {uid} 1")).unwrap();
                    fs::write("/proc/self/gid_map", format!("0 {gid} 1")).unwrap();
                }
            }
            let out = f();
            let text = match out.result {
                Ok(c) => format!("ok {c}\n{}\n{}", out.rootfs, out.stdout),
                Err((c, m)) => format!("err {c} {m}\n{}\n{}", out.rootfs, out.stdout),
            };
            let _ = fs::File::from(wr).write_all(text.as_bytes());
            exit_now(0)
        }
        Forked::Parent(child) => {
            drop(wr);
            drop(ready_wr);
            if subuid {
                let mut b = [0u8; 1];
                let _ = fs::File::from(ready_rd).read(&mut b); // EOF: unshared
                map_subordinate(child.as_raw(), uid, gid);
            }
            drop(go_wr);
            let mut text = String::new();
            fs::File::from(rd).read_to_string(&mut text).unwrap();
            assert_eq!(waitpid(child, None).unwrap(), WaitStatus::Exited(child, 0));
            let (head, rest) = text.split_once('\n').unwrap();
            let (rootfs, stdout) = rest.split_once('\n').unwrap();
            let mut words = head.splitn(3, ' ');
            let kind = words.next().unwrap();
            let code: i32 = words.next().unwrap().parse().unwrap();
            let result = if kind == "ok" {
                Ok(code)
            } else {
                Err((code, words.next().unwrap_or("").to_string()))
            };
            Outcome {
                result,
                stdout: stdout.to_string(),
                rootfs: rootfs.to_string(),
            }
        }
    }
}

fn map_subordinate(pid: i32, uid: u32, gid: u32) {
    let name = nix::unistd::User::from_uid(uid.into())
        .unwrap()
        .unwrap()
        .name;
    for (tool, file, id) in [
        ("newuidmap", "/etc/subuid", uid),
        ("newgidmap", "/etc/subgid", gid),
    ] {
        let text = fs::read_to_string(file).unwrap();
        let (start, count) = text
            .lines()
            .filter_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| *n == name)
                    .map(|(_, r)| r.to_string())
            })
            .filter_map(|r| {
                r.split_once(':')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
            })
            .next_back()
            .unwrap();
        let status = Command::new(tool)
            .args([
                pid.to_string(),
                "0".into(),
                id.to_string(),
                "1".into(),
                "1".into(),
                start,
                count,
            ])
            .status()
            .unwrap();
        assert!(status.success(), "{tool} failed");
    }
}

//! User-mode networking for `NetworkMode::Private`, attached from the caller
//! to the container's network namespace: pasta, else slirp4netns.
//!
//! pasta drops capabilities before opening its `--netns` path, and the
//! kernel then refuses `/proc/PID/ns/net` (the target holds capabilities
//! pasta no longer has). So the caller opens the namespace itself and hands
//! pasta `/proc/self/fd/N`. pasta daemonizes once the interface is
//! configured, which is our "network is up" signal.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use nix::sys::signal::{kill, Signal};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;

use crate::sys::process::clear_cloexec;

/// A running network helper.
#[derive(Debug)]
pub enum Helper {
    /// pasta, daemonized (re-parented to the caller, a child subreaper).
    Pasta { pid: Pid },
    /// slirp4netns, the caller's child.
    Slirp { child: Child },
}

impl Helper {
    /// The helper's pid.
    pub fn pid(&self) -> Pid {
        match self {
            Helper::Pasta { pid } => *pid,
            Helper::Slirp { child } => Pid::from_raw(child.id() as i32),
        }
    }

    /// Stop the helper and reap it.
    pub fn stop(self) {
        match self {
            Helper::Pasta { pid } => {
                // pasta keeps no state worth a clean shutdown, and tearing down
                // its memory takes tens of milliseconds: reap it off the
                // critical path so the container's exit does not wait for it.
                let _ = kill(pid, Signal::SIGKILL);
                std::thread::spawn(move || {
                    let _ = waitpid(pid, None);
                });
            }
            Helper::Slirp { mut child } => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// Connect the network namespace of `pid` to the host. `Err` is a warning
/// for the user: neither helper worked, the container has only `lo`.
pub fn attach(pid: Pid, state_dir: &Path) -> Result<Helper, String> {
    let pasta_err = match pasta(pid, state_dir) {
        Ok(h) => return Ok(h),
        Err(e) => e,
    };
    match slirp4netns(pid) {
        Ok(h) => Ok(h),
        Err(e) => Err(format!(
            "no user-mode networking ({pasta_err}; {e}); the container has only loopback"
        )),
    }
}

fn pasta(pid: Pid, state_dir: &Path) -> Result<Helper, String> {
    let ns =
        File::open(format!("/proc/{pid}/ns/net")).map_err(|e| format!("netns of {pid}: {e}"))?;
    clear_cloexec(ns.as_raw_fd()).map_err(|e| format!("netns fd: {e}"))?;
    let pidfile = state_dir.join("pasta.pid");
    let _ = std::fs::remove_file(&pidfile);
    let status = Command::new("pasta")
        // No port forwarding (skiff publishes no ports yet): saves pasta's port scans.
        .args([
            "--config-net",
            "--quiet",
            "-t",
            "none",
            "-u",
            "none",
            "-T",
            "none",
            "-U",
            "none",
        ])
        .args(["--netns-only", "--netns"])
        .arg(format!("/proc/self/fd/{}", ns.as_raw_fd()))
        .arg("--pid")
        .arg(&pidfile)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("pasta: {e}"))?;
    drop(ns);
    if !status.success() {
        return Err(format!("pasta: {status}"));
    }
    let text = std::fs::read_to_string(&pidfile).map_err(|e| format!("pasta pid file: {e}"))?;
    let pid = text
        .trim()
        .parse()
        .map_err(|_| "pasta pid file: not a pid".to_string())?;
    Ok(Helper::Pasta {
        pid: Pid::from_raw(pid),
    })
}

fn slirp4netns(pid: Pid) -> Result<Helper, String> {
    let (rd, wr) = nix::unistd::pipe().map_err(|e| format!("pipe: {e}"))?;
    clear_cloexec(wr.as_raw_fd()).map_err(|e| format!("pipe: {e}"))?;
    let child = Command::new("slirp4netns")
        .args(["--configure", "--mtu=65520", "--disable-host-loopback"])
        .arg(format!("--ready-fd={}", wr.as_raw_fd()))
        .arg(pid.to_string())
        .arg("tap0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("slirp4netns: {e}"))?;
    drop(wr);
    let mut buf = [0u8; 1];
    let ready = nix::unistd::read(rd.as_raw_fd(), &mut buf);
    let helper = Helper::Slirp { child };
    if ready != Ok(1) {
        helper.stop();
        return Err("slirp4netns exited before the network was ready".to_string());
    }
    Ok(helper)
}

//! User-mode networking for `NetworkMode::Private`: skiff's own stack
//! ([`crate::netstack`]) on the TUN device the container created, or, when
//! the container could not create one (no /dev/net/tun), pasta, else
//! slirp4netns, attached from the caller to the container's network namespace.
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

use super::spec::{ContainerSpec, NetHelper, NetworkMode};
use crate::sys::process::clear_cloexec;

pub use crate::netstack::PortForward;

/// pasta's `-t`/`-u` values for `ports`: `none` when there are none (which also
/// saves pasta's scans for ports to forward automatically).
fn pasta_port_args(ports: &[PortForward]) -> Vec<String> {
    let mut args = Vec::new();
    for (flag, udp) in [("-t", false), ("-u", true)] {
        let mine: Vec<&PortForward> = ports.iter().filter(|p| p.udp == udp).collect();
        if mine.is_empty() {
            args.extend([flag.to_string(), "none".to_string()]);
        }
        for p in mine {
            let addr = if p.host_ip.is_empty() {
                String::new()
            } else {
                format!("{}/", p.host_ip)
            };
            args.push(flag.to_string());
            args.push(format!("{addr}{}:{}", p.host_port, p.container_port));
        }
    }
    args
}

/// A running network helper.
#[derive(Debug)]
pub enum Helper {
    /// skiff's own stack, a thread of the caller.
    Builtin(crate::netstack::Stack),
    /// pasta, daemonized (re-parented to the caller, a child subreaper).
    Pasta { pid: Pid },
    /// slirp4netns, the caller's child.
    Slirp { child: Child },
}

impl Helper {
    /// Stop the helper and reap it. skiff's own stack hands back its TUN
    /// descriptor (see [`crate::netstack::Stack::stop`]).
    pub fn stop(self) -> Option<std::os::fd::OwnedFd> {
        match self {
            Helper::Builtin(stack) => return stack.stop(),
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
        None
    }
}

/// Connect the network namespace of `pid` to the host with an outside
/// helper: pasta, else slirp4netns (the other way round for
/// `--network slirp4netns`). `Err` is a warning for the user: no helper
/// worked, the container has only `lo`.
pub fn attach(pid: Pid, spec: &ContainerSpec) -> Result<Helper, String> {
    let ports = &spec.ports;
    let slirp_first = spec.network == NetworkMode::Private(NetHelper::Slirp4netns);
    if slirp_first && ports.is_empty() {
        if let Ok(h) = slirp4netns(pid) {
            return Ok(h);
        }
    }
    let pasta_err = match pasta(pid, &spec.state_dir, ports) {
        Ok(h) => return Ok(h),
        Err(e) => e,
    };
    if !ports.is_empty() {
        return Err(format!(
            "ports are not published: that needs pasta ({pasta_err}); the container has only loopback"
        ));
    }
    match slirp4netns(pid) {
        Ok(h) => Ok(h),
        Err(e) => Err(format!(
            "no user-mode networking ({pasta_err}; {e}); the container has only loopback"
        )),
    }
}

fn pasta(pid: Pid, state_dir: &Path, ports: &[PortForward]) -> Result<Helper, String> {
    let ns =
        File::open(format!("/proc/{pid}/ns/net")).map_err(|e| format!("netns of {pid}: {e}"))?;
    clear_cloexec(ns.as_raw_fd()).map_err(|e| format!("netns fd: {e}"))?;
    let pidfile = state_dir.join("pasta.pid");
    let _ = std::fs::remove_file(&pidfile);
    let status = Command::new("pasta")
        .args(["--config-net", "--quiet"])
        .args(pasta_port_args(ports))
        // Nothing forwarded from the container to the host's ports.
        .args(["-T", "none", "-U", "none"])
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
        drop(helper.stop());
        return Err("slirp4netns exited before the network was ready".to_string());
    }
    Ok(helper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasta_ports() {
        assert_eq!(pasta_port_args(&[]), ["-t", "none", "-u", "none"]);
        let ports = [
            PortForward {
                udp: false,
                host_ip: String::new(),
                host_port: 8080,
                container_port: 80,
            },
            PortForward {
                udp: true,
                host_ip: "127.0.0.1".into(),
                host_port: 5353,
                container_port: 53,
            },
        ];
        assert_eq!(
            pasta_port_args(&ports),
            ["-t", "8080:80", "-u", "127.0.0.1/5353:53"]
        );
    }
}

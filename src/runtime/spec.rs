//! What a container is made of: the plain-data description the caller fills in
//! and [`super::spawn`] carries out. No syscalls here.
//!
//! Paths inside the container (`dest`, `cwd`, masked paths) are absolute
//! container paths as strings; paths on the host are `PathBuf`s.

use std::path::PathBuf;

/// Everything needed to start one container.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    /// The container id (used in messages only).
    pub id: String,
    /// The root filesystem.
    pub rootfs: Rootfs,
    /// The container's first process.
    pub process: ProcessSpec,
    /// Host name set in the container's UTS namespace.
    pub hostname: String,
    /// Bind mounts, volumes and tmpfs, mounted in order.
    pub mounts: Vec<MountSpec>,
    /// Remount the root read-only (`--read-only`).
    pub readonly_rootfs: bool,
    /// Network namespace mode.
    pub network: NetworkMode,
    /// Generated /etc files; written to `state_dir` and bind-mounted.
    pub etc_files: Option<EtcFiles>,
    /// A host directory owned by this container where the runtime may write
    /// (the /etc files); e.g. `<root>/containers/<id>`.
    pub state_dir: PathBuf,
    /// Paths hidden from the container (see [`default_masked_paths`]).
    pub masked_paths: Vec<String>,
    /// Paths made read-only (see [`default_readonly_paths`]).
    pub readonly_paths: Vec<String>,
    /// Run a minimal init as pid 1 that reaps and forwards signals (`--init`).
    pub init: bool,
    /// Host ports forwarded into the private network (`-p`).
    pub ports: Vec<super::network::PortForward>,
    /// Resource limits (cgroup v2, where delegated).
    pub resources: super::cgroup::Resources,
}

/// How the root filesystem is made.
#[derive(Debug, Clone)]
pub enum Rootfs {
    /// Overlay of image layers: kernel overlayfs (`userxattr`), else
    /// fuse-overlayfs, else a plain copy of the layers into `upper`.
    Overlay {
        /// Layer dirs, top first.
        lower: Vec<PathBuf>,
        /// The container's writable layer.
        upper: PathBuf,
        /// Overlay's work dir (same filesystem as `upper`).
        work: PathBuf,
        /// Mount point (e.g. `<root>/containers/<id>/merged`), created if missing.
        target: PathBuf,
    },
    /// An existing directory used as the root as it is (bind-mounted).
    Dir(PathBuf),
}

/// Which mechanism ended up providing the root filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RootfsKind {
    KernelOverlay,
    FuseOverlay,
    Copy,
    Dir,
}

/// The process to run (first process, or one joined with `exec`).
#[derive(Debug, Clone, Default)]
pub struct ProcessSpec {
    /// argv; `args[0]` is looked up in the container's `PATH` unless it has a `/`.
    pub args: Vec<String>,
    /// Environment, `KEY=value`; `PATH` and `HOME` get Docker's defaults when absent.
    pub env: Vec<String>,
    /// Working directory in the container; created when missing. Empty means `/`.
    pub cwd: String,
    /// `-u` syntax: `user[:group]`, names or numbers, resolved against the
    /// container's own /etc/passwd and /etc/group. Empty means root.
    pub user: String,
    /// Extra supplementary groups (`--group-add`), numeric.
    pub additional_gids: Vec<u32>,
    /// Allocate a pty for the process (`-t`).
    pub terminal: bool,
    /// Set `no_new_privs` (`--security-opt no-new-privileges`).
    pub no_new_privileges: bool,
    /// Capabilities kept, by name (see `caps::default_set`, `caps::resolve`).
    pub capabilities: Vec<String>,
    /// Resource limits (`--ulimit`).
    pub rlimits: Vec<Rlimit>,
    /// Umask of the process; `None` keeps 0022.
    pub umask: Option<u32>,
}

/// One resource limit, e.g. parsed from `nofile=1024:2048`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rlimit {
    /// Lower-case name without `RLIMIT_`: `nofile`, `nproc`, `core`, …
    pub name: String,
    pub soft: u64,
    pub hard: u64,
}

impl Rlimit {
    /// Parse Docker's `--ulimit` value: `name=soft[:hard]`, `-1` = unlimited.
    pub fn parse(s: &str) -> Option<Rlimit> {
        let (name, values) = s.split_once('=')?;
        let num = |v: &str| -> Option<u64> {
            if v == "-1" || v == "unlimited" {
                Some(u64::MAX)
            } else {
                v.parse().ok()
            }
        };
        let (soft, hard) = match values.split_once(':') {
            Some((s, h)) => (num(s)?, num(h)?),
            None => (num(values)?, num(values)?),
        };
        crate::runtime::process::rlimit_resource(name)?;
        Some(Rlimit {
            name: name.to_ascii_lowercase(),
            soft,
            hard,
        })
    }
}

/// A mount added to the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSpec {
    /// Bind `source` (host) on `dest` (container); a volume is a bind of its
    /// `_data` dir.
    Bind {
        source: PathBuf,
        dest: String,
        readonly: bool,
        recursive: bool,
    },
    /// A fresh tmpfs on `dest`; `options` as for mount(8), e.g. `size=64m,mode=1777`.
    Tmpfs { dest: String, options: String },
}

/// Network namespace mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkMode {
    /// A new, empty network namespace with `lo` up.
    None,
    /// The caller's network namespace.
    Host,
    /// A new network namespace connected to the host by `NetHelper`.
    Private(NetHelper),
}

/// What connects a private network namespace to the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetHelper {
    /// skiff's own stack ([`crate::netstack`]); pasta, else slirp4netns, when
    /// the container cannot make a TUN device.
    Builtin,
    /// pasta (`--network pasta`), else slirp4netns.
    Pasta,
    /// slirp4netns (`--network slirp4netns`), else pasta.
    Slirp4netns,
}

/// Contents of the generated /etc files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtcFiles {
    pub hosts: String,
    pub hostname: String,
    pub resolv_conf: String,
}

impl EtcFiles {
    /// Docker-like files for `hostname` in network `mode`; `host_resolv` is the
    /// host's /etc/resolv.conf content.
    pub fn generate(hostname: &str, mode: NetworkMode, host_resolv: &str) -> EtcFiles {
        EtcFiles {
            hosts: hosts_file(hostname),
            hostname: format!("{hostname}\n"),
            resolv_conf: resolv_conf(mode, host_resolv),
        }
    }
}

/// /etc/hosts as Docker writes it for a container named `hostname`.
fn hosts_file(hostname: &str) -> String {
    format!(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n\
         fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\n\
         ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n127.0.1.1\t{hostname}\n"
    )
}

/// /etc/resolv.conf: the host's, minus loopback name servers (which do not
/// answer inside a new network namespace); public resolvers when none is left.
/// With `Host` networking the host's file is used as it is.
pub fn resolv_conf(mode: NetworkMode, host: &str) -> String {
    if mode == NetworkMode::Host {
        return host.to_string();
    }
    let mut out = String::new();
    let mut servers = 0;
    for line in host.lines() {
        let mut words = line.split_whitespace();
        if words.next() == Some("nameserver") {
            let addr = words.next().unwrap_or("");
            if addr.starts_with("127.") || addr == "::1" {
                continue;
            }
            servers += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    if servers == 0 {
        out.push_str("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }
    out
}

/// Docker's default masked paths.
pub fn default_masked_paths() -> Vec<String> {
    [
        "/proc/asound",
        "/proc/acpi",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ]
    .map(String::from)
    .to_vec()
}

/// Docker's default read-only paths.
pub fn default_readonly_paths() -> Vec<String> {
    [
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
    ]
    .map(String::from)
    .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_has_localhost_and_name() {
        let h = hosts_file("box");
        assert!(h.starts_with("127.0.0.1\tlocalhost\n"));
        assert!(h.ends_with("127.0.1.1\tbox\n"));
    }

    #[test]
    fn resolv_drops_loopback_servers() {
        let host = "search lan\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n";
        assert_eq!(
            resolv_conf(NetworkMode::Private(NetHelper::Builtin), host),
            "search lan\nnameserver 10.0.0.1\n"
        );
        let only_local = "nameserver 127.0.0.53\n";
        assert!(resolv_conf(NetworkMode::None, only_local).contains("8.8.8.8"));
        assert_eq!(resolv_conf(NetworkMode::Host, only_local), only_local);
    }

    #[test]
    fn ulimit_parse() {
        let r = Rlimit::parse("nofile=1024:2048").unwrap();
        assert_eq!((r.soft, r.hard), (1024, 2048));
        let r = Rlimit::parse("core=-1").unwrap();
        assert_eq!((r.soft, r.hard), (u64::MAX, u64::MAX));
        assert!(Rlimit::parse("bogus=1").is_none());
        assert!(Rlimit::parse("nofile").is_none());
    }
}

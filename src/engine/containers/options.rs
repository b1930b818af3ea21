//! `run`/`create` options as plain data, and turning them into a checked
//! [`RunConfig`]: ports (host ports chosen here), mounts and volumes, limits,
//! restart policy, security and log options. Nothing here reads the environment:
//! the front end resolves `-e KEY` and `--env-file` into `KEY=VALUE` first.

use crate::container::ports::{assign_free_ports, parse_publish, PortError};
use crate::container::{MountRecord, RestartPolicy, RunConfig};
use crate::engine::pull::PullOptions;

/// When `run`/`create` pull the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    Missing,
    Never,
    Newer,
}

/// Everything that decides what a new container is (Docker's and Podman's
/// `create` options, as given on their command lines).
pub struct CreateOptions {
    pub image: String,
    pub name: Option<String>,
    pub pull: PullPolicy,
    pub pull_options: PullOptions,
    /// `--entrypoint` given (empty clears the image's).
    pub entrypoint: Option<String>,
    /// Arguments after the image.
    pub command: Vec<String>,
    /// `KEY=VALUE` each, already resolved by the front end, in order (later wins).
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub tty: bool,
    pub interactive: bool,
    /// `-v` specs: `/host:/ctr[:ro]`, `name:/ctr[:ro]`, `/ctr`.
    pub volumes: Vec<String>,
    /// `--mount` specs: `type=…,source=…,target=…[,readonly]`.
    pub mounts: Vec<String>,
    /// `--tmpfs` specs: `/path[:options]`.
    pub tmpfs: Vec<String>,
    pub network: String,
    pub restart: String,
    pub auto_remove: bool,
    pub init: bool,
    pub read_only: bool,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub security_opt: Vec<String>,
    pub ulimit: Vec<String>,
    pub log_opt: Vec<String>,
    pub group_add: Vec<u32>,
    /// `key=value` (or `key`) each.
    pub labels: Vec<String>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u32>,
    pub memory: Option<String>,
    pub cpus: Option<String>,
    pub pids_limit: Option<i64>,
    /// `-p` specs.
    pub publish: Vec<String>,
    /// `-P`: publish every port the image exposes on a free host port.
    pub publish_all: bool,
}

impl CreateOptions {
    /// A container of `image` with the defaults of `skiff create IMAGE`: the
    /// private network, no restart, the image pulled when it is missing.
    pub fn new(image: impl Into<String>) -> CreateOptions {
        CreateOptions {
            image: image.into(),
            name: None,
            pull: PullPolicy::Missing,
            pull_options: PullOptions::default(),
            entrypoint: None,
            command: Vec::new(),
            env: Vec::new(),
            workdir: None,
            user: None,
            hostname: None,
            tty: false,
            interactive: false,
            volumes: Vec::new(),
            mounts: Vec::new(),
            tmpfs: Vec::new(),
            network: "private".into(),
            restart: "no".into(),
            auto_remove: false,
            init: false,
            read_only: false,
            privileged: false,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            security_opt: Vec::new(),
            ulimit: Vec::new(),
            log_opt: Vec::new(),
            group_add: Vec::new(),
            labels: Vec::new(),
            stop_signal: None,
            stop_timeout: None,
            memory: None,
            cpus: None,
            pids_limit: None,
            publish: Vec::new(),
            publish_all: false,
        }
    }
}

/// Errors in `run`/`create` options.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error(transparent)]
    Port(#[from] PortError),
    #[error(
        "-p cannot be used with --network {0}: ports are published into the private network only"
    )]
    PortsWithoutPrivateNetwork(String),
    #[error("invalid --memory {0:?}: use a size such as 512m or 2g")]
    Memory(String),
    #[error("invalid --cpus {0:?}: use a positive number such as 1.5")]
    Cpus(String),
    #[error("invalid --restart {0:?}")]
    Restart(String),
    #[error("--rm and --restart cannot be used together")]
    RmWithRestart,
    #[error("unsupported --security-opt {0:?}")]
    SecurityOpt(String),
    #[error("invalid --log-opt {0:?}: use a size such as 10k or 10m")]
    LogSize(String),
    #[error("unsupported --log-opt {0:?}: skiff supports max-size=SIZE")]
    LogOpt(String),
    #[error("invalid volume {0:?}: expected SOURCE:DEST[:ro]")]
    VolumeSpec(String),
    #[error("invalid volume {0:?}: the container path must be absolute")]
    VolumeDest(String),
    #[error("{what}")]
    BindSource {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid --mount option {key:?} in {spec:?}")]
    MountOption { key: String, spec: String },
    #[error("invalid --mount {0:?}: target must be an absolute path")]
    MountTarget(String),
    #[error("invalid --mount type {0:?}: use bind, volume or tmpfs")]
    MountType(String),
    #[error("the image exposes {key:?}: {source}")]
    ExposedPort { key: String, source: PortError },
}

/// The run config `opts` ask for (command, env and the like not yet merged with
/// the image's), host ports chosen.
pub fn run_config(opts: &CreateOptions) -> Result<RunConfig, crate::engine::EngineError> {
    let mut ports = Vec::new();
    for p in &opts.publish {
        ports.extend(parse_publish(p).map_err(OptionsError::from)?);
    }
    if (!ports.is_empty() || opts.publish_all) && matches!(opts.network.as_str(), "none" | "host") {
        return Err(OptionsError::PortsWithoutPrivateNetwork(opts.network.clone()).into());
    }
    assign_free_ports(&mut ports).map_err(OptionsError::from)?;
    let limits = limits(opts)?;
    let restart = RestartPolicy::parse(&opts.restart)
        .ok_or_else(|| OptionsError::Restart(opts.restart.clone()))?;
    if opts.auto_remove && restart != RestartPolicy::No {
        return Err(OptionsError::RmWithRestart.into());
    }
    let no_new_privileges = no_new_privileges(&opts.security_opt)?;
    crate::engine::spec::network_mode(&opts.network)?;
    Ok(RunConfig {
        env: opts.env.clone(),
        workdir: opts.workdir.clone().unwrap_or_default(),
        user: opts.user.clone().unwrap_or_default(),
        hostname: opts.hostname.clone().unwrap_or_default(),
        tty: opts.tty,
        interactive: opts.interactive,
        mounts: mounts(opts)?,
        network: opts.network.clone(),
        restart,
        auto_remove: opts.auto_remove,
        init: opts.init,
        read_only: opts.read_only,
        privileged: opts.privileged,
        cap_add: opts.cap_add.clone(),
        cap_drop: opts.cap_drop.clone(),
        no_new_privileges,
        ulimits: opts.ulimit.clone(),
        log_max_size: log_max_size(&opts.log_opt)?,
        group_add: opts.group_add.clone(),
        stop_signal: opts.stop_signal.clone(),
        stop_timeout: opts.stop_timeout,
        labels: opts
            .labels
            .iter()
            .map(|l| {
                l.split_once('=')
                    .map_or((l.clone(), String::new()), |(k, v)| (k.into(), v.into()))
            })
            .collect(),
        ports,
        memory: limits.0,
        cpu_quota: limits.1,
        pids_limit: limits.2,
        ..RunConfig::default()
    })
}

type Limits = (Option<u64>, Option<u64>, Option<u64>);

/// `--memory`, `--cpus`, `--pids-limit` (0 or -1 is unlimited, as in Docker).
fn limits(opts: &CreateOptions) -> Result<Limits, OptionsError> {
    use crate::runtime::cgroup::{parse_cpus, parse_memory};
    let memory = opts
        .memory
        .as_deref()
        .map(|m| parse_memory(m).ok_or_else(|| OptionsError::Memory(m.to_string())))
        .transpose()?;
    let cpu_quota = opts
        .cpus
        .as_deref()
        .map(|c| parse_cpus(c).ok_or_else(|| OptionsError::Cpus(c.to_string())))
        .transpose()?;
    let pids_limit = opts
        .pids_limit
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| *n > 0);
    Ok((memory, cpu_quota, pids_limit))
}

fn no_new_privileges(security_opt: &[String]) -> Result<bool, OptionsError> {
    let mut no_new_privileges = false;
    for o in security_opt {
        match o.as_str() {
            "no-new-privileges" | "no-new-privileges=true" | "no-new-privileges:true" => {
                no_new_privileges = true
            }
            "no-new-privileges=false" | "no-new-privileges:false" => no_new_privileges = false,
            other => return Err(OptionsError::SecurityOpt(other.to_string())),
        }
    }
    Ok(no_new_privileges)
}

/// `--log-opt max-size=SIZE` (k, m, g suffixes, as Docker and Podman).
fn log_max_size(opts: &[String]) -> Result<Option<u64>, OptionsError> {
    let mut max = None;
    for o in opts {
        match o.split_once('=') {
            Some(("max-size", v)) => {
                max = Some(
                    crate::runtime::cgroup::parse_memory(v)
                        .ok_or_else(|| OptionsError::LogSize(o.clone()))?,
                )
            }
            _ => return Err(OptionsError::LogOpt(o.clone())),
        }
    }
    Ok(max)
}

fn bind_source(src: &str, what: String) -> Result<String, OptionsError> {
    let source =
        std::fs::canonicalize(src).map_err(|source| OptionsError::BindSource { what, source })?;
    Ok(source.display().to_string())
}

fn volume_name(src: String) -> String {
    if src.is_empty() {
        crate::container::new_id()
    } else {
        src
    }
}

/// Parse `-v`, `--mount` and `--tmpfs` into mount records (a volume without a
/// name gets a new anonymous one, named by a 64-hex id).
fn mounts(opts: &CreateOptions) -> Result<Vec<MountRecord>, OptionsError> {
    let mut out = Vec::new();
    for v in &opts.volumes {
        out.push(parse_volume(v)?);
    }
    for m in &opts.mounts {
        out.push(parse_mount(m)?);
    }
    for t in &opts.tmpfs {
        let (dest, options) = t.split_once(':').unwrap_or((t, ""));
        out.push(MountRecord::Tmpfs {
            dest: dest.to_string(),
            options: options.to_string(),
        });
    }
    Ok(out)
}

fn parse_volume(v: &str) -> Result<MountRecord, OptionsError> {
    let parts: Vec<&str> = v.split(':').collect();
    let (src, dest, opts) = match parts.as_slice() {
        [d] => (String::new(), d.to_string(), ""),
        [s, d] => (s.to_string(), d.to_string(), ""),
        [s, d, o] => (s.to_string(), d.to_string(), *o),
        _ => return Err(OptionsError::VolumeSpec(v.to_string())),
    };
    let readonly = opts.split(',').any(|o| o == "ro");
    if !dest.starts_with('/') {
        return Err(OptionsError::VolumeDest(v.to_string()));
    }
    Ok(if src.starts_with('/') || src.starts_with('.') {
        MountRecord::Bind {
            source: bind_source(&src, format!("bind source {src}"))?,
            dest,
            readonly,
        }
    } else {
        MountRecord::Volume {
            name: volume_name(src),
            dest,
            readonly,
        }
    })
}

fn parse_mount(m: &str) -> Result<MountRecord, OptionsError> {
    let (mut kind, mut src, mut dest, mut ro, mut opts) = (
        "volume".to_string(),
        String::new(),
        String::new(),
        false,
        Vec::new(),
    );
    for field in m.split(',') {
        let (k, v) = field.split_once('=').unwrap_or((field, ""));
        match k {
            "type" => kind = v.to_string(),
            "source" | "src" => src = v.to_string(),
            "target" | "destination" | "dst" => dest = v.to_string(),
            "readonly" | "ro" => ro = v.is_empty() || v == "true" || v == "1",
            "tmpfs-size" => opts.push(format!("size={v}")),
            "tmpfs-mode" => opts.push(format!("mode={v}")),
            _ => {
                return Err(OptionsError::MountOption {
                    key: k.to_string(),
                    spec: m.to_string(),
                })
            }
        }
    }
    if !dest.starts_with('/') {
        return Err(OptionsError::MountTarget(m.to_string()));
    }
    Ok(match kind.as_str() {
        "bind" => MountRecord::Bind {
            source: bind_source(&src, format!("bind source {src:?}"))?,
            dest,
            readonly: ro,
        },
        "volume" => MountRecord::Volume {
            name: volume_name(src),
            dest,
            readonly: ro,
        },
        "tmpfs" => MountRecord::Tmpfs {
            dest,
            options: opts.join(","),
        },
        other => return Err(OptionsError::MountType(other.to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_and_mounts() {
        match parse_volume("data:/d:ro").unwrap() {
            MountRecord::Volume {
                name,
                dest,
                readonly,
            } => assert_eq!(
                (name.as_str(), dest.as_str(), readonly),
                ("data", "/d", true)
            ),
            other => panic!("{other:?}"),
        }
        match parse_volume("/anon").unwrap() {
            MountRecord::Volume { name, .. } => assert_eq!(name.len(), 64),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_volume("a:b"),
            Err(OptionsError::VolumeDest(_))
        ));
        assert!(matches!(
            parse_volume("a:/b:ro:x"),
            Err(OptionsError::VolumeSpec(_))
        ));
        match parse_mount("type=tmpfs,target=/t,tmpfs-size=1m").unwrap() {
            MountRecord::Tmpfs { dest, options } => {
                assert_eq!((dest.as_str(), options.as_str()), ("/t", "size=1m"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_mount("type=foo,target=/t"),
            Err(OptionsError::MountType(_))
        ));
        assert!(matches!(
            parse_mount("bogus=1,target=/t"),
            Err(OptionsError::MountOption { .. })
        ));
    }

    #[test]
    fn log_and_security_options() {
        assert_eq!(
            log_max_size(&["max-size=10k".into()]).unwrap(),
            Some(10 * 1024)
        );
        assert!(matches!(
            log_max_size(&["max-file=3".into()]),
            Err(OptionsError::LogOpt(_))
        ));
        assert!(no_new_privileges(&["no-new-privileges".into()]).unwrap());
        assert!(matches!(
            no_new_privileges(&["seccomp=x".into()]),
            Err(OptionsError::SecurityOpt(_))
        ));
    }
}

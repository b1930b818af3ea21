//! Building the runtime's `ContainerSpec` from a container record: layer dirs from
//! the image, the container's own upper/work dirs, mounts and volumes resolved to
//! host paths, capabilities, /etc files and the network mode.

use std::path::PathBuf;

use super::{Engine, EngineError};
use crate::container::MountRecord;
use crate::container::{ContainerRecord, Containers};
use crate::runtime::{
    self, ContainerSpec, EtcFiles, MountSpec, NetHelper, NetworkMode, ProcessSpec, Rlimit, Rootfs,
};

/// The network mode a `--network` value names.
pub fn network_mode(name: &str) -> Result<NetworkMode, EngineError> {
    match name {
        "none" => Ok(NetworkMode::None),
        "host" => Ok(NetworkMode::Host),
        "" | "private" | "bridge" | "default" => Ok(NetworkMode::Private(NetHelper::Builtin)),
        "pasta" => Ok(NetworkMode::Private(NetHelper::Pasta)),
        "slirp4netns" => Ok(NetworkMode::Private(NetHelper::Slirp4netns)),
        other => Err(EngineError::UnknownNetwork(other.to_string())),
    }
}

/// Where a named volume's data lives, created on first use.
pub fn volume_dir(engine: &Engine, name: &str) -> Result<PathBuf, EngineError> {
    let dir = engine.store.root().join("volumes").join(name).join("_data");
    std::fs::create_dir_all(&dir).map_err(|e| crate::store::StoreError::Io {
        step: "creating volume",
        path: dir.clone(),
        source: e,
    })?;
    Ok(dir)
}

/// A volume's data dir, seeded from the image at `dest` on the volume's first
/// mount if it is empty then, however it was made (`volume create`, `-v`, or by
/// hand), as Docker and Podman do; once mounted, never again. The `seeded`
/// file beside `_data` records that first mount; the volume dir's flock keeps
/// two starts from seeding it at once.
fn seeded_volume(
    engine: &Engine,
    name: &str,
    dest: &str,
    image: &crate::store::ImageRecord,
) -> Result<PathBuf, EngineError> {
    let dir = volume_dir(engine, name)?;
    let vol = engine.store.root().join("volumes").join(name);
    let marker = vol.join("seeded");
    if marker.exists() {
        return Ok(dir);
    }
    let io = |step: &'static str, path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| EngineError::from(crate::store::StoreError::Io { step, path, source })
    };
    let held = std::fs::File::open(&vol).map_err(io("locking volume", &vol))?;
    let _lock = nix::fcntl::Flock::lock(held, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| io("locking volume", &vol)(e.into()))?;
    if marker.exists() {
        return Ok(dir);
    }
    let empty = std::fs::read_dir(&dir)
        .map_err(io("reading volume", &dir))?
        .next()
        .is_none();
    if empty {
        // the image's files keep their owners
        engine.ids_mapped()?;
        let layers: Vec<PathBuf> = image
            .layers
            .iter()
            .map(|l| engine.store.layer_diff(&l.diff_id))
            .collect();
        // Filled aside, then put in place: a crash leaves it empty, to seed again.
        let tmp = vol.join("_seeding");
        let _ = crate::store::remove_tree(&tmp);
        std::fs::create_dir(&tmp).map_err(io("seeding volume", &tmp))?;
        super::seed::seed_volume(&layers, dest, &tmp).map_err(io("seeding volume", &tmp))?;
        if std::fs::remove_dir(&dir).is_ok() {
            std::fs::rename(&tmp, &dir).map_err(io("seeding volume", &dir))?;
        } else {
            // written meanwhile from the host: that wins
            let _ = crate::store::remove_tree(&tmp);
        }
    }
    std::fs::write(&marker, b"").map_err(io("seeding volume", &marker))?;
    Ok(dir)
}

/// The runtime spec for `record`.
pub fn build(engine: &Engine, record: &ContainerRecord) -> Result<ContainerSpec, EngineError> {
    let image = engine
        .store
        .get_image(&record.image)?
        .ok_or_else(|| EngineError::ImageNotKnown(record.image_name.clone()))?;
    let dir = Containers::new(engine.store.root())?.dir_of(&record.id);
    let c = &record.config;
    let lower = super::layerfs::dedup_lower(
        image
            .layers
            .iter()
            .rev()
            .map(|l| engine.store.layer_diff(&l.diff_id))
            .collect(),
    );
    let mut mounts = Vec::new();
    for m in &c.mounts {
        mounts.push(match m {
            MountRecord::Bind {
                source,
                dest,
                readonly,
            } => MountSpec::Bind {
                source: PathBuf::from(source),
                dest: dest.clone(),
                readonly: *readonly,
                recursive: true,
            },
            MountRecord::Volume {
                name,
                dest,
                readonly,
            } => MountSpec::Bind {
                source: seeded_volume(engine, name, dest, &image)?,
                dest: dest.clone(),
                readonly: *readonly,
                recursive: true,
            },
            MountRecord::Tmpfs { dest, options } => MountSpec::Tmpfs {
                dest: dest.clone(),
                options: options.clone(),
            },
        });
    }
    let network = network_mode(&c.network)?;
    let host_resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let capabilities = runtime::caps::resolve(c.privileged, &c.cap_add, &c.cap_drop)
        .map_err(EngineError::Capability)?;
    let rlimits = c
        .ulimits
        .iter()
        .map(|u| Rlimit::parse(u).ok_or_else(|| EngineError::BadUlimit(u.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let (masked_paths, readonly_paths) = if c.privileged {
        (Vec::new(), Vec::new())
    } else {
        (
            runtime::default_masked_paths(),
            runtime::default_readonly_paths(),
        )
    };
    Ok(ContainerSpec {
        id: record.id.clone(),
        rootfs: Rootfs::Overlay {
            lower,
            upper: dir.join("upper"),
            work: dir.join("work"),
            target: dir.join("merged"),
        },
        process: ProcessSpec {
            args: c.args.clone(),
            env: c.env.clone(),
            cwd: c.workdir.clone(),
            user: c.user.clone(),
            additional_gids: c.group_add.clone(),
            terminal: c.tty,
            no_new_privileges: c.no_new_privileges,
            capabilities,
            rlimits,
            umask: None,
        },
        hostname: c.hostname.clone(),
        mounts,
        readonly_rootfs: c.read_only,
        network,
        etc_files: Some(EtcFiles::generate(&c.hostname, network, &host_resolv)),
        state_dir: dir.join("userdata"),
        masked_paths,
        readonly_paths,
        init: c.init,
        ports: c
            .ports
            .iter()
            .map(|p| runtime::network::PortForward {
                udp: p.protocol == "udp",
                host_ip: p.host_ip.clone(),
                host_port: p.host_port,
                container_port: p.container_port,
            })
            .collect(),
        resources: runtime::cgroup::Resources {
            memory: c.memory,
            cpu_quota: c.cpu_quota,
            pids: c.pids_limit,
        },
    })
}

//! The engine: skiff's use cases as library functions that every front end (the
//! CLI, the API service, Compose) calls, each combining the store, the registry
//! client, the archive code, container records and the runtime.
//!
//! - Containers: create and the container records ([`containers`]), start, run,
//!   supervise, stop ([`lifecycle`], [`handle`], [`stdio`]), the detached
//!   container's monitor ([`monitor`], [`attach`]), exec ([`exec`]), logs
//!   ([`logs`]), cp and export ([`cp`]), the runtime spec ([`spec`]), volumes
//!   ([`volumes`]) and their seeding ([`seed`]).
//! - Images: pull ([`pull`]), push ([`push`]), list, tag, rm and prune ([`images`]),
//!   inspect ([`inspect`]), lookup by what the user typed ([`resolve`]), build
//!   ([`builder`]), commit and history ([`commit`]), the image being made that
//!   both share ([`draft`]), save, load and import
//!   ([`save`], [`load`], [`import`], [`transport`]), image files without a mount
//!   ([`layerfs`]), the embedded hello image ([`hello`]).
//!
//! Invariants: nothing here prints (progress goes through callback traits, stdio
//! through parameters) or reads the environment (configuration comes in an
//! [`EngineConfig`]); every failure is an [`EngineError`] whose [`EngineError::kind`]
//! front ends map to exit or HTTP status codes.

pub mod attach;
pub mod builder;
pub mod commit;
pub mod containers;
pub mod cp;
pub mod draft;
pub mod exec;
pub mod handle;
pub mod hello;
pub mod images;
pub mod import;
pub mod inspect;
mod kind;
pub mod layerfs;
pub mod lifecycle;
pub mod load;
pub mod logs;
pub mod monitor;
pub mod pull;
pub mod push;
pub mod resolve;
pub mod save;
pub mod seed;
pub mod spec;
pub mod stdio;
pub mod transport;
pub mod volumes;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::archive::IdPolicy;
use crate::oci::{Digest, Reference};
use crate::registry::{AuthFiles, RegistryOptions};
use crate::store::{Store, StoreError};
use crate::sys::userns::{MapKind, Pending};

/// Errors from the use cases.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Registry(#[from] crate::registry::RegistryError),
    #[error(transparent)]
    Manifest(#[from] crate::oci::manifest::ManifestError),
    #[error(transparent)]
    Reference(#[from] crate::oci::ReferenceError),
    #[error("unpacking layer {digest}: {source}")]
    Unpack {
        digest: Digest,
        source: crate::archive::ArchiveError,
    },
    #[error("layer {digest}: uncompressed content has digest {actual}, but the image config says {expected}")]
    DiffIdMismatch {
        digest: Digest,
        expected: Digest,
        actual: Digest,
    },
    #[error("layer {digest}: {reason}")]
    LayerStream { digest: Digest, reason: String },
    #[error("image config {digest} is malformed: {reason}")]
    BadConfig { digest: Digest, reason: String },
    #[error("manifest has {layers} layers but the config lists {diff_ids} diff ids")]
    LayerCountMismatch { layers: usize, diff_ids: usize },
    #[error("unsupported layer media type {0:?}")]
    UnsupportedLayer(String),
    #[error("{0}: image not known")]
    ImageNotKnown(String),
    /// A name given for a new image (tag, build -t, commit, import) pins a digest.
    #[error("{0}: a new name cannot be a digest: image not known")]
    NewNameIsDigest(String),
    #[error("{name}: name is ambiguous, it matches {count} images")]
    Ambiguous { name: String, count: usize },
    #[error("image {id} is used by container {container}: remove the container or use -f")]
    ImageInUse { id: String, container: String },
    #[error("image {id} has several names ({names}): remove them by name or use -f")]
    ManyNames { id: String, names: String },
    #[error("{step}: {source}")]
    Process {
        step: &'static str,
        source: std::io::Error,
    },
    #[error("container {0} is not running")]
    NotRunning(String),
    #[error("{0}: no command specified")]
    NoCommand(String),
    #[error("the container monitor died before the container started")]
    MonitorDied,
    #[error("layer {0}: {1}")]
    PullStopped(Digest, &'static str),
    #[error("pull stopped after an earlier layer failed")]
    EarlierLayerFailed,
    #[error("{}: {source}", path.display())]
    CopyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The container side of a copy failed: its error, relayed as text.
    #[error("{0}")]
    CopyInContainer(String),
    #[error("the copy in the container died")]
    CopyDied,
    #[error(transparent)]
    Container(#[from] crate::container::ContainerError),
    #[error("container {0} is running: stop it first or use -f")]
    ContainerRunning(String),
    #[error("network {0:?}: skiff supports none, host, pasta, slirp4netns and the default private network")]
    UnknownNetwork(String),
    #[error(transparent)]
    Capability(#[from] crate::runtime::caps::CapError),
    #[error("invalid ulimit {0:?}")]
    BadUlimit(String),
    #[error("the image exposes {key:?}: {error}")]
    ExposedPort {
        key: String,
        error: crate::container::ports::PortError,
    },
    #[error(transparent)]
    Ports(#[from] crate::container::ports::PortError),
    #[error("--change {change:?}: {reason}")]
    BadChange { change: String, reason: String },
    #[error("--change {0:?}: only config instructions (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR…) can be applied")]
    NotConfigChange(String),
    #[error("container {0}: its root filesystem is a copy (no overlayfs), its changes cannot be told apart")]
    CopiedRootfs(String),
    #[error("RUN needs overlayfs (kernel overlay in a user namespace, or fuse-overlayfs): neither could be mounted")]
    RunNeedsOverlay,
    #[error("a build stage panicked")]
    StagePanicked,
    #[error("{} exists and is not an OCI layout (no index.json)", .0.display())]
    NotEmptyNotOciLayout(PathBuf),
    #[error("{}: not an OCI image layout (no index.json)", .0.display())]
    NotOciLayout(PathBuf),
    #[error(
        "{dest}: the manifest to push has digest {digest} (it depends on --format), not {wanted}"
    )]
    PushDigest {
        dest: Box<Reference>,
        digest: Digest,
        wanted: Digest,
    },
    #[error("{0} is an image id: give a DESTINATION to push it to")]
    IdNeedsDestination(String),
    #[error(
        "cp copies between a container and the host: name the container as NAME:PATH on one side"
    )]
    CpNeedsContainer,
    #[error("{}: the destination of a tar stream must be a directory", .0.display())]
    TarDestNotDir(PathBuf),
    #[error("{}: no such directory", .0.display())]
    NoSuchDirectory(PathBuf),
    #[error("copying to {}: {error}", path.display())]
    CopyUnpack {
        path: PathBuf,
        error: crate::archive::ArchiveError,
    },
    #[error("cannot overwrite directory {} with a file", .0.display())]
    DirWithFile(PathBuf),
    #[error("{message}")]
    StartFailed { code: i32, message: String },
    #[error(transparent)]
    Runtime(#[from] crate::runtime::RuntimeError),
    #[error(transparent)]
    Convert(#[from] crate::oci::convert::ConvertError),
    #[error("writing the archive ({what}): {source}")]
    ArchiveWrite {
        what: String,
        source: std::io::Error,
    },
    #[error("invalid archive: {0}")]
    BadArchive(String),
    #[error(transparent)]
    LayerWrite(#[from] crate::archive::writer::WriteError),
    #[error(transparent)]
    Build(Box<builder::BuildError>),
    #[error(transparent)]
    Userns(std::sync::Arc<crate::sys::userns::UsernsError>),
    #[error(transparent)]
    Volume(#[from] volumes::VolumeError),
    #[error(transparent)]
    ContainerOptions(#[from] containers::OptionsError),
    #[error(transparent)]
    ContainerList(#[from] containers::ListError),
    #[error(transparent)]
    Signal(#[from] containers::SignalError),
}

impl From<builder::BuildError> for EngineError {
    fn from(e: builder::BuildError) -> Self {
        EngineError::Build(Box::new(e))
    }
}

/// What the engine takes from its front end instead of the process environment
/// (the CLI builds it in `cli::env` from flags and variables; the engine never reads
/// `std::env`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// The persistent store (`--root`).
    pub root: PathBuf,
    /// The run-state directory (`--runroot`).
    pub runroot: PathBuf,
    /// The auth files searched and written when a request names none.
    pub auth_files: AuthFiles,
    /// The search path (as `PATH`) for host helpers: newuidmap, newgidmap, pasta,
    /// slirp4netns. The usual system directories are searched after it.
    pub helper_path: OsString,
}

impl EngineConfig {
    /// A config with no auth files and helpers only in the system directories.
    pub fn new(root: &Path, runroot: &Path) -> EngineConfig {
        EngineConfig {
            root: root.to_path_buf(),
            runroot: runroot.to_path_buf(),
            auth_files: AuthFiles::default(),
            helper_path: OsString::new(),
        }
    }
}

/// What every use case needs: the store, how ids are mapped, and the config.
pub struct Engine {
    pub store: Store,
    pub map_kind: MapKind,
    pub config: EngineConfig,
    /// Id maps still being written (see [`Engine::with_pending_ids`]).
    pending_ids: std::sync::Mutex<PendingIds>,
}

enum PendingIds {
    /// Mapped; the helper that mapped them, until [`Engine::tidy`] reaps it
    /// (and does what had to wait for the maps).
    Done(Option<crate::sys::userns::Helper>),
    Mapping(Pending),
    Failed(std::sync::Arc<crate::sys::userns::UsernsError>),
}

impl Engine {
    /// Wrap an open store, with [`EngineConfig::new`]'s config for it. `map_kind`
    /// says how this process's ids are mapped.
    pub fn new(store: Store, map_kind: MapKind) -> Engine {
        let config = EngineConfig::new(store.root(), store.runroot());
        Engine::with_config(config, store, map_kind)
    }

    /// Open the store `config` names.
    pub fn open(config: EngineConfig, map_kind: MapKind) -> Result<Engine, EngineError> {
        let store = Store::open(&config.root, &config.runroot)?;
        Ok(Engine::with_config(config, store, map_kind))
    }

    /// Wrap an open store with `config` (whose root and runroot are the store's).
    pub fn with_config(config: EngineConfig, store: Store, map_kind: MapKind) -> Engine {
        Engine {
            store,
            map_kind,
            config,
            pending_ids: std::sync::Mutex::new(PendingIds::Done(None)),
        }
    }

    /// An engine whose user namespace is entered but not mapped yet: use cases
    /// call [`Engine::ids_mapped`] before anything that owns, chowns or deletes
    /// files of other ids, or starts processes; [`Engine::tidy`] (part of
    /// `ids_mapped`) then sweeps the store's temp space of dead processes and
    /// removes half-made containers of crashed creates (both may hold such
    /// files).
    pub fn with_pending_ids(
        config: EngineConfig,
        store: Store,
        map_kind: MapKind,
        pending: Pending,
    ) -> Engine {
        Engine {
            store,
            map_kind,
            config,
            pending_ids: std::sync::Mutex::new(PendingIds::Mapping(pending)),
        }
    }

    /// Whether the id maps may still be being written.
    pub fn ids_pending(&self) -> bool {
        let guard = self.pending_ids.lock().unwrap_or_else(|p| p.into_inner());
        matches!(*guard, PendingIds::Mapping(_))
    }

    /// Wait for the id maps, if they were still being written. Idempotent; a
    /// failure is reported again on every call.
    pub fn ids_mapped(&self) -> Result<(), EngineError> {
        self.map_ids()?;
        self.tidy();
        Ok(())
    }

    /// [`Engine::ids_mapped`] without the sweep of dead temp space and
    /// half-made containers, which waits for [`Engine::tidy`]: a `run` lets its
    /// container start first.
    pub fn map_ids(&self) -> Result<(), EngineError> {
        let mut guard = self.pending_ids.lock().unwrap_or_else(|p| p.into_inner());
        match std::mem::replace(&mut *guard, PendingIds::Done(None)) {
            PendingIds::Done(helper) => {
                *guard = PendingIds::Done(helper);
                Ok(())
            }
            PendingIds::Mapping(p) => match p.finish() {
                Ok(helper) => {
                    crate::trace::mark("user namespace mapped");
                    *guard = PendingIds::Done(Some(helper));
                    Ok(())
                }
                Err(e) => {
                    let e = std::sync::Arc::new(e);
                    *guard = PendingIds::Failed(e.clone());
                    Err(EngineError::Userns(e))
                }
            },
            PendingIds::Failed(e) => {
                *guard = PendingIds::Failed(e.clone());
                Err(EngineError::Userns(e))
            }
        }
    }

    /// After [`Engine::map_ids`] mapped the ids: reap the mapping helper, sweep
    /// the store's temp space of dead processes and remove half-made containers
    /// of crashed creates (both may hold files of any owner). Once per engine.
    pub fn tidy(&self) {
        let mut guard = self.pending_ids.lock().unwrap_or_else(|p| p.into_inner());
        if let PendingIds::Done(helper @ Some(_)) = &mut *guard {
            drop(helper.take());
            self.store.sweep();
            if let Ok(c) = crate::container::Containers::new(self.store.root()) {
                c.prune_incomplete();
            }
        }
    }

    /// How layer ownership is written for the current mapping.
    pub fn id_policy(&self) -> IdPolicy {
        match self.map_kind {
            MapKind::SingleId => IdPolicy::Squash,
            MapKind::Identity | MapKind::SubordinateRange => IdPolicy::Keep,
        }
    }

    /// A request's registry options with the configured auth files filled in
    /// where the request brings none.
    pub fn registry_options(&self, request: &RegistryOptions) -> RegistryOptions {
        let mut opts = request.clone();
        if opts.auth_files == AuthFiles::default() {
            opts.auth_files = self.config.auth_files.clone();
        }
        opts
    }

    /// Seed the embedded hello image into a store created just now.
    pub fn seed_if_new(&self) -> Result<(), EngineError> {
        if self.store.was_created() {
            self.ids_mapped()?;
            hello::seed(self)?;
        }
        Ok(())
    }
}

pub use crate::oci::time::now_secs;

/// A reference's tagged form (names are stored by tag).
pub fn tagged(r: &Reference) -> Option<Reference> {
    r.tag().and_then(|t| r.with_tag(t).ok())
}

/// The name an image made here gets (build, commit, tag, import): a short name
/// goes under `localhost/`, as Podman names local images, and is stored by tag.
pub fn local_name(s: &str) -> Result<Reference, EngineError> {
    let r: Reference = s.parse()?;
    let r = if r.is_short() {
        r.with_domain("localhost")
    } else {
        r
    };
    tagged(&r).ok_or_else(|| EngineError::NewNameIsDigest(s.to_string()))
}

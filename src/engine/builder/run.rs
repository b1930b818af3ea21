//! RUN: the command in a rootless container over the stage's layers (overlay
//! with a fresh upper dir), with the stage's env, user, workdir and shell, the
//! network the build asks for, and BuildKit's `--mount` kinds (cache, bind from
//! the context, tmpfs, secret). The upper dir becomes the step's layer; mount
//! points the runtime or the mounts created are removed first, so neither they
//! nor a secret's content can land in the layer.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::BuildOptions;
use crate::engine::draft::{layer_from_upper, Draft};
use crate::engine::layerfs;
use crate::engine::{Engine, EngineError};
use crate::runtime::{self, ContainerSpec, EtcFiles, MountSpec, NetworkMode, ProcessSpec, Rootfs};
use crate::store::LayerRecord;

/// Everything a RUN step needs, after expansion.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub user: String,
    pub cwd: String,
    pub network: NetworkMode,
    pub mounts: Vec<MountSpec>,
}

/// A parsed `--mount=…` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunMount {
    pub kind: String,
    pub target: String,
    pub opts: Vec<(String, String)>,
    /// For `type=bind,from=…`: the source laid out on the host by the builder.
    pub laid_out: Option<PathBuf>,
}

impl RunMount {
    /// Parse `type=cache,target=/x,id=y` (type defaults to bind).
    pub fn parse(s: &str) -> Result<RunMount, String> {
        let mut kind = "bind".to_string();
        let mut target = String::new();
        let mut opts = Vec::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k {
                "type" => kind = v.to_string(),
                "target" | "dst" | "destination" => target = v.to_string(),
                _ => opts.push((k.to_string(), v.to_string())),
            }
        }
        if target.is_empty() && kind == "secret" {
            let id = opts
                .iter()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.as_str());
            target = format!("/run/secrets/{}", id.unwrap_or(""));
        }
        if target.is_empty() {
            return Err(format!("--mount={s}: a target is required"));
        }
        if !matches!(kind.as_str(), "bind" | "cache" | "tmpfs" | "secret") {
            return Err(format!("--mount={s}: unsupported mount type {kind:?}"));
        }
        Ok(RunMount {
            kind,
            target,
            opts,
            laid_out: None,
        })
    }

    pub fn opt(&self, key: &str) -> Option<&str> {
        self.opts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Turn parsed mounts into runtime mounts.
pub fn mount_specs(
    engine: &Engine,
    opts: &BuildOptions,
    mounts: &[RunMount],
) -> Result<Vec<MountSpec>, String> {
    let mut out = Vec::new();
    for m in mounts {
        let dest = m.target.clone();
        match m.kind.as_str() {
            "cache" => {
                let id = m.opt("id").unwrap_or(&m.target);
                let dir = engine
                    .store
                    .root()
                    .join("build-cache-mounts")
                    .join(crate::oci::Digest::of(id.as_bytes()).hex());
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                out.push(MountSpec::Bind {
                    source: dir,
                    dest,
                    readonly: false,
                    recursive: true,
                });
            }
            "tmpfs" => out.push(MountSpec::Tmpfs {
                dest,
                options: m
                    .opt("size")
                    .map(|s| format!("size={s}"))
                    .unwrap_or_default(),
            }),
            "secret" => {
                let id = m.opt("id").unwrap_or("");
                match opts.secrets.get(id) {
                    Some(src) => out.push(MountSpec::Bind {
                        source: src.clone(),
                        dest,
                        readonly: true,
                        recursive: false,
                    }),
                    None if m.opt("required") == Some("true") => {
                        return Err(format!("secret {id:?} is required but was not given"))
                    }
                    None => {}
                }
            }
            _ => {
                if let Some(dir) = &m.laid_out {
                    out.push(MountSpec::Bind {
                        source: dir.clone(),
                        dest,
                        readonly: true,
                        recursive: true,
                    });
                    continue;
                }
                let src = crate::engine::draft::config::normalize(m.opt("source").unwrap_or(""));
                let source = opts.context.host_path(&src);
                if !super::context::inside(&opts.context.dir, &source) {
                    return Err(format!("bind mount source {src:?} is outside the context"));
                }
                out.push(MountSpec::Bind {
                    source,
                    dest,
                    readonly: true,
                    recursive: true,
                });
            }
        }
    }
    Ok(out)
}

/// Why a RUN failed: its exit code, or skiff's own failure.
pub enum RunFailure {
    Exit(i32),
    Engine(EngineError),
}

impl From<EngineError> for RunFailure {
    fn from(e: EngineError) -> Self {
        RunFailure::Engine(e)
    }
}

fn io(step: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> EngineError {
    let path = path.to_path_buf();
    move |source| crate::store::StoreError::Io { step, path, source }.into()
}

/// Run the plan over `draft`'s layers; the layer it made (`None` when nothing
/// changed).
pub fn execute(
    engine: &Engine,
    draft: &Draft,
    plan: &RunPlan,
    output: Option<&StepOutput>,
) -> Result<Option<LayerRecord>, RunFailure> {
    let dir = engine.store.temp_dir("run").map_err(EngineError::from)?;
    std::fs::create_dir_all(&dir).map_err(io("creating", &dir))?;
    let result = run_in(engine, draft, plan, output, &dir);
    let _ = crate::store::remove_tree(&dir);
    result
}

fn run_in(
    engine: &Engine,
    draft: &Draft,
    plan: &RunPlan,
    output: Option<&StepOutput>,
    dir: &Path,
) -> Result<Option<LayerRecord>, RunFailure> {
    let lower = draft.layer_dirs(engine);
    let upper = dir.join("upper");
    let id = crate::container::new_id();
    let hostname = id[..12].to_string();
    let host_resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let spec = ContainerSpec {
        id,
        rootfs: Rootfs::Overlay {
            lower: lower.clone(),
            upper: upper.clone(),
            work: dir.join("work"),
            target: dir.join("merged"),
        },
        process: ProcessSpec {
            args: plan.argv.clone(),
            env: plan.env.clone(),
            cwd: plan.cwd.clone(),
            user: plan.user.clone(),
            capabilities: runtime::caps::resolve(false, &[], &[]).unwrap_or_default(),
            ..ProcessSpec::default()
        },
        hostname: hostname.clone(),
        mounts: plan.mounts.clone(),
        readonly_rootfs: false,
        network: plan.network,
        etc_files: Some(EtcFiles::generate(&hostname, plan.network, &host_resolv)),
        state_dir: dir.join("state"),
        masked_paths: runtime::default_masked_paths(),
        readonly_paths: runtime::default_readonly_paths(),
        init: false,
        ports: Vec::new(),
        resources: Default::default(),
    };
    let stdio = stdio(output)?;
    let mut running = runtime::spawn(&spec, stdio).map_err(EngineError::from)?;
    let kind = running.rootfs;
    let code = running.wait().map_err(EngineError::from)?;
    if code != 0 {
        return Err(RunFailure::Exit(code));
    }
    if kind == Some(runtime::RootfsKind::Copy) && !lower.is_empty() {
        return Err(EngineError::RunNeedsOverlay.into());
    }
    let targets: Vec<String> = plan
        .mounts
        .iter()
        .map(|m| match m {
            MountSpec::Bind { dest, .. } | MountSpec::Tmpfs { dest, .. } => dest.clone(),
        })
        .collect();
    remove_mount_points(&upper, &lower, &targets);
    Ok(layer_from_upper(engine, &upper, &lower)?)
}

/// Where RUN steps write: descriptors handed in by the front end (the CLI its
/// own 1 and 2, a server a socket), shared by every step of a build. A step's
/// process gets duplicates of them as its stdout and stderr.
#[derive(Debug, Clone)]
pub struct StepOutput {
    stdout: Option<Arc<OwnedFd>>,
    stderr: Option<Arc<OwnedFd>>,
}

impl StepOutput {
    /// RUN output to these two descriptors (`None`: to /dev/null).
    pub fn from_fds(stdout: Option<OwnedFd>, stderr: Option<OwnedFd>) -> StepOutput {
        StepOutput {
            stdout: stdout.map(Arc::new),
            stderr: stderr.map(Arc::new),
        }
    }
}

/// /dev/null for stdin, the step output (or /dev/null) for stdout and stderr.
fn stdio(output: Option<&StepOutput>) -> Result<runtime::Stdio, EngineError> {
    let null = || -> Result<OwnedFd, EngineError> {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
            .map(OwnedFd::from)
            .map_err(io("opening", Path::new("/dev/null")))
    };
    let out = |fd: Option<&Arc<OwnedFd>>| match fd {
        Some(fd) => fd.try_clone().map_err(|source| EngineError::Process {
            step: "passing on the build's output",
            source,
        }),
        None => null(),
    };
    let (stdout, stderr) = match output {
        Some(o) => (out(o.stdout.as_ref())?, out(o.stderr.as_ref())?),
        None => (null()?, null()?),
    };
    Ok(runtime::Stdio {
        stdin: Some(null()?),
        stdout: Some(stdout),
        stderr: Some(stderr),
    })
}

/// Remove the (empty) mount points of `targets` from `upper`, and the dirs made
/// for them, where the lower layers do not have them.
fn remove_mount_points(upper: &Path, lower: &[PathBuf], targets: &[String]) {
    for t in targets {
        let rel = crate::engine::draft::config::normalize(t);
        let mut parts: Vec<&str> = rel.split('/').collect();
        while !parts.is_empty() {
            let r = parts.join("/");
            let p: PathBuf = upper.join(&r);
            if layerfs::lookup(lower, &r).is_some() {
                break;
            }
            let removable = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => std::fs::remove_dir(&p).is_ok(),
                Ok(m) if m.is_file() && m.len() == 0 => std::fs::remove_file(&p).is_ok(),
                _ => false,
            };
            if !removable {
                break;
            }
            parts.pop();
        }
    }
}

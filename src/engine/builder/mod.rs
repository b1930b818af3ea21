//! The builder, which executes `build`: a Dockerfile and a context directory to an
//! image in the store. The Dockerfile language itself is [`crate::dockerfile`]'s.
//!
//! Each stage starts from its base (an image, an earlier stage, or `scratch`) and
//! runs its instructions in order ([`stage`]): RUN in a rootless container over the
//! stage's layers ([`run`]), COPY/ADD as a layer written straight from the sources
//! ([`copy`]), everything else as a config change ([`super::draft::config`]),
//! all on an image being made ([`super::draft::Draft`]). Every step goes through
//! the cache ([`cache`]): its key names the parent state, the expanded
//! instruction, the build args it sees, and for COPY/ADD every source file's path,
//! mode, owner and content. Only stages the target needs are built. Nothing is named
//! before the final image record is stored, so a failed build leaves no image.

mod cache;
mod context;
mod copy;
mod plan;
mod run;
mod sources;
mod stage;
mod words;

pub use run::StepOutput;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Engine, EngineError};
use crate::dockerfile::ast::{Dockerfile, Instruction};
use crate::oci::Reference;
use crate::store::ImageRecord;

pub use context::Context;

/// Why a build failed. Messages name the Dockerfile and line.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Not a `source`: the message already says all the parse error says, and
    /// a chained cause would repeat it (`Dockerfile:2: …: line 2: …`).
    #[error("{file}:{}: {}", error.line, error.kind)]
    Parse {
        file: String,
        error: crate::dockerfile::ParseError,
    },
    #[error("{file}:{line}: {message}")]
    Instruction {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: {instruction}: {source}")]
    Step {
        file: String,
        line: usize,
        instruction: String,
        source: Box<EngineError>,
    },
    #[error("{file}:{line}: RUN {command}: exit status {code}")]
    RunFailed {
        file: String,
        line: usize,
        command: String,
        code: i32,
    },
    #[error("target stage {0:?} could not be found")]
    NoTarget(String),
    #[error("build context {}: {source}", path.display())]
    Context {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What `build` was asked.
pub struct BuildOptions {
    /// The Dockerfile text and the name shown in messages.
    pub dockerfile: String,
    pub dockerfile_name: String,
    pub context: Context,
    pub tags: Vec<Reference>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    /// When base images are pulled (`--pull`, default: when missing).
    pub pull: super::containers::PullPolicy,
    pub labels: Vec<(String, String)>,
    /// `--network`: the default for RUN.
    pub network: String,
    /// `--secret id=…,src=…`: id to host file.
    pub secrets: BTreeMap<String, PathBuf>,
    pub registry: crate::registry::RegistryOptions,
    /// Where RUN steps write (`None`: nowhere, for `-q`).
    pub step_output: Option<run::StepOutput>,
}

/// Progress lines; the cli prints them.
pub trait BuildProgress: Sync {
    /// `STEP n/N: INSTRUCTION`.
    fn step(&self, n: usize, total: usize, text: &str);
    /// The step was taken from the cache (the short state id).
    fn cached(&self, id: &str);
    /// The step finished (the short state id).
    fn done(&self, id: &str);
    /// A warning.
    fn warn(&self, text: &str);
    /// Pull progress for base images.
    fn pull(&self) -> &dyn super::pull::PullProgress;
}

/// Build and store the image; names it with the tags. Returns the record.
pub fn build(
    engine: &Engine,
    opts: &BuildOptions,
    progress: &dyn BuildProgress,
) -> Result<ImageRecord, EngineError> {
    let file = opts.dockerfile_name.clone();
    let df = crate::dockerfile::parse(&opts.dockerfile).map_err(|source| BuildError::Parse {
        file: file.clone(),
        error: source,
    })?;
    let target = match &opts.target {
        Some(t) => {
            find_stage(&df, t, df.stages.len()).ok_or_else(|| BuildError::NoTarget(t.clone()))?
        }
        None => df.stages.len() - 1,
    };
    let needed = needed_stages(&df, target);
    let total: usize = needed
        .iter()
        .map(|&i| df.stages[i].instructions.len() + 1)
        .sum();
    let _lock = engine.store.lock_shared()?;
    let builder = stage::Builder::new(engine, opts, progress, &df, total)?;
    build_in_waves(&df, &needed, &builder)?;
    let mut draft = builder.take_result(target)?;
    if !opts.labels.is_empty() {
        let labels = draft.run_config().labels_mut();
        for (k, v) in &opts.labels {
            labels.insert(k.clone(), v.clone());
        }
    }
    let record = draft.save(engine)?;
    for tag in &opts.tags {
        engine.store.set_name(tag, &record.id)?;
    }
    let unused = unconsumed_args(&df, &opts.build_args);
    if !unused.is_empty() {
        progress.warn(&format!(
            "one or more build-args [{}] were not consumed",
            unused.join(" ")
        ));
    }
    Ok(record)
}

/// Build the needed stages: every stage whose dependencies are built starts at
/// once, each on its own thread (independent stages build in parallel).
fn build_in_waves(
    df: &Dockerfile,
    needed: &[usize],
    builder: &stage::Builder<'_>,
) -> Result<(), EngineError> {
    let deps: Vec<Vec<usize>> = (0..df.stages.len()).map(|i| stage_deps(df, i)).collect();
    let mut done = vec![false; df.stages.len()];
    let mut left: Vec<usize> = needed.to_vec();
    while !left.is_empty() {
        let (ready, rest): (Vec<usize>, Vec<usize>) = left
            .iter()
            .partition(|&&i| deps[i].iter().all(|&d| done[d]));
        if ready.is_empty() {
            return Err(BuildError::NoTarget("a stage that depends on itself".into()).into());
        }
        let results: Vec<Result<(), EngineError>> = if ready.len() == 1 {
            vec![builder.build_stage(ready[0])]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = ready
                    .iter()
                    .map(|&i| s.spawn(move || builder.build_stage(i)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or(Err(EngineError::StagePanicked)))
                    .collect()
            })
        };
        for r in results {
            r?;
        }
        for i in ready {
            done[i] = true;
        }
        left = rest;
    }
    Ok(())
}

/// The earlier stages stage `i` uses.
fn stage_deps(df: &Dockerfile, i: usize) -> Vec<usize> {
    let st = &df.stages[i];
    let mut refs: Vec<&str> = vec![st.base.as_str()];
    for ins in &st.instructions {
        refs.extend(stage_refs(ins));
    }
    refs.into_iter()
        .filter_map(|r| find_stage(df, r, i))
        .collect()
}

/// Index of the stage named `name` (or with that index) among the first `before`.
pub(crate) fn find_stage(df: &Dockerfile, name: &str, before: usize) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    if let Some(i) = df.stages[..before]
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Some(i);
    }
    name.parse::<usize>().ok().filter(|&i| i < before)
}

/// The stages `target` depends on (FROM, COPY --from, RUN --mount from=), in order.
fn needed_stages(df: &Dockerfile, target: usize) -> Vec<usize> {
    let mut need = vec![false; df.stages.len()];
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if need[i] {
            continue;
        }
        need[i] = true;
        todo.extend(stage_deps(df, i));
    }
    (0..df.stages.len()).filter(|&i| need[i]).collect()
}

fn stage_refs(ins: &Instruction) -> Vec<&str> {
    use crate::dockerfile::ast::Kind;
    match &ins.kind {
        Kind::Copy(c) | Kind::Add(c) => c.from.as_deref().into_iter().collect(),
        Kind::Run(r) => r
            .mounts
            .iter()
            .flat_map(|m| m.split(','))
            .filter_map(|kv| kv.strip_prefix("from="))
            .collect(),
        _ => Vec::new(),
    }
}

/// Build args no `ARG` of the Dockerfile declares (Docker warns about them);
/// the proxy variables Docker predefines never count.
fn unconsumed_args(
    df: &crate::dockerfile::ast::Dockerfile,
    build_args: &BTreeMap<String, String>,
) -> Vec<String> {
    use crate::dockerfile::ast::Kind;
    const PREDEFINED: [&str; 10] = [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
    ];
    let declared: std::collections::BTreeSet<&str> = df
        .meta_args
        .iter()
        .chain(df.stages.iter().flat_map(|s| &s.instructions))
        .filter_map(|ins| match &ins.kind {
            Kind::Arg(list) => Some(list.iter().map(|(n, _)| n.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    build_args
        .keys()
        .filter(|k| !declared.contains(k.as_str()) && !PREDEFINED.contains(&k.as_str()))
        .cloned()
        .collect()
}

//! One stage at a time: the base, ONBUILD triggers of the base image, then each
//! instruction as a cached step. ARG/ENV scoping follows Docker: ARGs before the
//! first FROM are seen only by FROM lines (and by a stage's bare `ARG NAME`); a
//! stage's ARGs are in scope from their declaration on, seen by RUN as
//! environment but not stored in the image; ENV wins over an ARG of the same name.

use serde_json::Value;

use super::cache::{state_id, Key};
use super::config::{self, strings};
use super::copy::{self, Source, Target};
use super::run::{self, RunFailure, RunMount, RunPlan};
use super::{words, BuildError, BuildOptions, BuildProgress};
use crate::build::dockerfile::ast::{CommandForm, Copy, Dockerfile, Instruction, Kind, Run};
use crate::engine::commit::{new_layer, Draft};
use crate::engine::containers::{image_for_run, PullPolicy};
use crate::engine::pull::PullOptions;
use crate::engine::{Engine, EngineError};
use crate::store::CacheEntry;

/// Builds the stages of one Dockerfile.
pub struct Builder<'a> {
    engine: &'a Engine,
    opts: &'a BuildOptions,
    progress: &'a dyn BuildProgress,
    df: &'a Dockerfile,
    total: usize,
    step: usize,
    results: Vec<Option<Draft>>,
    meta_args: Vec<(String, Option<String>)>,
}

/// The state of the stage being built.
struct Stage {
    draft: Draft,
    /// ARGs in scope: name and value (None: declared without a value).
    args: Vec<(String, Option<String>)>,
    /// This stage set CMD (a later ENTRYPOINT keeps it).
    cmd: Option<Value>,
}

impl<'a> Builder<'a> {
    pub fn new(
        engine: &'a Engine,
        opts: &'a BuildOptions,
        progress: &'a dyn BuildProgress,
        df: &'a Dockerfile,
        total: usize,
    ) -> Builder<'a> {
        Builder {
            engine,
            opts,
            progress,
            df,
            total,
            step: 0,
            results: vec![None; df.stages.len()],
            meta_args: Vec::new(),
        }
    }

    fn file(&self) -> String {
        self.opts.dockerfile_name.clone()
    }

    fn err(&self, line: usize, message: impl Into<String>) -> EngineError {
        BuildError::Instruction {
            file: self.file(),
            line,
            message: message.into(),
        }
        .into()
    }

    fn step_err(&self, ins_line: usize, original: &str, e: EngineError) -> EngineError {
        match e {
            EngineError::Build(_) => e,
            other => BuildError::Step {
                file: self.file(),
                line: ins_line,
                instruction: original.to_string(),
                source: Box::new(other),
            }
            .into(),
        }
    }

    /// The finished stage's image.
    pub fn take_result(&mut self, i: usize) -> Result<Draft, EngineError> {
        self.results[i]
            .take()
            .ok_or_else(|| BuildError::NoTarget(i.to_string()).into())
    }

    fn meta_lookup(&self, name: &str) -> Option<String> {
        self.meta_args
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    }

    /// Build stage `i` (its dependencies are built already).
    pub fn build_stage(&mut self, i: usize) -> Result<(), EngineError> {
        if self.meta_args.is_empty() {
            self.declare_meta_args()?;
        }
        let st = &self.df.stages[i];
        self.step += 1;
        let from_text = match &st.name {
            Some(n) => format!("FROM {} AS {n}", st.base),
            None => format!("FROM {}", st.base),
        };
        self.progress.step(self.step, self.total, &from_text);
        let base = words::expand(&st.base, self.df.escape, &|n| self.meta_lookup(n))
            .map_err(|m| self.err(st.line, m))?;
        let mut draft = self
            .base_draft(i, &base)
            .map_err(|e| self.step_err(st.line, &from_text, e))?;
        let triggers = strings(draft.run_config().get("OnBuild"));
        draft.run_config().remove("OnBuild");
        self.progress.done(state_id(&draft).short());
        let mut stage = Stage {
            draft,
            args: Vec::new(),
            cmd: None,
        };
        for t in &triggers {
            let ins = crate::build::dockerfile::parse_trigger(t, st.line).map_err(|source| {
                BuildError::Parse {
                    file: self.file(),
                    source,
                }
            })?;
            self.instruction(&mut stage, &ins)?;
        }
        for ins in &st.instructions {
            self.step += 1;
            self.progress.step(self.step, self.total, &ins.original);
            self.instruction(&mut stage, ins)?;
        }
        self.results[i] = Some(stage.draft);
        Ok(())
    }

    fn declare_meta_args(&mut self) -> Result<(), EngineError> {
        for ins in &self.df.meta_args {
            if let Kind::Arg(list) = &ins.kind {
                for (name, default) in list {
                    let value = match self.opts.build_args.get(name) {
                        Some(v) => Some(v.clone()),
                        None => match default {
                            Some(d) => Some(
                                words::expand(d, self.df.escape, &|n| self.meta_lookup(n))
                                    .map_err(|m| self.err(ins.line, m))?,
                            ),
                            None => None,
                        },
                    };
                    self.meta_args.push((name.clone(), value));
                }
            }
        }
        // Marks the meta args as declared even when there are none.
        self.meta_args.push((String::new(), None));
        Ok(())
    }

    fn base_draft(&self, i: usize, base: &str) -> Result<Draft, EngineError> {
        if base == "scratch" {
            return Ok(Draft::scratch());
        }
        if let Some(j) = super::find_stage(self.df, base, i) {
            if let Some(d) = &self.results[j] {
                return Ok(d.clone());
            }
        }
        let image = self.image(base)?;
        Draft::from_image(self.engine, &image)
    }

    fn image(&self, name: &str) -> Result<crate::store::ImageRecord, EngineError> {
        let policy = if self.opts.pull {
            PullPolicy::Always
        } else {
            PullPolicy::Missing
        };
        let pull = PullOptions {
            platform: None,
            registry: self.opts.registry.clone(),
        };
        image_for_run(self.engine, name, policy, &pull, self.progress.pull())
    }

    /// Run one instruction as a step.
    fn instruction(&mut self, stage: &mut Stage, ins: &Instruction) -> Result<(), EngineError> {
        let r = match &ins.kind {
            Kind::Arg(list) => self.arg(stage, ins, list),
            Kind::Run(r) => self.run(stage, ins, r),
            Kind::Copy(c) => self.copy(stage, ins, c, false),
            Kind::Add(c) => self.copy(stage, ins, c, true),
            _ => self.config_step(stage, ins),
        };
        r.map_err(|e| self.step_err(ins.line, &ins.original, e))
    }

    fn lookup(stage: &Stage) -> impl Fn(&str) -> Option<String> + '_ {
        let env = strings(stage.draft.config["config"].get("Env"));
        move |name: &str| {
            if let Some(v) = config::get_env(&env, name) {
                return Some(v.to_string());
            }
            stage
                .args
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| v.clone())
        }
    }

    fn expand(&self, stage: &Stage, line: usize, word: &str) -> Result<String, EngineError> {
        let lookup = Self::lookup(stage);
        words::expand(word, self.df.escape, &lookup).map_err(|m| self.err(line, m))
    }

    fn arg(
        &self,
        stage: &mut Stage,
        ins: &Instruction,
        list: &[(String, Option<String>)],
    ) -> Result<(), EngineError> {
        for (name, default) in list {
            let value = match self.opts.build_args.get(name) {
                Some(v) => Some(v.clone()),
                None => match default {
                    Some(d) => Some(self.expand(stage, ins.line, d)?),
                    None => self.meta_lookup(name),
                },
            };
            stage.args.push((name.clone(), value));
        }
        self.progress.done(state_id(&stage.draft).short());
        Ok(())
    }

    /// Take the step's result from the cache, or compute and record it.
    fn cached(
        &self,
        stage: &mut Stage,
        key: Key,
        work: &mut dyn FnMut(&mut Draft) -> Result<(), EngineError>,
    ) -> Result<(), EngineError> {
        let key = key.finish();
        if !self.opts.no_cache {
            if let Some(hit) = self.engine.store.get_cache(&key) {
                stage.draft = Draft {
                    config: hit.config,
                    layers: hit.layers,
                };
                self.progress.cached(state_id(&stage.draft).short());
                return Ok(());
            }
        }
        let mut draft = stage.draft.clone();
        work(&mut draft)?;
        self.engine.store.put_cache(
            &key,
            &CacheEntry {
                config: draft.config.clone(),
                layers: draft.layers.clone(),
            },
        )?;
        stage.draft = draft;
        self.progress.done(state_id(&stage.draft).short());
        Ok(())
    }

    fn config_step(&self, stage: &mut Stage, ins: &Instruction) -> Result<(), EngineError> {
        let mut next = stage.draft.clone();
        {
            let lookup = Self::lookup(stage);
            let escape = self.df.escape;
            let ex = |w: &str| words::expand(w, escape, &lookup);
            config::apply(&mut next, &ins.kind, &ex).map_err(|m| self.err(ins.line, m))?;
        }
        match &ins.kind {
            Kind::Cmd(_) => stage.cmd = next.run_config().get("Cmd").cloned(),
            Kind::Entrypoint(_) => {
                if let Some(c) = &stage.cmd {
                    next.run_config().insert("Cmd".into(), c.clone());
                }
            }
            _ => {}
        }
        let parent = state_id(&stage.draft);
        let mut key = Key::new(&parent, "CONFIG");
        key.add(next.config["config"].to_string().as_bytes());
        key.add(
            next.config
                .get("author")
                .map(Value::to_string)
                .unwrap_or_default()
                .as_bytes(),
        );
        // WORKDIR creates its directory when the image lacks it.
        let layers = stage.draft.layer_dirs(self.engine);
        let mkdir = match (
            &ins.kind,
            next.run_config().get("WorkingDir").and_then(Value::as_str),
        ) {
            (Kind::Workdir(_), Some(dir)) => {
                let rel = super::context::normalize(dir);
                let missing =
                    !rel.is_empty() && crate::engine::layerfs::lookup(&layers, &rel).is_none();
                missing.then(|| copy::dirs_plan(&layers, &rel))
            }
            _ => None,
        };
        if let Some(plan) = &mkdir {
            key.add(b"mkdir").add(
                plan.digest()
                    .map_err(|m| self.err(ins.line, m))?
                    .hex()
                    .as_bytes(),
            );
        }
        let created_by = ins.original.clone();
        self.cached(stage, key, &mut |d| {
            *d = next.clone();
            let layer = match &mkdir {
                Some(plan) => new_layer(self.engine, &mut |tar| plan.write(tar))?,
                None => None,
            };
            d.add(layer, &created_by, None);
            Ok(())
        })
    }

    fn run(&self, stage: &mut Stage, ins: &Instruction, r: &Run) -> Result<(), EngineError> {
        let cfg = stage.draft.run_config().clone();
        let mut argv = config::argv(&cfg, &r.command);
        if let (CommandForm::Shell(cmd), false) = (&r.command, r.heredocs.is_empty()) {
            argv.pop();
            argv.push(heredoc_script(cmd, &r.heredocs));
        }
        let mut env = strings(cfg.get("Env"));
        let mut arg_env = Vec::new();
        for (name, value) in &stage.args {
            if let Some(v) = value {
                if config::get_env(&env, name).is_none() {
                    arg_env.push(format!("{name}={v}"));
                }
            }
        }
        env.extend(arg_env.iter().cloned());
        let mounts: Vec<RunMount> = r
            .mounts
            .iter()
            .map(|m| {
                self.expand(stage, ins.line, m)
                    .and_then(|m| RunMount::parse(&m).map_err(|e| self.err(ins.line, e)))
            })
            .collect::<Result<_, _>>()?;
        let network =
            crate::engine::spec::network_mode(r.network.as_deref().unwrap_or(&self.opts.network))?;
        let plan = RunPlan {
            argv: argv.clone(),
            env: env.clone(),
            user: cfg
                .get("User")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            cwd: cfg
                .get("WorkingDir")
                .and_then(Value::as_str)
                .filter(|w| !w.is_empty())
                .unwrap_or("/")
                .to_string(),
            network,
            mounts: run::mount_specs(self.engine, self.opts, &mounts)
                .map_err(|m| self.err(ins.line, m))?,
        };
        let mut key = Key::new(&state_id(&stage.draft), "RUN");
        key.add_all(&argv)
            .add_all(&arg_env)
            .add(format!("{network:?}").as_bytes());
        for m in &mounts {
            key.add(m.kind.as_bytes()).add(m.target.as_bytes());
            let opts: Vec<String> = m.opts.iter().map(|(k, v)| format!("{k}={v}")).collect();
            key.add_all(&opts);
            if m.kind == "bind" {
                key.add(
                    self.bind_digest(m)
                        .map_err(|e| self.err(ins.line, e))?
                        .hex()
                        .as_bytes(),
                );
            }
        }
        let created_by = ins.original.clone();
        let show = self.opts.show_output;
        let file = self.file();
        let line = ins.line;
        let shown: String = ins.original.trim_start_matches("RUN").trim().to_string();
        self.cached(stage, key, &mut |d| {
            let layer = match run::execute(self.engine, d, &plan, show) {
                Ok(l) => l,
                Err(RunFailure::Exit(code)) => {
                    return Err(BuildError::RunFailed {
                        file: file.clone(),
                        line,
                        command: shown.clone(),
                        code,
                    }
                    .into())
                }
                Err(RunFailure::Engine(e)) => return Err(e),
            };
            d.add(layer, &created_by, None);
            Ok(())
        })
    }

    /// Content digest of a context bind mount's source tree: every file the RUN
    /// can see there. The mount shows the host directory as it is, ignored files
    /// included, so the digest must not apply `.dockerignore`.
    fn bind_digest(&self, m: &RunMount) -> Result<crate::oci::Digest, String> {
        let src = m.opt("source").unwrap_or("").to_string();
        let c = Copy {
            sources: vec![if src.is_empty() { ".".into() } else { src }],
            dest: "/".into(),
            ..Copy::default()
        };
        let target = Target {
            layers: &[],
            workdir: "/",
        };
        let whole = super::Context::new(self.opts.context.dir.clone(), None);
        copy::plan(
            &c,
            false,
            &c.sources,
            "/",
            &Source::Context(&whole),
            &target,
        )?
        .digest()
    }

    fn copy(
        &self,
        stage: &mut Stage,
        ins: &Instruction,
        c: &Copy,
        is_add: bool,
    ) -> Result<(), EngineError> {
        let mut sources = Vec::new();
        for s in &c.sources {
            sources.push(if s.starts_with("<<") {
                s.clone()
            } else {
                self.expand(stage, ins.line, s)?
            });
        }
        let dest = self.expand(stage, ins.line, &c.dest)?;
        let mut c = c.clone();
        if let Some(ch) = &c.chown {
            c.chown = Some(self.expand(stage, ins.line, ch)?);
        }
        let (from, from_id) = match &c.from {
            None => (Source::Context(&self.opts.context), String::new()),
            Some(f) => {
                let f = self.expand(stage, ins.line, f)?;
                let current = self
                    .df
                    .stages
                    .iter()
                    .position(|s| s.instructions.iter().any(|i| std::ptr::eq(i, ins)));
                let before = current.unwrap_or(self.df.stages.len());
                let draft = match super::find_stage(self.df, &f, before) {
                    Some(j) => self.results[j]
                        .clone()
                        .ok_or_else(|| self.err(ins.line, format!("stage {f:?} was not built")))?,
                    None => Draft::from_image(self.engine, &self.image(&f)?)?,
                };
                (
                    Source::Layers(draft.layer_dirs(self.engine)),
                    state_id(&draft).to_string(),
                )
            }
        };
        let layers = stage.draft.layer_dirs(self.engine);
        let workdir = stage
            .draft
            .run_config()
            .get("WorkingDir")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string();
        let target = Target {
            layers: &layers,
            workdir: &workdir,
        };
        let plan = copy::plan(&c, is_add, &sources, &dest, &from, &target)
            .map_err(|m| self.err(ins.line, m))?;
        let digest = plan.digest().map_err(|m| self.err(ins.line, m))?;
        let mut key = Key::new(&state_id(&stage.draft), if is_add { "ADD" } else { "COPY" });
        key.add_all(&sources)
            .add(dest.as_bytes())
            .add(from_id.as_bytes());
        key.add(c.chown.as_deref().unwrap_or("").as_bytes())
            .add(c.chmod.as_deref().unwrap_or("").as_bytes());
        key.add(digest.hex().as_bytes());
        let created_by = ins.original.clone();
        self.cached(stage, key, &mut |d| {
            let layer = new_layer(self.engine, &mut |tar| plan.write(tar))?;
            d.add(layer, &created_by, None);
            Ok(())
        })
    }
}

/// The script a shell-form RUN with heredocs runs: the body alone for `RUN <<EOF`,
/// else the command line followed by the heredoc bodies and their delimiters (the
/// shell reads them as its own heredocs).
fn heredoc_script(cmd: &str, docs: &[crate::build::dockerfile::ast::Heredoc]) -> String {
    let trimmed = cmd.trim();
    if docs.len() == 1 && trimmed.starts_with("<<") && !trimmed.contains(' ') {
        return docs[0].content.clone();
    }
    let mut s = format!("{cmd}\n");
    for d in docs {
        s.push_str(&d.content);
        s.push_str(&d.name);
        s.push('\n');
    }
    s
}

//! One stage at a time: the base, ONBUILD triggers of the base image, then each
//! instruction as a cached step. ARG/ENV scoping follows Docker: ARGs before the
//! first FROM are seen only by FROM lines (and by a stage's bare `ARG NAME`); a
//! stage's ARGs are in scope from their declaration on, seen by RUN as
//! environment but not stored in the image; ENV wins over an ARG of the same name.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::cache::{state_id, Key};
use super::copy::{self, Source, Target};
use super::{words, BuildError, BuildOptions, BuildProgress};
use crate::dockerfile::ast::{Copy, Dockerfile, Instruction, Kind};
use crate::engine::containers::image_for_run;
use crate::engine::draft::config;
use crate::engine::draft::{new_layer, Draft};
use crate::engine::pull::PullOptions;
use crate::engine::{Engine, EngineError};
use crate::oci::{ImageConfig, Ordered};
use crate::store::CacheEntry;

mod run_step;

/// Builds the stages of one Dockerfile.
pub struct Builder<'a> {
    engine: &'a Engine,
    opts: &'a BuildOptions,
    progress: &'a dyn BuildProgress,
    df: &'a Dockerfile,
    total: usize,
    step: AtomicUsize,
    results: Mutex<Vec<Option<Draft>>>,
    meta_args: Vec<(String, Option<String>)>,
}

/// The state of the stage being built.
struct Stage {
    draft: Draft,
    /// ARGs in scope: name and value (None: declared without a value).
    args: Vec<(String, Option<String>)>,
    /// This stage set CMD (a later ENTRYPOINT keeps it).
    cmd: Option<Vec<String>>,
}

impl<'a> Builder<'a> {
    pub fn new(
        engine: &'a Engine,
        opts: &'a BuildOptions,
        progress: &'a dyn BuildProgress,
        df: &'a Dockerfile,
        total: usize,
    ) -> Result<Builder<'a>, EngineError> {
        let mut b = Builder {
            engine,
            opts,
            progress,
            df,
            total,
            step: AtomicUsize::new(0),
            results: Mutex::new(vec![None; df.stages.len()]),
            meta_args: Vec::new(),
        };
        b.declare_meta_args()?;
        Ok(b)
    }

    fn next_step(&self) -> usize {
        self.step.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// A finished stage's image (cloned).
    fn result(&self, i: usize) -> Option<Draft> {
        self.results.lock().unwrap_or_else(|p| p.into_inner())[i].clone()
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
    pub fn take_result(&self, i: usize) -> Result<Draft, EngineError> {
        self.results.lock().unwrap_or_else(|p| p.into_inner())[i]
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
    pub fn build_stage(&self, i: usize) -> Result<(), EngineError> {
        let st = &self.df.stages[i];
        let n = self.next_step();
        let from_text = match &st.name {
            Some(n) => format!("FROM {} AS {n}", st.base),
            None => format!("FROM {}", st.base),
        };
        self.progress.step(n, self.total, &from_text);
        let base = words::expand(&st.base, self.df.escape, &|n| self.meta_lookup(n))
            .map_err(|m| self.err(st.line, m))?;
        let mut draft = self
            .base_draft(i, &base)
            .map_err(|e| self.step_err(st.line, &from_text, e))?;
        let triggers = draft.run_config().on_build().to_vec();
        draft.run_config().remove_on_build();
        self.progress.done(state_id(&draft).short());
        let mut stage = Stage {
            draft,
            args: Vec::new(),
            cmd: None,
        };
        for t in &triggers {
            let ins = crate::dockerfile::parse_trigger(t, st.line).map_err(|source| {
                BuildError::Parse {
                    file: self.file(),
                    error: source,
                }
            })?;
            self.instruction(&mut stage, &ins)?;
        }
        for ins in &st.instructions {
            let n = self.next_step();
            self.progress.step(n, self.total, &ins.original);
            self.instruction(&mut stage, ins)?;
        }
        self.results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(stage.draft);
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
        Ok(())
    }

    fn base_draft(&self, i: usize, base: &str) -> Result<Draft, EngineError> {
        if base == "scratch" {
            return Ok(Draft::scratch());
        }
        if let Some(j) = super::find_stage(self.df, base, i) {
            if let Some(d) = self.result(j) {
                return Ok(d);
            }
        }
        let image = self.image(base)?;
        Draft::from_image(self.engine, &image)
    }

    fn image(&self, name: &str) -> Result<crate::store::ImageRecord, EngineError> {
        let policy = self.opts.pull;
        let pull = PullOptions {
            platform: None,
            registry: self.opts.registry.clone(),
        };
        image_for_run(self.engine, name, policy, &pull, self.progress.pull())
    }

    /// Run one instruction as a step.
    fn instruction(&self, stage: &mut Stage, ins: &Instruction) -> Result<(), EngineError> {
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
        let env = stage.draft.config.run_config().env().to_vec();
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
            let hit = self.engine.store.get_cache(&key).and_then(|hit| {
                let config = serde_json::from_value::<Ordered<ImageConfig>>(hit.config).ok()?;
                Some((config, hit.layers))
            });
            if let Some((mut config, layers)) = hit {
                // The state excludes history (a step that changed nothing leaves
                // it as it was), so the hit may come from a build with other
                // steps before: keep this build's history and add the step's entry.
                let step = config.history().last().cloned();
                let mut history = stage.draft.config.history().to_vec();
                history.extend(step);
                *config.history_mut() = history;
                stage.draft = Draft { config, layers };
                self.progress.cached(state_id(&stage.draft).short());
                return Ok(());
            }
        }
        let mut draft = stage.draft.clone();
        work(&mut draft)?;
        self.engine.store.put_cache(
            &key,
            &CacheEntry {
                config: serde_json::to_value(&draft.config).map_err(|e| {
                    EngineError::BadConfig {
                        digest: key.clone(),
                        reason: e.to_string(),
                    }
                })?,
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
            Kind::Cmd(_) => stage.cmd = next.run_config().cmd.clone(),
            Kind::Entrypoint(_) => {
                if let Some(c) = &stage.cmd {
                    next.run_config().set_cmd(Some(c.clone()));
                }
            }
            _ => {}
        }
        let parent = state_id(&stage.draft);
        let mut key = Key::new(&parent, "CONFIG");
        // The instruction as written too: its text is what the history shows.
        key.add(ins.original.as_bytes());
        key.add(next.run_config().to_json().as_bytes());
        key.add(next.config.author_json().as_bytes());
        // WORKDIR creates its directory when the image lacks it.
        let layers = stage.draft.layer_dirs(self.engine);
        let mkdir = match (&ins.kind, next.run_config().working_dir.as_deref()) {
            (Kind::Workdir(_), Some(dir)) => {
                let rel = crate::engine::layerfs::resolve(&layers, &config::normalize(dir), true);
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

    /// The image `--from=NAME` names: an earlier stage (by name or index) or an image.
    fn draft_of_from(&self, ins: &Instruction, name: &str) -> Result<Draft, EngineError> {
        let current = self
            .df
            .stages
            .iter()
            .position(|s| s.instructions.iter().any(|i| std::ptr::eq(i, ins)));
        let before = current.unwrap_or(self.df.stages.len());
        match super::find_stage(self.df, name, before) {
            Some(j) => self
                .result(j)
                .ok_or_else(|| self.err(ins.line, format!("stage {name:?} was not built"))),
            None => Draft::from_image(self.engine, &self.image(name)?),
        }
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
        if let Some(m) = &c.chmod {
            c.chmod = Some(self.expand(stage, ins.line, m)?);
        }
        for h in c.heredocs.iter_mut().filter(|h| h.expand) {
            let lookup = Self::lookup(stage);
            h.content =
                words::expand_heredoc(&h.content, &lookup).map_err(|m| self.err(ins.line, m))?;
        }
        let (from, from_id) = match &c.from {
            None => (Source::Context(&self.opts.context), String::new()),
            Some(f) => {
                let f = self.expand(stage, ins.line, f)?;
                let draft = self.draft_of_from(ins, &f)?;
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
            .working_dir
            .as_deref()
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

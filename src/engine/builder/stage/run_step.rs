//! The RUN step: the command line (shell, exec form, heredoc scripts), the
//! environment (the image's Env plus the ARGs in scope), the mounts, and the
//! cache key over all of them; then the container run itself ([`super::super::run`]).

use super::{Builder, Stage};
use crate::dockerfile::ast::{CommandForm, Copy, Instruction, Run};
use crate::engine::builder::cache::{state_id, Key};
use crate::engine::builder::context::Context;
use crate::engine::builder::copy::{self, Source, Target};
use crate::engine::builder::run::{self, RunFailure, RunMount, RunPlan};
use crate::engine::builder::BuildError;
use crate::engine::draft::config;
use crate::engine::draft::config::normalize;
use crate::engine::EngineError;
use crate::oci::ContainerConfig;

/// A `from=` image: its layer dirs (top first) and its identity for the key.
type FromImage = (Vec<std::path::PathBuf>, String);

/// The environment of a RUN: the image's Env plus the ARGs in scope that Env does
/// not set (those also go into the key).
fn run_env(cfg: &ContainerConfig, stage: &Stage) -> (Vec<String>, Vec<String>) {
    let mut env = cfg.env().to_vec();
    let mut arg_env = Vec::new();
    for (name, value) in &stage.args {
        if let Some(v) = value {
            if config::get_env(&env, name).is_none() {
                arg_env.push(format!("{name}={v}"));
            }
        }
    }
    env.extend(arg_env.iter().cloned());
    (env, arg_env)
}

impl Builder<'_> {
    pub(super) fn run(
        &self,
        stage: &mut Stage,
        ins: &Instruction,
        r: &Run,
    ) -> Result<(), EngineError> {
        let cfg = stage.draft.run_config().clone();
        let mut argv = config::argv(&cfg, &r.command);
        if let (CommandForm::Shell(cmd), false) = (&r.command, r.heredocs.is_empty()) {
            argv.pop();
            argv.push(heredoc_script(cmd, &r.heredocs));
        }
        let (env, arg_env) = run_env(&cfg, stage);
        let mounts = self.run_mounts(stage, ins, r)?;
        let network =
            crate::engine::spec::network_mode(r.network.as_deref().unwrap_or(&self.opts.network))?;
        let mut key = Key::new(&state_id(&stage.draft), "RUN");
        key.add_all(&argv)
            .add_all(&arg_env)
            .add(format!("{network:?}").as_bytes());
        for (m, from) in &mounts {
            key.add(m.kind.as_bytes()).add(m.target.as_bytes());
            let opts: Vec<String> = m.opts.iter().map(|(k, v)| format!("{k}={v}")).collect();
            key.add_all(&opts);
            match from {
                Some((_, id)) => key.add(id.as_bytes()),
                None if m.kind == "bind" => key.add(
                    self.bind_digest(m)
                        .map_err(|e| self.err(ins.line, e))?
                        .hex()
                        .as_bytes(),
                ),
                None => &mut key,
            };
        }
        let text = |v: &Option<String>, default: &str| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .unwrap_or(default)
                .to_string()
        };
        let (user, cwd) = (text(&cfg.user, ""), text(&cfg.working_dir, "/"));
        let created_by = ins.original.clone();
        self.cached(stage, key, &mut |d| {
            let plan = RunPlan {
                argv: argv.clone(),
                env: env.clone(),
                user: user.clone(),
                cwd: cwd.clone(),
                network,
                mounts: self.lay_out_mounts(ins, &mounts)?,
            };
            let layer = match run::execute(self.engine, d, &plan, self.opts.step_output.as_ref()) {
                Ok(l) => l,
                Err(RunFailure::Exit(code)) => {
                    return Err(BuildError::RunFailed {
                        file: self.file(),
                        line: ins.line,
                        command: ins.original.trim_start_matches("RUN").trim().to_string(),
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

    /// The `--mount`s, parsed; a bind `from=` a stage or image comes with that
    /// image's layers and its identity (for the key).
    fn run_mounts(
        &self,
        stage: &Stage,
        ins: &Instruction,
        r: &Run,
    ) -> Result<Vec<(RunMount, Option<FromImage>)>, EngineError> {
        let mut out = Vec::new();
        for text in &r.mounts {
            let text = self.expand(stage, ins.line, text)?;
            let m = RunMount::parse(&text).map_err(|e| self.err(ins.line, e))?;
            let from = match (m.kind.as_str(), m.opt("from")) {
                ("bind", Some(name)) => {
                    let draft = self.draft_of_from(ins, name)?;
                    let src = normalize(m.opt("source").unwrap_or(""));
                    let id = format!("{}:{src}", state_id(&draft));
                    Some((draft.layer_dirs(self.engine), id))
                }
                _ => None,
            };
            out.push((m, from));
        }
        Ok(out)
    }

    /// The runtime mounts, with every `from=` bind's tree laid out in temp space.
    fn lay_out_mounts(
        &self,
        ins: &Instruction,
        mounts: &[(RunMount, Option<FromImage>)],
    ) -> Result<Vec<crate::runtime::MountSpec>, EngineError> {
        let mut ready = Vec::new();
        for (m, from) in mounts {
            let mut m = m.clone();
            if let Some((layers, _)) = from {
                let src = normalize(m.opt("source").unwrap_or(""));
                let src = if src.is_empty() { "/".to_string() } else { src };
                let dir = self.engine.store.temp_dir("bind-from")?;
                crate::engine::builder::plan::materialize(self.engine, layers.clone(), &src, &dir)
                    .map_err(|e| self.err(ins.line, e))?;
                m.laid_out = Some(dir);
            }
            ready.push(m);
        }
        run::mount_specs(self.engine, self.opts, &ready).map_err(|m| self.err(ins.line, m))
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
        let whole = Context::new(self.opts.context.dir.clone(), None)?;
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
}

/// The script a shell-form RUN with heredocs runs: the body alone for `RUN <<EOF`,
/// else the command line followed by the heredoc bodies and their delimiters (the
/// shell reads them as its own heredocs).
fn heredoc_script(cmd: &str, docs: &[crate::dockerfile::ast::Heredoc]) -> String {
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

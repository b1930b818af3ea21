//! The front end of `build`, `commit` and `history`: their arguments, the build's
//! progress lines and step output, and the rendering of what
//! `engine::builder` and `engine::commit` report.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use clap::Args;
use serde_json::{json, Value};

use super::format::Format;
use super::humanize;
use super::output::{emit, print_listing, Listing};
use super::progress::Progress;
use super::pull::RegistryArgs;
use crate::engine::builder::{self, BuildOptions, BuildProgress, Context};
use crate::engine::commit::{self, CommitOptions};
use crate::engine::containers::PullPolicy;
use crate::engine::{now_secs, Engine};
use crate::oci::Reference;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Build context: a directory, or `-` for a tar archive (or a Dockerfile) on stdin
    #[arg(value_name = "CONTEXT", default_value = ".")]
    pub context: String,
    /// Name the image (repeatable)
    #[arg(short, long = "tag", value_name = "NAME")]
    pub tags: Vec<String>,
    /// Dockerfile to use (`-` reads it from stdin); default CONTEXT/Dockerfile or Containerfile
    #[arg(short, long, value_name = "FILE")]
    pub file: Option<String>,
    /// Set a build argument (`NAME=value`, or `NAME` to take it from the environment)
    #[arg(long, value_name = "NAME[=VALUE]")]
    pub build_arg: Vec<String>,
    /// Build up to this stage
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Do not use cached steps
    #[arg(long)]
    pub no_cache: bool,
    /// Pull base images: always (the default with a bare --pull), missing (default), never, newer
    #[arg(long, value_name = "POLICY", num_args = 0..=1, require_equals = true, default_missing_value = "always")]
    pub pull: Option<String>,
    /// Add a label to the image (`KEY=value`, repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Network for RUN instructions: default (private), none or host
    #[arg(long, value_name = "MODE", default_value = "default")]
    pub network: String,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the image id to this file
    #[arg(long, value_name = "FILE")]
    pub iidfile: Option<PathBuf>,
    /// Secret for RUN --mount=type=secret: `id=NAME,src=PATH` (repeatable)
    #[arg(long, value_name = "id=ID,src=PATH")]
    pub secret: Vec<String>,
    /// Keep intermediate steps in the cache (always on; accepted for Podman compatibility)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub layers: Option<bool>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Args)]
pub struct CommitArgs {
    /// Container to commit
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Name of the new image
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
    /// Apply a Dockerfile instruction to the config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, …)
    #[arg(short, long = "change", value_name = "INSTRUCTION")]
    pub changes: Vec<String>,
    /// Commit message (stored in the history)
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,
    /// Author of the image
    #[arg(short, long, value_name = "NAME")]
    pub author: Option<String>,
    /// Pause the container while committing (accepted; skiff does not pause)
    #[arg(short, long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub pause: Option<bool>,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Image to show
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Show only image ids
    #[arg(short, long)]
    pub quiet: bool,
    /// Show sizes in bytes
    #[arg(short = 'H', long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub human: Option<bool>,
    /// Pretty-print with a Go template, `json`, or `table …`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
}

/// A name for a built or committed image: short names go under `localhost/`.
fn image_name(s: &str) -> Result<Reference> {
    Ok(crate::engine::local_name(s)?)
}

/// Step lines, as Podman prints them; bold step headers on a terminal.
struct Lines {
    quiet: bool,
    tty: bool,
    pull: Progress,
}

/// One progress line on stdout; a closed stdout does not stop the build.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

impl BuildProgress for Lines {
    fn step(&self, n: usize, total: usize, text: &str) {
        if self.quiet {
            return;
        }
        if self.tty {
            say(&format!("\x1b[1mSTEP {n}/{total}: {text}\x1b[0m"));
        } else {
            say(&format!("STEP {n}/{total}: {text}"));
        }
    }

    fn cached(&self, id: &str) {
        if !self.quiet {
            say(&format!(
                "--> Using cache {id}\n--> {}",
                &id[..id.len().min(12)]
            ));
        }
    }

    fn done(&self, id: &str) {
        if !self.quiet {
            say(&format!("--> {}", &id[..id.len().min(12)]));
        }
    }

    fn warn(&self, text: &str) {
        super::warn(text);
    }

    fn pull(&self) -> &dyn crate::engine::pull::PullProgress {
        &self.pull
    }
}

fn parse_build_args(list: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for a in list {
        match a.split_once('=') {
            Some((k, v)) => {
                out.insert(k.to_string(), v.to_string());
            }
            None => {
                if let Some(v) = super::env::host_var(a) {
                    out.insert(a.clone(), v);
                }
            }
        }
    }
    out
}

fn parse_secrets(list: &[String]) -> Result<BTreeMap<String, PathBuf>> {
    let mut out = BTreeMap::new();
    for s in list {
        let mut id = None;
        let mut src = None;
        for part in s.split(',') {
            match part.split_once('=') {
                Some(("id", v)) => id = Some(v.to_string()),
                Some(("src" | "source", v)) => src = Some(PathBuf::from(v)),
                Some(("type", "file")) => {}
                _ => bail!("--secret {s:?}: expected id=ID,src=PATH"),
            }
        }
        let id = id.with_context(|| format!("--secret {s:?}: no id"))?;
        let src = src.unwrap_or_else(|| PathBuf::from(&id));
        if !src.is_file() {
            bail!("--secret {s:?}: {} is not a file", src.display());
        }
        out.insert(id, std::path::absolute(&src).unwrap_or(src));
    }
    Ok(out)
}

/// The context dir (extracting a tar from stdin) and, for `-` with a plain
/// Dockerfile on stdin, that Dockerfile.
fn context_dir(engine: &Engine, args: &BuildArgs) -> Result<(PathBuf, Option<String>)> {
    if args.context != "-" {
        let dir = PathBuf::from(&args.context);
        if !dir.is_dir() {
            bail!("build context {}: not a directory", dir.display());
        }
        return Ok((dir, None));
    }
    let mut data = Vec::new();
    std::io::stdin().read_to_end(&mut data)?;
    let dir = engine.store.temp_dir("context")?;
    std::fs::create_dir_all(&dir)?;
    let head = data.get(..512).unwrap_or(&data);
    let is_tar = head.len() >= 262 && &head[257..262] == b"ustar";
    let gz = head.starts_with(&[0x1f, 0x8b]);
    if !is_tar && !gz {
        return Ok((dir, Some(String::from_utf8_lossy(&data).into_owned())));
    }
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(data.as_slice()))
    } else {
        Box::new(data.as_slice())
    };
    crate::archive::unpack_layer(
        reader,
        &dir,
        &crate::archive::UnpackOptions {
            ids: crate::archive::IdPolicy::Squash,
        },
    )
    .context("unpacking the build context from stdin")?;
    Ok((dir, None))
}

fn read_dockerfile(
    args: &BuildArgs,
    dir: &Path,
    stdin_file: Option<String>,
) -> Result<(String, String, PathBuf)> {
    if let Some(text) = stdin_file {
        return Ok((text, "Dockerfile".into(), dir.join("Dockerfile")));
    }
    let path = match args.file.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            return Ok((text, "Dockerfile".into(), dir.join("Dockerfile")));
        }
        Some(f) => PathBuf::from(f),
        None => ["Containerfile", "Dockerfile"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .unwrap_or_else(|| dir.join("Dockerfile")),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the Dockerfile {}", path.display()))?;
    let name = path.display().to_string();
    Ok((text, name, path))
}

fn ignore_text(dockerfile: &Path, dir: &Path) -> Option<String> {
    let own = dockerfile.file_name().map(|n| {
        let mut n = n.to_os_string();
        n.push(".dockerignore");
        dockerfile.with_file_name(n)
    });
    own.into_iter()
        .chain([dir.join(".dockerignore"), dir.join(".containerignore")])
        .find_map(|p| std::fs::read_to_string(p).ok())
}

pub fn build(engine: &Engine, args: &BuildArgs) -> Result<i32> {
    let (dir, stdin_file) = context_dir(engine, args)?;
    let (text, name, path) = read_dockerfile(args, &dir, stdin_file)?;
    let ignore = ignore_text(&path, &dir);
    let tags = args
        .tags
        .iter()
        .map(|t| image_name(t))
        .collect::<Result<Vec<_>>>()?;
    let labels = args
        .label
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let pull = match args.pull.as_deref() {
        None | Some("missing" | "false" | "ifmissing") => PullPolicy::Missing,
        Some("always" | "true" | "newer" | "ifnewer") => PullPolicy::Always,
        Some("never") => PullPolicy::Never,
        Some(other) => bail!("--pull={other}: expected always, missing, never or newer"),
    };
    let opts = BuildOptions {
        dockerfile: text,
        dockerfile_name: name,
        context: Context::new(dir, ignore.as_deref()).map_err(anyhow::Error::msg)?,
        tags: tags.clone(),
        build_args: parse_build_args(&args.build_arg),
        target: args.target.clone(),
        no_cache: args.no_cache,
        pull,
        labels,
        network: args.network.clone(),
        secrets: parse_secrets(&args.secret)?,
        registry: args.registry.options(),
        step_output: if args.quiet {
            None
        } else {
            Some(builder::StepOutput::from_fds(
                std::io::stdout().as_fd().try_clone_to_owned().ok(),
                std::io::stderr().as_fd().try_clone_to_owned().ok(),
            ))
        },
    };
    let progress = Lines {
        quiet: args.quiet,
        tty: std::io::stdout().is_terminal(),
        pull: Progress::new(args.quiet),
    };
    let record = match builder::build(engine, &opts, &progress) {
        Ok(r) => r,
        // As Podman: a failing RUN makes the build exit with the command's status.
        Err(crate::engine::EngineError::Build(b)) if super::exit::build_status(&b).is_some() => {
            let code = super::exit::build_status(&b).unwrap_or(super::EXIT_FAILURE);
            eprintln!("Error: {}", super::one_line(&anyhow::Error::from(*b)));
            return Ok(code);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(f) = &args.iidfile {
        std::fs::write(f, record.id.to_string())
            .with_context(|| format!("writing {}", f.display()))?;
    }
    let mut out = String::new();
    if !args.quiet {
        out.push_str(&format!(
            "COMMIT {}\n",
            tags.first().map(|t| t.to_string()).unwrap_or_default()
        ));
        out.push_str(&format!("--> {}\n", record.id.short()));
        for t in &tags {
            out.push_str(&format!("Successfully tagged {t}\n"));
        }
    }
    out.push_str(&format!("{}\n", record.id.hex()));
    emit(&out)?;
    Ok(0)
}

/// The exit status of the RUN that failed the build (1-255), if that is the failure.
pub fn commit(engine: &Engine, args: &CommitArgs) -> Result<i32> {
    let changes = args
        .changes
        .iter()
        .map(|c| commit::parse_change(c))
        .collect::<Result<Vec<_>, _>>()?;
    let name = args.image.as_deref().map(image_name).transpose()?;
    let opts = CommitOptions {
        changes,
        message: args.message.clone(),
        author: args.author.clone(),
    };
    let record = commit::commit_container(engine, &args.container, &opts)?;
    if let Some(n) = &name {
        engine.store.set_name(n, &record.id)?;
    }
    emit(&format!("{}\n", record.id.hex()))?;
    Ok(0)
}

fn history_header(field: &str) -> Option<String> {
    let h = match field {
        "ID" => "IMAGE",
        "Created" | "CreatedSince" => "CREATED",
        "CreatedBy" => "CREATED BY",
        "Size" => "SIZE",
        "Comment" => "COMMENT",
        _ => return None,
    };
    Some(h.to_string())
}

pub fn history(engine: &Engine, args: &HistoryArgs) -> Result<i32> {
    let rows = commit::history(engine, &args.image)?;
    let id_of = |r: &commit::HistoryRow| match &r.id {
        Some(d) if args.no_trunc => d.hex().to_string(),
        Some(d) => d.short().to_string(),
        None => "<missing>".to_string(),
    };
    if args.quiet {
        let text: String = rows.iter().map(|r| format!("{}\n", id_of(r))).collect();
        emit(&text)?;
        return Ok(0);
    }
    let human = args.human.unwrap_or(true);
    let now = now_secs() as i64;
    let values: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut by = r.created_by.clone();
            if !args.no_trunc && by.chars().count() > 45 {
                by = by.chars().take(42).collect::<String>() + "...";
            }
            json!({
                "ID": id_of(r),
                "Created": if human { humanize::ago((now - r.created).max(0) as u64) } else { humanize::timestamp(r.created) },
                "CreatedSince": humanize::ago((now - r.created).max(0) as u64),
                "CreatedAt": humanize::timestamp(r.created),
                "CreatedBy": by,
                "Size": if human { humanize::size(r.size) } else { r.size.to_string() },
                "Comment": r.comment,
            })
        })
        .collect();
    let json = Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "id": r.id.as_ref().map(|d| d.hex().to_string()).unwrap_or_else(|| "<missing>".into()),
                    "created": humanize::timestamp(r.created),
                    "createdBy": r.created_by,
                    "size": r.size,
                    "comment": r.comment,
                })
            })
            .collect(),
    );
    let format = Format::parse(args.format.as_deref())?;
    print_listing(
        &format,
        &Listing {
            rows: &values,
            json: &json,
            default_table: "{{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
            headers: &history_header,
            no_heading: false,
        },
    )?;
    Ok(0)
}

//! `save`, `load`, `export` and `import`: images and container filesystems in and
//! out as archives.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use crate::engine::save::{self, SaveFormat};
use crate::engine::Engine;

/// Archive formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// docker save's format: manifest.json and uncompressed layer tars
    DockerArchive,
    /// an OCI image layout in a tar
    OciArchive,
    /// an OCI image layout directory (needs -o DIR)
    OciDir,
}

#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Write to this file (or directory for oci-dir) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Archive format
    #[arg(
        long,
        value_enum,
        default_value = "docker-archive",
        value_name = "FORMAT"
    )]
    pub format: FormatArg,
    /// Allow several images in one docker-archive (always allowed; for Podman compatibility)
    #[arg(short = 'm', long)]
    pub multi_image_archive: bool,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
    /// Images to save (names or ids)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Read the archive from this file instead of stdin
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
}

/// A file written under a temp name beside `path` and renamed into place by
/// [`Staged::finish`]; removed if dropped before.
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    done: bool,
}

impl Staged {
    fn create(path: &Path) -> Result<(Staged, std::fs::File)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "archive".into());
        let tmp = path.with_file_name(format!(".{name}.skiff-{}", std::process::id()));
        let file =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok((
            Staged {
                tmp,
                path: path.to_path_buf(),
                done: false,
            },
            file,
        ))
    }

    fn finish(mut self, file: std::fs::File) -> Result<()> {
        file.sync_all()
            .with_context(|| format!("writing {}", self.tmp.display()))?;
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("renaming {} into place", self.path.display()))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Run `write` with the output: `-o FILE` (written whole or not at all) or stdout,
/// which must not be a terminal.
fn with_output<F>(output: Option<&Path>, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    match output {
        Some(path) => {
            let (staged, file) = Staged::create(path)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut w)?;
            let file = w
                .into_inner()
                .map_err(|e| anyhow::anyhow!("writing {}: {}", path.display(), e.error()))?;
            staged.finish(file)
        }
        None => {
            let stdout = std::io::stdout();
            if stdout.is_terminal() {
                bail!("cowardly refusing to write to a terminal: use -o FILE or redirect stdout");
            }
            let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            write(&mut w)?;
            w.flush().context("writing to stdout")
        }
    }
}

pub fn save(engine: &Engine, args: &SaveArgs) -> Result<i32> {
    let format = match args.format {
        FormatArg::DockerArchive => SaveFormat::DockerArchive,
        FormatArg::OciArchive => SaveFormat::OciArchive,
        FormatArg::OciDir => SaveFormat::OciDir,
    };
    if format == SaveFormat::OciDir {
        let Some(dir) = &args.output else {
            bail!("--format oci-dir writes a directory: give it with -o DIR");
        };
        save::save_oci_dir(engine, &args.images, dir)?;
        return Ok(0);
    }
    with_output(args.output.as_deref(), |w| {
        save::save_archive(engine, &args.images, format, w)?;
        Ok(())
    })?;
    Ok(0)
}

pub fn load(engine: &Engine, args: &LoadArgs) -> Result<i32> {
    let loaded = match &args.input {
        Some(path) => {
            let file =
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            crate::engine::load::load(engine, file)?
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                bail!("no archive to load: give it with -i FILE or on stdin");
            }
            crate::engine::load::load(engine, stdin.lock())?
        }
    };
    if !args.quiet {
        let mut out = String::new();
        for l in &loaded {
            if l.names.is_empty() {
                out.push_str(&format!("Loaded image ID: {}\n", l.id));
            }
            for n in &l.names {
                out.push_str(&format!("Loaded image: {n}\n"));
            }
        }
        super::output::emit(&out)?;
    }
    Ok(0)
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The container whose filesystem to export
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Apply a Dockerfile instruction to the image config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR)
    #[arg(short, long, value_name = "INSTRUCTION")]
    pub change: Vec<String>,
    /// Commit message for the imported image (its history comment)
    #[arg(short, long, value_name = "MESSAGE")]
    pub message: Option<String>,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    /// The tarball: a file, an http(s) URL, or - for stdin
    #[arg(value_name = "FILE|URL|-")]
    pub source: String,
    /// Name for the new image (REPOSITORY[:TAG])
    #[arg(value_name = "REPOSITORY[:TAG]")]
    pub reference: Option<String>,
}

pub fn export(engine: &Engine, args: &ExportArgs) -> Result<i32> {
    let view = crate::engine::containers::find(engine, &args.container)?;
    with_output(args.output.as_deref(), |w| {
        crate::engine::cp::export(engine, &view, w)?;
        Ok(())
    })?;
    Ok(0)
}

pub fn import(engine: &Engine, args: &ImportArgs) -> Result<i32> {
    let input: Box<dyn std::io::Read> = if args.source == "-" {
        Box::new(std::io::stdin().lock())
    } else if args.source.starts_with("http://") || args.source.starts_with("https://") {
        let resp = ureq::get(&args.source)
            .call()
            .with_context(|| format!("fetching {}", args.source))?;
        Box::new(resp.into_reader())
    } else {
        Box::new(
            std::fs::File::open(&args.source)
                .with_context(|| format!("opening {}", args.source))?,
        )
    };
    let opts = crate::engine::import::ImportOptions {
        changes: &args.change,
        message: args.message.as_deref(),
        source: &args.source,
        reference: args.reference.as_deref(),
    };
    let record = crate::engine::import::import(engine, input, &opts)?;
    super::output::emit(&format!("{}\n", record.id))?;
    Ok(0)
}

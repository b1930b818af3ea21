//! `skiff push`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use super::progress::Progress;
use super::pull::RegistryArgs;
use crate::engine::push::{push, PushOptions};
use crate::engine::Engine;
use crate::oci::convert::ManifestFormat;
use crate::registry::Credentials;

/// Default size above which blobs are uploaded in chunks, and the chunk size.
const DEFAULT_CHUNK: u64 = 16 << 20;

/// Manifest formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// OCI image manifest
    Oci,
    /// Docker image manifest, schema 2
    V2s2,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// Local image to push (name or id)
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Where to push it (registry/repository[:tag|@digest]; default: IMAGE's name),
    /// or a local oci:DIR, oci-archive:FILE or docker-archive:FILE
    #[arg(value_name = "DESTINATION")]
    pub destination: Option<String>,
    /// Manifest format to push: v2s2 (default; oci when a layer is zstd) or oci
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Write the digest of the pushed manifest to this file
    #[arg(long, value_name = "FILE")]
    pub digestfile: Option<PathBuf>,
    /// Credentials (USERNAME[:PASSWORD]) to use instead of the stored ones
    #[arg(long, value_name = "USERNAME[:PASSWORD]")]
    pub creds: Option<String>,
    /// Upload blobs larger than this many bytes in chunks of this size (0: always one request)
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_CHUNK)]
    pub chunk_size: u64,
    /// Discard signatures (skiff stores none, so there is nothing to discard)
    #[arg(long)]
    pub remove_signatures: bool,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `--creds USER[:PASS]`; a missing password is read from the terminal.
fn parse_creds(s: &str) -> Result<Credentials> {
    let (user, pass) = match s.split_once(':') {
        Some((u, p)) => (u.to_string(), p.to_string()),
        None => (s.to_string(), super::login::prompt_password()?),
    };
    if user.is_empty() {
        anyhow::bail!("--creds: the user name is empty");
    }
    Ok(Credentials {
        username: user,
        password: pass,
    })
}

pub fn run(engine: &Engine, args: &PushArgs) -> Result<i32> {
    let mut registry = args.registry.options();
    if let Some(c) = &args.creds {
        registry.credentials = Some(parse_creds(c)?);
    }
    let opts = PushOptions {
        registry,
        format: args.format.map(|f| match f {
            FormatArg::Oci => ManifestFormat::Oci,
            FormatArg::V2s2 => ManifestFormat::V2s2,
        }),
        chunk_size: (args.chunk_size > 0).then_some(args.chunk_size),
    };
    let progress = Progress::new(args.quiet);
    if let Some(t) = args
        .destination
        .as_deref()
        .and_then(crate::engine::transport::Transport::parse)
    {
        crate::engine::transport::push_to(engine, &args.image, &t)?;
        return Ok(0);
    }
    progress.say("Getting image source signatures");
    let pushed = push(
        engine,
        &args.image,
        args.destination.as_deref(),
        &opts,
        &progress,
    )?;
    if let Some(f) = &args.digestfile {
        std::fs::write(f, pushed.digest.to_string())
            .with_context(|| format!("writing the digest file {}", f.display()))?;
    }
    Ok(0)
}

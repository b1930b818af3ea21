//! `skiff pull`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::output::emit;
use super::progress::Progress;
use crate::engine::pull::{pull, PullOptions};
use crate::engine::Engine;
use crate::oci::{Platform, Reference};
use crate::registry::RegistryOptions;

/// Options shared by commands that talk to registries.
#[derive(Debug, Clone, Args)]
pub struct RegistryArgs {
    /// Require HTTPS and verify certificates (plain HTTP is used for loopback registries)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)
    #[arg(long, value_name = "FILE")]
    pub authfile: Option<PathBuf>,
}

impl RegistryArgs {
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            tls_verify: self.tls_verify,
            auth_file: self.authfile.clone(),
            auth_files: Default::default(),
            credentials: None,
        }
    }
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Image to pull, e.g. busybox, quay.io/org/app:1.0, localhost:5000/x@sha256:…,
    /// or a local oci:DIR, oci-archive:FILE or docker-archive:FILE
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    /// Pull the image for this platform (os/arch[/variant]) instead of the host's
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<Platform>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(engine: &Engine, args: &PullArgs) -> Result<i32> {
    let progress = Progress::new(args.quiet);
    if let Some(t) = crate::engine::transport::Transport::parse(&args.image) {
        progress.say(&format!("Loading {}...", args.image));
        for l in crate::engine::transport::pull_from(engine, &t)? {
            for n in &l.names {
                progress.say(&format!("Loaded image: {n}"));
            }
            emit(&format!("{}\n", l.id.hex()))?;
        }
        return Ok(0);
    }
    let reference: Reference = args.image.parse()?;
    progress.say(&format!("Trying to pull {reference}..."));
    let opts = PullOptions {
        platform: args.platform.clone(),
        registry: args.registry.options(),
    };
    let record = pull(engine, &reference, &opts, &progress)?;
    emit(&format!("{}\n", record.id.hex()))?;
    Ok(0)
}

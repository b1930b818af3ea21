//! `images`, `image …`, `inspect`, `tag`, `rmi`.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::format::Format;
use super::humanize;
use super::output::{emit, print_inspect, print_listing, Listing};
use crate::engine::images::{self as ops, ImageSummary, Removal};
use crate::engine::{inspect as inspect_op, now_secs, Engine};

#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Show all images (skiff keeps no intermediate images, so this is the default list)
    #[arg(short, long)]
    pub all: bool,
    /// Show image digests
    #[arg(long)]
    pub digests: bool,
    /// Pretty-print with a Go template, `json`, or `table …`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Do not truncate image ids
    #[arg(long)]
    pub no_trunc: bool,
    /// Do not print column headings
    #[arg(short = 'n', long)]
    pub noheading: bool,
    /// Show only image ids
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// List images in local storage
    #[command(visible_alias = "list")]
    Ls(ImagesArgs),
    /// Pull an image from a registry
    Pull(super::pull::PullArgs),
    /// Push an image to a registry
    Push(super::push::PushArgs),
    /// Display the configuration of an image
    Inspect(InspectArgs),
    /// Remove one or more images from local storage
    Rm(RmiArgs),
    /// Add an additional name to a local image
    Tag(TagArgs),
    /// Remove unused images
    Prune(PruneArgs),
    /// Save images to an archive (docker-archive, oci-archive or oci-dir)
    Save(super::archive_cmds::SaveArgs),
    /// Load images from a docker-archive or oci-archive (gzip-compressed or not)
    Load(super::archive_cmds::LoadArgs),
    /// Create an image from a tarball (a file, a URL or stdin)
    Import(super::archive_cmds::ImportArgs),
}

impl ImageCommand {
    pub fn needs_userns(&self) -> bool {
        matches!(
            self,
            ImageCommand::Pull(_)
                | ImageCommand::Rm(_)
                | ImageCommand::Prune(_)
                | ImageCommand::Load(_)
                | ImageCommand::Import(_)
        )
    }
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Images to inspect (name or id)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Format the output with a Go template or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Image to name
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// New names
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RmiArgs {
    /// Images to remove (name or id)
    #[arg(required_unless_present = "all", value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Remove every image
    #[arg(short, long)]
    pub all: bool,
    /// Remove the image even when it has several names
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove all images not used by containers, not only unnamed ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn run_image(engine: &Engine, cmd: ImageCommand) -> Result<i32> {
    match cmd {
        ImageCommand::Ls(a) => list(engine, &a),
        ImageCommand::Pull(a) => super::pull::run(engine, &a),
        ImageCommand::Push(a) => super::push::run(engine, &a),
        ImageCommand::Inspect(a) => inspect(engine, &a),
        ImageCommand::Rm(a) => rmi(engine, &a),
        ImageCommand::Tag(a) => tag(engine, &a),
        ImageCommand::Prune(a) => prune(engine, &a),
        ImageCommand::Save(a) => super::archive_cmds::save(engine, &a),
        ImageCommand::Load(a) => super::archive_cmds::load(engine, &a),
        ImageCommand::Import(a) => super::archive_cmds::import(engine, &a),
    }
}

fn header_of(field: &str) -> Option<String> {
    let h = match field {
        "ID" | "Id" => "IMAGE ID",
        "CreatedSince" => "CREATED",
        "CreatedAt" => "CREATED AT",
        _ => return None,
    };
    Some(h.to_string())
}

fn row(s: &ImageSummary, no_trunc: bool) -> Value {
    let created = s.created().and_then(humanize::parse_rfc3339).unwrap_or(0);
    let age = (now_secs() as i64 - created).max(0) as u64;
    let (repo, tag) = match &s.name {
        Some(n) => (n.repository(), n.tag().unwrap_or("<none>").to_string()),
        None => ("<none>".to_string(), "<none>".to_string()),
    };
    let id = if no_trunc {
        s.record.id.to_string()
    } else {
        s.record.id.short().to_string()
    };
    json!({
        "ID": id,
        "Id": s.record.id.hex(),
        "Repository": repo,
        "Tag": tag,
        "Digest": s.record.manifest.to_string(),
        "CreatedSince": humanize::ago(age),
        "CreatedAt": humanize::timestamp(created),
        "Created": created,
        "Size": humanize::size(s.record.size()),
        "Names": s.names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
    })
}

/// Podman's `images --format json` entry (one per image).
fn json_entry(s: &ImageSummary) -> Value {
    let created = s.created().and_then(humanize::parse_rfc3339).unwrap_or(0);
    let names: Vec<String> = s.names.iter().map(|n| n.to_string()).collect();
    json!({
        "Id": s.record.id.hex(),
        "ParentId": "",
        "RepoTags": names,
        "RepoDigests": s.record.repo_digests,
        "Size": s.record.size(),
        "SharedSize": 0,
        "VirtualSize": s.record.size(),
        "Labels": s.config.config.as_ref().and_then(|c| c.labels.as_ref()),
        "Containers": 0,
        "Names": names,
        "Digest": s.record.manifest.to_string(),
        "History": names,
        "Created": created,
        "CreatedAt": humanize::timestamp(created),
    })
}

pub fn list(engine: &Engine, args: &ImagesArgs) -> Result<i32> {
    let summaries = ops::list(engine)?;
    if args.quiet {
        let mut seen = Vec::new();
        for s in &summaries {
            let id = if args.no_trunc {
                s.record.id.to_string()
            } else {
                s.record.id.short().to_string()
            };
            if !seen.contains(&id) {
                seen.push(id);
            }
        }
        return emit(&seen.iter().map(|i| format!("{i}\n")).collect::<String>()).map(|()| 0);
    }
    let format = Format::parse(args.format.as_deref())?;
    let rows: Vec<Value> = summaries.iter().map(|s| row(s, args.no_trunc)).collect();
    let mut unique: Vec<&ImageSummary> = Vec::new();
    for s in &summaries {
        if !unique.iter().any(|u| u.record.id == s.record.id) {
            unique.push(s);
        }
    }
    let json = Value::Array(unique.iter().map(|s| json_entry(s)).collect());
    let table = if args.digests {
        "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    } else {
        "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    };
    let default_table = table.strip_prefix("table ").unwrap_or(table);
    print_listing(
        &format,
        &Listing {
            rows: &rows,
            json: &json,
            default_table,
            headers: &header_of,
            no_heading: args.noheading,
        },
    )?;
    Ok(0)
}

pub fn inspect(engine: &Engine, args: &InspectArgs) -> Result<i32> {
    let format = Format::parse(args.format.as_deref())?;
    let mut items = Vec::new();
    for image in &args.images {
        items.push(serde_json::to_value(inspect_op::inspect(engine, image)?)?);
    }
    print_inspect(&format, &items)?;
    Ok(0)
}

pub fn tag(engine: &Engine, args: &TagArgs) -> Result<i32> {
    for t in &args.targets {
        ops::tag(engine, &args.image, t)?;
    }
    Ok(0)
}

pub fn rmi(engine: &Engine, args: &RmiArgs) -> Result<i32> {
    let targets: Vec<String> = if args.all {
        engine
            .store
            .list_images()?
            .iter()
            .map(|r| r.id.hex().to_string())
            .collect()
    } else {
        args.images.clone()
    };
    let mut code = 0;
    for image in &targets {
        match ops::remove(engine, image, args.force || args.all) {
            Ok(done) => {
                for r in done {
                    match r {
                        Removal::Untagged(n) => emit(&format!("Untagged: {n}\n"))?,
                        Removal::Deleted(d) => emit(&format!("Deleted: {}\n", d.hex()))?,
                    }
                }
            }
            Err(e) => {
                eprintln!("Error: {e}");
                // Podman's codes: 1 no such image, 2 image in use or conflict, 125 other.
                code = code.max(super::exit::item_code(&e));
            }
        }
    }
    ops::collect_garbage(engine)?;
    Ok(code)
}

pub fn prune(engine: &Engine, args: &PruneArgs) -> Result<i32> {
    let warning = if args.all {
        "This command removes all images without at least one container associated with them."
    } else {
        "This command removes all dangling images."
    };
    if !super::confirm_prune(args.force, "image prune", warning)? {
        return Ok(0);
    }
    for id in ops::prune(engine, args.all)? {
        emit(&format!("{}\n", id.hex()))?;
    }
    Ok(0)
}

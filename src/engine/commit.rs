//! `commit` (a container's changes as a new image), `history` (an image's
//! history entries with their layers) and the `--change` instructions of
//! `commit` and `import`. The image being made is [`super::draft`]'s.

use serde_json::{json, Value};

use super::draft::{layer_from_upper, Draft};
use super::{Engine, EngineError};
use crate::dockerfile::ast::Instruction;
use crate::oci::Digest;
use crate::store::ImageRecord;

/// One `--change` of `commit` or `import`: a Dockerfile config instruction,
/// written `INSTR args` or (as Podman also takes it) `INSTR=args`.
pub fn parse_change(change: &str) -> Result<Instruction, EngineError> {
    let text = change.trim();
    let keyword_end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let text = match text[keyword_end..].strip_prefix('=') {
        Some(rest) => format!("{} {rest}", &text[..keyword_end]),
        None => text.to_string(),
    };
    if text[..keyword_end].eq_ignore_ascii_case("FROM") {
        return Err(not_config(change));
    }
    crate::dockerfile::parse_trigger(&text, 1).map_err(|e| EngineError::BadChange {
        change: change.to_string(),
        reason: e.kind.to_string(),
    })
}

fn not_config(change: &str) -> EngineError {
    EngineError::NotConfigChange(change.to_string())
}

/// Apply `--change` instructions to `draft`'s config, expanded with its Env as
/// Docker does; anything but a config instruction is refused.
pub fn apply_changes(draft: &mut Draft, changes: &[Instruction]) -> Result<(), EngineError> {
    for change in changes {
        let env = draft.run_config().env().to_vec();
        let lookup = |n: &str| super::draft::config::get_env(&env, n).map(str::to_string);
        let ex = |w: &str| {
            crate::dockerfile::expand::expand_word(w, '\\', &lookup).map_err(|e| e.to_string())
        };
        let applied = super::draft::config::apply(draft, &change.kind, &ex).map_err(|e| {
            EngineError::BadChange {
                change: change.original.clone(),
                reason: e.to_string(),
            }
        })?;
        if !applied {
            return Err(not_config(&change.original));
        }
    }
    Ok(())
}

/// What `commit` was asked besides the container.
pub struct CommitOptions {
    /// `--change` instructions, parsed.
    pub changes: Vec<Instruction>,
    pub message: Option<String>,
    pub author: Option<String>,
}

/// `commit`: the container's changes as a new layer over its image.
pub fn commit_container(
    engine: &Engine,
    query: &str,
    opts: &CommitOptions,
) -> Result<ImageRecord, EngineError> {
    let view = super::containers::find(engine, query)?;
    let record = &view.record;
    let image = engine
        .store
        .get_image(&record.image)?
        .ok_or_else(|| EngineError::ImageNotKnown(record.image_name.clone()))?;
    let mut draft = Draft::from_image(engine, &image)?;
    let dir = crate::container::Containers::new(engine.store.root())?.dir_of(&record.id);
    if dir.join("work/.skiff-copied").exists() {
        return Err(EngineError::CopiedRootfs(record.name.clone()));
    }
    let _lock = engine.store.lock_shared()?;
    let lower = draft.layer_dirs(engine);
    let upper = dir.join("upper");
    let layer = if upper.is_dir() {
        layer_from_upper(engine, &upper, &lower)?
    } else {
        None
    };
    carry_container_config(&mut draft, &record.config);
    apply_changes(&mut draft, &opts.changes)?;
    if let Some(a) = &opts.author {
        draft.config.set_author(a);
    }
    draft.add(
        layer,
        &record.config.args.join(" "),
        opts.message.as_deref(),
    );
    draft.save(engine)
}

/// The container's config over its image's, as Podman's and Docker's `commit`:
/// its command, entrypoint, environment, working dir, user and stop signal
/// replace the image's; its labels, published ports and anonymous volumes are
/// added to the image's.
fn carry_container_config(draft: &mut Draft, c: &crate::container::RunConfig) {
    let cfg = draft.run_config();
    let list = |v: &[String]| (!v.is_empty()).then(|| v.to_vec());
    cfg.set_cmd(list(&c.cmd));
    cfg.set_entrypoint(list(&c.entrypoint));
    cfg.set_env(c.env.clone());
    cfg.set_working_dir(c.workdir.clone());
    cfg.set_user(c.user.clone());
    if let Some(s) = &c.stop_signal {
        cfg.set_stop_signal(s.clone());
    }
    if !c.labels.is_empty() {
        let labels = cfg.labels_mut();
        labels.extend(c.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if !c.ports.is_empty() {
        let ports = cfg.exposed_ports_mut();
        ports.extend(c.ports.iter().map(|p| (p.container_key(), json!({}))));
    }
    let anonymous: Vec<(String, Value)> = c
        .mounts
        .iter()
        .filter_map(|m| match m {
            crate::container::MountRecord::Volume { name, dest, .. }
                if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Some((dest.clone(), json!({})))
            }
            _ => None,
        })
        .collect();
    if !anonymous.is_empty() {
        cfg.volumes_mut().extend(anonymous);
    }
}

/// One row of `history`, newest first.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// The image id for the top row, else `None` (`<missing>`).
    pub id: Option<Digest>,
    /// Unix seconds.
    pub created: i64,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
    pub empty_layer: bool,
}

/// `history`: the image's history entries matched with its layers.
pub fn history(engine: &Engine, input: &str) -> Result<Vec<HistoryRow>, EngineError> {
    let found = super::resolve::resolve(engine, input)?;
    let config = super::images::load_config(engine, &found.record)?;
    let mut layers = found.record.layers.iter();
    let mut rows = Vec::new();
    for h in config.history() {
        let empty = h.empty_layer.unwrap_or(false);
        let size = if empty {
            0
        } else {
            layers.next().map_or(0, |l| l.size)
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        rows.push(HistoryRow {
            id: None,
            created: crate::oci::time::parse_rfc3339(&text(&h.created)).unwrap_or(0),
            created_by: text(&h.created_by),
            size,
            comment: text(&h.comment),
            empty_layer: empty,
        });
    }
    // Layers without history entries (images made by tools that write none).
    for l in layers {
        rows.push(HistoryRow {
            id: None,
            created: 0,
            created_by: String::new(),
            size: l.size,
            comment: String::new(),
            empty_layer: false,
        });
    }
    rows.reverse();
    if let Some(top) = rows.first_mut() {
        top.id = Some(found.record.id.clone());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_parse_with_or_without_an_equals_sign() {
        assert!(parse_change("ENV A=1").is_ok());
        assert!(parse_change("CMD=[\"sh\"]").is_ok());
        assert!(parse_change("label a=b").is_ok());
    }

    #[test]
    fn from_is_refused_as_not_a_config_instruction() {
        let e = parse_change("FROM busybox").unwrap_err().to_string();
        assert!(e.contains("only config instructions"), "{e}");
        assert!(!e.contains("ONBUILD"), "{e}");
    }
}

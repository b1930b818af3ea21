//! Finding a local image from what the user typed: a full or short id, `sha256:…`,
//! `name@digest`, or a name. A short name (`hello`) matches the same path on any
//! registry, preferring `docker.io` then `localhost`, as Podman's short-name lookup does.

use super::{Engine, EngineError};
use crate::oci::{Digest, Reference};
use crate::store::ImageRecord;

/// A local image and the name it was found by, if any.
pub struct Found {
    pub record: ImageRecord,
    pub name: Option<Reference>,
}

/// Whether `s` could be an image id or id prefix.
fn id_prefix(s: &str) -> Option<&str> {
    let hex = s.strip_prefix("sha256:").unwrap_or(s);
    let ok = hex.len() >= 3
        && hex.len() <= 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then_some(hex)
}

/// Resolve `input` to a local image.
pub fn resolve(engine: &Engine, input: &str) -> Result<Found, EngineError> {
    let store = &engine.store;
    if let Some(hex) = id_prefix(input) {
        let matches: Vec<ImageRecord> = store
            .list_images()?
            .into_iter()
            .filter(|r| r.id.hex().starts_with(hex))
            .collect();
        match matches.len() {
            1 => {
                return Ok(Found {
                    record: matches
                        .into_iter()
                        .next()
                        .ok_or_else(|| EngineError::ImageNotKnown(input.into()))?,
                    name: None,
                })
            }
            0 if input.starts_with("sha256:") || hex.len() == 64 => {
                return Err(EngineError::ImageNotKnown(input.into()))
            }
            0 => {}
            n => {
                return Err(EngineError::Ambiguous {
                    name: input.into(),
                    count: n,
                })
            }
        }
    }
    let reference: Reference = input.parse()?;
    if let Some(d) = reference.digest() {
        return by_digest(engine, &reference, d)
            .ok_or_else(|| EngineError::ImageNotKnown(input.into()));
    }
    let names = store.list_names()?;
    let candidates: Vec<&(Reference, Digest)> = if let Some(hit) =
        names.iter().find(|(n, _)| n == &reference)
    {
        vec![hit]
    } else if reference.is_short() {
        names
            .iter()
            .filter(|(n, _)| {
                n.tag() == reference.tag()
                    && (n.path() == reference.path() || n.short_path() == reference.short_path())
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut ids: Vec<&Digest> = candidates.iter().map(|(_, id)| id).collect();
    ids.sort();
    ids.dedup();
    let preferred = candidates
        .iter()
        .find(|(n, _)| n.domain() == "localhost")
        .or(candidates.first());
    match (ids.len(), preferred) {
        (1, Some((name, id))) => {
            let record = store
                .get_image(id)?
                .ok_or_else(|| EngineError::ImageNotKnown(input.into()))?;
            Ok(Found {
                record,
                name: Some(name.clone()),
            })
        }
        (0, _) | (_, None) => Err(EngineError::ImageNotKnown(input.into())),
        (n, _) => Err(EngineError::Ambiguous {
            name: input.into(),
            count: n,
        }),
    }
}

fn by_digest(engine: &Engine, reference: &Reference, digest: &Digest) -> Option<Found> {
    let want = format!("{}@{digest}", reference.repository());
    let images = engine.store.list_images().ok()?;
    let record = images
        .iter()
        .find(|r| r.repo_digests.contains(&want))
        .or_else(|| {
            images
                .iter()
                .find(|r| &r.manifest == digest || r.index.as_ref() == Some(digest))
        })?;
    Some(Found {
        record: record.clone(),
        name: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_ids() {
        assert_eq!(id_prefix("abc123"), Some("abc123"));
        assert_eq!(id_prefix("sha256:abc"), Some("abc"));
        assert_eq!(id_prefix("busybox"), None);
        assert_eq!(id_prefix("ab"), None);
    }
}

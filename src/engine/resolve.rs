//! Finding a local image from what the user typed: a full or short id, `sha256:…`,
//! `name@digest`, or a name. A short name (`hello`) matches the same path on any
//! registry, preferring `localhost` then `docker.io`, as Podman's short-name lookup does.

use super::{Engine, EngineError};
use crate::oci::{Digest, Reference};
use crate::store::ImageRecord;

/// A local image and the name it was found by, if any.
pub struct Found {
    pub record: ImageRecord,
    pub name: Option<Reference>,
    /// Other names a short name also matched, of other images (a real
    /// ambiguity: `name` was picked, and the caller should say so).
    pub also: Vec<Reference>,
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
                    also: Vec::new(),
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
    let (hit, others) = if reference.is_short() {
        short_name(&names, &reference)
    } else {
        (names.iter().find(|(n, _)| n == &reference), Vec::new())
    };
    let Some((name, id)) = hit else {
        return Err(EngineError::ImageNotKnown(input.into()));
    };
    let record = store
        .get_image(id)?
        .ok_or_else(|| EngineError::ImageNotKnown(input.into()))?;
    Ok(Found {
        record,
        name: Some(name.clone()),
        also: others,
    })
}

/// A short name among the local names, as Podman looks it up: `localhost/NAME`
/// first, then the search registry (`docker.io`), then any registry with that
/// path. Several of those naming different
/// images is a real ambiguity: the first by name is picked and the others are
/// returned, so the caller can say which was used.
fn short_name<'a>(
    names: &'a [(Reference, Digest)],
    reference: &Reference,
) -> (Option<&'a (Reference, Digest)>, Vec<Reference>) {
    let mut candidates: Vec<&(Reference, Digest)> = names
        .iter()
        .filter(|(n, _)| {
            n.tag() == reference.tag()
                && (n.path() == reference.path() || n.short_path() == reference.short_path())
        })
        .collect();
    let preferred = candidates
        .iter()
        .find(|(n, _)| n.domain() == "localhost")
        .or_else(|| {
            candidates
                .iter()
                .find(|(n, _)| n.repository() == reference.repository())
        });
    if let Some(hit) = preferred {
        return (Some(hit), Vec::new());
    }
    candidates.sort_by_key(|(n, _)| n.to_string());
    let Some(first) = candidates.first().copied() else {
        return (None, Vec::new());
    };
    let others = candidates
        .iter()
        .filter(|(_, id)| id != &first.1)
        .map(|(n, _)| n.clone())
        .collect();
    (Some(first), others)
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
        also: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, &str)]) -> Vec<(Reference, Digest)> {
        list.iter()
            .map(|(n, id)| {
                let d: Digest = format!("sha256:{}", id.repeat(64)).parse().unwrap();
                (n.parse().unwrap(), d)
            })
            .collect()
    }

    #[test]
    fn short_names_prefer_localhost_then_docker_io() {
        let foo: Reference = "foo".parse().unwrap();
        let n = names(&[("127.0.0.1:5000/foo", "a"), ("localhost/foo", "b")]);
        let (hit, also) = short_name(&n, &foo);
        assert_eq!(hit.unwrap().0.to_string(), "localhost/foo:latest");
        assert!(also.is_empty());
        let n = names(&[("quay.io/foo", "a"), ("docker.io/library/foo", "b")]);
        let (hit, also) = short_name(&n, &foo);
        assert_eq!(hit.unwrap().0.to_string(), "docker.io/library/foo:latest");
        assert!(also.is_empty());
        // only other registries, two images: one picked, the other named
        let n = names(&[("quay.io/foo", "a"), ("127.0.0.1:5000/foo", "b")]);
        let (hit, also) = short_name(&n, &foo);
        assert_eq!(hit.unwrap().0.to_string(), "127.0.0.1:5000/foo:latest");
        assert_eq!(also.len(), 1);
        // the same image under two names is no ambiguity
        let n = names(&[("quay.io/foo", "a"), ("127.0.0.1:5000/foo", "a")]);
        assert!(short_name(&n, &foo).1.is_empty());
    }

    #[test]
    fn recognises_ids() {
        assert_eq!(id_prefix("abc123"), Some("abc123"));
        assert_eq!(id_prefix("sha256:abc"), Some("abc"));
        assert_eq!(id_prefix("busybox"), None);
        assert_eq!(id_prefix("ab"), None);
    }
}

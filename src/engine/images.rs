//! Local image management: list, tag, remove, prune.

use super::resolve::{resolve, Found};
use super::{Engine, EngineError};
use crate::oci::{Digest, ImageConfig, Ordered, Reference};
use crate::store::ImageRecord;

/// One row of `images`: an image under one of its names (or none).
#[derive(Debug, Clone)]
pub struct ImageSummary {
    pub record: ImageRecord,
    pub name: Option<Reference>,
    /// Every name of the image.
    pub names: Vec<Reference>,
    pub config: Ordered<ImageConfig>,
}

impl ImageSummary {
    /// The config's `created` time, if any (RFC 3339).
    pub fn created(&self) -> Option<&str> {
        self.config.created.as_deref()
    }
}

/// The image's config from the store, parsed.
pub fn load_config(
    engine: &Engine,
    record: &ImageRecord,
) -> Result<Ordered<ImageConfig>, EngineError> {
    let bytes = engine.store.read_blob(&record.id)?;
    Ordered::<ImageConfig>::parse(&bytes).map_err(|e| EngineError::BadConfig {
        digest: record.id.clone(),
        reason: e.to_string(),
    })
}

/// Every image, one entry per name (an unnamed image once), newest first.
pub fn list(engine: &Engine) -> Result<Vec<ImageSummary>, EngineError> {
    let names = engine.store.list_names()?;
    let mut out = Vec::new();
    for record in engine.store.list_images()? {
        let config = load_config(engine, &record)?;
        let mine: Vec<Reference> = names
            .iter()
            .filter(|(_, id)| id == &record.id)
            .map(|(n, _)| n.clone())
            .collect();
        let rows: Vec<Option<Reference>> = if mine.is_empty() {
            vec![None]
        } else {
            mine.iter().cloned().map(Some).collect()
        };
        for name in rows {
            out.push(ImageSummary {
                record: record.clone(),
                name,
                names: mine.clone(),
                config: config.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.created().cmp(&a.created()).then_with(|| {
            a.name
                .as_ref()
                .map(|n| n.to_string())
                .cmp(&b.name.as_ref().map(|n| n.to_string()))
        })
    });
    Ok(out)
}

/// Every name of one image.
pub fn names_of(engine: &Engine, id: &Digest) -> Result<Vec<Reference>, EngineError> {
    Ok(engine
        .store
        .list_names()?
        .into_iter()
        .filter(|(_, i)| i == id)
        .map(|(n, _)| n)
        .collect())
}

/// `tag SOURCE TARGET`: give an image another name.
pub fn tag(engine: &Engine, source: &str, target: &str) -> Result<Reference, EngineError> {
    let found = resolve(engine, source)?;
    let target = super::local_name(target)?;
    engine.store.set_name(&target, &found.record.id)?;
    Ok(target)
}

/// What `rmi` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    Untagged(Reference),
    Deleted(Digest),
}

/// `rmi`: remove a name, and the image when no name is left (or with `force`).
pub fn remove(engine: &Engine, input: &str, force: bool) -> Result<Vec<Removal>, EngineError> {
    let Found { record, name, .. } = resolve(engine, input)?;
    let names = names_of(engine, &record.id)?;
    let mut done = Vec::new();
    match name {
        Some(n) if names.len() > 1 && !force => {
            engine.store.remove_name(&n)?;
            return Ok(vec![Removal::Untagged(n)]);
        }
        None if names.len() > 1 && !force => {
            return Err(EngineError::ManyNames {
                id: record.id.short().to_string(),
                names: names
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        _ => {}
    }
    let users = crate::container::Containers::new(engine.store.root())
        .map(|c| c.using_image(&record.id))
        .unwrap_or_default();
    if let (false, Some(first)) = (force, users.first()) {
        return Err(EngineError::ImageInUse {
            id: record.id.short().to_string(),
            container: first.clone(),
        });
    }
    for n in names {
        engine.store.remove_name(&n)?;
        done.push(Removal::Untagged(n));
    }
    // As Docker does: an image a container still uses loses its names, not its layers.
    if users.is_empty() {
        engine.store.remove_image(&record.id)?;
        done.push(Removal::Deleted(record.id));
    }
    Ok(done)
}

/// Remove unnamed images (all images with `all`), then collect garbage.
pub fn prune(engine: &Engine, all: bool) -> Result<Vec<Digest>, EngineError> {
    let names = engine.store.list_names()?;
    let mut removed = Vec::new();
    for record in engine.store.list_images()? {
        let named: Vec<&Reference> = names
            .iter()
            .filter(|(_, id)| id == &record.id)
            .map(|(n, _)| n)
            .collect();
        if named.is_empty() || all {
            for n in named {
                engine.store.remove_name(n)?;
            }
            engine.store.remove_image(&record.id)?;
            removed.push(record.id);
        }
    }
    collect_garbage(engine)?;
    Ok(removed)
}

/// Remove blobs and layers no image needs, under the exclusive store lock.
pub fn collect_garbage(engine: &Engine) -> Result<(), EngineError> {
    let _lock = engine.store.lock_exclusive()?;
    engine.store.collect_garbage()?;
    engine.store.sweep();
    Ok(())
}

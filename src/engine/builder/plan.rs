//! A planned COPY/ADD layer: its digest for the cache key, writing it as a layer,
//! or laying it out as a plain tree (`RUN --mount=type=bind,from=…`).

use sha2::{Digest as _, Sha256};

use std::path::{Path, PathBuf};

use super::copy::{Data, Plan, Source, Target};
use crate::archive::writer::EntryKind;
use crate::dockerfile::ast::Copy;
use crate::engine::EngineError;
use crate::oci::Digest;

impl Plan {
    /// Digest over every entry's path, type, mode, owner, link and content.
    pub fn digest(&self) -> Result<Digest, String> {
        let mut h = Sha256::new();
        for (path, (e, data)) in &self.entries {
            let kind = format!("{:?}", e.kind);
            for part in [path.as_bytes(), kind.as_bytes()] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
            h.update(e.mode.to_le_bytes());
            h.update(e.uid.to_le_bytes());
            h.update(e.gid.to_le_bytes());
            let content = match data {
                Data::None => Digest::of(b""),
                Data::Bytes(b) => Digest::of(b),
                Data::Host(p) if matches!(e.kind, EntryKind::File { .. }) => {
                    let mut f =
                        std::fs::File::open(p).map_err(|err| format!("{}: {err}", p.display()))?;
                    let mut fh = Sha256::new();
                    std::io::copy(&mut f, &mut fh)
                        .map_err(|err| format!("{}: {err}", p.display()))?;
                    Digest::from_hasher(fh)
                }
                Data::Host(_) => Digest::of(b""),
            };
            h.update(content.hex().as_bytes());
        }
        Ok(Digest::from_hasher(h))
    }

    /// Write the planned entries into the layer; the number written.
    pub fn write<W: std::io::Write>(
        &self,
        tar: &mut crate::archive::writer::LayerTar<W>,
    ) -> Result<u64, EngineError> {
        let werr = |path: &str, e: std::io::Error| {
            EngineError::from(crate::archive::writer::WriteError::Write {
                path: path.to_string(),
                source: e,
            })
        };
        for (path, (e, data)) in &self.entries {
            match data {
                Data::Host(p) if matches!(e.kind, EntryKind::File { .. }) => {
                    crate::archive::writer::append_file(tar, e, p)?;
                }
                Data::Bytes(b) => tar
                    .append(e, Some(&mut b.as_slice()))
                    .map_err(|x| werr(path, x))?,
                _ => tar.append(e, None).map_err(|x| werr(path, x))?,
            }
        }
        Ok(self.entries.len() as u64)
    }
}

/// Lay out `src` of an image (layer dirs, top first) as a plain tree in `dir`
/// (for `RUN --mount=type=bind,from=…`).
pub fn materialize(
    engine: &crate::engine::Engine,
    layers: Vec<PathBuf>,
    src: &str,
    dir: &Path,
) -> Result<(), String> {
    let c = Copy {
        sources: vec![src.to_string()],
        dest: "/".into(),
        ..Copy::default()
    };
    let target = Target {
        layers: &[],
        workdir: "/",
    };
    let plan = super::copy::plan(&c, false, &c.sources, "/", &Source::Layers(layers), &target)?;
    let mut tar = crate::archive::writer::LayerTar::new(Vec::new());
    plan.write(&mut tar).map_err(|e| e.to_string())?;
    let bytes = tar.finish().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let opts = crate::archive::UnpackOptions {
        ids: engine.id_policy(),
    };
    crate::archive::unpack_layer(bytes.as_slice(), dir, &opts).map_err(|e| e.to_string())?;
    Ok(())
}

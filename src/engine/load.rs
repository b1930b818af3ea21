//! `load`: images from a docker-archive or an oci-archive (gzip- or
//! zstd-compressed or not, from a file or a pipe) into the store.
//!
//! One pass over the input spools every file of the archive into the store's temp
//! space through a [`crate::store::BlobWriter`] (hashed as it is written), so
//! nothing but the JSON documents is held in memory. Then, before anything is
//! committed: every blob's digest is checked (an OCI `blobs/sha256/<hex>` file
//! against its name, every descriptor against its blob, a docker-archive config
//! against its file name), and every layer is decompressed, hashed and unpacked
//! into a temp layer dir and its diff id checked against the config. Only when
//! all images of the archive check out are layers, blobs, records and last the
//! names committed, each by the store's temp + rename path; a truncated or
//! tampered archive leaves the store as it was.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{json, Value};

use super::pull::{decompressed, layer_size, unpack_layer_stream, UnpackedLayer};
use super::save::REF_NAME;
use super::{now_secs, Engine, EngineError};
use crate::archive::{Kind, TarReader};
use crate::oci::manifest::{Index, Manifest};
use crate::oci::media::{self, Compression};
use crate::oci::{Digest, HashingReader, Platform, Reference};
use crate::oci::{ImageConfig, Ordered};
use crate::store::{BlobWriter, ImageRecord, LayerRecord};

/// Largest JSON document read from an archive.
const MAX_JSON: u64 = 64 << 20;
const CHUNK: usize = 256 * 1024;

/// One image that was loaded.
pub struct Loaded {
    pub id: Digest,
    pub names: Vec<Reference>,
}

fn bad(msg: impl Into<String>) -> EngineError {
    EngineError::BadArchive(msg.into())
}

/// A file of the archive, in temp space.
struct Spooled {
    writer: Option<BlobWriter>,
    path: PathBuf,
    digest: Digest,
    size: u64,
}

/// Every file of the archive by its normalised path, and links between them.
struct Spool {
    files: HashMap<String, Spooled>,
    links: HashMap<String, String>,
}

impl Spool {
    fn get(&self, name: &str) -> Result<&Spooled, EngineError> {
        let mut key = normalise(name);
        for _ in 0..16 {
            if let Some(f) = self.files.get(&key) {
                return Ok(f);
            }
            match self.links.get(&key) {
                Some(t) => key = t.clone(),
                None => break,
            }
        }
        Err(bad(format!("{name} is missing from the archive")))
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<(T, Vec<u8>), EngineError> {
        let f = self.get(name)?;
        if f.size > MAX_JSON {
            return Err(bad(format!("{name} is too large ({} bytes)", f.size)));
        }
        let bytes = std::fs::read(&f.path).map_err(|source| EngineError::CopyFile {
            path: f.path.clone(),
            source,
        })?;
        let v = serde_json::from_slice(&bytes).map_err(|e| bad(format!("{name}: {e}")))?;
        Ok((v, bytes))
    }

    /// Commit a spooled file as the blob `digest` (once; later calls are no-ops).
    fn commit(&mut self, engine: &Engine, name: &str, digest: &Digest) -> Result<(), EngineError> {
        if engine.store.has_blob(digest) {
            return Ok(());
        }
        let key = self.get(name).map(|f| f.path.clone())?;
        let file = self
            .files
            .values_mut()
            .find(|f| f.path == key)
            .ok_or_else(|| bad(format!("{name} is missing from the archive")))?;
        if let Some(w) = file.writer.take() {
            w.commit(&engine.store, digest, Some(file.size))?;
        }
        Ok(())
    }
}

/// `a/./b/../c` -> `a/c`, no leading `/` or `./`.
fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

/// Read the whole archive into temp space.
fn spool<R: Read>(engine: &Engine, input: R) -> Result<Spool, EngineError> {
    let read_err = |e: crate::archive::ArchiveError| bad(format!("reading the archive: {e}"));
    let input = decompressed(input, None).map_err(|e| bad(format!("reading the archive: {e}")))?;
    let mut tar = TarReader::new(input);
    let mut spool = Spool {
        files: HashMap::new(),
        links: HashMap::new(),
    };
    let mut buf = vec![0u8; CHUNK];
    while let Some(entry) = tar.next_entry().map_err(read_err)? {
        let name = normalise(&String::from_utf8_lossy(&entry.path));
        match entry.kind {
            Kind::File => {}
            Kind::Symlink => {
                let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                let target = normalise(&format!("{dir}/{}", String::from_utf8_lossy(&entry.link)));
                spool.links.insert(name, target);
                continue;
            }
            Kind::Hardlink => {
                let target = normalise(&String::from_utf8_lossy(&entry.link));
                spool.links.insert(name, target);
                continue;
            }
            _ => continue,
        }
        let mut w = engine.store.blob_writer()?;
        loop {
            let n = tar.read_data(&mut buf).map_err(read_err)?;
            if n == 0 {
                break;
            }
            std::io::Write::write_all(&mut w, &buf[..n]).map_err(|source| {
                EngineError::CopyFile {
                    path: w.path().to_path_buf(),
                    source,
                }
            })?;
        }
        let digest = w.digest();
        if let Some(hex) = name.strip_prefix("blobs/sha256/") {
            if digest.hex() != hex {
                return Err(bad(format!(
                    "{name} does not match its digest (its content is {digest})"
                )));
            }
        }
        spool.files.insert(
            name,
            Spooled {
                path: w.path().to_path_buf(),
                size: w.count(),
                digest,
                writer: Some(w),
            },
        );
    }
    tar.drain().map_err(read_err)?;
    Ok(spool)
}

/// A layer of an image to load.
struct LayerPlan {
    file: String,
    blob: Digest,
    size: u64,
    media_type: String,
    diff_id: Digest,
    uncompressed: u64,
}

/// An image to load, checked.
struct Plan {
    config_file: String,
    config: Digest,
    config_size: u64,
    /// The manifest file in the archive, or a synthesized manifest.
    manifest: ManifestSource,
    layers: Vec<LayerPlan>,
    names: Vec<Reference>,
}

enum ManifestSource {
    File(String, Digest, String),
    Made(Vec<u8>, String),
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// Load every image of the archive read from `input`.
pub fn load<R: Read>(engine: &Engine, input: R) -> Result<Vec<Loaded>, EngineError> {
    let _lock = engine.store.lock_shared()?;
    let mut spool = spool(engine, input)?;
    let plans = if spool.files.contains_key("manifest.json") {
        docker_plans(&spool)?
    } else if spool.files.contains_key("index.json") {
        oci_plans(&spool)?
    } else {
        return Err(bad(
            "neither manifest.json (docker-archive) nor index.json (oci-archive) in the archive",
        ));
    };
    if plans.is_empty() {
        return Err(bad("the archive holds no image"));
    }
    let mut pending: HashMap<Digest, UnpackedLayer> = HashMap::new();
    let mut verified: HashMap<Digest, u64> = HashMap::new();
    let mut plans = plans;
    for plan in &mut plans {
        check_config(&spool, plan)?;
        for layer in &mut plan.layers {
            match verified.get(&layer.blob) {
                Some(size) => layer.uncompressed = *size,
                None => {
                    verify_layer(engine, &spool, layer, &mut pending)?;
                    verified.insert(layer.blob.clone(), layer.uncompressed);
                }
            }
        }
    }
    // Everything checked: commit.
    for (diff_id, layer) in pending {
        engine.store.commit_layer(&layer.tmp_dir, &diff_id)?;
    }
    plans
        .into_iter()
        .map(|p| commit(engine, &mut spool, p))
        .collect()
}

/// The config's digest (checked against a hex file name) and diff ids.
fn check_config(spool: &Spool, plan: &mut Plan) -> Result<(), EngineError> {
    let f = spool.get(&plan.config_file)?;
    if plan.config != f.digest {
        return Err(bad(format!(
            "config {} does not match its digest {} (its content is {})",
            plan.config_file, plan.config, f.digest
        )));
    }
    if plan.config_size != f.size {
        return Err(bad(format!(
            "config {} has {} bytes, its descriptor says {}",
            plan.config_file, f.size, plan.config_size
        )));
    }
    let (head, _): (Ordered<ImageConfig>, _) = spool.json(&plan.config_file)?;
    let diff_ids = head
        .diff_ids()
        .ok_or_else(|| bad(format!("{}: {}", plan.config_file, super::pull::NO_ROOTFS)))?;
    if diff_ids.len() != plan.layers.len() {
        return Err(EngineError::LayerCountMismatch {
            layers: plan.layers.len(),
            diff_ids: diff_ids.len(),
        });
    }
    for (l, d) in plan.layers.iter_mut().zip(diff_ids) {
        l.diff_id = d.clone();
    }
    Ok(())
}

/// Check a layer's blob and diff id; unpack it into temp space when the store
/// does not have it.
fn verify_layer(
    engine: &Engine,
    spool: &Spool,
    layer: &mut LayerPlan,
    pending: &mut HashMap<Digest, UnpackedLayer>,
) -> Result<(), EngineError> {
    let f = spool.get(&layer.file)?;
    if f.digest != layer.blob || f.size != layer.size {
        return Err(bad(format!(
            "layer {} does not match its descriptor {} ({} bytes; the file has {}, {} bytes)",
            layer.file, layer.blob, layer.size, f.digest, f.size
        )));
    }
    let compression = media::layer_compression(&layer.media_type);
    let open = || {
        std::fs::File::open(&f.path).map_err(|source| EngineError::CopyFile {
            path: f.path.clone(),
            source,
        })
    };
    let known = pending
        .get(&layer.diff_id)
        .map(|p| p.size)
        .or_else(|| layer_size(engine, &layer.diff_id));
    if let Some(size) = known {
        layer.uncompressed = size;
        if layer.blob == layer.diff_id {
            return Ok(());
        }
        let stream_err = |e: std::io::Error| EngineError::LayerStream {
            digest: layer.blob.clone(),
            reason: e.to_string(),
        };
        let mut h = HashingReader::new(decompressed(open()?, compression).map_err(stream_err)?);
        std::io::copy(&mut h, &mut std::io::sink()).map_err(stream_err)?;
        let (actual, _) = h.finish();
        if actual != layer.diff_id {
            return Err(EngineError::DiffIdMismatch {
                digest: layer.blob.clone(),
                expected: layer.diff_id.clone(),
                actual,
            });
        }
        return Ok(());
    }
    let unpacked = unpack_layer_stream(
        engine,
        open()?,
        compression,
        &layer.blob,
        Some(&layer.diff_id),
    )?;
    layer.uncompressed = unpacked.size;
    pending.insert(unpacked.diff_id.clone(), unpacked);
    Ok(())
}

fn commit(engine: &Engine, spool: &mut Spool, plan: Plan) -> Result<Loaded, EngineError> {
    let store = &engine.store;
    for l in &plan.layers {
        spool.commit(engine, &l.file, &l.blob)?;
    }
    spool.commit(engine, &plan.config_file, &plan.config)?;
    let (manifest, media_type) = match plan.manifest {
        ManifestSource::File(name, digest, media_type) => {
            spool.commit(engine, &name, &digest)?;
            (digest, media_type)
        }
        ManifestSource::Made(bytes, media_type) => (store.put_blob(&bytes)?, media_type),
    };
    let record = ImageRecord {
        id: plan.config.clone(),
        manifest,
        manifest_media_type: media_type,
        index: None,
        config_size: plan.config_size,
        layers: plan
            .layers
            .iter()
            .map(|l| LayerRecord {
                diff_id: l.diff_id.clone(),
                blob: l.blob.clone(),
                media_type: l.media_type.clone(),
                compressed_size: l.size,
                size: l.uncompressed,
            })
            .collect(),
        repo_digests: Vec::new(),
        added: now_secs(),
    };
    let record = store.put_image_merged(record)?;
    for n in &plan.names {
        store.set_name(n, &record.id)?;
    }
    Ok(Loaded {
        id: record.id,
        names: plan.names,
    })
}

/// Images of a docker-archive (`manifest.json`).
fn docker_plans(spool: &Spool) -> Result<Vec<Plan>, EngineError> {
    let (entries, _): (Vec<DockerEntry>, _) = spool.json("manifest.json")?;
    let mut plans = Vec::new();
    for e in entries {
        let config = spool.get(&e.config)?;
        let base = e.config.rsplit('/').next().unwrap_or(&e.config);
        let stem = base.strip_suffix(".json").unwrap_or(base);
        let config_digest = match Digest::from_hex(stem) {
            Ok(d) => d,
            Err(_) => config.digest.clone(),
        };
        let mut layers = Vec::new();
        let mut zstd = false;
        for l in &e.layers {
            let f = spool.get(l)?;
            let head = read_head(f)?;
            let media_type = match media::sniff_compression(&head) {
                Compression::None => media::DOCKER_LAYER_TAR,
                Compression::Gzip => media::DOCKER_LAYER_GZIP,
                Compression::Zstd => {
                    zstd = true;
                    media::OCI_LAYER_ZSTD
                }
            };
            layers.push(LayerPlan {
                file: l.clone(),
                blob: f.digest.clone(),
                size: f.size,
                media_type: media_type.to_string(),
                diff_id: f.digest.clone(),
                uncompressed: 0,
            });
        }
        let manifest = docker_manifest(&config_digest, config.size, &layers, zstd);
        let mut names = Vec::new();
        for t in e.repo_tags.unwrap_or_default() {
            let r: Reference = t
                .parse()
                .map_err(|err| bad(format!("RepoTags {t:?}: {err}")))?;
            names.extend(super::tagged(&r));
        }
        plans.push(Plan {
            config_file: e.config.clone(),
            config: config_digest,
            config_size: config.size,
            manifest,
            layers,
            names,
        });
    }
    Ok(plans)
}

fn read_head(f: &Spooled) -> Result<Vec<u8>, EngineError> {
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(&f.path)
        .and_then(|file| file.take(8).read_to_end(&mut head))
        .map_err(|source| EngineError::CopyFile {
            path: f.path.clone(),
            source,
        })?;
    Ok(head)
}

/// A schema 2 manifest for a docker-archive image (OCI when a layer is zstd).
fn docker_manifest(config: &Digest, size: u64, layers: &[LayerPlan], oci: bool) -> ManifestSource {
    let (mt, ct) = if oci {
        (media::OCI_MANIFEST, media::OCI_CONFIG)
    } else {
        (media::DOCKER_MANIFEST, media::DOCKER_CONFIG)
    };
    let layer_type = |t: &str| match (oci, t) {
        (true, media::DOCKER_LAYER_TAR) => media::OCI_LAYER_TAR.to_string(),
        (true, media::DOCKER_LAYER_GZIP) => media::OCI_LAYER_GZIP.to_string(),
        _ => t.to_string(),
    };
    let m = json!({
        "schemaVersion": 2,
        "mediaType": mt,
        "config": { "mediaType": ct, "size": size, "digest": config.to_string() },
        "layers": layers.iter().map(|l| json!({
            "mediaType": layer_type(&l.media_type),
            "size": l.size,
            "digest": l.blob.to_string(),
        })).collect::<Vec<_>>(),
    });
    ManifestSource::Made(serde_json::to_vec(&m).unwrap_or_default(), mt.to_string())
}

/// Images of an oci-archive (`index.json`); a nested index gives the host's image.
fn oci_plans(spool: &Spool) -> Result<Vec<Plan>, EngineError> {
    let (index, _): (Value, _) = spool.json("index.json")?;
    let descs = index["manifests"]
        .as_array()
        .ok_or_else(|| bad("index.json has no manifests"))?;
    let mut plans: Vec<Plan> = Vec::new();
    for d in descs {
        let mut digest: Digest = serde_json::from_value(d["digest"].clone())
            .map_err(|e| bad(format!("index.json: {e}")))?;
        let mut media_type = d["mediaType"].as_str().unwrap_or("").to_string();
        let name = d["annotations"][REF_NAME].as_str().and_then(ref_name);
        if media::is_index(&media_type) {
            let (_, bytes): (Value, _) = spool.json(&blob_file(&digest))?;
            let idx = Index::parse(&bytes)?;
            let chosen = idx.select(&Platform::host())?;
            digest = chosen.digest.clone();
            media_type = chosen.media_type.clone();
        }
        if let Some(p) = plans.iter_mut().find(|p| match &p.manifest {
            ManifestSource::File(_, m, _) => *m == digest,
            ManifestSource::Made(..) => false,
        }) {
            p.names.extend(name);
            continue;
        }
        let (_, bytes): (Value, _) = spool.json(&blob_file(&digest))?;
        let m = Manifest::parse(&bytes)?;
        let media_type = m.media_type.clone().unwrap_or(media_type);
        let layers = m
            .layers
            .iter()
            .map(|l| {
                if media::layer_compression(&l.media_type).is_none() {
                    return Err(EngineError::UnsupportedLayer(l.media_type.clone()));
                }
                Ok(LayerPlan {
                    file: blob_file(&l.digest),
                    blob: l.digest.clone(),
                    size: l.size,
                    media_type: l.media_type.clone(),
                    diff_id: l.digest.clone(),
                    uncompressed: 0,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        plans.push(Plan {
            config_file: blob_file(&m.config.digest),
            config: m.config.digest.clone(),
            config_size: m.config.size,
            manifest: ManifestSource::File(blob_file(&digest), digest, media_type),
            layers,
            names: name.into_iter().collect(),
        });
    }
    Ok(plans)
}

fn blob_file(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

/// An index entry's `ref.name` as an image name when it is a full reference; a
/// bare tag (as `oci:DIR:TAG` writes it) names no image.
fn ref_name(s: &str) -> Option<Reference> {
    let r: Reference = if s.contains('/') || s.contains(':') {
        s.parse().ok()?
    } else {
        return None;
    };
    super::tagged(&r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_paths() {
        assert_eq!(normalise("./a/./b/../c"), "a/c");
        assert_eq!(normalise("/manifest.json"), "manifest.json");
        assert_eq!(normalise("abc/../../x"), "x");
    }

    #[test]
    fn ref_names() {
        assert_eq!(
            ref_name("localhost/x:1").map(|r| r.to_string()),
            Some("localhost/x:1".to_string())
        );
        assert!(ref_name("latest").is_none());
    }

    fn engine(dir: &std::path::Path) -> Engine {
        let store = crate::store::Store::open(&dir.join("root"), &dir.join("run")).unwrap();
        let e = Engine::new(store, crate::sys::userns::MapKind::SingleId);
        e.seed_if_new().unwrap();
        e
    }

    fn saved(format: crate::engine::save::SaveFormat) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        let names = ["localhost/hello".to_string()];
        crate::engine::save::save_archive(&e, &names, format, Vec::new()).unwrap()
    }

    fn listing(e: &Engine) -> (Vec<Digest>, Vec<Digest>) {
        let mut blobs = e.store.list_blobs().unwrap();
        blobs.sort();
        let mut ids: Vec<Digest> = e
            .store
            .list_images()
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        (blobs, ids)
    }

    #[test]
    fn round_trips_and_refuses_tampering() {
        use crate::engine::save::SaveFormat;
        if std::env::consts::ARCH != "x86_64" {
            return;
        }
        for format in [SaveFormat::DockerArchive, SaveFormat::OciArchive] {
            let archive = saved(format);
            let dir = tempfile::tempdir().unwrap();
            let e = engine(dir.path());
            // an empty store: remove the seeded image's record and name
            let hello: Reference = "localhost/hello:latest".parse().unwrap();
            let id = e.store.get_name(&hello).unwrap().unwrap();
            e.store.remove_name(&hello).unwrap();
            e.store.remove_image(&id).unwrap();
            let before = listing(&e);
            for cut in [archive.len() / 2, 700, 3] {
                let err = load(&e, &archive[..cut]).err().unwrap();
                assert!(matches!(err, EngineError::BadArchive(_)), "{cut}: {err}");
                assert_eq!(listing(&e), before, "store changed by a truncated archive");
            }
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, &archive).unwrap();
            let loaded = load(&e, gz.finish().unwrap().as_slice()).unwrap();
            assert_eq!(loaded.len(), 1);
            assert_eq!(loaded[0].id, id);
            assert_eq!(loaded[0].names, vec![hello.clone()]);
            assert_eq!(e.store.get_name(&hello).unwrap(), Some(id.clone()));
        }
    }
}

//! Converting an image manifest between OCI and Docker schema 2 for push: only
//! media types change (and OCI-only fields are dropped for schema 2); configs and
//! layers keep their bytes, so every blob digest stays the same.
//!
//! Invariant: a manifest already in the target format is returned byte for byte, so
//! pushing it keeps the digest it was pulled with.

use serde_json::{Map, Value};

use super::media;

/// The manifest format to push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestFormat {
    Oci,
    V2s2,
}

impl ManifestFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ManifestFormat::Oci => media::OCI_MANIFEST,
            ManifestFormat::V2s2 => media::DOCKER_MANIFEST,
        }
    }
}

/// Why a manifest cannot be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("malformed manifest: {0}")]
    Malformed(String),
    #[error("layer {digest} is {media_type}, which Docker schema 2 cannot describe: push with --format oci")]
    NotInV2s2 { digest: String, media_type: String },
    #[error("unsupported {what} media type {media_type:?} for --format {format}")]
    Unsupported {
        what: &'static str,
        media_type: String,
        format: &'static str,
    },
}

impl ConvertError {
    /// Always [`ErrorKind::InvalidArgument`](crate::error_kind::ErrorKind): the
    /// manifest or the format asked for does not allow the conversion.
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        crate::error_kind::ErrorKind::InvalidArgument
    }
}

/// The layer media type in `to`, or `None` when `to` cannot describe the layer.
fn layer_type(media_type: &str, to: ManifestFormat) -> Option<&'static str> {
    use media::*;
    match (to, media_type) {
        (ManifestFormat::V2s2, OCI_LAYER_GZIP | DOCKER_LAYER_GZIP) => Some(DOCKER_LAYER_GZIP),
        (ManifestFormat::V2s2, OCI_LAYER_TAR | DOCKER_LAYER_TAR) => Some(DOCKER_LAYER_TAR),
        (ManifestFormat::V2s2, OCI_LAYER_NONDIST_GZIP | DOCKER_LAYER_FOREIGN) => {
            Some(DOCKER_LAYER_FOREIGN)
        }
        (ManifestFormat::Oci, OCI_LAYER_GZIP | DOCKER_LAYER_GZIP) => Some(OCI_LAYER_GZIP),
        (ManifestFormat::Oci, OCI_LAYER_TAR | DOCKER_LAYER_TAR) => Some(OCI_LAYER_TAR),
        (ManifestFormat::Oci, OCI_LAYER_NONDIST_GZIP | DOCKER_LAYER_FOREIGN) => {
            Some(OCI_LAYER_NONDIST_GZIP)
        }
        (ManifestFormat::Oci, OCI_LAYER_ZSTD) => Some(OCI_LAYER_ZSTD),
        _ => None,
    }
}

/// Whether every layer of `bytes` can be described in `to`.
pub fn fits(bytes: &[u8], to: ManifestFormat) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    v.get("layers").and_then(Value::as_array).is_some_and(|ls| {
        ls.iter().all(|l| {
            l.get("mediaType")
                .and_then(Value::as_str)
                .is_some_and(|m| layer_type(m, to).is_some())
        })
    })
}

/// `bytes` (a manifest of type `from`) as a manifest in format `to`.
pub fn convert(bytes: &[u8], from: &str, to: ManifestFormat) -> Result<Vec<u8>, ConvertError> {
    if from == to.media_type() {
        return Ok(bytes.to_vec());
    }
    let format = match to {
        ManifestFormat::Oci => "oci",
        ManifestFormat::V2s2 => "v2s2",
    };
    let mut doc: Map<String, Value> =
        serde_json::from_slice(bytes).map_err(|e| ConvertError::Malformed(e.to_string()))?;
    doc.insert("mediaType".into(), Value::from(to.media_type()));
    if to == ManifestFormat::V2s2 {
        for k in ["annotations", "artifactType", "subject"] {
            doc.remove(k);
        }
    }
    let config = doc
        .get_mut("config")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| ConvertError::Malformed("no config descriptor".into()))?;
    let config_type = config
        .get("mediaType")
        .and_then(Value::as_str)
        .unwrap_or("");
    if config_type != media::OCI_CONFIG && config_type != media::DOCKER_CONFIG {
        return Err(ConvertError::Unsupported {
            what: "config",
            media_type: config_type.to_string(),
            format,
        });
    }
    let new_config = match to {
        ManifestFormat::Oci => media::OCI_CONFIG,
        ManifestFormat::V2s2 => media::DOCKER_CONFIG,
    };
    config.insert("mediaType".into(), Value::from(new_config));
    strip_descriptor(config, to);
    let layers = doc
        .get_mut("layers")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| ConvertError::Malformed("no layers".into()))?;
    for layer in layers.iter_mut().filter_map(Value::as_object_mut) {
        let mt = layer.get("mediaType").and_then(Value::as_str).unwrap_or("");
        let new = match layer_type(mt, to) {
            Some(t) => t,
            None if to == ManifestFormat::V2s2 && mt.contains("zstd") => {
                return Err(ConvertError::NotInV2s2 {
                    digest: text(layer, "digest"),
                    media_type: mt.to_string(),
                })
            }
            None => {
                return Err(ConvertError::Unsupported {
                    what: "layer",
                    media_type: mt.to_string(),
                    format,
                })
            }
        };
        layer.insert("mediaType".into(), Value::from(new));
        strip_descriptor(layer, to);
    }
    serde_json::to_vec(&doc).map_err(|e| ConvertError::Malformed(e.to_string()))
}

fn text(m: &Map<String, Value>, k: &str) -> String {
    m.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Drop descriptor fields schema 2 does not have.
fn strip_descriptor(d: &mut Map<String, Value>, to: ManifestFormat) {
    if to == ManifestFormat::V2s2 {
        for k in ["annotations", "artifactType", "data"] {
            d.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OCI: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aa","size":1},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:bb","size":2,"annotations":{"x":"y"}}],"annotations":{"a":"b"}}"#;

    #[test]
    fn oci_to_v2s2_and_back() {
        let v = convert(OCI.as_bytes(), media::OCI_MANIFEST, ManifestFormat::V2s2).unwrap();
        let j: Value = serde_json::from_slice(&v).unwrap();
        assert_eq!(j["mediaType"], media::DOCKER_MANIFEST);
        assert_eq!(j["config"]["mediaType"], media::DOCKER_CONFIG);
        assert_eq!(j["layers"][0]["mediaType"], media::DOCKER_LAYER_GZIP);
        assert_eq!(j["layers"][0]["digest"], "sha256:bb");
        assert!(j.get("annotations").is_none() && j["layers"][0].get("annotations").is_none());
        let o = convert(&v, media::DOCKER_MANIFEST, ManifestFormat::Oci).unwrap();
        let j: Value = serde_json::from_slice(&o).unwrap();
        assert_eq!(j["mediaType"], media::OCI_MANIFEST);
        assert_eq!(j["config"]["mediaType"], media::OCI_CONFIG);
        assert_eq!(j["layers"][0]["mediaType"], media::OCI_LAYER_GZIP);
    }

    #[test]
    fn same_format_is_byte_identical() {
        let b = OCI.as_bytes();
        assert_eq!(
            convert(b, media::OCI_MANIFEST, ManifestFormat::Oci).unwrap(),
            b
        );
    }

    #[test]
    fn zstd_cannot_be_v2s2() {
        let z = OCI.replace("tar+gzip", "tar+zstd");
        assert!(!fits(z.as_bytes(), ManifestFormat::V2s2));
        assert!(fits(z.as_bytes(), ManifestFormat::Oci));
        let e = convert(z.as_bytes(), media::OCI_MANIFEST, ManifestFormat::V2s2).unwrap_err();
        assert!(e.to_string().contains("--format oci"), "{e}");
    }
}

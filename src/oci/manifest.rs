//! Manifests, indexes and descriptors (OCI and Docker schema2 share the shape), and
//! choosing a platform's manifest from an index. Parsing only; the registry and the
//! store supply the bytes.

use serde::{Deserialize, Serialize};

use super::{media, Digest, Platform};

/// Errors from reading manifests.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("malformed {what}: {source}")]
    Malformed {
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("unsupported manifest schema version {0} (only schema 2 is supported)")]
    SchemaVersion(u32),
    #[error("no image for platform {wanted} in the manifest list (it has: {available})")]
    NoPlatform { wanted: String, available: String },
    #[error("unsupported manifest media type {0:?}")]
    UnsupportedType(String),
}

impl ManifestError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind)).
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            ManifestError::NoPlatform { .. } => ErrorKind::NotFound,
            ManifestError::Malformed { .. }
            | ManifestError::SchemaVersion(_)
            | ManifestError::UnsupportedType(_) => ErrorKind::InvalidArgument,
        }
    }
}

/// A content descriptor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<DescriptorPlatform>,
}

/// The platform of an index entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DescriptorPlatform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// An image manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

/// An index or manifest list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Index {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    pub manifests: Vec<Descriptor>,
}

impl Manifest {
    pub fn parse(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        let m: Manifest =
            serde_json::from_slice(bytes).map_err(|source| ManifestError::Malformed {
                what: "manifest",
                source,
            })?;
        if m.schema_version != 2 {
            return Err(ManifestError::SchemaVersion(m.schema_version));
        }
        Ok(m)
    }
}

impl Index {
    pub fn parse(bytes: &[u8]) -> Result<Index, ManifestError> {
        let i: Index =
            serde_json::from_slice(bytes).map_err(|source| ManifestError::Malformed {
                what: "manifest list",
                source,
            })?;
        if i.schema_version != 2 {
            return Err(ManifestError::SchemaVersion(i.schema_version));
        }
        Ok(i)
    }

    /// The manifest for `platform`: an exact variant match first, then any variant.
    pub fn select(&self, platform: &Platform) -> Result<&Descriptor, ManifestError> {
        let candidates = || {
            self.manifests
                .iter()
                .filter(|d| !media::is_index(&d.media_type))
                .filter_map(|d| d.platform.as_ref().map(|p| (d, p)))
        };
        let exact = candidates().find(|(_, p)| {
            p.os == platform.os
                && p.architecture == platform.architecture
                && p.variant == platform.variant
        });
        let loose = || {
            candidates()
                .find(|(_, p)| platform.matches(&p.os, &p.architecture, p.variant.as_deref()))
        };
        match exact.or_else(loose) {
            Some((d, _)) => Ok(d),
            None => Err(ManifestError::NoPlatform {
                wanted: platform.to_string(),
                available: candidates()
                    .map(|(_, p)| match &p.variant {
                        Some(v) => format!("{}/{}/{v}", p.os, p.architecture),
                        None => format!("{}/{}", p.os, p.architecture),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

/// What kind of document `bytes` with `media_type` is: true for an index.
/// Falls back to the JSON's own `mediaType` or shape when the type is generic.
pub fn looks_like_index(media_type: &str, bytes: &[u8]) -> bool {
    if media::is_index(media_type) {
        return true;
    }
    if media_type == media::OCI_MANIFEST || media_type == media::DOCKER_MANIFEST {
        return false;
    }
    serde_json::from_slice::<serde_json::Value>(bytes)
        .map(|v| v.get("manifests").is_some())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const D2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    #[test]
    fn selects_platform() {
        let json = format!(
            r#"{{"schemaVersion":2,"manifests":[
            {{"mediaType":"{}","digest":"{D1}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}},
            {{"mediaType":"{}","digest":"{D2}","size":1,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#,
            media::OCI_MANIFEST,
            media::OCI_MANIFEST
        );
        let idx = Index::parse(json.as_bytes()).unwrap();
        let amd: Platform = "linux/amd64".parse().unwrap();
        let arm: Platform = "linux/arm64".parse().unwrap();
        assert_eq!(idx.select(&amd).unwrap().digest.to_string(), D1);
        assert_eq!(idx.select(&arm).unwrap().digest.to_string(), D2);
        let err = idx
            .select(&"linux/s390x".parse().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("linux/amd64, linux/arm64/v8"), "{err}");
        assert!(looks_like_index("application/json", json.as_bytes()));
    }

    #[test]
    fn refuses_bad_manifest() {
        assert!(Manifest::parse(b"{}").is_err());
        let bad = br#"{"schemaVersion":2,"config":{"digest":"sha256:zz","size":1},"layers":[]}"#;
        assert!(Manifest::parse(bad).is_err());
    }
}

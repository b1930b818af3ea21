//! `Reference`: an image reference parsed and normalised as Docker does.
//!
//! `busybox` is `docker.io/library/busybox:latest`; the first component is a registry
//! host when it contains `.` or `:` or is `localhost`; `name@sha256:…` pins a digest.
//! Invariant: every field of a parsed `Reference` has passed validation, so a
//! `Reference` can be printed back and parsed again to the same value.

use std::fmt;
use std::str::FromStr;

use super::digest::Digest;

/// The registry that names without a host resolve to.
pub const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_PREFIX: &str = "library";
const MAX_NAME_LEN: usize = 255;

/// Errors from parsing an image reference.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("invalid reference format: empty image name")]
    Empty,
    #[error("invalid reference format {0:?}: repository name must be lowercase")]
    Uppercase(String),
    #[error("invalid reference format {0:?}: bad repository name component {1:?}")]
    BadComponent(String, String),
    #[error("invalid reference format {0:?}: bad registry host {1:?}")]
    BadDomain(String, String),
    #[error("invalid reference format {0:?}: bad tag {1:?}")]
    BadTag(String, String),
    #[error("invalid reference format {0:?}: bad digest: {1}")]
    BadDigest(String, super::digest::DigestError),
    #[error("invalid reference format {0:?}: repository name longer than 255 characters")]
    TooLong(String),
}

impl ReferenceError {
    /// Always [`ErrorKind::InvalidArgument`](crate::error_kind::ErrorKind): a
    /// reference is input.
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        crate::error_kind::ErrorKind::InvalidArgument
    }
}

/// A parsed image reference: `domain/path[:tag][@digest]`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<Digest>,
    /// True when the text the user typed named no registry host.
    short: bool,
}

impl Reference {
    /// Registry host as written in the name (`docker.io`, `localhost:5000`, …).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Repository path within the registry (`library/busybox`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, if one was given or implied (`latest` when neither tag nor digest).
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The pinned digest, if any.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// True when the user gave no registry host (so local lookups may also try other
    /// registries, as Podman's short-name handling does).
    pub fn is_short(&self) -> bool {
        self.short
    }

    /// `domain/path`, the repository name.
    pub fn repository(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The same repository with another tag and no digest.
    pub fn with_tag(&self, tag: &str) -> Result<Reference, ReferenceError> {
        validate_tag(&self.to_string(), tag)?;
        Ok(Reference {
            tag: Some(tag.to_string()),
            digest: None,
            ..self.clone()
        })
    }

    /// The same reference moved to another registry host (`localhost/hello`).
    pub fn with_domain(&self, domain: &str) -> Reference {
        let path = match self.path.strip_prefix("library/") {
            Some(p) if self.domain == DEFAULT_DOMAIN && domain != DEFAULT_DOMAIN => p.to_string(),
            _ => self.path.clone(),
        };
        Reference {
            domain: domain.to_string(),
            path,
            short: false,
            ..self.clone()
        }
    }

    /// The path as the user wrote it for a short name (`busybox`, not `library/busybox`).
    pub fn short_path(&self) -> &str {
        if self.domain == DEFAULT_DOMAIN {
            self.path.strip_prefix("library/").unwrap_or(&self.path)
        } else {
            &self.path
        }
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() {
            return Err(ReferenceError::Empty);
        }
        let (rest, digest) = match s.split_once('@') {
            Some((name, d)) => (
                name,
                Some(
                    d.parse::<Digest>()
                        .map_err(|e| ReferenceError::BadDigest(s.to_string(), e))?,
                ),
            ),
            None => (s, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(t) = tag {
            validate_tag(s, t)?;
        }
        if name.is_empty() {
            return Err(ReferenceError::Empty);
        }
        let (domain, path, short) = split_domain(name);
        if domain != domain.to_ascii_lowercase() && !domain.contains(':') && !domain.contains('.') {
            return Err(ReferenceError::Uppercase(s.to_string()));
        }
        validate_domain(s, &domain)?;
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase(s.to_string()));
        }
        for comp in path.split('/') {
            if !valid_component(comp) {
                return Err(ReferenceError::BadComponent(
                    s.to_string(),
                    comp.to_string(),
                ));
            }
        }
        if domain.len() + 1 + path.len() > MAX_NAME_LEN {
            return Err(ReferenceError::TooLong(s.to_string()));
        }
        let tag = match (tag, &digest) {
            (Some(t), _) => Some(t.to_string()),
            (None, Some(_)) => None,
            (None, None) => Some("latest".to_string()),
        };
        Ok(Reference {
            domain,
            path,
            tag,
            digest,
            short,
        })
    }
}

/// Split `name` into (domain, path, short) following Docker's `splitDockerDomain`.
fn split_domain(name: &str) -> (String, String, bool) {
    let (domain, path, short) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_string(), rest.to_string(), false)
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string(), true),
    };
    let domain = if domain == LEGACY_DEFAULT_DOMAIN {
        DEFAULT_DOMAIN.to_string()
    } else {
        domain
    };
    let path = if domain == DEFAULT_DOMAIN && !path.contains('/') {
        format!("{OFFICIAL_PREFIX}/{path}")
    } else {
        path
    };
    (domain, path, short)
}

/// One path component: `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn validate_domain(full: &str, domain: &str) -> Result<(), ReferenceError> {
    let bad = || ReferenceError::BadDomain(full.to_string(), domain.to_string());
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || domain.starts_with('[') => (h, Some(p)),
        _ => (domain, None),
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
    }
    let host_ok = if host.starts_with('[') && host.ends_with(']') {
        host.len() > 2
            && host[1..host.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
    };
    if host_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

fn validate_tag(full: &str, tag: &str) -> Result<(), ReferenceError> {
    let b = tag.as_bytes();
    let first_ok = b
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    let rest_ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    if first_ok && rest_ok && b.len() <= 128 {
        Ok(())
    } else {
        Err(ReferenceError::BadTag(full.to_string(), tag.to_string()))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.domain, self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        s.parse::<Reference>()
            .map(|r| r.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn normalises_like_docker() {
        assert_eq!(p("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(p("busybox:1.36"), "docker.io/library/busybox:1.36");
        assert_eq!(p("user/app"), "docker.io/user/app:latest");
        assert_eq!(p("index.docker.io/library/x"), "docker.io/library/x:latest");
        assert_eq!(p("localhost/x"), "localhost/x:latest");
        assert_eq!(p("localhost:5000/a/b:v1"), "localhost:5000/a/b:v1");
        assert_eq!(p("127.0.0.1:5000/a"), "127.0.0.1:5000/a:latest");
        assert_eq!(p("quay.io/org/app:1.0-rc_1"), "quay.io/org/app:1.0-rc_1");
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            p(&format!("busybox@{d}")),
            format!("docker.io/library/busybox@{d}")
        );
        assert_eq!(p(&format!("a:t@{d}")), format!("docker.io/library/a:t@{d}"));
        assert!("busybox"
            .parse::<Reference>()
            .map(|r| r.is_short())
            .unwrap_or(false));
        assert!(!"localhost/x"
            .parse::<Reference>()
            .map(|r| r.is_short())
            .unwrap_or(true));
    }

    #[test]
    fn rejects_bad_references() {
        for bad in [
            "",
            "Busybox",
            "a//b",
            "a:",
            "a:-x",
            "-a",
            "a@sha256:12",
            "a b",
            "a/B",
            "host:abc/x",
            ":tag",
        ] {
            assert!(
                bad.parse::<Reference>().is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn short_path_and_domain_moves() {
        let r: Reference = "hello".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.short_path(), "hello");
        assert_eq!(
            r.with_domain("localhost").to_string(),
            "localhost/hello:latest"
        );
    }
}

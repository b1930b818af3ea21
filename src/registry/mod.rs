//! The OCI distribution protocol client: manifests, blobs, uploads, auth, login.
//!
//! One [`Client`] talks to one registry host about one repository. It chooses the
//! scheme (https verified by default; plain http only for loopback hosts or with
//! `--tls-verify=false`), authenticates (anonymous first, then Bearer tokens or Basic
//! credentials from auth.json), retries transient failures, and turns registry error
//! bodies into one-line messages.
//!
//! Invariants:
//! - Bytes returned as a manifest or a small blob have been hashed here: a manifest
//!   fetched by digest, and every [`Client::get_blob`] result, match the digest asked
//!   for; a `Docker-Content-Digest` header that disagrees with the bytes is refused.
//!   Streamed blobs ([`Client::open_blob`]) are verified by the caller.
//! - Credentials and tokens are never sent to another host than the one that asked
//!   for them: redirects to another host (blob CDNs) drop the `Authorization` header.
//! - Nothing here prints; every failure is a [`RegistryError`] naming the step and
//!   the repository or blob involved.

mod auth;
mod client;
mod credentials;
mod login;
pub mod push;
mod request;
#[cfg(test)]
mod tests;
mod tls;

use std::fmt;
use std::path::PathBuf;

use crate::oci::{Digest, Reference};

pub use client::Client;
pub use credentials::{
    get_login, lookup_credentials, remove_all_credentials, remove_credentials, store_credentials,
    AuthFiles, Removed,
};
pub use login::check_login;
pub use push::BlobPush;

/// Largest manifest or index accepted (as containerd and the distribution spec suggest).
pub const MAX_MANIFEST_SIZE: u64 = 4 << 20;
/// Largest blob [`Client::get_blob`] reads into memory (image configs).
pub const MAX_SMALL_BLOB_SIZE: u64 = 16 << 20;

/// How to reach registries, from the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryOptions {
    /// `None`: https verified, except plain http for loopback hosts.
    /// `Some(true)`: always https verified. `Some(false)`: https without certificate
    /// verification, falling back to plain http when the TLS handshake fails.
    pub tls_verify: Option<bool>,
    /// `--authfile`: the only credentials file consulted when set.
    pub auth_file: Option<PathBuf>,
    /// The auth files searched and written without `--authfile`, as the front end
    /// resolved them (the engine fills them in from its `EngineConfig`).
    pub auth_files: AuthFiles,
    /// `--creds` (or `login`'s user and password): used instead of any auth file.
    pub credentials: Option<Credentials>,
}

/// A user name and password. `Debug` does not show the password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// What to fetch a manifest by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestRef {
    Tag(String),
    Digest(Digest),
}

impl ManifestRef {
    /// The digest if `reference` pins one, else its tag (`latest` when none was given).
    pub fn from_reference(reference: &Reference) -> ManifestRef {
        match (reference.digest(), reference.tag()) {
            (Some(d), _) => ManifestRef::Digest(d.clone()),
            (None, Some(t)) => ManifestRef::Tag(t.to_string()),
            (None, None) => ManifestRef::Tag("latest".to_string()),
        }
    }
}

/// Prints as the suffix of a reference: `:tag` or `@sha256:…`.
impl fmt::Display for ManifestRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestRef::Tag(t) => write!(f, ":{t}"),
            ManifestRef::Digest(d) => write!(f, "@{d}"),
        }
    }
}

/// A manifest or index exactly as the registry sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedManifest {
    pub bytes: Vec<u8>,
    /// From `Content-Type`, or the JSON `mediaType` when the header is missing or generic.
    pub media_type: String,
    /// sha256 of `bytes`.
    pub digest: Digest,
}

/// The protocol step that failed, for error messages and for callers that match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Setup,
    Manifest,
    Blob,
    Token,
    PushBlob,
    PushManifest,
    Login,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Setup => "connecting to",
            Step::Manifest => "pulling manifest",
            Step::Blob => "pulling blob",
            Step::Token => "getting a token for",
            Step::PushBlob => "pushing blob",
            Step::PushManifest => "pushing manifest",
            Step::Login => "logging in to",
        })
    }
}

/// Errors from talking to a registry. `target` is the reference being worked on
/// (`localhost:5000/foo:latest`, `docker.io/library/busybox@sha256:…`).
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{step} {target}: authentication failed (HTTP {status}): {detail}")]
    Unauthorized {
        step: Step,
        target: String,
        status: u16,
        detail: String,
    },
    #[error("{step} {target}: registry {host} requires credentials and none were found (log in, or pass --authfile)")]
    CredentialsRequired {
        step: Step,
        target: String,
        host: String,
    },
    #[error("{step} {target}: {detail}")]
    NotFound {
        step: Step,
        target: String,
        detail: String,
    },
    #[error("{step} {target}: digest mismatch: expected {expected}, got {actual}")]
    DigestMismatch {
        step: Step,
        target: String,
        expected: Digest,
        actual: Digest,
    },
    #[error("{step} {target}: larger than the limit of {limit} bytes")]
    TooLarge {
        step: Step,
        target: String,
        limit: u64,
    },
    #[error("{step} {target}: registry answered HTTP {status}: {detail}")]
    Http {
        step: Step,
        target: String,
        status: u16,
        detail: String,
    },
    #[error("{step} {target}: cannot reach {host}: {detail}")]
    Transport {
        step: Step,
        target: String,
        host: String,
        detail: String,
    },
    #[error("{step} {target}: TLS with {host} failed: {detail} (a registry without a trusted certificate needs --tls-verify=false)")]
    Tls {
        step: Step,
        target: String,
        host: String,
        detail: String,
    },
    #[error("{step} {target}: bad authentication challenge from {host}: {reason}")]
    BadChallenge {
        step: Step,
        target: String,
        host: String,
        reason: String,
    },
    #[error("{step} {target}: bad response from {host}: {reason}")]
    BadResponse {
        step: Step,
        target: String,
        host: String,
        reason: String,
    },
    #[error("logging in to {host}: invalid username/password")]
    InvalidCredentials { host: String },
    #[error("{step} {target}: the registry stored it as {actual}, expected {expected}")]
    PushedDigest {
        step: Step,
        target: String,
        expected: Digest,
        actual: String,
    },
    #[error("{step} credentials file {}: {source}", path.display())]
    AuthFileWrite {
        step: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no place to store credentials: $XDG_RUNTIME_DIR and $REGISTRY_AUTH_FILE are unset (pass --authfile)")]
    NoAuthFileLocation,
    #[error("reading credentials file {}: {reason}", path.display())]
    BadCredentials { path: PathBuf, reason: String },
}

impl RegistryError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind)).
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            RegistryError::NotFound { .. } => ErrorKind::NotFound,
            RegistryError::InvalidCredentials { .. }
            | RegistryError::NoAuthFileLocation
            | RegistryError::BadCredentials { .. } => ErrorKind::InvalidArgument,
            RegistryError::Unauthorized { .. }
            | RegistryError::CredentialsRequired { .. }
            | RegistryError::DigestMismatch { .. }
            | RegistryError::TooLarge { .. }
            | RegistryError::Http { .. }
            | RegistryError::Transport { .. }
            | RegistryError::Tls { .. }
            | RegistryError::BadChallenge { .. }
            | RegistryError::BadResponse { .. }
            | RegistryError::PushedDigest { .. } => ErrorKind::Unavailable,
            RegistryError::AuthFileWrite { .. } => ErrorKind::Internal,
        }
    }
}

/// The step and target of one operation, to build errors from.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub step: Step,
    pub target: String,
}

impl Ctx {
    pub fn new(step: Step, target: String) -> Ctx {
        Ctx { step, target }
    }

    /// A transport failure; `host` unless the failing URL (after a redirect) says otherwise.
    pub fn transport(&self, host: &str, t: &ureq::Transport) -> RegistryError {
        let url_host = t.url().and_then(|u| {
            let h = u.host_str()?;
            Some(
                u.port()
                    .map_or_else(|| h.to_string(), |p| format!("{h}:{p}")),
            )
        });
        let (step, target, host) = (
            self.step,
            self.target.clone(),
            url_host.unwrap_or_else(|| host.to_string()),
        );
        let detail = transport_detail(t);
        if tls::is_tls_error(t) {
            RegistryError::Tls {
                step,
                target,
                host,
                detail,
            }
        } else {
            RegistryError::Transport {
                step,
                target,
                host,
                detail,
            }
        }
    }

    pub fn bad_response(&self, host: &str, reason: impl Into<String>) -> RegistryError {
        let (step, target, host) = (self.step, self.target.clone(), host.to_string());
        RegistryError::BadResponse {
            step,
            target,
            host,
            reason: reason.into(),
        }
    }

    pub fn bad_challenge(&self, host: &str, reason: impl Into<String>) -> RegistryError {
        let (step, target, host) = (self.step, self.target.clone(), host.to_string());
        RegistryError::BadChallenge {
            step,
            target,
            host,
            reason: reason.into(),
        }
    }

    /// The error for a final non-2xx answer whose body was `body`.
    pub fn status(&self, status: u16, body: &[u8]) -> RegistryError {
        let (step, target) = (self.step, self.target.clone());
        let detail = describe_error_body(status, body);
        match status {
            401 | 403 => RegistryError::Unauthorized {
                step,
                target,
                status,
                detail,
            },
            404 => RegistryError::NotFound {
                step,
                target,
                detail,
            },
            _ => RegistryError::Http {
                step,
                target,
                status,
                detail,
            },
        }
    }
}

/// A one-line description of a transport failure, without the URL.
fn transport_detail(t: &ureq::Transport) -> String {
    let mut s = t
        .message()
        .map_or_else(|| t.kind().to_string(), str::to_string);
    let mut source = std::error::Error::source(t);
    while let Some(e) = source {
        s.push_str(": ");
        s.push_str(&e.to_string());
        source = e.source();
    }
    s
}

/// Turn a registry error body (`{"errors":[{"code":…,"message":…}]}`) into one line;
/// fall back to the first line of a text body, then to the HTTP reason.
pub(crate) fn describe_error_body(status: u16, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    if let Ok(b) = serde_json::from_slice::<Body>(body) {
        let parts: Vec<String> = b
            .errors
            .into_iter()
            .map(|e| match (e.message.trim(), e.code.as_str()) {
                ("", code) => code.to_ascii_lowercase().replace('_', " "),
                (msg, _) => msg.to_string(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        if !parts.is_empty() {
            return one_line(&parts.join("; "));
        }
    }
    let text = String::from_utf8_lossy(body);
    match text.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) if !line.starts_with('{') && !line.starts_with('<') => one_line(line),
        _ => default_reason(status).to_string(),
    }
}

fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

fn default_reason(status: u16) -> &'static str {
    match status {
        401 => "unauthorized",
        403 => "access denied",
        404 => "not found",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "unexpected answer",
    }
}

/// The host to send API requests to for a reference's registry domain.
pub(crate) fn api_host(domain: &str) -> &str {
    if domain == crate::oci::reference::DEFAULT_DOMAIN {
        "registry-1.docker.io"
    } else {
        domain
    }
}

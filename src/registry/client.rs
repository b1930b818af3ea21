//! Requests to one registry repository: scheme choice, retries, the 401 → auth →
//! retry loop, and the manifest and blob endpoints.
//!
//! Invariants:
//! - Plain http is used only for loopback hosts (with `tls_verify` unset) or after an
//!   https handshake failed under `--tls-verify=false`; the first answer fixes the
//!   scheme for the life of the client.
//! - Redirects (blobs to a CDN) are followed by ureq with `RedirectAuthHeaders::SameHost`:
//!   the `Authorization` header survives only a redirect to the same host with the same
//!   or a more secure scheme, so credentials never reach the CDN.
//! - Only transport errors (not TLS) and 429/500/502/503/504 are retried, three times
//!   with 200 ms, 1 s, 2 s pauses. A blob stream that breaks midway is not retried here:
//!   the caller resumes with [`Client::open_blob`] at the offset it reached.

use std::io::{self, Read};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;
use std::time::Duration;

use super::auth::Authenticator;
use super::request::Request;
use super::{
    api_host, tls, Ctx, FetchedManifest, ManifestRef, RegistryError, RegistryOptions, Step,
    MAX_MANIFEST_SIZE, MAX_SMALL_BLOB_SIZE,
};
use crate::oci::media;
use crate::oci::{Digest, Reference};

/// Pauses before each retry.
const BACKOFF: [Duration; 3] = [
    Duration::from_millis(200),
    Duration::from_secs(1),
    Duration::from_secs(2),
];
/// Answers worth retrying.
const RETRY_STATUS: [u16; 5] = [429, 500, 502, 503, 504];
const USER_AGENT: &str = concat!("skiff/", env!("CARGO_PKG_VERSION"));

/// Which scheme to use for a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemePlan {
    Http,
    Https,
    /// https (unverified), then plain http if the TLS handshake fails.
    HttpsThenHttp,
}

/// The scheme for registry `host` (`name[:port]`) under the user's `--tls-verify`.
pub(crate) fn choose_scheme(host: &str, tls_verify: Option<bool>) -> SchemePlan {
    match tls_verify {
        Some(true) => SchemePlan::Https,
        Some(false) => SchemePlan::HttpsThenHttp,
        None if is_loopback(host) => SchemePlan::Http,
        None => SchemePlan::Https,
    }
}

/// True for `localhost`, `127.0.0.0/8` and `[::1]`, with or without a port.
pub(crate) fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, _)) => return ip.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback()),
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

/// Call `f` until it succeeds, fails for good, or the retries in `backoff` run out.
pub(crate) fn with_retries(
    backoff: &[Duration],
    mut f: impl FnMut() -> Result<ureq::Response, Box<ureq::Error>>,
) -> Result<ureq::Response, Box<ureq::Error>> {
    let mut pauses = backoff.iter();
    loop {
        let result = f();
        let retry = match result.as_ref().map_err(|e| &**e) {
            Ok(_) => false,
            Err(ureq::Error::Status(code, _)) => RETRY_STATUS.contains(code),
            Err(ureq::Error::Transport(t)) => is_transient(t),
        };
        match pauses.next() {
            Some(pause) if retry => std::thread::sleep(*pause),
            _ => return result,
        }
    }
}

fn is_transient(t: &ureq::Transport) -> bool {
    use ureq::ErrorKind::*;
    !tls::is_tls_error(t)
        && !matches!(
            t.kind(),
            InvalidUrl | UnknownScheme | InsecureRequestHttpsOnly | BadHeader
        )
}

/// A client for one repository on one registry. `Send + Sync`: share it by reference
/// between download threads; the token cache and scheme choice are behind mutexes.
pub struct Client {
    pub(super) domain: String,
    pub(super) api_host: String,
    pub(super) path: String,
    /// The token scope(s) every request asks for, space separated.
    pub(super) scope: String,
    pub(super) agent: ureq::Agent,
    pub(super) plan: Mutex<SchemePlan>,
    pub(super) auth: Authenticator,
    pub(super) backoff: Vec<Duration>,
}

impl Client {
    /// A client for `reference`'s registry and repository. No network traffic yet.
    pub fn new(reference: &Reference, opts: &RegistryOptions) -> Result<Client, RegistryError> {
        let scope = format!("repository:{}:pull", reference.path());
        Client::with_scope(reference.domain(), reference.path(), opts, scope)
    }

    /// A client that may push to `reference`'s repository and mount blobs from the
    /// repositories `mount_from` (paths on the same registry), so one token
    /// (`repository:<dst>:pull,push repository:<src>:pull …`) covers the whole push.
    pub fn for_push(
        reference: &Reference,
        opts: &RegistryOptions,
        mount_from: &[String],
    ) -> Result<Client, RegistryError> {
        let mut scope = format!("repository:{}:pull,push", reference.path());
        for src in mount_from {
            scope.push_str(&format!(" repository:{src}:pull"));
        }
        Client::with_scope(reference.domain(), reference.path(), opts, scope)
    }

    /// A client for repository `path` on registry `domain`, with token `scope` (space
    /// separated scopes; empty for none, as a login check asks).
    pub(super) fn with_scope(
        domain: &str,
        path: &str,
        opts: &RegistryOptions,
        scope: String,
    ) -> Result<Client, RegistryError> {
        let domain = domain.to_string();
        let api_host = api_host(&domain).to_string();
        let mut builder = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(30))
            .timeout_read(Duration::from_secs(60))
            .user_agent(USER_AGENT)
            .redirects(10)
            .redirect_auth_headers(ureq::RedirectAuthHeaders::SameHost);
        if opts.tls_verify == Some(false) {
            let config = tls::insecure_config().map_err(|e| RegistryError::Tls {
                step: Step::Setup,
                target: format!("{domain}/{path}"),
                host: api_host.clone(),
                detail: e.to_string(),
            })?;
            builder = builder.tls_config(config);
        }
        Ok(Client {
            plan: Mutex::new(choose_scheme(&api_host, opts.tls_verify)),
            scope,
            path: path.to_string(),
            agent: builder.build(),
            auth: Authenticator::new(&domain, opts),
            backoff: BACKOFF.to_vec(),
            domain,
            api_host,
        })
    }

    /// Fetch a manifest or index by tag or digest (see [`FetchedManifest`]). The bytes
    /// must match the digest asked for and any `Docker-Content-Digest`; at most 4 MiB.
    pub fn get_manifest(
        &self,
        tag_or_digest: &ManifestRef,
    ) -> Result<FetchedManifest, RegistryError> {
        let ctx = Ctx::new(
            Step::Manifest,
            format!("{}/{}{}", self.domain, self.path, tag_or_digest),
        );
        let name = match tag_or_digest {
            ManifestRef::Tag(t) => t.clone(),
            ManifestRef::Digest(d) => d.to_string(),
        };
        let accept = media::MANIFEST_ACCEPT.join(", ");
        let resp = self.get(&ctx, &format!("manifests/{name}"), &[("Accept", &accept)])?;
        let content_type = resp.header("content-type").map(str::to_string);
        let sent_digest = resp.header("docker-content-digest").map(str::to_string);
        let len = content_length(&resp);
        let bytes = self.read_limited(&ctx, resp.into_reader(), len, MAX_MANIFEST_SIZE)?;
        let digest = Digest::of(&bytes);
        let mismatch = |expected: &Digest| RegistryError::DigestMismatch {
            step: ctx.step,
            target: ctx.target.clone(),
            expected: expected.clone(),
            actual: digest.clone(),
        };
        if let ManifestRef::Digest(want) = tag_or_digest {
            if *want != digest {
                return Err(mismatch(want));
            }
        }
        // Only sha256 is checkable; a header in another algorithm is not evidence.
        if let Some(sent) = sent_digest.and_then(|s| s.trim().parse::<Digest>().ok()) {
            if sent != digest {
                return Err(mismatch(&sent));
            }
        }
        let media_type = manifest_media_type(content_type.as_deref(), &bytes);
        Ok(FetchedManifest {
            bytes,
            media_type,
            digest,
        })
    }

    /// Open blob `digest` for streaming from byte `offset`. Returns the raw bytes (the
    /// caller verifies digest and size) and how many bytes the reader will yield, when
    /// the registry said (for `offset > 0`, the remaining length, not the total).
    pub fn open_blob(
        &self,
        digest: &Digest,
        offset: u64,
    ) -> Result<(Box<dyn Read + Send>, Option<u64>), RegistryError> {
        let ctx = self.blob_ctx(digest);
        let range = format!("bytes={offset}-");
        let headers: &[(&str, &str)] = if offset > 0 {
            &[("Range", &range)]
        } else {
            &[]
        };
        let resp = self.get(&ctx, &format!("blobs/{digest}"), headers)?;
        let len = content_length(&resp);
        if resp.status() == 206 {
            if let Some(start) = resp.header("content-range").and_then(content_range_start) {
                if start != offset {
                    let why = format!("asked for bytes from {offset}, got a range from {start}");
                    return Err(ctx.bad_response(&self.api_host, why));
                }
            }
            return Ok((Box::new(resp.into_reader()), len));
        }
        let mut reader = resp.into_reader();
        if offset > 0 {
            // The server ignored Range: skip what the caller already has.
            let skipped = io::copy(&mut (&mut reader).take(offset), &mut io::sink())
                .map_err(|e| self.read_error(&ctx, &e))?;
            if skipped != offset {
                let why =
                    format!("blob is {skipped} bytes, shorter than the resume offset {offset}");
                return Err(ctx.bad_response(&self.api_host, why));
            }
        }
        Ok((Box::new(reader), len.map(|l| l.saturating_sub(offset))))
    }

    /// Fetch a small blob (an image config) whole and verify its digest; at most 16 MiB.
    pub fn get_blob(&self, digest: &Digest) -> Result<Vec<u8>, RegistryError> {
        let ctx = self.blob_ctx(digest);
        let (reader, len) = self.open_blob(digest, 0)?;
        let bytes = self.read_limited(&ctx, reader, len, MAX_SMALL_BLOB_SIZE)?;
        let actual = Digest::of(&bytes);
        if actual != *digest {
            let (step, target) = (ctx.step, ctx.target);
            return Err(RegistryError::DigestMismatch {
                step,
                target,
                expected: digest.clone(),
                actual,
            });
        }
        Ok(bytes)
    }

    fn blob_ctx(&self, digest: &Digest) -> Ctx {
        Ctx::new(
            Step::Blob,
            format!("{}/{}@{digest}", self.domain, self.path),
        )
    }

    /// GET `/v2/<path>/<what>`, authenticating once on 401. Returns only 2xx answers.
    fn get(
        &self,
        ctx: &Ctx,
        what: &str,
        headers: &[(&str, &str)],
    ) -> Result<ureq::Response, RegistryError> {
        let path = format!("/v2/{}/{what}", self.path);
        self.call(ctx, &Request::get(&path, headers))
    }

    /// Read all of `reader`, refusing more than `limit` bytes.
    fn read_limited(
        &self,
        ctx: &Ctx,
        reader: impl Read,
        len: Option<u64>,
        limit: u64,
    ) -> Result<Vec<u8>, RegistryError> {
        let too_large = || RegistryError::TooLarge {
            step: ctx.step,
            target: ctx.target.clone(),
            limit,
        };
        if len.is_some_and(|l| l > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.read_error(ctx, &e))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    }

    fn read_error(&self, ctx: &Ctx, e: &io::Error) -> RegistryError {
        let (step, target, host) = (ctx.step, ctx.target.clone(), self.api_host.clone());
        RegistryError::Transport {
            step,
            target,
            host,
            detail: format!("reading the response: {e}"),
        }
    }
}

fn content_length(resp: &ureq::Response) -> Option<u64> {
    resp.header("content-length")
        .and_then(|v| v.trim().parse().ok())
}

/// The first byte position of a `Content-Range: bytes <start>-<end>/<total>` header.
fn content_range_start(v: &str) -> Option<u64> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    rest.split('-').next()?.trim().parse().ok()
}

/// The manifest's media type: `Content-Type` unless missing or generic, else the JSON
/// `mediaType`, else a guess from the JSON shape (`manifests` means an index).
pub(crate) fn manifest_media_type(content_type: Option<&str>, bytes: &[u8]) -> String {
    let header = content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    let generic = [
        "",
        "application/json",
        "text/plain",
        "application/octet-stream",
    ];
    if let Some(h) = header.filter(|h| !generic.contains(&h.as_str())) {
        return h;
    }
    #[derive(serde::Deserialize)]
    struct Shape {
        #[serde(rename = "mediaType")]
        media_type: Option<String>,
        manifests: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Shape>(bytes) {
        Ok(Shape {
            media_type: Some(m),
            ..
        }) if !m.is_empty() => m,
        Ok(Shape {
            manifests: Some(_), ..
        }) => media::OCI_INDEX.to_string(),
        _ => media::OCI_MANIFEST.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_choice() {
        for h in [
            "localhost",
            "localhost:5000",
            "127.0.0.1",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:5000",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback(h), "{h}");
            assert_eq!(choose_scheme(h, None), SchemePlan::Http, "{h}");
            assert_eq!(choose_scheme(h, Some(true)), SchemePlan::Https, "{h}");
        }
        for h in [
            "registry-1.docker.io",
            "quay.io:443",
            "10.0.0.1:5000",
            "[::2]:5000",
            "localhost.evil.com",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(h), "{h}");
            assert_eq!(choose_scheme(h, None), SchemePlan::Https, "{h}");
            assert_eq!(
                choose_scheme(h, Some(false)),
                SchemePlan::HttpsThenHttp,
                "{h}"
            );
        }
        assert_eq!(api_host("docker.io"), "registry-1.docker.io");
        assert_eq!(api_host("localhost:5000"), "localhost:5000");
    }

    #[test]
    fn media_type_from_header_or_body() {
        let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#;
        assert_eq!(
            manifest_media_type(
                Some("application/vnd.oci.image.index.v1+json; charset=utf-8"),
                body
            ),
            media::OCI_INDEX
        );
        assert_eq!(
            manifest_media_type(Some("application/json"), body),
            media::DOCKER_MANIFEST
        );
        assert_eq!(manifest_media_type(None, body), media::DOCKER_MANIFEST);
        assert_eq!(
            manifest_media_type(None, br#"{"manifests":[]}"#),
            media::OCI_INDEX
        );
        assert_eq!(
            manifest_media_type(Some("text/plain"), br#"{"layers":[]}"#),
            media::OCI_MANIFEST
        );
    }

    #[test]
    fn content_range() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes */200"), None);
    }
}

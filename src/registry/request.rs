//! Sending one request to the registry: the scheme chosen so far, retries of
//! transient failures, and the 401 → authenticate → retry-once loop. Every endpoint
//! (manifests, blobs, uploads, `/v2/` for login) goes through [`Client::call`].
//!
//! Invariants:
//! - A request given as an absolute URL (an upload `Location`) carries the
//!   `Authorization` header only when that URL points at the registry's own API host.
//! - A request with a body is retried only when its body can be produced again from
//!   the start ([`Body::Bytes`], [`Body::File`]); the caller decides (`retry`).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::auth::{read_small, Http};
use super::client::{with_retries, Client, SchemePlan};
use super::{tls, Ctx, RegistryError};

/// Where a request goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// An absolute path on the API host (`/v2/foo/manifests/latest`), in the scheme
    /// chosen for the registry.
    Path(&'a str),
    /// An absolute `http(s)://` URL the registry handed out.
    Url(&'a str),
}

/// What a request sends.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    Empty,
    Bytes(&'a [u8]),
    /// `len` bytes of `path` from `offset`; `progress` is told of every chunk read.
    File {
        path: &'a Path,
        offset: u64,
        len: u64,
        progress: &'a (dyn Fn(u64) + Sync),
    },
}

/// One request.
#[derive(Clone, Copy)]
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub target: Target<'a>,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Body<'a>,
    /// Retry transient failures (the body is sent again from its start).
    pub retry: bool,
}

impl<'a> Request<'a> {
    pub fn get(path: &'a str, headers: &'a [(&'a str, &'a str)]) -> Request<'a> {
        Request {
            method: "GET",
            target: Target::Path(path),
            headers,
            body: Body::Empty,
            retry: true,
        }
    }
}

/// Reads a file range, reporting progress.
struct FileBody<'a> {
    inner: io::Take<File>,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl Read for FileBody<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

impl Client {
    /// Send `req`, authenticating once on 401. Returns only 2xx answers; any other
    /// final answer becomes the [`RegistryError`] for its status.
    pub(crate) fn call(&self, ctx: &Ctx, req: &Request) -> Result<ureq::Response, RegistryError> {
        let mut authenticated = false;
        loop {
            let auth = self.auth.authorization(&self.scope);
            match self.send(req, auth.as_deref()).map_err(|e| *e) {
                Ok(resp) if (200..300).contains(&resp.status()) => return Ok(resp),
                Ok(resp) => return Err(ctx.status(resp.status(), &read_small(resp))),
                Err(ureq::Error::Status(401, resp)) if !authenticated => {
                    authenticated = true;
                    let challenges: Vec<String> = resp
                        .all("www-authenticate")
                        .into_iter()
                        .map(String::from)
                        .collect();
                    let challenges: Vec<&str> = challenges.iter().map(String::as_str).collect();
                    let http = Http {
                        agent: &self.agent,
                        backoff: &self.backoff,
                    };
                    self.auth
                        .authenticate(&http, ctx, &challenges, &self.scope)?;
                }
                Err(ureq::Error::Status(status, resp)) => {
                    return Err(ctx.status(status, &read_small(resp)))
                }
                Err(ureq::Error::Transport(t)) => return Err(ctx.transport(&self.api_host, &t)),
            }
        }
    }

    /// One request with retries, in the scheme chosen so far (falling back to http
    /// after a TLS failure when the plan allows it).
    fn send(&self, req: &Request, auth: Option<&str>) -> Result<ureq::Response, Box<ureq::Error>> {
        let path = match req.target {
            Target::Url(url) => {
                let auth = auth.filter(|_| same_host(url, &self.api_host));
                return self.send_url(req, url, auth);
            }
            Target::Path(p) => p,
        };
        let plan = *self.plan.lock().unwrap_or_else(|e| e.into_inner());
        let scheme = if plan == SchemePlan::Http {
            "http"
        } else {
            "https"
        };
        let url = format!("{scheme}://{}{path}", self.api_host);
        let result = self.send_url(req, &url, auth);
        if plan != SchemePlan::HttpsThenHttp {
            return result;
        }
        let next = match result.as_ref().map_err(|e| &**e) {
            Err(ureq::Error::Transport(t)) if tls::is_tls_error(t) => SchemePlan::Http,
            Err(ureq::Error::Transport(_)) => return result,
            _ => SchemePlan::Https,
        };
        *self.plan.lock().unwrap_or_else(|e| e.into_inner()) = next;
        match next {
            SchemePlan::Http => {
                let url = format!("http://{}{path}", self.api_host);
                self.send_url(req, &url, auth)
            }
            _ => result,
        }
    }

    fn send_url(
        &self,
        req: &Request,
        url: &str,
        auth: Option<&str>,
    ) -> Result<ureq::Response, Box<ureq::Error>> {
        let backoff: &[std::time::Duration] = if req.retry { &self.backoff } else { &[] };
        with_retries(backoff, || {
            let mut r = self.agent.request(req.method, url);
            for (name, value) in req.headers {
                r = r.set(name, value);
            }
            if let Some(a) = auth {
                r = r.set("Authorization", a);
            }
            match req.body {
                Body::Empty if req.method == "GET" || req.method == "HEAD" => r.call(),
                Body::Empty => r.set("Content-Length", "0").send_bytes(&[]),
                Body::Bytes(b) => r.send_bytes(b),
                Body::File {
                    path,
                    offset,
                    len,
                    progress,
                } => {
                    let body = open_range(path, offset, len).map_err(|e| {
                        let why = format!("reading {}: {e}", path.display());
                        ureq::Error::from(io::Error::other(why))
                    });
                    match body {
                        Ok(inner) => r
                            .set("Content-Length", &len.to_string())
                            .send(FileBody { inner, progress }),
                        Err(e) => Err(e),
                    }
                }
            }
            .map_err(Box::new)
        })
    }
}

fn open_range(path: &Path, offset: u64, len: u64) -> io::Result<io::Take<File>> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    Ok(f.take(len))
}

/// Whether absolute `url` points at `host` (`name[:port]`).
pub(crate) fn same_host(url: &str, host: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.and_then(|r| r.split(['/', '?', '#']).next())
        .is_some_and(|h| h.eq_ignore_ascii_case(host))
}

/// Resolve a `Location` header against the registry: absolute URLs stay as they
/// are, absolute paths get the scheme and host of `base_url`.
pub(crate) fn resolve_location(base_url: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let origin_end = base_url
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base_url[start..].find('/').map(|j| start + j))
        .unwrap_or(base_url.len());
    let origin = &base_url[..origin_end];
    if location.starts_with('/') {
        format!("{origin}{location}")
    } else {
        format!("{origin}/{location}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let base = "http://127.0.0.1:5000/v2/foo/blobs/uploads/";
        assert_eq!(
            resolve_location(base, "/v2/foo/blobs/uploads/abc?_state=x"),
            "http://127.0.0.1:5000/v2/foo/blobs/uploads/abc?_state=x"
        );
        assert_eq!(
            resolve_location(base, "https://other/up/1"),
            "https://other/up/1"
        );
        assert!(same_host("http://127.0.0.1:5000/v2/x", "127.0.0.1:5000"));
        assert!(!same_host("http://127.0.0.1:5001/v2/x", "127.0.0.1:5000"));
        assert!(!same_host("/v2/x", "127.0.0.1:5000"));
    }
}

//! The push side of the distribution protocol: blob existence (`HEAD`), cross-
//! repository mounts, monolithic (`POST` then `PUT ?digest=`) and chunked (`PATCH`
//! with `Content-Range`, then `PUT`) uploads, and the manifest `PUT`.
//!
//! Invariants:
//! - Upload `Location`s are followed as given (absolute or relative to the request
//!   that returned them); a missing `Location` falls back to `Docker-Upload-UUID`.
//! - A blob upload that fails transiently (connection reset, 5xx) is started again
//!   from a fresh upload session, up to three times: a half-written session is never
//!   appended to. Manifests go last, and only a manifest the registry stored under
//!   the digest we computed counts as pushed.

use super::client::Client;
use super::request::{resolve_location, Body, Request, Target};
use super::{Ctx, ManifestRef, RegistryError, Step};
use crate::oci::Digest;

/// How a blob reached the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobPush {
    /// It was there already.
    Exists,
    /// Mounted from another repository on the same registry, no bytes sent.
    Mounted,
    /// Uploaded.
    Uploaded,
}

/// One blob to push.
pub struct BlobSource<'a> {
    pub digest: &'a Digest,
    pub size: u64,
    /// The file holding exactly the blob's bytes.
    pub path: &'a std::path::Path,
    /// A repository path on this registry that has the blob, to mount from.
    pub mount_from: Option<&'a str>,
}

impl Client {
    fn push_ctx(&self, digest: &Digest) -> Ctx {
        Ctx::new(
            Step::PushBlob,
            format!("{}/{}@{digest}", self.domain, self.path),
        )
    }

    /// Whether the repository already has blob `digest` (`HEAD`).
    pub fn has_blob(&self, digest: &Digest) -> Result<bool, RegistryError> {
        let ctx = self.push_ctx(digest);
        let path = format!("/v2/{}/blobs/{digest}", self.path);
        let mut req = Request::get(&path, &[]);
        req.method = "HEAD";
        match self.call(&ctx, &req) {
            Ok(_) => Ok(true),
            Err(RegistryError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Push one blob unless the registry has it: mount it when `mount_from` is set
    /// and the registry agrees, else upload it (in `chunk`-byte PATCHes when the blob
    /// is larger than `chunk`). `progress` hears of every uploaded byte.
    pub fn push_blob(
        &self,
        blob: &BlobSource,
        chunk: Option<u64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<BlobPush, RegistryError> {
        if self.has_blob(blob.digest)? {
            return Ok(BlobPush::Exists);
        }
        let mut pauses = self.backoff.iter();
        loop {
            match self.try_push_blob(blob, chunk, progress) {
                Err(e) if is_transient(&e) => match pauses.next() {
                    Some(p) => std::thread::sleep(*p),
                    None => return Err(e),
                },
                other => return other,
            }
        }
    }

    fn try_push_blob(
        &self,
        blob: &BlobSource,
        chunk: Option<u64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<BlobPush, RegistryError> {
        let ctx = self.push_ctx(blob.digest);
        let mut path = format!("/v2/{}/blobs/uploads/", self.path);
        if let Some(from) = blob.mount_from {
            path.push_str(&format!("?mount={}&from={from}", blob.digest));
        }
        let mut req = Request::get(&path, &[]);
        req.method = "POST";
        let resp = self.call(&ctx, &req)?;
        if resp.status() == 201 && blob.mount_from.is_some() {
            return Ok(BlobPush::Mounted);
        }
        let mut location = self.upload_location(&ctx, &resp)?;
        let content_type = [("Content-Type", "application/octet-stream")];
        if let Some(chunk) = chunk.filter(|c| *c > 0 && blob.size > *c) {
            let mut offset = 0;
            while offset < blob.size {
                let len = chunk.min(blob.size - offset);
                let range = format!("{offset}-{}", offset + len - 1);
                let headers = [content_type[0], ("Content-Range", &range)];
                let req = Request {
                    method: "PATCH",
                    target: Target::Url(&location),
                    headers: &headers,
                    body: Body::File {
                        path: blob.path,
                        offset,
                        len,
                        progress,
                    },
                    retry: false,
                };
                let resp = self.call(&ctx, &req)?;
                location = self.upload_location(&ctx, &resp)?;
                offset += len;
            }
            self.finish_upload(&ctx, &location, blob.digest, Body::Empty)
        } else {
            let body = Body::File {
                path: blob.path,
                offset: 0,
                len: blob.size,
                progress,
            };
            self.finish_upload(&ctx, &location, blob.digest, body)
        }
    }

    /// `PUT <location>&digest=<digest>` with the last (or only) bytes.
    fn finish_upload(
        &self,
        ctx: &Ctx,
        location: &str,
        digest: &Digest,
        body: Body,
    ) -> Result<BlobPush, RegistryError> {
        let sep = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{sep}digest={digest}");
        let req = Request {
            method: "PUT",
            target: Target::Url(&url),
            headers: &[("Content-Type", "application/octet-stream")],
            body,
            retry: false,
        };
        let resp = self.call(ctx, &req)?;
        check_digest(ctx, &resp, digest)?;
        Ok(BlobPush::Uploaded)
    }

    /// The absolute URL to continue an upload at, from `Location` or
    /// `Docker-Upload-UUID`.
    fn upload_location(&self, ctx: &Ctx, resp: &ureq::Response) -> Result<String, RegistryError> {
        let base = resp.get_url().to_string();
        if let Some(loc) = resp
            .header("location")
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            return Ok(resolve_location(&base, loc));
        }
        match resp.header("docker-upload-uuid").map(str::trim) {
            Some(uuid) if !uuid.is_empty() && !uuid.contains(['/', '?', '#']) => {
                let path = format!("/v2/{}/blobs/uploads/{uuid}", self.path);
                Ok(resolve_location(&base, &path))
            }
            _ => Err(ctx.bad_response(
                &self.api_host,
                "upload answer without a Location or Docker-Upload-UUID header",
            )),
        }
    }

    /// `PUT /v2/<name>/manifests/<tag or digest>`. `bytes` must hash to `digest`;
    /// the registry's `Docker-Content-Digest`, when sent, must agree.
    pub fn put_manifest(
        &self,
        reference: &ManifestRef,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<Digest, RegistryError> {
        let ctx = Ctx::new(
            Step::PushManifest,
            format!("{}/{}{reference}", self.domain, self.path),
        );
        let name = match reference {
            ManifestRef::Tag(t) => t.clone(),
            ManifestRef::Digest(d) => d.to_string(),
        };
        let path = format!("/v2/{}/manifests/{name}", self.path);
        let headers = [("Content-Type", media_type)];
        let req = Request {
            method: "PUT",
            target: Target::Path(&path),
            headers: &headers,
            body: Body::Bytes(bytes),
            retry: true,
        };
        let resp = self.call(&ctx, &req)?;
        let digest = Digest::of(bytes);
        check_digest(&ctx, &resp, &digest)?;
        Ok(digest)
    }
}

/// A `Docker-Content-Digest` answer must name what we sent (when it is sha256).
fn check_digest(ctx: &Ctx, resp: &ureq::Response, want: &Digest) -> Result<(), RegistryError> {
    let Some(sent) = resp.header("docker-content-digest").map(str::trim) else {
        return Ok(());
    };
    match sent.parse::<Digest>() {
        Ok(d) if d != *want => Err(RegistryError::PushedDigest {
            step: ctx.step,
            target: ctx.target.clone(),
            expected: want.clone(),
            actual: sent.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Failures worth starting a blob upload again for.
fn is_transient(e: &RegistryError) -> bool {
    match e {
        RegistryError::Transport { .. } => true,
        RegistryError::Http { status, .. } => [429, 500, 502, 503, 504].contains(status),
        _ => false,
    }
}

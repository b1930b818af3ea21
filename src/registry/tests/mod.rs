//! In-process tests of [`Client`] against the loopback server in `server.rs`.
//! Nothing leaves 127.0.0.1.
// Tests may read their own knobs (SKIFF_TEST_IMAGE) from the environment.
#![allow(clippy::disallowed_methods)]

mod credentials_write;
mod server;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;

use super::*;
use crate::oci::media;
use server::{resp, Resp, Server};

const MANIFEST: &[u8] = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}"#;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn client(server: &Server, opts: &RegistryOptions) -> Client {
    let reference: Reference = format!("{}/foo:latest", server.host()).parse().unwrap();
    let mut c = Client::new(&reference, opts).unwrap();
    c.backoff = vec![Duration::from_millis(10); 3];
    c
}

/// An auth file holding `user:pass` for `host`, and options pointing at it.
fn auth_opts(dir: &tempfile::TempDir, host: &str, user_pass: &str) -> RegistryOptions {
    let path = dir.path().join("auth.json");
    let text = format!(
        r#"{{"auths":{{"{host}":{{"auth":"{}"}}}}}}"#,
        b64(user_pass)
    );
    std::fs::write(&path, text).unwrap();
    RegistryOptions {
        auth_file: Some(path),
        ..Default::default()
    }
}

fn tag(t: &str) -> ManifestRef {
    ManifestRef::Tag(t.to_string())
}

fn manifest_resp() -> Resp {
    resp(200, &[("Content-Type", media::OCI_MANIFEST)], MANIFEST)
}

#[test]
fn bearer_flow_fetches_one_token_and_reuses_it() {
    let server = Server::start(|req, addr| {
        if req.path.starts_with("/token?") {
            assert_eq!(
                req.path,
                "/token?service=test-registry&scope=repository%3Afoo%3Apull"
            );
            assert_eq!(
                req.header("authorization"),
                Some(format!("Basic {}", b64("alice:s3cret"))).as_deref()
            );
            return resp(200, &[], br#"{"access_token":"tok-1","expires_in":300}"#);
        }
        if req.header("authorization") != Some("Bearer tok-1") {
            let ch = format!(
                r#"Bearer realm="http://{addr}/token",service="test-registry",scope="repository:foo:pull""#
            );
            return resp(
                401,
                &[("WWW-Authenticate", &ch)],
                br#"{"errors":[{"code":"UNAUTHORIZED"}]}"#,
            );
        }
        let digest = Digest::of(MANIFEST).to_string();
        resp(
            200,
            &[
                ("Content-Type", media::OCI_MANIFEST),
                ("Docker-Content-Digest", &digest),
            ],
            MANIFEST,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let c = client(&server, &auth_opts(&dir, &server.host(), "alice:s3cret"));
    for _ in 0..2 {
        let m = c.get_manifest(&tag("latest")).unwrap();
        assert_eq!(
            (m.bytes.as_slice(), m.media_type.as_str()),
            (MANIFEST, media::OCI_MANIFEST)
        );
        assert_eq!(m.digest, Digest::of(MANIFEST));
    }
    assert_eq!(server.requests("/token").len(), 1);
    let manifests = server.requests("/v2/foo/manifests/latest");
    assert_eq!(manifests.len(), 3, "anonymous 401, then two with the token");
    assert!(manifests[0].header("authorization").is_none());
    assert!(manifests[0]
        .header("user-agent")
        .is_some_and(|u| u.starts_with("skiff/")));
    let accept = manifests[0].header("accept").unwrap();
    assert!(
        accept.contains(media::OCI_INDEX) && accept.contains(media::DOCKER_MANIFEST),
        "{accept}"
    );
}

#[test]
fn basic_auth_needs_and_uses_credentials() {
    let server = Server::start(|req, _| {
        if req.header("authorization") == Some(format!("Basic {}", b64("bob:pw")).as_str()) {
            return manifest_resp();
        }
        resp(
            401,
            &[("WWW-Authenticate", r#"basic realm="Registry, test""#)],
            b"",
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let good = client(
        &server,
        &auth_opts(&dir, &format!("http://{}", server.host()), "bob:pw"),
    );
    assert_eq!(good.get_manifest(&tag("latest")).unwrap().bytes, MANIFEST);

    let bad = client(&server, &auth_opts(&dir, &server.host(), "bob:wrong"));
    let e = bad.get_manifest(&tag("latest")).unwrap_err();
    assert!(
        matches!(e, RegistryError::Unauthorized { status: 401, .. }),
        "{e}"
    );

    let missing = RegistryOptions {
        auth_file: Some(dir.path().join("none.json")),
        ..Default::default()
    };
    let e = client(&server, &missing)
        .get_manifest(&tag("latest"))
        .unwrap_err();
    assert!(
        matches!(e, RegistryError::CredentialsRequired { .. }),
        "{e}"
    );
    assert!(e.to_string().contains("requires credentials"), "{e}");
}

#[test]
fn digest_mismatches_are_refused() {
    let server = Server::start(|req, _| {
        if req.path.ends_with("/lying") {
            let other = Digest::of(b"other").to_string();
            return resp(200, &[("Docker-Content-Digest", &other)], MANIFEST);
        }
        manifest_resp()
    });
    let c = client(&server, &RegistryOptions::default());
    let want = Digest::of(b"something else");
    let e = c
        .get_manifest(&ManifestRef::Digest(want.clone()))
        .unwrap_err();
    match e {
        RegistryError::DigestMismatch {
            expected, actual, ..
        } => {
            assert_eq!((expected, actual), (want, Digest::of(MANIFEST)));
        }
        other => panic!("{other}"),
    }
    let e = c.get_manifest(&tag("lying")).unwrap_err();
    assert!(
        matches!(&e, RegistryError::DigestMismatch { expected, .. } if *expected == Digest::of(b"other")),
        "{e}"
    );
    // By the right digest, with no header and no Content-Type: media type from the JSON.
    let m = c
        .get_manifest(&ManifestRef::Digest(Digest::of(MANIFEST)))
        .unwrap();
    assert_eq!(m.media_type, media::OCI_MANIFEST);
}

fn blob_data() -> Vec<u8> {
    (0..1000u32).map(|i| (i % 251) as u8).collect()
}

#[test]
fn blob_resume_with_and_without_range_support() {
    let data = blob_data();
    let ranged = Digest::of(&data);
    let unranged = Digest::of(&data[1..]);
    let server = Server::start(move |req, _| {
        let data = blob_data();
        let range_start = req
            .header("range")
            .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok());
        match range_start {
            Some(start) if req.path.ends_with(ranged.hex()) => {
                let cr = format!("bytes {start}-{}/{}", data.len() - 1, data.len());
                resp(206, &[("Content-Range", &cr)], &data[start..])
            }
            _ if req.path.ends_with(unranged.hex()) => resp(200, &[], &data[1..]),
            _ => resp(200, &[], &data),
        }
    });
    let c = client(&server, &RegistryOptions::default());
    let (mut r, len) = c.open_blob(&Digest::of(&data), 300).unwrap();
    let mut got = Vec::new();
    r.read_to_end(&mut got).unwrap();
    assert_eq!((got.as_slice(), len), (&data[300..], Some(700)));
    assert_eq!(
        server.requests("/v2/foo/blobs/")[0].header("range"),
        Some("bytes=300-")
    );

    let (mut r, len) = c.open_blob(&Digest::of(&data[1..]), 300).unwrap();
    let mut got = Vec::new();
    r.read_to_end(&mut got).unwrap();
    assert_eq!((got.as_slice(), len), (&data[301..], Some(699)));

    assert_eq!(c.get_blob(&Digest::of(&data)).unwrap(), data);
    let e = c.get_blob(&Digest::of(b"not this")).unwrap_err();
    assert!(
        matches!(
            e,
            RegistryError::DigestMismatch {
                step: Step::Blob,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn retries_503_but_not_404() {
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let server = Server::start(move |req, _| {
        if req.path.ends_with("/flaky") && calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            return resp(503, &[], b"busy");
        }
        if req.path.ends_with("/nope") {
            let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}"#;
            return resp(404, &[("Content-Type", "application/json")], body);
        }
        manifest_resp()
    });
    let c = client(&server, &RegistryOptions::default());
    assert_eq!(c.get_manifest(&tag("flaky")).unwrap().bytes, MANIFEST);
    assert_eq!(server.requests("/v2/foo/manifests/flaky").len(), 2);

    let e = c.get_manifest(&tag("nope")).unwrap_err();
    assert!(matches!(e, RegistryError::NotFound { .. }));
    assert_eq!(
        e.to_string(),
        format!(
            "pulling manifest {}/foo:nope: manifest unknown",
            server.host()
        )
    );
    assert_eq!(server.requests("/v2/foo/manifests/nope").len(), 1);
}

#[test]
fn redirect_drops_authorization_for_another_host() {
    let data = blob_data();
    let server = Server::start(|req, addr| {
        if req.path.starts_with("/token") {
            return resp(200, &[], br#"{"token":"tok-2"}"#);
        }
        if req.path.starts_with("/cdn/") {
            return resp(200, &[], &blob_data());
        }
        if req.header("authorization") != Some("Bearer tok-2") {
            let ch = format!(r#"Bearer realm="http://{addr}/token",service="t""#);
            return resp(401, &[("WWW-Authenticate", &ch)], b"");
        }
        let location = format!("http://localhost:{}/cdn/blob?sig=abc", addr.port());
        resp(307, &[("Location", &location)], b"")
    });
    let c = client(&server, &RegistryOptions::default());
    assert_eq!(c.get_blob(&Digest::of(&data)).unwrap(), data);
    let blobs = server.requests("/v2/foo/blobs/");
    assert_eq!(
        blobs.last().unwrap().header("authorization"),
        Some("Bearer tok-2")
    );
    let cdn = server.requests("/cdn/");
    assert_eq!(cdn.len(), 1);
    assert_eq!(
        cdn[0].header("authorization"),
        None,
        "token leaked to the CDN"
    );
}

#[test]
fn tls_verify_false_falls_back_to_http() {
    let server = Server::start(|_, _| manifest_resp());
    let opts = RegistryOptions {
        tls_verify: Some(false),
        ..Default::default()
    };
    let c = client(&server, &opts);
    assert_eq!(c.get_manifest(&tag("latest")).unwrap().bytes, MANIFEST);
    assert_eq!(c.get_manifest(&tag("latest")).unwrap().bytes, MANIFEST);
    // Exactly one TLS attempt (not logged: no HTTP request line), then http for good.
    assert_eq!(server.requests("/v2/").len(), 2);
}

#[test]
fn tls_verify_true_on_loopback_refuses_plain_http() {
    let server = Server::start(|_, _| manifest_resp());
    let opts = RegistryOptions {
        tls_verify: Some(true),
        ..Default::default()
    };
    let e = client(&server, &opts)
        .get_manifest(&tag("latest"))
        .unwrap_err();
    assert!(matches!(e, RegistryError::Tls { .. }), "{e}");
    assert!(server.requests("/").is_empty());
}

#[test]
fn oversized_manifest_is_refused() {
    let server =
        Server::start(|_, _| resp(200, &[], &vec![b' '; (MAX_MANIFEST_SIZE + 1) as usize]));
    let e = client(&server, &RegistryOptions::default())
        .get_manifest(&tag("big"))
        .unwrap_err();
    assert!(matches!(e, RegistryError::TooLarge { .. }), "{e}");
}

#[test]
fn error_bodies_become_one_line() {
    let body = br#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"},{"code":"DENIED","message":""}]}"#;
    assert_eq!(
        describe_error_body(404, body),
        "blob unknown to registry; denied"
    );
    assert_eq!(describe_error_body(500, b"oops\nstack trace"), "oops");
    assert_eq!(
        describe_error_body(502, b"<html>bad gateway</html>"),
        "bad gateway"
    );
    assert_eq!(describe_error_body(429, b""), "too many requests");
    assert_eq!(
        describe_error_body(400, br#"{"errors":[]}"#),
        "unexpected answer"
    );
}

#[test]
fn client_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Client>();
}

#[test]
fn connection_refused_is_a_transport_error() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let reference: Reference = format!("{addr}/foo:latest").parse().unwrap();
    let mut c = Client::new(&reference, &RegistryOptions::default()).unwrap();
    c.backoff = vec![Duration::from_millis(1); 3];
    let e = c.get_manifest(&tag("latest")).unwrap_err();
    assert!(matches!(e, RegistryError::Transport { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!(
            "pulling manifest {addr}/foo:latest: cannot reach {addr}: "
        )),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "{msg}");
}

/// Against a real registry: `SKIFF_TEST_IMAGE=localhost:5000/busybox:latest cargo test
/// --lib registry::tests::real_registry -- --ignored` (and `SKIFF_TEST_TLS_VERIFY=false`
/// to exercise the https-then-http fallback). Pulls the manifest (resolving an
/// index to its first manifest), the config and every layer, and checks their digests.
#[test]
#[ignore = "needs a registry; set SKIFF_TEST_IMAGE"]
fn real_registry() {
    let image = std::env::var("SKIFF_TEST_IMAGE").expect("SKIFF_TEST_IMAGE");
    let reference: Reference = image.parse().unwrap();
    let tls_verify = std::env::var("SKIFF_TEST_TLS_VERIFY")
        .ok()
        .map(|v| v != "false");
    let c = Client::new(
        &reference,
        &RegistryOptions {
            tls_verify,
            ..Default::default()
        },
    )
    .unwrap();
    let mut m = c
        .get_manifest(&ManifestRef::from_reference(&reference))
        .unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&m.bytes).unwrap();
    if media::is_index(&m.media_type) {
        let first: Digest = json["manifests"][0]["digest"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        m = c.get_manifest(&ManifestRef::Digest(first)).unwrap();
        json = serde_json::from_slice(&m.bytes).unwrap();
    }
    let config: Digest = json["config"]["digest"].as_str().unwrap().parse().unwrap();
    c.get_blob(&config).unwrap();
    for layer in json["layers"].as_array().unwrap() {
        let d: Digest = layer["digest"].as_str().unwrap().parse().unwrap();
        let size = layer["size"].as_u64().unwrap();
        let (r, _) = c.open_blob(&d, 0).unwrap();
        let mut h = crate::oci::HashingReader::new(r);
        std::io::copy(&mut h, &mut std::io::sink()).unwrap();
        assert_eq!(h.finish(), (d.clone(), size));
        let (mut r, len) = c.open_blob(&d, size / 2).unwrap();
        let mut tail = Vec::new();
        r.read_to_end(&mut tail).unwrap();
        assert_eq!(
            (tail.len() as u64, len),
            (size - size / 2, Some(size - size / 2))
        );
    }
}

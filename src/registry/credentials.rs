//! Registry credentials from auth.json files (containers-auth.json and Docker's
//! config.json share the `{"auths": {"<host>": {"auth": base64("user:pass")}}}` shape).
//!
//! Search order: `--authfile` alone when given; otherwise `$REGISTRY_AUTH_FILE`, else
//! `$XDG_RUNTIME_DIR/containers/auth.json`; then `$HOME/.docker/config.json`. The first
//! file with an entry for the host wins. A missing file is skipped; a file that exists
//! but cannot be read or parsed is an error naming it (never silently anonymous).
//! Credential helpers (`credsStore`, `credHelpers`) are not supported and are ignored.
//! Read-only for now; `login` will add writing here.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::{RegistryError, RegistryOptions};

/// Names Docker Hub goes by in auth files.
const DOCKER_HUB_ALIASES: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

#[derive(serde::Deserialize)]
struct AuthFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
}

#[derive(serde::Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// The user name and password stored for registry `host` (`docker.io`,
/// `localhost:5000`), if any auth file has them.
pub fn lookup_credentials(
    host: &str,
    opts: &RegistryOptions,
) -> Result<Option<(String, String)>, RegistryError> {
    let files = auth_file_candidates(opts, |k| std::env::var_os(k));
    lookup_in_files(host, &files)
}

/// The files to search, in order, given an environment lookup function.
pub(crate) fn auth_file_candidates(
    opts: &RegistryOptions,
    env: impl Fn(&str) -> Option<OsString>,
) -> Vec<PathBuf> {
    if let Some(f) = &opts.auth_file {
        return vec![f.clone()];
    }
    let set = |k: &str| env(k).filter(|v| !v.is_empty());
    let mut files = Vec::new();
    if let Some(f) = set("REGISTRY_AUTH_FILE") {
        files.push(PathBuf::from(f));
    } else if let Some(dir) = set("XDG_RUNTIME_DIR") {
        files.push(PathBuf::from(dir).join("containers/auth.json"));
    }
    if let Some(home) = set("HOME") {
        files.push(PathBuf::from(home).join(".docker/config.json"));
    }
    files
}

/// Search `files` in order for credentials for `host`.
pub(crate) fn lookup_in_files(
    host: &str,
    files: &[PathBuf],
) -> Result<Option<(String, String)>, RegistryError> {
    for path in files {
        let Some(file) = read_auth_file(path)? else {
            continue;
        };
        for key in candidate_keys(host) {
            if let Some(entry) = file.auths.get(&key) {
                if let Some(creds) = decode_entry(path, &key, entry)? {
                    return Ok(Some(creds));
                }
            }
        }
    }
    Ok(None)
}

/// Parse one auth file; `None` when it does not exist.
fn read_auth_file(path: &Path) -> Result<Option<AuthFile>, RegistryError> {
    let bad = |reason: String| RegistryError::BadCredentials {
        path: path.to_path_buf(),
        reason,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(bad(e.to_string())),
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| bad(format!("invalid JSON: {e}")))
}

/// The `auths` keys that may hold credentials for `host`, most specific first.
fn candidate_keys(host: &str) -> Vec<String> {
    let names: Vec<&str> = if DOCKER_HUB_ALIASES.contains(&host) {
        DOCKER_HUB_ALIASES.to_vec()
    } else {
        vec![host]
    };
    let mut keys = Vec::new();
    for n in names {
        for k in [
            n.to_string(),
            format!("https://{n}"),
            format!("http://{n}"),
            format!("{n}/v1/"),
            format!("https://{n}/v1/"),
            format!("http://{n}/v1/"),
        ] {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Decode one entry; `None` for an empty entry (as Docker leaves with a creds store).
fn decode_entry(
    path: &Path,
    key: &str,
    e: &AuthEntry,
) -> Result<Option<(String, String)>, RegistryError> {
    let bad = |what: &str| RegistryError::BadCredentials {
        path: path.to_path_buf(),
        reason: format!("entry {key:?}: {what}"),
    };
    if let Some(auth) = e.auth.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(auth)
            .map_err(|_| bad("\"auth\" is not valid base64"))?;
        let text = String::from_utf8(raw).map_err(|_| bad("\"auth\" is not UTF-8"))?;
        let (user, pass) = text
            .split_once(':')
            .ok_or_else(|| bad("\"auth\" is not user:password"))?;
        return Ok(Some((user.to_string(), pass.to_string())));
    }
    match (e.username.as_deref(), e.password.as_deref()) {
        (Some(u), Some(p)) if !u.is_empty() => Ok(Some((u.to_string(), p.to_string()))),
        (Some(u), None) if !u.is_empty() => Err(bad("\"username\" without \"password\"")),
        _ => Ok(None),
    }
}

/// The `Authorization` header value for HTTP Basic.
pub(crate) fn basic_header(user: &str, pass: &str) -> String {
    let raw = format!("{user}:{pass}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn finds_keys_in_all_spellings() {
        let dir = tempfile::tempdir().unwrap();
        for key in [
            "localhost:5000",
            "https://localhost:5000",
            "http://localhost:5000/v1/",
            "localhost:5000/v1/",
        ] {
            let text = format!(
                r#"{{"auths": {{"{key}": {{"auth": "{}"}}}}}}"#,
                b64("u:p:w")
            );
            let f = write(dir.path(), "a.json", &text);
            let got = lookup_in_files("localhost:5000", &[f]).unwrap();
            assert_eq!(got, Some(("u".into(), "p:w".into())), "key {key}");
        }
        let f = write(
            dir.path(),
            "hub.json",
            &format!(
                r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{}"}}}}}}"#,
                b64("hub:pw")
            ),
        );
        assert_eq!(
            lookup_in_files("docker.io", std::slice::from_ref(&f)).unwrap(),
            Some(("hub".into(), "pw".into()))
        );
        assert_eq!(
            lookup_in_files("registry-1.docker.io", std::slice::from_ref(&f)).unwrap(),
            Some(("hub".into(), "pw".into()))
        );
        assert_eq!(lookup_in_files("quay.io", &[f]).unwrap(), None);
    }

    #[test]
    fn username_password_fields_and_order() {
        let dir = tempfile::tempdir().unwrap();
        let first = write(
            dir.path(),
            "1.json",
            r#"{"auths":{"r.io":{}},"credsStore":"desktop"}"#,
        );
        let second = write(
            dir.path(),
            "2.json",
            r#"{"auths":{"r.io":{"username":"me","password":"s"}}}"#,
        );
        let missing = dir.path().join("nope.json");
        let got = lookup_in_files("r.io", &[missing, first, second]).unwrap();
        assert_eq!(got, Some(("me".into(), "s".into())));
    }

    #[test]
    fn malformed_file_names_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "bad.json", "{not json");
        let e = lookup_in_files("r.io", std::slice::from_ref(&f))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&f.display().to_string()) && e.contains("invalid JSON"),
            "{e}"
        );
        let f = write(
            dir.path(),
            "bad64.json",
            r#"{"auths":{"r.io":{"auth":"!!!"}}}"#,
        );
        let e = lookup_in_files("r.io", &[f]).unwrap_err().to_string();
        assert!(e.contains("base64"), "{e}");
        let f = write(
            dir.path(),
            "nocolon.json",
            &format!(r#"{{"auths":{{"r.io":{{"auth":"{}"}}}}}}"#, b64("x")),
        );
        assert!(lookup_in_files("r.io", &[f]).is_err());
    }

    #[test]
    fn candidate_order() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let none = RegistryOptions::default();
        let got =
            auth_file_candidates(&none, env(&[("XDG_RUNTIME_DIR", "/run/u"), ("HOME", "/h")]));
        assert_eq!(
            got,
            [
                PathBuf::from("/run/u/containers/auth.json"),
                PathBuf::from("/h/.docker/config.json")
            ]
        );
        let got = auth_file_candidates(
            &none,
            env(&[("REGISTRY_AUTH_FILE", "/a.json"), ("XDG_RUNTIME_DIR", "/r")]),
        );
        assert_eq!(got, [PathBuf::from("/a.json")]);
        let explicit = RegistryOptions {
            auth_file: Some("/x.json".into()),
            ..Default::default()
        };
        assert_eq!(
            auth_file_candidates(&explicit, env(&[("HOME", "/h")])),
            [PathBuf::from("/x.json")]
        );
        assert!(auth_file_candidates(&none, env(&[])).is_empty());
    }
}

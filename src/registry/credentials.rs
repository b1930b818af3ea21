//! Registry credentials from auth.json files (containers-auth.json and Docker's
//! config.json share the `{"auths": {"<host>": {"auth": base64("user:pass")}}}` shape).
//!
//! Search order: `--authfile` alone when given; otherwise `$REGISTRY_AUTH_FILE`, else
//! `$XDG_RUNTIME_DIR/containers/auth.json`; then `$HOME/.docker/config.json`. The
//! environment is read by the front end, which resolves it into an [`AuthFiles`]
//! once ([`AuthFiles::from_env`] with its own lookup); nothing here reads it. The first
//! file with an entry for the host wins. A missing file is skipped; a file that exists
//! but cannot be read or parsed is an error naming it (never silently anonymous).
//! Credential helpers (`credsStore`, `credHelpers`) are not supported and are ignored.
//! `--creds` (in [`RegistryOptions::credentials`]) overrides every file.
//!
//! Writing (`login`, `logout`): to `--authfile`, else `$REGISTRY_AUTH_FILE`, else
//! `$XDG_RUNTIME_DIR/containers/auth.json`, as Podman does; Docker's config.json is
//! never written. The file is merged (other hosts and keys kept), written to a temp
//! file with mode 0600 in the same directory (created 0700), fsynced and renamed.
//! Docker Hub is stored under `docker.io`, as Podman does.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::{Credentials, RegistryError, RegistryOptions};

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
    if let Some(c) = &opts.credentials {
        return Ok(Some((c.username.clone(), c.password.clone())));
    }
    let files = auth_file_candidates(opts);
    lookup_in_files(host, &files)
}

/// Where credentials are looked for and written when `--authfile` is not given,
/// resolved from the environment by the front end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthFiles {
    /// The files to search, in order.
    pub search: Vec<PathBuf>,
    /// The file `login` writes and `logout` edits (`None`: nowhere to write).
    pub write: Option<PathBuf>,
}

impl AuthFiles {
    /// The files the module docs name, given the front end's environment lookup.
    pub fn from_env(env: impl Fn(&str) -> Option<OsString>) -> AuthFiles {
        let set = |k: &str| env(k).filter(|v| !v.is_empty());
        let write = match set("REGISTRY_AUTH_FILE") {
            Some(f) => Some(PathBuf::from(f)),
            None => set("XDG_RUNTIME_DIR").map(|d| PathBuf::from(d).join("containers/auth.json")),
        };
        let mut search: Vec<PathBuf> = write.iter().cloned().collect();
        if let Some(home) = set("HOME") {
            search.push(PathBuf::from(home).join(".docker/config.json"));
        }
        AuthFiles { search, write }
    }
}

/// The files to search, in order.
pub(crate) fn auth_file_candidates(opts: &RegistryOptions) -> Vec<PathBuf> {
    match &opts.auth_file {
        Some(f) => vec![f.clone()],
        None => opts.auth_files.search.clone(),
    }
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

/// The user name stored for `host` in any auth file (`login --get-login`).
pub fn get_login(host: &str, opts: &RegistryOptions) -> Result<Option<String>, RegistryError> {
    let files = auth_file_candidates(opts);
    Ok(lookup_in_files(host, &files)?.map(|(user, _)| user))
}

/// The file `login` writes and `logout` edits.
pub(crate) fn write_target(opts: &RegistryOptions) -> Result<PathBuf, RegistryError> {
    match (&opts.auth_file, &opts.auth_files.write) {
        (Some(f), _) | (None, Some(f)) => Ok(f.clone()),
        (None, None) => Err(RegistryError::NoAuthFileLocation),
    }
}

/// The key `host` is stored under (`docker.io` for every Docker Hub alias).
fn store_key(host: &str) -> &str {
    if DOCKER_HUB_ALIASES.contains(&host) {
        "docker.io"
    } else {
        host
    }
}

/// Store `creds` for `host` in the auth file; returns the file written.
pub fn store_credentials(
    host: &str,
    creds: &Credentials,
    opts: &RegistryOptions,
) -> Result<PathBuf, RegistryError> {
    let path = write_target(opts)?;
    let mut doc = read_json(&path)?;
    let raw = format!("{}:{}", creds.username, creds.password);
    let auth = base64::engine::general_purpose::STANDARD.encode(raw);
    auths_mut(&mut doc).insert(
        store_key(host).to_string(),
        serde_json::json!({ "auth": auth }),
    );
    write_json(&path, &doc)?;
    Ok(path)
}

/// What `logout` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// Removed from this file.
    From(PathBuf),
    /// Not in the file skiff writes, but Docker's config.json has it.
    OnlyInDocker(PathBuf),
    NotLoggedIn,
}

/// Remove the credentials for `host` from the auth file skiff writes.
pub fn remove_credentials(host: &str, opts: &RegistryOptions) -> Result<Removed, RegistryError> {
    let path = write_target(opts)?;
    if read_auth_file(&path)?.is_some() {
        let mut doc = read_json(&path)?;
        let auths = auths_mut(&mut doc);
        let before = auths.len();
        for key in candidate_keys(host) {
            auths.remove(&key);
        }
        if auths.len() != before {
            write_json(&path, &doc)?;
            return Ok(Removed::From(path));
        }
    }
    if opts.auth_file.is_none() {
        let docker = auth_file_candidates(opts)
            .into_iter()
            .filter(|f| f.ends_with(".docker/config.json"));
        for f in docker {
            if lookup_in_files(host, std::slice::from_ref(&f))?.is_some() {
                return Ok(Removed::OnlyInDocker(f));
            }
        }
    }
    Ok(Removed::NotLoggedIn)
}

/// Remove every stored credential (`logout --all`), keeping the file's other keys.
pub fn remove_all_credentials(opts: &RegistryOptions) -> Result<PathBuf, RegistryError> {
    let path = write_target(opts)?;
    if read_auth_file(&path)?.is_some() {
        let mut doc = read_json(&path)?;
        auths_mut(&mut doc).clear();
        write_json(&path, &doc)?;
    }
    Ok(path)
}

/// The file as a JSON object (`{}` when missing or empty).
fn read_json(path: &Path) -> Result<serde_json::Value, RegistryError> {
    let bad = |reason: String| RegistryError::BadCredentials {
        path: path.to_path_buf(),
        reason,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(bad(e.to_string())),
    };
    if text.trim().is_empty() {
        return Ok(serde_json::json!({}));
    }
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    if !doc.is_object() || doc.get("auths").is_some_and(|a| !a.is_object()) {
        return Err(bad("not a JSON object with an \"auths\" object".to_string()));
    }
    Ok(doc)
}

fn auths_mut(doc: &mut serde_json::Value) -> &mut serde_json::Map<String, serde_json::Value> {
    if !doc.get("auths").is_some_and(serde_json::Value::is_object) {
        doc["auths"] = serde_json::json!({});
    }
    match doc
        .get_mut("auths")
        .and_then(serde_json::Value::as_object_mut)
    {
        Some(m) => m,
        None => unreachable!("auths was just made an object"),
    }
}

/// Write `doc` to `path` atomically: mode 0600 temp file beside it, fsync, rename.
fn write_json(path: &Path, doc: &serde_json::Value) -> Result<(), RegistryError> {
    let err = |step: &'static str, p: &Path| {
        let p = p.to_path_buf();
        move |source| RegistryError::AuthFileWrite {
            step,
            path: p,
            source,
        }
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(err("creating the directory of", path))?;
    let mut data = serde_json::to_vec_pretty(doc).unwrap_or_default();
    data.push(b'\n');
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(err("creating", &tmp))?;
    let written = f.write_all(&data).and_then(|()| f.sync_all());
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(err("writing", path)(e));
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
        let with = |files: AuthFiles| RegistryOptions {
            auth_files: files,
            ..Default::default()
        };
        let files = AuthFiles::from_env(env(&[("XDG_RUNTIME_DIR", "/run/u"), ("HOME", "/h")]));
        assert_eq!(
            auth_file_candidates(&with(files.clone())),
            [
                PathBuf::from("/run/u/containers/auth.json"),
                PathBuf::from("/h/.docker/config.json")
            ]
        );
        assert_eq!(
            write_target(&with(files)).unwrap(),
            PathBuf::from("/run/u/containers/auth.json")
        );
        let files = AuthFiles::from_env(env(&[
            ("REGISTRY_AUTH_FILE", "/a.json"),
            ("XDG_RUNTIME_DIR", "/r"),
        ]));
        assert_eq!(
            auth_file_candidates(&with(files)),
            [PathBuf::from("/a.json")]
        );
        let explicit = RegistryOptions {
            auth_file: Some("/x.json".into()),
            auth_files: AuthFiles::from_env(env(&[("HOME", "/h")])),
            ..Default::default()
        };
        assert_eq!(auth_file_candidates(&explicit), [PathBuf::from("/x.json")]);
        let none = with(AuthFiles::from_env(env(&[])));
        assert!(auth_file_candidates(&none).is_empty());
        assert!(matches!(
            write_target(&none),
            Err(RegistryError::NoAuthFileLocation)
        ));
    }
}

//! `login`/`logout` file writing: merge, modes, removal, the write target.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;

use super::super::credentials::write_target;
use super::super::*;

fn opts(path: &std::path::Path) -> RegistryOptions {
    RegistryOptions {
        auth_file: Some(path.to_path_buf()),
        ..Default::default()
    }
}

fn creds(u: &str, p: &str) -> Credentials {
    Credentials {
        username: u.into(),
        password: p.into(),
    }
}

#[test]
fn store_merges_and_sets_modes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/containers/auth.json");
    let o = opts(&path);
    store_credentials("r.io:5000", &creds("a", "b"), &o).unwrap();
    store_credentials("index.docker.io", &creds("hub", "pw"), &o).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(doc["auths"]["r.io:5000"]["auth"].is_string());
    assert!(doc["auths"]["docker.io"]["auth"].is_string());
    assert_eq!(
        lookup_credentials("docker.io", &o).unwrap(),
        Some(("hub".into(), "pw".into()))
    );
    assert_eq!(get_login("r.io:5000", &o).unwrap().as_deref(), Some("a"));
    assert_eq!(
        remove_credentials("r.io:5000", &o).unwrap(),
        Removed::From(path.clone())
    );
    assert_eq!(
        remove_credentials("r.io:5000", &o).unwrap(),
        Removed::NotLoggedIn
    );
    remove_all_credentials(&o).unwrap();
    assert_eq!(lookup_credentials("docker.io", &o).unwrap(), None);
}

#[test]
fn keeps_other_keys_and_refuses_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.json");
    std::fs::write(&path, r#"{"auths":{},"credHelpers":{"x":"y"}}"#).unwrap();
    store_credentials("r.io", &creds("a", "b"), &opts(&path)).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc["credHelpers"]["x"], "y");
    std::fs::write(&path, "[1]").unwrap();
    assert!(store_credentials("r.io", &creds("a", "b"), &opts(&path)).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[1]");
}

#[test]
fn write_target_order() {
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
    // The front end resolves the environment into `AuthFiles`; the target follows.
    let target = |env| write_target(&with(AuthFiles::from_env(env)));
    assert_eq!(
        target(env(&[("XDG_RUNTIME_DIR", "/run/u")])).unwrap(),
        std::path::PathBuf::from("/run/u/containers/auth.json")
    );
    assert_eq!(
        target(env(&[
            ("REGISTRY_AUTH_FILE", "/a.json"),
            ("XDG_RUNTIME_DIR", "/r")
        ]))
        .unwrap(),
        std::path::PathBuf::from("/a.json")
    );
    assert!(target(env(&[("HOME", "/h")])).is_err());
}

#[test]
fn creds_debug_hides_the_password() {
    let s = format!("{:?}", creds("me", "topsecret"));
    assert!(s.contains("me") && !s.contains("topsecret"), "{s}");
}

//! Unit tests of the store: layout, versions, blobs, names, temp sweeping, checks.

use super::*;
use crate::oci::Reference;

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("root"), &dir.path().join("run")).unwrap();
    (dir, store)
}

#[test]
fn creates_layout_and_version() {
    let (dir, store) = fresh();
    assert!(store.was_created());
    let v = std::fs::read_to_string(dir.path().join("root/version")).unwrap();
    assert_eq!(v.trim(), FORMAT_VERSION.to_string());
    let again = Store::open(&dir.path().join("root"), &dir.path().join("run")).unwrap();
    assert!(!again.was_created());
}

#[test]
fn refuses_newer_and_foreign_stores() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("version"), "99\n").unwrap();
    let err = Store::open(&root, dir.path()).err().unwrap().to_string();
    assert!(err.contains("newer"), "{err}");
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("precious.txt"), "x").unwrap();
    assert!(matches!(
        Store::open(&other, dir.path()),
        Err(StoreError::NotAStore { .. })
    ));
}

#[test]
fn blobs_are_verified() {
    let (_dir, store) = fresh();
    let d = store.put_blob(b"hello").unwrap();
    assert_eq!(store.read_blob(&d).unwrap(), b"hello");
    let wrong = Digest::of(b"other");
    assert!(store.put_blob_verified(b"hello", &wrong).is_err());
    assert!(!store.has_blob(&wrong));
    let mut w = store.blob_writer().unwrap();
    std::io::Write::write_all(&mut w, b"abc").unwrap();
    assert!(matches!(
        w.commit(&store, &Digest::of(b"abc"), Some(4)),
        Err(StoreError::SizeMismatch { .. })
    ));
    assert!(!store.has_blob(&Digest::of(b"abc")));
    // A corrupted blob is caught on read and by check.
    std::fs::write(store.blob_path(&d), b"tampered").unwrap();
    assert!(store.read_blob(&d).is_err());
    assert_eq!(store.check().unwrap(), vec![Problem::CorruptBlob(d)]);
}

#[test]
fn names_point_at_records() {
    let (_dir, store) = fresh();
    let config = store.put_blob(b"{}").unwrap();
    let manifest = store.put_blob(b"{\"m\":1}").unwrap();
    let rec = ImageRecord {
        id: config.clone(),
        manifest,
        manifest_media_type: "x".into(),
        index: None,
        config_size: 2,
        layers: vec![],
        repo_digests: vec![],
        added: 0,
    };
    store.put_image(&rec).unwrap();
    let name: Reference = "localhost/a:1".parse().unwrap();
    store.set_name(&name, &config).unwrap();
    assert_eq!(store.get_name(&name).unwrap(), Some(config.clone()));
    assert_eq!(
        store.list_names().unwrap(),
        vec![(name.clone(), config.clone())]
    );
    assert!(store.check().unwrap().is_empty());
    store.remove_image(&config).unwrap();
    assert_eq!(store.check().unwrap().len(), 1);
    assert!(store.remove_name(&name).unwrap());
    let stats = store.collect_garbage().unwrap();
    assert_eq!(stats.blobs, 2);
}

#[test]
fn record_needs_its_blobs() {
    let (_dir, store) = fresh();
    let rec = ImageRecord {
        id: Digest::of(b"missing"),
        manifest: Digest::of(b"m"),
        manifest_media_type: "x".into(),
        index: None,
        config_size: 0,
        layers: vec![],
        repo_digests: vec![],
        added: 0,
    };
    assert!(matches!(
        store.put_image(&rec),
        Err(StoreError::MissingBlob(_))
    ));
}

#[test]
fn sweeps_dead_temp_space_only() {
    let (dir, store) = fresh();
    let mine = store.temp_dir("x").unwrap();
    std::fs::write(&mine, b"live").unwrap();
    // A dead owner: a lock file nobody holds, and its dir.
    let tmp = dir.path().join("root/tmp");
    std::fs::create_dir_all(tmp.join("1-dead/sub")).unwrap();
    std::fs::write(tmp.join("1-dead.lock"), b"").unwrap();
    assert_eq!(
        store.check().unwrap(),
        vec![Problem::LeftoverTemp("1-dead".into())]
    );
    assert_eq!(store.sweep(), 1);
    assert!(!tmp.join("1-dead").exists());
    assert!(
        mine.exists(),
        "a live owner's temp space must survive a sweep"
    );
    drop(store);
    assert!(!mine.exists(), "temp space goes with its owner");
}

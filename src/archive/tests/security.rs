//! Security tests: malicious names and links must be refused with
//! `UnsafePath` and leave everything outside `dest` untouched.

use std::fs;

use tar::EntryType;

use super::{env, T};
use crate::archive::ArchiveError;

#[test]
fn whiteout_of_dotdot_is_refused() {
    let e = env();
    e.assert_refused(
        &T::new()
            .raw(b"a/.wh..", EntryType::Regular, b"", b"")
            .bytes(),
        "whiteout",
    );
}

#[test]
fn refuses_dotdot_and_absolute_names() {
    for name in [&b"../x"[..], b"/etc/x", b"a/../../x", b"./.."] {
        let e = env();
        let tar = T::new().raw(name, EntryType::Regular, b"", b"evil").bytes();
        let want = if name[0] == b'/' { "absolute" } else { "`..`" };
        e.assert_refused(&tar, want);
    }
}

#[test]
fn refuses_writes_through_symlinked_parents() {
    let e = env();
    let out = e.sentinel.to_str().unwrap().to_owned();
    let tar = T::new()
        .link(EntryType::Symlink, "evil", &out)
        .file("evil/file", 0o644, b"x")
        .bytes();
    e.assert_refused(&tar, "symlink");

    let e = env();
    let tar = T::new()
        .link(EntryType::Symlink, "d", "..")
        .raw(b"d/x", EntryType::Regular, b"", b"x")
        .bytes();
    e.assert_refused(&tar, "symlink");

    let e = env();
    let tar = T::new()
        .dir("a", 0o755)
        .link(EntryType::Symlink, "a/s", ".")
        .dir("a/s/t", 0o755)
        .bytes();
    e.assert_refused(&tar, "symlink");
}

#[test]
fn refuses_escaping_hardlinks() {
    let e = env();
    fs::write(e.dest.parent().unwrap().join("outside"), b"secret").unwrap();
    let tar = T::new()
        .raw(b"h", EntryType::Link, b"../outside", b"")
        .bytes();
    match e.unpack(&tar) {
        Err(ArchiveError::UnsafePath { reason, .. }) => assert!(reason.contains("`..`")),
        other => panic!("{other:?}"),
    }
    fs::remove_file(e.dest.parent().unwrap().join("outside")).unwrap();
    e.assert_outside_untouched();

    let e = env();
    e.assert_refused(
        &T::new()
            .raw(b"h", EntryType::Link, b"/etc/passwd", b"")
            .bytes(),
        "absolute",
    );

    let e = env();
    fs::write(e.sentinel.join("secret"), b"s").unwrap();
    let out = e.sentinel.to_str().unwrap().to_owned();
    let tar = T::new()
        .link(EntryType::Symlink, "s", &out)
        .raw(b"h", EntryType::Link, b"s/secret", b"")
        .bytes();
    match e.unpack(&tar) {
        Err(ArchiveError::UnsafePath { reason, .. }) => assert!(reason.contains("symlink")),
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read_dir(&e.sentinel).unwrap().count(), 1);
    assert!(!e.p("h").exists());
}

#[test]
fn replaced_dir_invalidates_cached_parent() {
    let e = env();
    let tar = T::new()
        .file("a/b/one", 0o644, b"1")
        .link(EntryType::Symlink, "a", e.sentinel.to_str().unwrap())
        .file("a/b/two", 0o644, b"2")
        .bytes();
    e.assert_refused(&tar, "symlink");
}

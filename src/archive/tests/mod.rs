//! Unpack tests: tars built in memory (raw header bytes for malicious names),
//! unpacked into a temp `dest` next to a `sentinel` directory that must stay
//! untouched.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tar::{EntryType, Header};

use super::*;
use crate::sys::fs as sysfs;

mod security;

const MTIME: u64 = 1_600_000_000;

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

pub(super) fn hdr(kind: EntryType, mode: u32, size: u64) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(MTIME);
    h.set_uid(0);
    h.set_gid(0);
    h
}

/// An in-memory layer tar.
pub(super) struct T(tar::Builder<Vec<u8>>);

impl T {
    pub(super) fn new() -> Self {
        T(tar::Builder::new(Vec::new()))
    }
    pub(super) fn add(&mut self, mut h: Header, path: &str, data: &[u8]) -> &mut Self {
        self.0.append_data(&mut h, path, data).unwrap();
        self
    }
    pub(super) fn file(&mut self, path: &str, mode: u32, data: &[u8]) -> &mut Self {
        self.add(hdr(EntryType::Regular, mode, data.len() as u64), path, data)
    }
    pub(super) fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        self.add(hdr(EntryType::Directory, mode, 0), path, &[])
    }
    pub(super) fn link(&mut self, kind: EntryType, path: &str, target: &str) -> &mut Self {
        let mut h = hdr(kind, 0o777, 0);
        self.0.append_link(&mut h, path, target).unwrap();
        self
    }
    pub(super) fn pax(&mut self, kv: &[(&str, &[u8])]) -> &mut Self {
        self.0.append_pax_extensions(kv.iter().copied()).unwrap();
        self
    }
    /// A header with the name (and link name) written as raw bytes, bypassing
    /// the builder's path checks.
    pub(super) fn raw(
        &mut self,
        name: &[u8],
        kind: EntryType,
        link: &[u8],
        data: &[u8],
    ) -> &mut Self {
        let mut h = Header::new_old();
        h.set_entry_type(kind);
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        h.set_mtime(MTIME);
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.as_old_mut().linkname[..link.len()].copy_from_slice(link);
        h.set_cksum();
        self.0.append(&h, data).unwrap();
        self
    }
    pub(super) fn bytes(&mut self) -> Vec<u8> {
        let b = std::mem::replace(&mut self.0, tar::Builder::new(Vec::new()));
        b.into_inner().unwrap()
    }
}

pub(super) struct Env {
    _tmp: tempfile::TempDir,
    pub(super) dest: PathBuf,
    pub(super) sentinel: PathBuf,
}

pub(super) fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("dest");
    let sentinel = tmp.path().join("sentinel");
    fs::create_dir(&dest).unwrap();
    fs::create_dir(&sentinel).unwrap();
    Env {
        _tmp: tmp,
        dest,
        sentinel,
    }
}

fn policy() -> IdPolicy {
    if is_root() {
        IdPolicy::Keep
    } else {
        IdPolicy::Squash
    }
}

impl Env {
    pub(super) fn unpack(&self, tar: &[u8]) -> Result<UnpackStats, ArchiveError> {
        unpack_layer(tar, &self.dest, &UnpackOptions { ids: policy() })
    }
    pub(super) fn p(&self, rel: &str) -> PathBuf {
        self.dest.join(rel)
    }
    pub(super) fn assert_outside_untouched(&self) {
        assert_eq!(
            fs::read_dir(&self.sentinel).unwrap().count(),
            0,
            "sentinel dir was written to"
        );
        let parent = self.dest.parent().unwrap();
        let mut names: Vec<_> = fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["dest", "sentinel"],
            "something was created next to dest"
        );
    }
    pub(super) fn assert_refused(&self, tar: &[u8], want: &str) {
        match self.unpack(tar) {
            Err(ArchiveError::UnsafePath { reason, .. }) => {
                assert!(
                    reason.contains(want),
                    "reason {reason:?} does not mention {want:?}"
                )
            }
            other => panic!("expected UnsafePath ({want}), got {other:?}"),
        }
        self.assert_outside_untouched();
    }
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

fn mtime(p: &Path) -> i64 {
    fs::symlink_metadata(p).unwrap().mtime()
}

#[test]
fn files_dirs_modes_and_mtimes() {
    let e = env();
    let tar = T::new()
        .dir("a/", 0o750)
        .file("a/f", 0o4755, b"hello")
        .file("a/g", 0o600, b"")
        .dir("ro/", 0o555)
        .file("ro/x", 0o444, b"in a read-only dir")
        .file("deep/er/file", 0o644, b"missing parents")
        .bytes();
    let stats = e.unpack(&tar).unwrap();
    assert_eq!(stats.entries, 6);
    assert_eq!(stats.bytes, 5 + 18 + 15);
    assert_eq!(fs::read(e.p("a/f")).unwrap(), b"hello");
    assert_eq!(mode(&e.p("a")), 0o750);
    assert_eq!(mode(&e.p("a/f")), 0o4755, "setuid survives chown");
    assert_eq!(mode(&e.p("a/g")), 0o600);
    assert_eq!(mode(&e.p("ro")), 0o555);
    assert_eq!(fs::read(e.p("ro/x")).unwrap(), b"in a read-only dir");
    assert_eq!(fs::read(e.p("deep/er/file")).unwrap(), b"missing parents");
    for p in ["a", "a/f", "a/g", "ro", "ro/x", "deep/er/file"] {
        assert_eq!(mtime(&e.p(p)), MTIME as i64, "mtime of {p}");
    }
    e.assert_outside_untouched();
}

#[test]
fn root_entry_sets_dest_metadata() {
    let e = env();
    let tar = T::new().dir("./", 0o711).file("./f", 0o644, b"x").bytes();
    e.unpack(&tar).unwrap();
    assert_eq!(mode(&e.dest), 0o711);
    assert_eq!(mtime(&e.dest), MTIME as i64);
}

#[test]
fn ownership_keep_and_squash() {
    if !is_root() {
        eprintln!("skip: chown to arbitrary ids needs root");
        return;
    }
    let mut h = hdr(EntryType::Regular, 0o2755, 1);
    h.set_uid(1234);
    h.set_gid(5678);
    let tar = T::new().add(h, "f", b"x").bytes();
    let e = env();
    unpack_layer(
        &tar[..],
        &e.dest,
        &UnpackOptions {
            ids: IdPolicy::Keep,
        },
    )
    .unwrap();
    let md = fs::metadata(e.p("f")).unwrap();
    assert_eq!((md.uid(), md.gid()), (1234, 5678));
    assert_eq!(mode(&e.p("f")), 0o2755, "setgid applied after chown");
    let e = env();
    unpack_layer(
        &tar[..],
        &e.dest,
        &UnpackOptions {
            ids: IdPolicy::Squash,
        },
    )
    .unwrap();
    assert_eq!(fs::metadata(e.p("f")).unwrap().uid(), 0);
}

#[test]
fn id_beyond_u32_is_unmapped() {
    let e = env();
    let big = (u64::from(u32::MAX) + 5).to_string();
    let tar = T::new()
        .pax(&[("uid", big.as_bytes())])
        .file("f", 0o644, b"")
        .bytes();
    let err = unpack_layer(
        &tar[..],
        &e.dest,
        &UnpackOptions {
            ids: IdPolicy::Keep,
        },
    )
    .unwrap_err();
    assert!(matches!(err, ArchiveError::UnmappedId { .. }), "{err:?}");
    assert!(
        err.to_string().contains("insufficient UIDs or GIDs"),
        "{err}"
    );
}

#[test]
fn symlinks_and_hardlinks() {
    let e = env();
    let tar = T::new()
        .file("f", 0o644, b"data")
        .link(EntryType::Symlink, "abs", "/etc/passwd")
        .link(EntryType::Symlink, "up", "../../x")
        .link(EntryType::Link, "h", "f")
        .link(EntryType::Link, "hs", "abs")
        .bytes();
    e.unpack(&tar).unwrap();
    assert_eq!(fs::read_link(e.p("abs")).unwrap(), Path::new("/etc/passwd"));
    assert_eq!(fs::read_link(e.p("up")).unwrap(), Path::new("../../x"));
    assert_eq!(mtime(&e.p("abs")), MTIME as i64, "symlink's own mtime");
    let ino = |p: &str| fs::symlink_metadata(e.p(p)).unwrap().ino();
    assert_eq!(ino("h"), ino("f"));
    assert_eq!(
        ino("hs"),
        ino("abs"),
        "hard link to a symlink links the symlink"
    );
    e.assert_outside_untouched();
}

#[test]
fn hardlink_to_missing_target_fails() {
    let e = env();
    let tar = T::new().link(EntryType::Link, "h", "nope").bytes();
    assert!(matches!(e.unpack(&tar), Err(ArchiveError::Link { .. })));
}

#[test]
fn long_names_gnu_and_pax() {
    let e = env();
    let long = format!("{}/{}", "d".repeat(150), "f".repeat(200)); // > 255
    let mid = "m".repeat(120); // > 100
    let target = format!("/{}", "t".repeat(180));
    let pax_name = format!("p/{}", "x".repeat(230));
    let tar = T::new()
        .file(&long, 0o644, b"long")
        .file(&mid, 0o644, b"mid")
        .link(EntryType::Symlink, "sl", &target)
        .pax(&[("path", pax_name.as_bytes())])
        .file("ignored-name", 0o644, b"pax")
        .bytes();
    e.unpack(&tar).unwrap();
    assert_eq!(fs::read(e.p(&long)).unwrap(), b"long");
    assert_eq!(fs::read(e.p(&mid)).unwrap(), b"mid");
    assert_eq!(fs::read_link(e.p("sl")).unwrap(), Path::new(&target));
    assert_eq!(fs::read(e.p(&pax_name)).unwrap(), b"pax");
    assert!(!e.p("ignored-name").exists());
}

#[test]
fn non_utf8_names_are_kept_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let e = env();
    let tar = T::new()
        .raw(b"caf\xe9", EntryType::Regular, b"", b"latin1")
        .bytes();
    e.unpack(&tar).unwrap();
    let p = e.dest.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    assert_eq!(fs::read(p).unwrap(), b"latin1");
}

#[test]
fn whiteouts_and_opaque_dirs() {
    let e = env();
    let tar = T::new()
        .dir("d/", 0o755)
        .file("d/.wh..wh..opq", 0o644, b"")
        .file(".wh.gone", 0o644, b"")
        .file("d/.wh.sub", 0o644, b"")
        .file(".wh..wh.plnk", 0o644, b"")
        .bytes();
    e.unpack(&tar).unwrap();
    for w in ["gone", "d/sub"] {
        let md = fs::symlink_metadata(e.p(w)).unwrap();
        assert!(md.file_type().is_char_device(), "{w} is a whiteout");
        assert_eq!(md.rdev(), 0);
    }
    assert!(!e.p(".wh.gone").exists() && !e.p("d/.wh..wh..opq").exists());
    assert!(!e.p(".wh..wh.plnk").exists());
    let v = sysfs::lgetxattr(e.p("d").as_os_str(), b"user.overlay.opaque").unwrap();
    assert_eq!(v, b"y");
    assert_eq!(mtime(&e.p("d")), MTIME as i64);
}

#[test]
fn xattrs_from_pax() {
    let e = env();
    let tar = T::new()
        .pax(&[
            ("SCHILY.xattr.user.bin", &b"a\nb\0c"[..]),
            ("SCHILY.xattr.user.overlay.opaque", b"y"),
            ("size", b"3"),
        ])
        .file("f", 0o644, b"abc")
        .pax(&[("SCHILY.xattr.user.d", b"dir")])
        .dir("d", 0o755)
        .bytes();
    let stats = e.unpack(&tar).unwrap();
    assert_eq!(
        sysfs::lgetxattr(e.p("f").as_os_str(), b"user.bin").unwrap(),
        b"a\nb\0c"
    );
    assert_eq!(
        sysfs::lgetxattr(e.p("d").as_os_str(), b"user.d").unwrap(),
        b"dir"
    );
    assert!(sysfs::lgetxattr(e.p("f").as_os_str(), b"user.overlay.opaque").is_err());
    assert_eq!(
        stats.skipped_xattrs, 1,
        "overlay's own xattrs are never taken from a layer"
    );
    assert_eq!(fs::read(e.p("f")).unwrap(), b"abc");
}

#[test]
fn devices_and_fifos() {
    let e = env();
    let mut c = hdr(EntryType::Char, 0o666, 0);
    c.set_device_major(1).unwrap();
    c.set_device_minor(3).unwrap();
    let tar = T::new()
        .add(c, "null", &[])
        .add(hdr(EntryType::Fifo, 0o640, 0), "fifo", &[])
        .bytes();
    let stats = e.unpack(&tar).unwrap();
    assert!(fs::symlink_metadata(e.p("fifo"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(mode(&e.p("fifo")), 0o640);
    if stats.skipped_devices == 0 {
        let md = fs::symlink_metadata(e.p("null")).unwrap();
        assert!(md.file_type().is_char_device());
        assert_eq!(md.rdev(), nix::sys::stat::makedev(1, 3));
    } else {
        eprintln!("note: mknod refused (user namespace?), device skipped");
        assert!(!e.p("null").exists());
    }
}

#[test]
fn duplicate_paths_later_wins() {
    let e = env();
    let mut d2 = hdr(EntryType::Directory, 0o700, 0);
    d2.set_mtime(MTIME + 50);
    let tar = T::new()
        .file("x", 0o644, b"first")
        .dir("x", 0o755)
        .file("x/child", 0o644, b"c")
        .dir("x/sub", 0o711)
        .file("x", 0o600, b"second")
        .dir("d", 0o755)
        .file("d/keep", 0o644, b"k")
        .add(d2, "d", &[])
        .file("s", 0o644, b"file")
        .link(EntryType::Symlink, "s", "target")
        .dir("y/z", 0o755)
        .link(EntryType::Symlink, "y", "/")
        .bytes();
    e.unpack(&tar).unwrap();
    assert_eq!(fs::read(e.p("x")).unwrap(), b"second");
    assert_eq!(mode(&e.p("x")), 0o600);
    assert_eq!(
        fs::read(e.p("d/keep")).unwrap(),
        b"k",
        "dir over dir keeps children"
    );
    assert_eq!(mode(&e.p("d")), 0o700);
    assert_eq!(mtime(&e.p("d")), (MTIME + 50) as i64);
    assert_eq!(fs::read_link(e.p("s")).unwrap(), Path::new("target"));
    assert_eq!(fs::read_link(e.p("y")).unwrap(), Path::new("/"));
    e.assert_outside_untouched();
}

/// Counts what the unpacker reads.
struct Counting<'a>(&'a [u8], usize);

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1 += n;
        Ok(n)
    }
}

#[test]
fn reads_trailing_data_to_eof() {
    let e = env();
    let mut tar = T::new().file("f", 0o644, b"x").bytes();
    tar.extend(std::iter::repeat_n(0u8, 10_000));
    tar.extend_from_slice(b"trailing junk");
    let mut r = Counting(&tar, 0);
    unpack_layer(&mut r, &e.dest, &UnpackOptions { ids: policy() }).unwrap();
    assert_eq!(r.1, tar.len());
}

#[test]
fn truncated_stream_is_corrupt() {
    let e = env();
    let tar = T::new().file("f", 0o644, &[7u8; 2000]).bytes();
    let err = e.unpack(&tar[..1200]).unwrap_err();
    assert!(matches!(err, ArchiveError::Corrupt { .. }), "{err:?}");
    let mut bad = T::new().file("f", 0o644, b"x").bytes();
    bad[0] ^= 1;
    assert!(matches!(e.unpack(&bad), Err(ArchiveError::Corrupt { .. })));
}

#[test]
fn large_file_roundtrip() {
    let e = env();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let tar = T::new().file("big", 0o644, &data).bytes();
    let stats = e.unpack(&tar).unwrap();
    assert_eq!(stats.bytes, data.len() as u64);
    assert_eq!(fs::read(e.p("big")).unwrap(), data);
}

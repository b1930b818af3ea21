//! Writing layer tars: a directory tree (an overlay upper dir, or files the builder
//! lays out) becomes an uncompressed OCI layer tar in PAX format.
//!
//! - Owners are written as this process sees them (inside the user namespace:
//!   the container's ids); modes, mtimes and xattrs as found, except overlayfs'
//!   own `user.overlay.*` / `trusted.overlay.*` bookkeeping.
//! - Overlay whiteouts (0:0 character devices) become `.wh.NAME`; opaque dirs
//!   (`user.overlay.opaque=y` or `trusted.overlay.opaque=y`) get `.wh..wh..opq`.
//! - Entries are sorted by name (deterministic output); a file with several
//!   links in the tree is written once, later links as hard links.
//! - [`HashingWriter`] gives the diff id (sha256 of the uncompressed tar).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::oci::Digest;

/// Why writing a layer failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("reading {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("writing layer tar entry {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The kinds of tar entries a layer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    /// A regular file of `size` bytes; the data is passed to [`LayerTar::append`].
    File {
        size: u64,
    },
    Symlink(String),
    /// A hard link to an earlier entry (its path, relative).
    Hardlink(String),
    Char(u32, u32),
    Block(u32, u32),
    Fifo,
    /// `.wh.NAME`: the path is the deleted name.
    Whiteout,
    /// `.wh..wh..opq` in the directory at the path.
    Opaque,
}

/// One entry: `path` relative to the layer root, `/`-separated, no leading `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarEntry {
    pub path: String,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: u64,
    pub xattrs: Vec<(String, Vec<u8>)>,
}

/// A tar stream being written entry by entry.
pub struct LayerTar<W: Write> {
    builder: tar::Builder<W>,
}

impl<W: Write> LayerTar<W> {
    pub fn new(out: W) -> Self {
        let mut builder = tar::Builder::new(out);
        builder.mode(tar::HeaderMode::Complete);
        LayerTar { builder }
    }

    /// Append one entry; `data` must give exactly `size` bytes for a file.
    pub fn append(&mut self, e: &TarEntry, data: Option<&mut dyn Read>) -> std::io::Result<()> {
        let (name, ty) = match &e.kind {
            EntryKind::Whiteout => (whiteout_name(&e.path, false), tar::EntryType::Regular),
            EntryKind::Opaque => (whiteout_name(&e.path, true), tar::EntryType::Regular),
            EntryKind::Dir => (format!("{}/", e.path), tar::EntryType::Directory),
            EntryKind::File { .. } => (e.path.clone(), tar::EntryType::Regular),
            EntryKind::Symlink(_) => (e.path.clone(), tar::EntryType::Symlink),
            EntryKind::Hardlink(_) => (e.path.clone(), tar::EntryType::Link),
            EntryKind::Char(..) => (e.path.clone(), tar::EntryType::Char),
            EntryKind::Block(..) => (e.path.clone(), tar::EntryType::Block),
            EntryKind::Fifo => (e.path.clone(), tar::EntryType::Fifo),
        };
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(ty);
        h.set_mtime(e.mtime);
        let special = matches!(e.kind, EntryKind::Whiteout | EntryKind::Opaque);
        h.set_mode(if special { 0 } else { e.mode & 0o7777 });
        let (uid, gid) = if special { (0, 0) } else { (e.uid, e.gid) };
        let mut pax: Vec<(String, Vec<u8>)> = Vec::new();
        if name.len() > 100 || h.set_path(&name).is_err() {
            pax.push(("path".into(), name.as_bytes().to_vec()));
            h.set_path(short_name(&name))?;
        }
        for (id, key, set) in [(uid, "uid", true), (gid, "gid", false)] {
            if id > 0o7777777 {
                pax.push((key.into(), id.to_string().into_bytes()));
            } else if set {
                h.set_uid(id);
            } else {
                h.set_gid(id);
            }
        }
        let mut size = 0;
        match &e.kind {
            EntryKind::File { size: s } => size = *s,
            EntryKind::Symlink(t) | EntryKind::Hardlink(t)
                if t.len() > 100 || h.set_link_name(t).is_err() =>
            {
                pax.push(("linkpath".into(), t.as_bytes().to_vec()));
            }
            EntryKind::Char(ma, mi) | EntryKind::Block(ma, mi) => {
                h.set_device_major(*ma)?;
                h.set_device_minor(*mi)?;
            }
            _ => {}
        }
        if size > 0o77777777777 {
            pax.push(("size".into(), size.to_string().into_bytes()));
        }
        h.set_size(size);
        for (k, v) in &e.xattrs {
            pax.push((format!("SCHILY.xattr.{k}"), v.clone()));
        }
        if !pax.is_empty() {
            self.builder
                .append_pax_extensions(pax.iter().map(|(k, v)| (k.as_str(), v.as_slice())))?;
        }
        h.set_cksum();
        match data {
            Some(d) if size > 0 => self.builder.append(&h, d.take(size)),
            _ => self.builder.append(&h, std::io::empty()),
        }
    }

    /// Write the end-of-archive marker and return the output.
    pub fn finish(self) -> std::io::Result<W> {
        self.builder.into_inner()
    }
}

/// A placeholder ustar name for an entry whose real name is in a PAX record.
fn short_name(name: &str) -> &str {
    let mut start = name.len().saturating_sub(99);
    while !name.is_char_boundary(start) {
        start += 1;
    }
    name[start..].trim_start_matches('/')
}

fn whiteout_name(path: &str, opaque: bool) -> String {
    if opaque {
        return if path.is_empty() {
            ".wh..wh..opq".into()
        } else {
            format!("{path}/.wh..wh..opq")
        };
    }
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/.wh.{name}"),
        None => format!(".wh.{path}"),
    }
}

/// Overlay bookkeeping and other attributes that must not go into a layer.
fn keep_xattr(name: &[u8]) -> bool {
    !(name.starts_with(b"user.overlay.")
        || name.starts_with(b"trusted.overlay.")
        || name.starts_with(b"security.selinux"))
}

fn is_opaque(path: &Path) -> bool {
    [b"user.overlay.opaque".as_slice(), b"trusted.overlay.opaque"]
        .iter()
        .any(|n| crate::sys::fs::lgetxattr(path.as_os_str(), n).is_ok_and(|v| v == b"y"))
}

fn xattrs_of(path: &Path) -> Vec<(String, Vec<u8>)> {
    let names = crate::sys::fs::llistxattr(path.as_os_str()).unwrap_or_default();
    let mut out = Vec::new();
    for n in names.into_iter().filter(|n| keep_xattr(n)) {
        if let Ok(v) = crate::sys::fs::lgetxattr(path.as_os_str(), &n) {
            out.push((String::from_utf8_lossy(&n).into_owned(), v));
        }
    }
    out.sort();
    out
}

/// The entry describing `path` (on disk) as `rel` in the layer.
pub fn entry_for(path: &Path, rel: &str, meta: &std::fs::Metadata) -> Result<TarEntry, WriteError> {
    let ft = meta.file_type();
    let read_err = |source| WriteError::Read {
        path: path.to_path_buf(),
        source,
    };
    let dev = |rdev: u64| (libc::major(rdev), libc::minor(rdev));
    let kind = if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_file() {
        EntryKind::File { size: meta.len() }
    } else if ft.is_symlink() {
        let t = std::fs::read_link(path).map_err(read_err)?;
        EntryKind::Symlink(String::from_utf8_lossy(t.as_os_str().as_bytes()).into_owned())
    } else if ft.is_char_device() && meta.rdev() == 0 {
        EntryKind::Whiteout
    } else if ft.is_char_device() {
        let (a, b) = dev(meta.rdev());
        EntryKind::Char(a, b)
    } else if ft.is_block_device() {
        let (a, b) = dev(meta.rdev());
        EntryKind::Block(a, b)
    } else {
        EntryKind::Fifo
    };
    let xattrs = if matches!(kind, EntryKind::Whiteout) {
        Vec::new()
    } else {
        xattrs_of(path)
    };
    Ok(TarEntry {
        path: rel.to_string(),
        kind,
        mode: meta.mode() & 0o7777,
        uid: u64::from(meta.uid()),
        gid: u64::from(meta.gid()),
        mtime: u64::try_from(meta.mtime()).unwrap_or(0),
        xattrs,
    })
}

/// Decides per relative path whether an entry of the tree goes into the layer.
pub type Filter<'a> = &'a dyn Fn(&str, &std::fs::Metadata) -> bool;

/// Write the tree under `root` (an overlay upper dir) as a layer. Returns the
/// number of entries written.
pub fn write_tree<W: Write>(
    root: &Path,
    tar: &mut LayerTar<W>,
    keep: Filter<'_>,
) -> Result<u64, WriteError> {
    let mut links: HashMap<(u64, u64), String> = HashMap::new();
    let mut count = 0;
    walk(root, "", tar, keep, &mut links, &mut count)?;
    Ok(count)
}

fn walk<W: Write>(
    dir: &Path,
    prefix: &str,
    tar: &mut LayerTar<W>,
    keep: Filter<'_>,
    links: &mut HashMap<(u64, u64), String>,
    count: &mut u64,
) -> Result<(), WriteError> {
    let read_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| WriteError::Read { path: p, source }
    };
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir)
        .map_err(read_err(dir))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(read_err(dir))?;
    names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    for name in names {
        let path = dir.join(&name);
        let rel = match prefix {
            "" => name.to_string_lossy().into_owned(),
            p => format!("{p}/{}", name.to_string_lossy()),
        };
        let meta = std::fs::symlink_metadata(&path).map_err(read_err(&path))?;
        if !keep(&rel, &meta) {
            continue;
        }
        let mut e = entry_for(&path, &rel, &meta)?;
        let write_err = |source| WriteError::Write {
            path: rel.clone(),
            source,
        };
        *count += 1;
        match e.kind {
            EntryKind::Dir => {
                tar.append(&e, None).map_err(write_err)?;
                if is_opaque(&path) {
                    e.kind = EntryKind::Opaque;
                    tar.append(&e, None).map_err(write_err)?;
                }
                walk(&path, &rel, tar, keep, links, count)?;
            }
            EntryKind::File { .. } if meta.nlink() > 1 => {
                if let Some(first) = links.get(&(meta.dev(), meta.ino())) {
                    e.kind = EntryKind::Hardlink(first.clone());
                    tar.append(&e, None).map_err(write_err)?;
                } else {
                    links.insert((meta.dev(), meta.ino()), rel.clone());
                    append_file(tar, &e, &path)?;
                }
            }
            EntryKind::File { .. } => append_file(tar, &e, &path)?,
            _ => tar.append(&e, None).map_err(write_err)?,
        }
    }
    Ok(())
}

/// Append a regular file entry with the content of `path`.
pub fn append_file<W: Write>(
    tar: &mut LayerTar<W>,
    e: &TarEntry,
    path: &Path,
) -> Result<(), WriteError> {
    let mut f = std::fs::File::open(path).map_err(|source| WriteError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    tar.append(e, Some(&mut f))
        .map_err(|source| WriteError::Write {
            path: e.path.clone(),
            source,
        })
}

/// A writer that hashes (sha256) and counts what passes through it.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    count: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }

    /// The digest and byte count of everything written, and the inner writer.
    pub fn finish(self) -> (Digest, u64, W) {
        (Digest::from_hasher(self.hasher), self.count, self.inner)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn entries(tar_bytes: &[u8]) -> Vec<(String, tar::EntryType, u32, Vec<u8>)> {
        let mut a = tar::Archive::new(tar_bytes);
        let mut out = Vec::new();
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            let p = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            let ty = e.header().entry_type();
            let mode = e.header().mode().unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            out.push((p, ty, mode, data));
        }
        out
    }

    fn tree_tar(root: &Path) -> Vec<u8> {
        let mut t = LayerTar::new(Vec::new());
        write_tree(root, &mut t, &|_, _| true).unwrap();
        t.finish().unwrap()
    }

    #[test]
    fn sorted_tree_with_modes_links_and_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let r = tmp.path();
        std::fs::create_dir(r.join("b")).unwrap();
        std::fs::write(r.join("b/f"), b"hello").unwrap();
        std::fs::set_permissions(r.join("b/f"), std::fs::Permissions::from_mode(0o751)).unwrap();
        std::fs::hard_link(r.join("b/f"), r.join("b/g")).unwrap();
        std::os::unix::fs::symlink("b/f", r.join("a")).unwrap();
        let got = entries(&tree_tar(r));
        let names: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, ["a", "b/", "b/f", "b/g"]);
        assert_eq!(got[0].1, tar::EntryType::Symlink);
        assert_eq!(got[2].2, 0o751);
        assert_eq!(got[2].3, b"hello");
        assert_eq!(got[3].1, tar::EntryType::Link);
    }

    #[test]
    fn whiteouts_and_opaque_dirs() {
        let mut t = LayerTar::new(Vec::new());
        let e = |path: &str, kind| TarEntry {
            path: path.into(),
            kind,
            mode: 0o755,
            uid: 0,
            gid: 0,
            mtime: 0,
            xattrs: Vec::new(),
        };
        t.append(&e("etc/gone", EntryKind::Whiteout), None).unwrap();
        t.append(&e("top", EntryKind::Whiteout), None).unwrap();
        t.append(&e("var", EntryKind::Dir), None).unwrap();
        t.append(&e("var", EntryKind::Opaque), None).unwrap();
        let got = entries(&t.finish().unwrap());
        let names: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            names,
            ["etc/.wh.gone", ".wh.top", "var/", "var/.wh..wh..opq"]
        );
    }

    #[test]
    fn long_names_and_big_ids_use_pax() {
        let long = format!("{}/file", "d".repeat(150));
        let mut t = LayerTar::new(Vec::new());
        let e = TarEntry {
            path: long.clone(),
            kind: EntryKind::File { size: 3 },
            mode: 0o644,
            uid: 100_000_000,
            gid: 5,
            mtime: 7,
            xattrs: vec![("user.k".into(), b"v".to_vec())],
        };
        t.append(&e, Some(&mut &b"abc"[..])).unwrap();
        let bytes = t.finish().unwrap();
        let mut a = tar::Archive::new(bytes.as_slice());
        let mut entry = a.entries().unwrap().next().unwrap().unwrap();
        assert_eq!(String::from_utf8_lossy(&entry.path_bytes()), long);
        let exts: Vec<(String, Vec<u8>)> = entry
            .pax_extensions()
            .unwrap()
            .unwrap()
            .map(|x| {
                let x = x.unwrap();
                (x.key().unwrap().to_string(), x.value_bytes().to_vec())
            })
            .collect();
        assert!(exts.contains(&("uid".into(), b"100000000".to_vec())));
        assert!(exts.contains(&("SCHILY.xattr.user.k".into(), b"v".to_vec())));
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        assert_eq!(data, b"abc");
    }

    #[test]
    fn round_trips_through_unpack() {
        let tmp = tempfile::tempdir().unwrap();
        let r = tmp.path().join("src");
        std::fs::create_dir_all(r.join("x/y")).unwrap();
        std::fs::write(r.join("x/y/z"), b"data").unwrap();
        let bytes = tree_tar(&r);
        let dst = tmp.path().join("dst");
        std::fs::create_dir(&dst).unwrap();
        crate::archive::unpack_layer(
            bytes.as_slice(),
            &dst,
            &crate::archive::UnpackOptions {
                ids: crate::archive::IdPolicy::Squash,
            },
        )
        .unwrap();
        assert_eq!(std::fs::read(dst.join("x/y/z")).unwrap(), b"data");
    }

    #[test]
    fn hashing_writer_digests() {
        let mut w = HashingWriter::new(Vec::new());
        w.write_all(b"abc").unwrap();
        let (d, n, inner) = w.finish();
        assert_eq!(d, Digest::of(b"abc"));
        assert_eq!((n, inner.len()), (3, 3));
    }
}

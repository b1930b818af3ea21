//! COPY and ADD with Docker's semantics: sources from the context (wildcards,
//! `.dockerignore` applied), from an earlier stage or an image (`--from`), or a
//! heredoc; a directory source copies its contents; the destination is a
//! directory when it ends in `/`, when there are several sources, or when it is a
//! directory in the image already; `--chown` by name or id (against the image's
//! /etc/passwd and /etc/group), `--chmod`. ADD also unpacks local tar archives
//! (plain, gzip, bzip2, xz, zstd) and fetches URLs (`--checksum` verified).
//!
//! The step is planned first ([`super::plan`]): every entry of the new layer, in
//! path order, with where its bytes come from. The plan's digest (path, type, mode, owner, link
//! target and content of each entry) goes into the cache key; on a miss the same
//! plan is written as the layer.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::context::Context;
use crate::archive::writer::{entry_for, EntryKind, TarEntry};
use crate::dockerfile::ast::Copy;
use crate::engine::draft::config::normalize;
use crate::engine::layerfs;

/// Where an entry's bytes come from.
#[derive(Debug, Clone)]
pub enum Data {
    None,
    Host(PathBuf),
    Bytes(Vec<u8>),
}

/// The new layer, planned.
pub struct Plan {
    pub entries: BTreeMap<String, (TarEntry, Data)>,
}

/// Where COPY reads from.
pub enum Source<'a> {
    Context(&'a Context),
    /// Layer dirs (top first) of a stage or image.
    Layers(Vec<PathBuf>),
}

/// What the planner needs of the stage.
pub struct Target<'a> {
    /// The stage's layer dirs, top first.
    pub layers: &'a [PathBuf],
    pub workdir: &'a str,
}

/// The owner `--chown` names, resolved in the image.
fn resolve_chown(layers: &[PathBuf], spec: &str) -> Result<(u64, u64), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let uid = resolve_id(layers, "etc/passwd", user)
        .ok_or_else(|| format!("--chown: unable to find user {user}"))?;
    let gid = match group {
        Some(g) => resolve_id(layers, "etc/group", g)
            .ok_or_else(|| format!("--chown: unable to find group {g}"))?,
        None => uid,
    };
    Ok((uid, gid))
}

fn resolve_id(layers: &[PathBuf], file: &str, name: &str) -> Option<u64> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    let text = layerfs::read(layers, file)?;
    String::from_utf8_lossy(&text).lines().find_map(|l| {
        let mut f = l.split(':');
        (f.next() == Some(name))
            .then(|| f.nth(1).and_then(|id| id.parse().ok()))
            .flatten()
    })
}

/// Plan the step. `sources`/`dest` are expanded already.
pub fn plan(
    c: &Copy,
    is_add: bool,
    sources: &[String],
    dest: &str,
    from: &Source<'_>,
    target: &Target<'_>,
) -> Result<Plan, String> {
    let dest_abs = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{}/{dest}", target.workdir.trim_end_matches('/'))
    };
    // Through the image's own symlinks (/bin -> usr/bin): a layer entry must never
    // replace a symlinked directory with a real one.
    let dest_rel = layerfs::resolve(target.layers, &normalize(&dest_abs), dest.ends_with('/'));
    let owner = match &c.chown {
        Some(spec) => Some(resolve_chown(target.layers, spec)?),
        None => None,
    };
    let chmod = match &c.chmod {
        Some(m) => {
            Some(u32::from_str_radix(m, 8).map_err(|_| format!("--chmod: invalid mode {m:?}"))?)
        }
        None => None,
    };
    let excludes = if c.excludes.is_empty() {
        None
    } else {
        Some(
            crate::dockerfile::ignore::IgnoreRules::from_patterns(&c.excludes)
                .map_err(|e| format!("--exclude: {e}"))?,
        )
    };
    let mut p = Planner {
        plan: Plan {
            entries: BTreeMap::new(),
        },
        owner,
        chmod,
        now: crate::engine::now_secs(),
        excludes,
    };
    // Expand wildcards first: the count decides whether dest is a directory.
    let mut selected: Vec<Selected> = Vec::new();
    for s in sources {
        if let Some(name) = s.strip_prefix("<<") {
            let name = name
                .trim_start_matches('-')
                .trim_matches(|c| c == '"' || c == '\'');
            let body = c
                .heredocs
                .iter()
                .find(|h| h.name == name)
                .ok_or_else(|| format!("heredoc {name:?} has no body"))?;
            selected.push(Selected::Heredoc(
                name.to_string(),
                body.content.clone().into_bytes(),
            ));
        } else if is_add && (s.starts_with("http://") || s.starts_with("https://")) {
            selected.push(Selected::Url(s.clone()));
        } else {
            match from {
                Source::Context(ctx) => {
                    let found = ctx.expand(s);
                    if found.is_empty() {
                        return Err(format!("no source files were specified matching {s:?}"));
                    }
                    selected.extend(found.into_iter().map(Selected::Path));
                }
                Source::Layers(_) => selected.push(Selected::Path(normalize(s))),
            }
        }
    }
    let dest_is_dir = dest.ends_with('/')
        || selected.len() > 1
        || layerfs::lookup(
            target.layers,
            &layerfs::resolve(target.layers, &dest_rel, true),
        )
        .and_then(|p| std::fs::symlink_metadata(p).ok())
        .is_some_and(|m| m.is_dir());
    let dest_rel = if dest_is_dir {
        layerfs::resolve(target.layers, &dest_rel, true)
    } else {
        dest_rel
    };
    if selected.len() > 1 && !dest.ends_with('/') {
        return Err(format!(
            "when using COPY with more than one source file, the destination must be a directory and end with a /: {dest}"
        ));
    }
    for s in selected {
        p.add_selected(s, from, &dest_rel, dest_is_dir, is_add, c)?;
    }
    p.add_parents(target.layers, &dest_rel, dest_is_dir);
    Ok(p.plan)
}

enum Selected {
    Path(String),
    Heredoc(String, Vec<u8>),
    Url(String),
}

struct Planner {
    plan: Plan,
    owner: Option<(u64, u64)>,
    chmod: Option<u32>,
    now: u64,
    /// `--exclude` patterns, matched against paths relative to the source.
    excludes: Option<crate::dockerfile::ignore::IgnoreRules>,
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

impl Planner {
    fn put(&mut self, mut e: TarEntry, data: Data) {
        if let Some((u, g)) = self.owner {
            e.uid = u;
            e.gid = g;
        }
        if let Some(m) = self.chmod {
            if !matches!(e.kind, EntryKind::Symlink(_)) {
                e.mode = m;
            }
        }
        self.plan.entries.insert(e.path.clone(), (e, data));
    }

    fn file(&self, path: String, mode: u32, size: u64) -> TarEntry {
        TarEntry {
            path,
            kind: EntryKind::File { size },
            mode,
            uid: 0,
            gid: 0,
            mtime: self.now,
            xattrs: Vec::new(),
        }
    }

    fn add_selected(
        &mut self,
        s: Selected,
        from: &Source<'_>,
        dest: &str,
        dest_is_dir: bool,
        is_add: bool,
        c: &Copy,
    ) -> Result<(), String> {
        let place = |name: &str| {
            if dest_is_dir {
                join(dest, name)
            } else {
                dest.to_string()
            }
        };
        match s {
            Selected::Heredoc(name, body) => {
                let e = self.file(place(&name), 0o644, body.len() as u64);
                self.put(e, Data::Bytes(body));
            }
            Selected::Url(url) => {
                let body = super::sources::fetch(&url, c.checksum.as_deref())?;
                let name = url
                    .split(['?', '#'])
                    .next()
                    .and_then(|u| u.rsplit('/').next())
                    .filter(|n| !n.is_empty())
                    .unwrap_or("download")
                    .to_string();
                let e = self.file(place(&name), 0o600, body.len() as u64);
                self.put(e, Data::Bytes(body));
            }
            Selected::Path(rel) => match from {
                Source::Context(ctx) => self.add_context(ctx, &rel, dest, dest_is_dir, is_add)?,
                Source::Layers(layers) => self.add_layers(layers, &rel, dest, dest_is_dir)?,
            },
        }
        Ok(())
    }

    fn add_context(
        &mut self,
        ctx: &Context,
        rel: &str,
        dest: &str,
        dest_is_dir: bool,
        is_add: bool,
    ) -> Result<(), String> {
        let host = ctx.host_path(rel);
        let not_found = || format!("{rel:?}: no such file or directory in the build context");
        // The named source itself is followed if it is a symlink, within the context.
        let meta = std::fs::metadata(&host).map_err(|_| not_found())?;
        if ctx.excluded(rel) && !(meta.is_dir() && ctx.may_include_under(rel)) {
            return Err(not_found());
        }
        if !meta.is_dir() && self.excludes.as_ref().is_some_and(|x| x.is_excluded(rel)) {
            return Ok(());
        }
        if !super::context::inside(&ctx.dir, &host) {
            return Err(format!("{rel:?} points outside the build context"));
        }
        let name = Path::new(rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if meta.is_dir() {
            self.walk_context(ctx, &host, rel, "", dest)?;
            return Ok(());
        }
        let to = if dest_is_dir {
            join(dest, &name)
        } else {
            dest.to_string()
        };
        if is_add {
            if let Some(tar) = super::sources::open_archive(&host)? {
                let base = if dest_is_dir {
                    dest.to_string()
                } else {
                    to.clone()
                };
                return self.extract(tar, &base);
            }
        }
        let mut e = entry_for(&host, &to, &meta).map_err(|e| e.to_string())?;
        e.uid = 0;
        e.gid = 0;
        e.xattrs.clear();
        self.put(e, Data::Host(host));
        Ok(())
    }

    /// Copy the contents of context dir `rel` (`srel` below the named source) to `dest`.
    fn walk_context(
        &mut self,
        ctx: &Context,
        dir: &Path,
        rel: &str,
        srel: &str,
        dest: &str,
    ) -> Result<(), String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let crel = join(rel, &name);
            let sub = join(srel, &name);
            let host = dir.join(&name);
            let meta = std::fs::symlink_metadata(&host).map_err(|e| format!("{crel}: {e}"))?;
            let excluded =
                ctx.excluded(&crel) || self.excludes.as_ref().is_some_and(|x| x.is_excluded(&sub));
            if excluded && !(meta.is_dir() && ctx.may_include_under(&crel)) {
                continue;
            }
            let to = join(dest, &name);
            let mut e = entry_for(&host, &to, &meta).map_err(|e| e.to_string())?;
            e.uid = 0;
            e.gid = 0;
            e.xattrs.clear();
            if meta.is_dir() {
                if !excluded {
                    self.put(e, Data::None);
                }
                self.walk_context(ctx, &host, &crel, &sub, &to)?;
            } else if meta.is_file() || meta.file_type().is_symlink() {
                self.put(e, Data::Host(host));
            }
        }
        Ok(())
    }

    fn add_layers(
        &mut self,
        layers: &[PathBuf],
        rel: &str,
        dest: &str,
        dest_is_dir: bool,
    ) -> Result<(), String> {
        let host = layerfs::lookup(layers, rel)
            .ok_or_else(|| format!("{rel:?}: no such file or directory in the source stage"))?;
        let meta = std::fs::symlink_metadata(&host).map_err(|e| e.to_string())?;
        let name = Path::new(rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if meta.is_dir() {
            return self.walk_layers(layers, rel, dest);
        }
        let to = if dest_is_dir {
            join(dest, &name)
        } else {
            dest.to_string()
        };
        let e = entry_for(&host, &to, &meta).map_err(|e| e.to_string())?;
        self.put(e, Data::Host(host));
        Ok(())
    }

    fn walk_layers(&mut self, layers: &[PathBuf], rel: &str, dest: &str) -> Result<(), String> {
        for name in layerfs::list_dir(layers, rel) {
            let crel = join(rel, &name);
            let Some(host) = layerfs::lookup(layers, &crel) else {
                continue;
            };
            let meta = std::fs::symlink_metadata(&host).map_err(|e| e.to_string())?;
            let to = join(dest, &name);
            let e = entry_for(&host, &to, &meta).map_err(|e| e.to_string())?;
            if meta.is_dir() {
                self.put(e, Data::None);
                self.walk_layers(layers, &crel, &to)?;
            } else {
                self.put(e, Data::Host(host));
            }
        }
        Ok(())
    }

    /// Unpack a tar archive's entries under `base`.
    fn extract(&mut self, input: Box<dyn Read>, base: &str) -> Result<(), String> {
        let mut a = tar::Archive::new(input);
        let entries = a.entries().map_err(|e| format!("reading archive: {e}"))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| format!("reading archive: {e}"))?;
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let path = join(base, &normalize(&raw));
            let h = entry.header();
            let mode = h.mode().unwrap_or(0o644) & 0o7777;
            let (uid, gid) = (h.uid().unwrap_or(0), h.gid().unwrap_or(0));
            let mtime = h.mtime().unwrap_or(self.now);
            let link = || -> String {
                entry
                    .link_name_bytes()
                    .map(|l| String::from_utf8_lossy(&l).into_owned())
                    .unwrap_or_default()
            };
            let (kind, data) = match h.entry_type() {
                tar::EntryType::Directory => (EntryKind::Dir, Data::None),
                tar::EntryType::Symlink => (EntryKind::Symlink(link()), Data::None),
                tar::EntryType::Link => (
                    EntryKind::Hardlink(join(base, &normalize(&link()))),
                    Data::None,
                ),
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let mut body = Vec::new();
                    entry
                        .read_to_end(&mut body)
                        .map_err(|e| format!("reading archive: {e}"))?;
                    (
                        EntryKind::File {
                            size: body.len() as u64,
                        },
                        Data::Bytes(body),
                    )
                }
                _ => continue,
            };
            let e = TarEntry {
                path,
                kind,
                mode,
                uid,
                gid,
                mtime,
                xattrs: Vec::new(),
            };
            self.plan.entries.insert(e.path.clone(), (e, data));
        }
        Ok(())
    }

    /// Directory entries for every parent of a planned entry: as the image has
    /// them, else new (root, 0755).
    fn add_parents(&mut self, layers: &[PathBuf], dest: &str, dest_is_dir: bool) {
        let mut dirs: Vec<String> = Vec::new();
        for path in self.plan.entries.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                dirs.push(parent.to_string());
                p = parent;
            }
        }
        if dest_is_dir && !dest.is_empty() {
            let mut p = dest;
            dirs.push(p.to_string());
            while let Some((parent, _)) = p.rsplit_once('/') {
                dirs.push(parent.to_string());
                p = parent;
            }
        }
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            if self.plan.entries.contains_key(&d) {
                continue;
            }
            let existing = layerfs::lookup(layers, &d)
                .and_then(|h| std::fs::symlink_metadata(&h).ok().map(|m| (h, m)))
                .filter(|(_, m)| m.is_dir());
            let e = match existing {
                Some((h, m)) => TarEntry {
                    path: d.clone(),
                    kind: EntryKind::Dir,
                    mode: m.mode() & 0o7777,
                    uid: u64::from(m.uid()),
                    gid: u64::from(m.gid()),
                    mtime: u64::try_from(m.mtime()).unwrap_or(0),
                    xattrs: entry_for(&h, &d, &m).map(|e| e.xattrs).unwrap_or_default(),
                },
                None => {
                    let (uid, gid) = if d == dest {
                        self.owner.unwrap_or((0, 0))
                    } else {
                        (0, 0)
                    };
                    TarEntry {
                        path: d.clone(),
                        kind: EntryKind::Dir,
                        mode: 0o755,
                        uid,
                        gid,
                        mtime: self.now,
                        xattrs: Vec::new(),
                    }
                }
            };
            self.plan.entries.insert(d, (e, Data::None));
        }
    }
}

/// The entries that create directory `rel` (and its missing parents) over `layers`.
pub fn dirs_plan(layers: &[PathBuf], rel: &str) -> Plan {
    let mut p = Planner {
        plan: Plan {
            entries: BTreeMap::new(),
        },
        owner: None,
        chmod: None,
        now: crate::engine::now_secs(),
        excludes: None,
    };
    p.add_parents(layers, rel, true);
    p.plan
}

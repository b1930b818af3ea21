//! Reading an image's filesystem without mounting it: a path looked up through
//! the unpacked layer dirs as overlayfs would show it (whiteouts hide, opaque
//! dirs stop the search), and the upper-dir filter that keeps the runtime's own
//! mount points out of a committed layer.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// The host path of `rel` (relative, `/`-separated) in the merged view of
/// `layers` (top first), or `None` when it does not exist there. Symlinks in
/// `rel` are not followed.
pub fn lookup(layers: &[PathBuf], rel: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    'layers: for layer in layers {
        let mut p = layer.clone();
        for (i, part) in parts.iter().enumerate() {
            p.push(part);
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.file_type().is_char_device() && m.rdev() == 0 => return None,
                Ok(m) if i + 1 == parts.len() => {
                    let _ = m;
                    return Some(p);
                }
                Ok(m) if m.is_dir() => {
                    if is_opaque(&p) {
                        // Lower layers cannot show anything under here.
                        return lookup_in(&p, &parts[i + 1..]);
                    }
                }
                Ok(_) => return None,
                Err(_) => continue 'layers,
            }
        }
        if parts.is_empty() {
            return Some(layer.clone());
        }
    }
    None
}

fn lookup_in(dir: &Path, rest: &[&str]) -> Option<PathBuf> {
    let p = rest.iter().fold(dir.to_path_buf(), |p, r| p.join(r));
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.file_type().is_char_device() && m.rdev() == 0 => None,
        Ok(_) => Some(p),
        Err(_) => None,
    }
}

fn is_opaque(p: &Path) -> bool {
    [b"user.overlay.opaque".as_slice(), b"trusted.overlay.opaque"]
        .iter()
        .any(|n| crate::sys::fs::lgetxattr(p.as_os_str(), n).is_ok_and(|v| v == b"y"))
}

/// `rel` with the symlinks among its directories resolved inside the image (as
/// the container would see them: absolute targets from the image root, `..`
/// clamped at the root). With `last`, a symlink at the final component is
/// followed too. At most 40 links are followed.
pub fn resolve(layers: &[PathBuf], rel: &str, last: bool) -> String {
    let mut todo: Vec<String> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .rev()
        .map(str::to_string)
        .collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    while let Some(part) = todo.pop() {
        if part == ".." {
            done.pop();
            continue;
        }
        done.push(part);
        let is_last = todo.is_empty();
        if is_last && !last {
            break;
        }
        let here = done.join("/");
        let Some(host) = lookup(layers, &here) else {
            continue;
        };
        let Ok(target) = std::fs::read_link(&host) else {
            continue;
        };
        hops += 1;
        if hops > 40 {
            break;
        }
        done.pop();
        let t = target.to_string_lossy().into_owned();
        if t.starts_with('/') {
            done.clear();
        }
        todo.extend(
            t.split('/')
                .filter(|p| !p.is_empty() && *p != ".")
                .rev()
                .map(str::to_string),
        );
    }
    done.join("/")
}

/// The names in directory `rel` of the merged view (sorted), whiteouts applied.
pub fn list_dir(layers: &[PathBuf], rel: &str) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut hidden = std::collections::BTreeSet::new();
    for layer in layers {
        let dir = layer.join(rel.trim_start_matches('/'));
        let Ok(meta) = std::fs::symlink_metadata(&dir) else {
            continue;
        };
        if !meta.is_dir() {
            break;
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let whiteout = e
                    .metadata()
                    .is_ok_and(|m| m.file_type().is_char_device() && m.rdev() == 0);
                if whiteout {
                    hidden.insert(name);
                } else if !hidden.contains(&name) {
                    names.insert(name);
                }
            }
        }
        if is_opaque(&dir) {
            break;
        }
    }
    names.into_iter().collect()
}

/// Read a whole file of the merged view (e.g. `etc/passwd`).
pub fn read(layers: &[PathBuf], rel: &str) -> Option<Vec<u8>> {
    std::fs::read(lookup(layers, rel)?).ok()
}

/// Mount points the runtime creates when the image lacks them: empty files
/// or dirs that must not end up in a layer.
const RUNTIME_PATHS: [&str; 6] = [
    "proc",
    "sys",
    "dev",
    "etc/hosts",
    "etc/hostname",
    "etc/resolv.conf",
];

/// Layer dirs (top first) with repeats dropped, each kept at its top-most place:
/// overlayfs refuses a lower dir given twice, and the merged view is the same
/// (whatever a layer shows, its top-most copy shows over everything between).
pub fn dedup_lower(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    dirs.into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect()
}

/// Whether upper-dir entry `rel` (at `upper/rel`) belongs in a layer over `lower`
/// (top first). A directory that was only copied up (the lower one has the same
/// type, mode and owner, it is not opaque, and nothing under it belongs in the
/// layer) is left out: a step that changed nothing makes no layer.
pub fn keep_upper_entry(
    upper: &Path,
    lower: &[PathBuf],
    rel: &str,
    meta: &std::fs::Metadata,
) -> bool {
    keep_entry(lower, rel, meta) && !(meta.is_dir() && only_copied_up(upper, lower, rel, meta))
}

fn only_copied_up(upper: &Path, lower: &[PathBuf], rel: &str, meta: &std::fs::Metadata) -> bool {
    let path = upper.join(rel);
    if is_opaque(&path) {
        return false;
    }
    let same = lookup(lower, rel)
        .and_then(|l| std::fs::symlink_metadata(l).ok())
        .is_some_and(|l| {
            l.is_dir() && l.mode() == meta.mode() && l.uid() == meta.uid() && l.gid() == meta.gid()
        });
    let Ok(entries) = std::fs::read_dir(&path) else {
        return false;
    };
    same && entries.into_iter().all(|e| {
        let Ok(e) = e else { return false };
        let child = format!("{rel}/{}", e.file_name().to_string_lossy());
        std::fs::symlink_metadata(e.path())
            .is_ok_and(|m| !keep_upper_entry(upper, lower, &child, &m))
    })
}

fn keep_entry(lower: &[PathBuf], rel: &str, meta: &std::fs::Metadata) -> bool {
    if rel == "dev" || rel.starts_with("dev/") {
        // /dev is a tmpfs in the container: only its mount point can reach upper.
        return rel != "dev" || lookup(lower, "dev").is_some();
    }
    if !RUNTIME_PATHS.contains(&rel) {
        return true;
    }
    let empty = (meta.is_file() && meta.len() == 0) || meta.is_dir();
    !empty || lookup(lower, rel).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_image_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let l = tmp.path().join("l");
        std::fs::create_dir_all(l.join("usr/bin")).unwrap();
        std::os::unix::fs::symlink("usr/bin", l.join("bin")).unwrap();
        std::os::unix::fs::symlink("/usr", l.join("abs")).unwrap();
        let layers = vec![l];
        assert_eq!(resolve(&layers, "bin/x", false), "usr/bin/x");
        assert_eq!(resolve(&layers, "bin", false), "bin");
        assert_eq!(resolve(&layers, "bin", true), "usr/bin");
        assert_eq!(resolve(&layers, "abs/bin/y", false), "usr/bin/y");
        assert_eq!(resolve(&layers, "none/x", true), "none/x");
    }

    #[test]
    fn upper_layers_win_and_whiteouts_hide() {
        let tmp = tempfile::tempdir().unwrap();
        let (low, up) = (tmp.path().join("low"), tmp.path().join("up"));
        std::fs::create_dir_all(low.join("etc")).unwrap();
        std::fs::create_dir_all(up.join("etc")).unwrap();
        std::fs::write(low.join("etc/a"), b"low").unwrap();
        std::fs::write(low.join("etc/b"), b"low").unwrap();
        std::fs::write(up.join("etc/a"), b"up").unwrap();
        let layers = vec![up.clone(), low.clone()];
        assert_eq!(read(&layers, "etc/a").unwrap(), b"up");
        assert_eq!(read(&layers, "/etc/b").unwrap(), b"low");
        assert!(lookup(&layers, "etc/c").is_none());
        assert!(lookup(&layers, "").is_some());
        let wh = up.join("etc/b");
        if nix::sys::stat::mknod(
            &wh,
            nix::sys::stat::SFlag::S_IFCHR,
            nix::sys::stat::Mode::empty(),
            0,
        )
        .is_ok()
        {
            assert!(lookup(&layers, "etc/b").is_none());
        }
    }

    #[test]
    fn lower_dirs_are_given_once_at_their_top_most_place() {
        let p = |s: &str| PathBuf::from(s);
        let got = dedup_lower(vec![p("c"), p("b"), p("c"), p("a"), p("b")]);
        assert_eq!(got, [p("c"), p("b"), p("a")]);
    }

    #[test]
    fn a_dir_only_copied_up_is_no_change() {
        let tmp = tempfile::tempdir().unwrap();
        let (low, up) = (tmp.path().join("low"), tmp.path().join("up"));
        std::fs::create_dir_all(low.join("etc")).unwrap();
        std::fs::create_dir_all(up.join("etc")).unwrap();
        std::fs::write(up.join("etc/hosts"), b"").unwrap();
        let lower = vec![low];
        let keep = |rel: &str| {
            let m = std::fs::symlink_metadata(up.join(rel)).unwrap();
            keep_upper_entry(&up, &lower, rel, &m)
        };
        assert!(!keep("etc/hosts"));
        assert!(!keep("etc"));
        std::fs::write(up.join("etc/new"), b"x").unwrap();
        assert!(keep("etc"));
    }
}

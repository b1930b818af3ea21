//! The container's mounts that can be made before its user namespace has id
//! maps, while newuidmap and newgidmap still write them (see
//! `sys::userns::enter_unmapped`): pid 1 then has every capability over its
//! new namespaces but no id inside them, so it may mount, but not create a
//! file in a filesystem mounted in those namespaces (the kernel has no id to
//! give the file an owner with).
//!
//! So only what creates nothing there happens early: the kernel overlay (its
//! upper and work dirs are the user's own, on the host's filesystem; missing
//! mount points are made in the upper dir before it is mounted), /proc, /sys,
//! and the masked and read-only paths inside those two. Each step that fails
//! is left, with everything after it, to [`super::child`], which does them
//! the usual way once the ids are mapped.

use std::fs;
use std::path::{Path, PathBuf};

use super::mounts::{self, resolve_in_root};
use super::rootfs;
use super::spec::{ContainerSpec, MountSpec, Rootfs, RootfsKind};

/// What was mounted early.
#[derive(Default)]
pub struct Early {
    /// The rootfs and how it was mounted, when it was.
    pub rootfs: Option<(PathBuf, RootfsKind)>,
    /// /proc and /sys are mounted.
    pub proc_sys: bool,
    /// The masked and read-only paths that were applied.
    pub restricted: Vec<String>,
}

/// Make what can be made now (see the module docs).
pub fn mount(spec: &ContainerSpec) -> Early {
    let mut done = Early::default();
    let Rootfs::Overlay { lower, upper, .. } = &spec.rootfs else {
        return done;
    };
    if mounts::make_private().is_err() {
        return done;
    }
    // Mount points the image lacks: made in the upper dir before the overlay
    // exists (through the overlay it would need the id maps).
    for dir in ["proc", "sys", "dev"] {
        let anywhere = std::iter::once(upper)
            .chain(lower)
            .any(|layer| fs::symlink_metadata(layer.join(dir)).is_ok());
        if !anywhere && fs::create_dir_all(upper.join(dir)).is_err() {
            return done;
        }
    }
    let Some((root, kind)) = rootfs::mount_kernel_overlay(&spec.rootfs) else {
        return done;
    };
    done.rootfs = Some((root.clone(), kind));
    if mounts::mount_proc_sys(&root, spec.network).is_err() {
        // half done: the late path mounts both again, over what is there
        return done;
    }
    done.proc_sys = true;
    // A caller's mount inside /proc or /sys comes before the restrictions,
    // as in Docker: then they all wait.
    let user_inside = spec.mounts.iter().any(|m| {
        let dest = match m {
            MountSpec::Bind { dest, .. } | MountSpec::Tmpfs { dest, .. } => dest,
        };
        in_proc_or_sys(dest)
    });
    if user_inside {
        return done;
    }
    for (paths, masked) in [(&spec.masked_paths, true), (&spec.readonly_paths, false)] {
        for p in paths.iter().filter(|p| in_proc_or_sys(p)) {
            let at = resolve_in_root(&root, p);
            let applied = if masked {
                mounts::mask(&at)
            } else {
                mounts::make_readonly(&at)
            };
            if applied.is_err() {
                return done;
            }
            done.restricted.push(p.clone());
        }
    }
    done
}

/// Whether the container path `p` is inside /proc or /sys.
fn in_proc_or_sys(p: &str) -> bool {
    let path = Path::new(p);
    path.starts_with("/proc") || path.starts_with("/sys")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_and_sys_paths() {
        assert!(in_proc_or_sys("/proc/kcore"));
        assert!(in_proc_or_sys("/sys/firmware"));
        assert!(in_proc_or_sys("/proc"));
        assert!(!in_proc_or_sys("/procfs/x"));
        assert!(!in_proc_or_sys("/etc/sys"));
    }
}

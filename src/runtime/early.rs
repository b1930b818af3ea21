//! The container's mounts that can be made before its user namespace has id
//! maps, while newuidmap and newgidmap still write them (see
//! `sys::userns::enter_unmapped`): pid 1 then has every capability over its
//! new namespaces but no id inside them. It may mount, but the kernel refuses
//! an overlay with an upper dir (EACCES) and any file created in a filesystem
//! mounted in those namespaces (it has no id to give the file an owner).
//!
//! So /proc and /sys, with Docker's masked and read-only paths inside them,
//! are mounted early on staging dirs in the container's state dir (the
//! user's own, on the host's filesystem), and moved (`MS_MOVE`, with what is
//! mounted inside them) into the rootfs by [`place`] once the overlay is
//! there. If a step fails, it and what follows are left to [`super::child`],
//! which then mounts them in the rootfs the usual way.

use std::fs;
use std::path::{Path, PathBuf};

use nix::mount::{mount as sys_mount, MsFlags};

use super::mounts::{self, err, make_target, resolve_in_root};
use super::spec::{ContainerSpec, MountSpec, Rootfs};
use super::{RuntimeError, Step};

/// What was mounted early.
#[derive(Default)]
pub struct Early {
    /// Every mount is private already ([`mounts::make_private`]).
    pub private: bool,
    /// /proc and /sys, staged.
    staged: Option<Staged>,
    /// The masked and read-only paths applied in them.
    pub restricted: Vec<String>,
}

struct Staged {
    proc: PathBuf,
    sys: PathBuf,
}

/// Make what can be made now (see the module docs).
pub fn mount(spec: &ContainerSpec) -> Early {
    let mut done = Early::default();
    let stage = spec.state_dir.join("stage");
    let (proc, sys) = (stage.join("proc"), stage.join("sys"));
    make_mount_points(&spec.rootfs);
    done.private = mounts::make_private().is_ok();
    if !done.private
        || fs::create_dir_all(&proc).is_err()
        || fs::create_dir_all(&sys).is_err()
        || mounts::mount_proc_sys_on(&proc, &sys, spec.network).is_err()
    {
        // a half-made stage is never moved: the rootfs gets fresh ones
        return done;
    }
    done.staged = Some(Staged {
        proc: proc.clone(),
        sys: sys.clone(),
    });
    // A caller's mount inside /proc or /sys comes before the restrictions,
    // as in Docker: then they all wait.
    let user_inside = spec.mounts.iter().any(|m| {
        let dest = match m {
            MountSpec::Bind { dest, .. } | MountSpec::Tmpfs { dest, .. } => dest,
        };
        staged_at(dest, &proc, &sys).is_some()
    });
    if user_inside {
        return done;
    }
    for (paths, masked) in [(&spec.masked_paths, true), (&spec.readonly_paths, false)] {
        for p in paths {
            let Some(at) = staged_at(p, &proc, &sys) else {
                continue;
            };
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

/// The mount points an image lacks in every layer (/proc, /sys, /dev), made
/// in the container's upper dir before the overlay is mounted: there it is a
/// plain mkdir on the host's filesystem, through the overlay a copy-up that
/// needs the id maps. Best effort: what is still missing is made later.
fn make_mount_points(rootfs: &Rootfs) {
    let Rootfs::Overlay { lower, upper, .. } = rootfs else {
        return;
    };
    if lower.is_empty() {
        return;
    }
    for dir in ["proc", "sys", "dev"] {
        let anywhere = std::iter::once(upper)
            .chain(lower)
            .any(|layer| fs::symlink_metadata(layer.join(dir)).is_ok());
        if !anywhere {
            let _ = fs::create_dir(upper.join(dir));
        }
    }
}

impl Early {
    /// Put /proc and /sys into `root`: move the staged ones, else mount them.
    pub fn place(&self, root: &Path, spec: &ContainerSpec) -> Result<(), RuntimeError> {
        let Some(staged) = &self.staged else {
            return mounts::mount_proc_sys(root, spec.network);
        };
        for (from, to, step) in [
            (&staged.proc, "/proc", Step::Proc),
            (&staged.sys, "/sys", Step::Sys),
        ] {
            let target = resolve_in_root(root, to);
            make_target(&target, true, step)?;
            sys_mount(
                Some(from.as_path()),
                &target,
                None::<&str>,
                MsFlags::MS_MOVE,
                None::<&str>,
            )
            .map_err(|e| err(step, &target, e))?;
        }
        Ok(())
    }
}

/// Where the container path `p` is in the stage, when it is inside /proc
/// or /sys (resolved in the staged filesystem, which the image cannot touch).
fn staged_at(p: &str, proc: &Path, sys: &Path) -> Option<PathBuf> {
    let path = Path::new(p);
    let (base, rest) = if let Ok(rest) = path.strip_prefix("/proc") {
        (proc, rest)
    } else {
        (sys, path.strip_prefix("/sys").ok()?)
    };
    Some(resolve_in_root(base, &format!("/{}", rest.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_and_sys_paths_map_into_the_stage() {
        let (proc, sys) = (Path::new("/s/proc"), Path::new("/s/sys"));
        let at = |p| staged_at(p, proc, sys);
        assert_eq!(at("/proc/kcore"), Some(PathBuf::from("/s/proc/kcore")));
        assert_eq!(at("/sys/firmware"), Some(PathBuf::from("/s/sys/firmware")));
        assert_eq!(at("/proc"), Some(PathBuf::from("/s/proc")));
        assert_eq!(at("/procfs/x"), None);
        assert_eq!(at("/etc/sys"), None);
    }
}

//! Mounts inside the container's mount namespace: /proc, /sys, the caller's
//! bind and tmpfs mounts, the generated /etc files, `pivot_root`, then masked
//! and read-only paths and the read-only root.
//!
//! Invariant: every container path is resolved with [`resolve_in_root`], so
//! a symlink in the image cannot point a mount outside the rootfs.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use nix::errno::Errno;
use nix::mount::{mount, umount2, MntFlags, MsFlags};
use nix::sys::statvfs::{statvfs, FsFlags};

use super::spec::{ContainerSpec, MountSpec, NetworkMode};
use super::{RuntimeError, Step};

/// `path` (absolute, in the container) resolved under `root`, following
/// symlinks as if `root` were `/` (never leaving it).
pub fn resolve_in_root(root: &Path, path: &str) -> PathBuf {
    let mut pending: VecDeque<OsString> = parts(Path::new(path));
    let mut cur = PathBuf::new();
    let mut links = 0;
    while let Some(part) = pending.pop_front() {
        if part == ".." {
            cur.pop();
            continue;
        }
        let next = cur.join(&part);
        match fs::read_link(root.join(&next)) {
            Ok(target) if links < 40 => {
                links += 1;
                if target.is_absolute() {
                    cur = PathBuf::new();
                }
                let mut t = parts(&target);
                t.extend(pending);
                pending = t;
            }
            _ => cur = next,
        }
    }
    root.join(cur)
}

fn parts(p: &Path) -> VecDeque<OsString> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            _ => None,
        })
        .collect()
}

pub(crate) fn err(step: Step, path: &Path, e: Errno) -> RuntimeError {
    RuntimeError::setup(step, &path.display().to_string(), e)
}

pub(crate) fn io_err(step: Step, path: &Path, e: &std::io::Error) -> RuntimeError {
    err(
        step,
        path,
        Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
    )
}

/// Create the mount point `dst`: a directory, or an empty file when the
/// source is not a directory.
pub fn make_target(dst: &Path, dir: bool, step: Step) -> Result<(), RuntimeError> {
    if dir {
        return fs::create_dir_all(dst).map_err(|e| io_err(step, dst, &e));
    }
    if let Some(parent) = dst.parent() {
        fs::create_dir_all(parent).map_err(|e| io_err(step, parent, &e))?;
    }
    if fs::symlink_metadata(dst).is_err() {
        fs::write(dst, b"").map_err(|e| io_err(step, dst, &e))?;
    }
    Ok(())
}

/// Bind `src` on `dst`, then make it read-only if asked.
pub fn bind(
    src: &Path,
    dst: &Path,
    recursive: bool,
    readonly: bool,
    step: Step,
) -> Result<(), RuntimeError> {
    let mut flags = MsFlags::MS_BIND;
    if recursive {
        flags |= MsFlags::MS_REC;
    }
    mount(Some(src), dst, None::<&str>, flags, None::<&str>).map_err(|e| err(step, dst, e))?;
    if readonly {
        remount_readonly(dst, step)?;
    }
    Ok(())
}

/// Remount the bind mount at `path` read-only, keeping the flags a user
/// namespace may not clear (nosuid, nodev, noexec, atime), else EPERM.
fn remount_readonly(path: &Path, step: Step) -> Result<(), RuntimeError> {
    let st = statvfs(path).map_err(|e| err(step, path, e))?;
    let mut flags = MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY;
    let keep = [
        (FsFlags::ST_NOSUID, MsFlags::MS_NOSUID),
        (FsFlags::ST_NODEV, MsFlags::MS_NODEV),
        (FsFlags::ST_NOEXEC, MsFlags::MS_NOEXEC),
        (FsFlags::ST_NOATIME, MsFlags::MS_NOATIME),
        (FsFlags::ST_NODIRATIME, MsFlags::MS_NODIRATIME),
        (FsFlags::ST_RELATIME, MsFlags::MS_RELATIME),
    ];
    for (f, m) in keep {
        if st.flags().contains(f) {
            flags |= m;
        }
    }
    mount(None::<&str>, path, None::<&str>, flags, None::<&str>).map_err(|e| err(step, path, e))
}

/// Make every mount private, so nothing leaks back to the caller.
pub fn make_private() -> Result<(), RuntimeError> {
    let flags = MsFlags::MS_REC | MsFlags::MS_PRIVATE;
    mount(None::<&str>, "/", None::<&str>, flags, None::<&str>)
        .map_err(|e| err(Step::MakePrivate, Path::new("/"), e))
}

/// /proc (a new instance, for the new pid namespace) and /sys (read-only;
/// sysfs needs a network namespace of our own, else a recursive bind of the
/// host's /sys) in `root`.
pub fn mount_proc_sys(root: &Path, network: NetworkMode) -> Result<(), RuntimeError> {
    let proc_dir = resolve_in_root(root, "/proc");
    make_target(&proc_dir, true, Step::Proc)?;
    let sys = resolve_in_root(root, "/sys");
    make_target(&sys, true, Step::Sys)?;
    mount_proc_sys_on(&proc_dir, &sys, network)
}

/// [`mount_proc_sys`] on the directories `proc_dir` and `sys`.
pub fn mount_proc_sys_on(
    proc_dir: &Path,
    sys: &Path,
    network: NetworkMode,
) -> Result<(), RuntimeError> {
    let common = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    mount(Some("proc"), proc_dir, Some("proc"), common, None::<&str>)
        .map_err(|e| err(Step::Proc, proc_dir, e))?;
    let sysfs = network != NetworkMode::Host
        && mount(
            Some("sysfs"),
            sys,
            Some("sysfs"),
            common | MsFlags::MS_RDONLY,
            None::<&str>,
        )
        .is_ok();
    if !sysfs {
        bind(Path::new("/sys"), sys, true, true, Step::Sys)?;
    }
    Ok(())
}

/// The caller's binds, volumes and tmpfs mounts, in order.
pub fn mount_user(root: &Path, mounts: &[MountSpec]) -> Result<(), RuntimeError> {
    for m in mounts {
        match m {
            MountSpec::Bind {
                source,
                dest,
                readonly,
                recursive,
            } => {
                let dst = resolve_in_root(root, dest);
                make_target(&dst, source.is_dir(), Step::Bind)?;
                bind(source, &dst, *recursive, *readonly, Step::Bind)?;
            }
            MountSpec::Tmpfs { dest, options } => {
                let dst = resolve_in_root(root, dest);
                make_target(&dst, true, Step::Tmpfs)?;
                let flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
                let data = (!options.is_empty()).then_some(options.as_str());
                mount(Some("tmpfs"), &dst, Some("tmpfs"), flags, data)
                    .map_err(|e| err(Step::Tmpfs, &dst, e))?;
            }
        }
    }
    Ok(())
}

/// File names of the generated /etc files in the state dir and in /etc.
pub const ETC_FILES: [&str; 3] = ["hosts", "hostname", "resolv.conf"];

/// Bind the generated /etc files (already written in `state_dir`).
pub fn mount_etc_files(root: &Path, spec: &ContainerSpec) -> Result<(), RuntimeError> {
    if spec.etc_files.is_none() {
        return Ok(());
    }
    for name in ETC_FILES {
        let src = spec.state_dir.join(name);
        let dst = resolve_in_root(root, &format!("/etc/{name}"));
        make_target(&dst, false, Step::EtcFiles)?;
        bind(&src, &dst, false, false, Step::EtcFiles)?;
    }
    Ok(())
}

/// `pivot_root` into `root` and drop the old root.
pub fn pivot(root: &Path) -> Result<(), RuntimeError> {
    let e = |x| err(Step::PivotRoot, root, x);
    nix::unistd::chdir(root).map_err(e)?;
    nix::unistd::pivot_root(".", ".").map_err(e)?;
    umount2(".", MntFlags::MNT_DETACH).map_err(e)?;
    nix::unistd::chdir("/").map_err(e)
}

/// After `pivot`: hide `masked` paths (/dev/null over files, an empty
/// read-only tmpfs over directories), make `readonly` paths read-only, and
/// the root too when asked.
pub fn restrict(
    masked: &[&String],
    readonly: &[&String],
    readonly_root: bool,
) -> Result<(), RuntimeError> {
    for p in masked {
        mask(Path::new(p))?;
    }
    for p in readonly {
        make_readonly(Path::new(p))?;
    }
    if readonly_root {
        remount_readonly(Path::new("/"), Step::ReadonlyRoot)?;
    }
    Ok(())
}

/// Hide `path`, if it exists: /dev/null over a file, an empty read-only
/// tmpfs over a directory.
pub fn mask(path: &Path) -> Result<(), RuntimeError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let flags =
                MsFlags::MS_RDONLY | MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
            mount(Some("tmpfs"), path, Some("tmpfs"), flags, Some("size=0"))
                .map_err(|e| err(Step::Mask, path, e))
        }
        Ok(_) => bind(Path::new("/dev/null"), path, false, false, Step::Mask),
        Err(_) => Ok(()),
    }
}

/// Make `path` read-only (a read-only bind on itself), if it exists.
pub fn make_readonly(path: &Path) -> Result<(), RuntimeError> {
    if fs::symlink_metadata(path).is_ok() {
        bind(path, path, true, true, Step::ReadonlyPath)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn resolve_stays_in_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("real/sub")).unwrap();
        symlink("/real", root.join("abs")).unwrap();
        symlink("../../../..", root.join("real/up")).unwrap();
        symlink("/etc", root.join("escape")).unwrap();
        assert_eq!(resolve_in_root(root, "/abs/sub"), root.join("real/sub"));
        assert_eq!(resolve_in_root(root, "/real/up/x"), root.join("x"));
        assert_eq!(
            resolve_in_root(root, "/escape/passwd"),
            root.join("etc/passwd")
        );
        assert_eq!(resolve_in_root(root, "/../../a"), root.join("a"));
    }
}

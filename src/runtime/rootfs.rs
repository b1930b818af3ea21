//! Mounting the container's root filesystem (in the container's mount
//! namespace): kernel overlayfs with `userxattr` (layers use
//! `user.overlay.opaque` and 0:0 char-device whiteouts), else fuse-overlayfs,
//! else a plain copy of the layers into the upper dir, bind-mounted.

use std::fs;
use std::os::unix::fs::{symlink, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use nix::errno::Errno;
use nix::mount::{mount, MsFlags};

use super::spec::{Rootfs, RootfsKind};
use super::{RuntimeError, Step};

/// Marker (in the work dir) saying the copy fallback already filled `upper`.
const COPIED_MARKER: &str = ".skiff-copied";

/// Mount `rootfs`; returns the mount point and the mechanism used.
pub fn mount_rootfs(rootfs: &Rootfs) -> Result<(PathBuf, RootfsKind), RuntimeError> {
    match rootfs {
        Rootfs::Dir(dir) => {
            bind(dir, dir)?;
            Ok((dir.clone(), RootfsKind::Dir))
        }
        Rootfs::Overlay {
            lower,
            upper,
            work,
            target,
        } => {
            for d in [upper, work, target] {
                fs::create_dir_all(d).map_err(|e| io(Step::MountRootfs, d, &e))?;
            }
            let kind = overlay(lower, upper, work, target)?;
            Ok((target.clone(), kind))
        }
    }
}

fn overlay(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    target: &Path,
) -> Result<RootfsKind, RuntimeError> {
    if lower.is_empty() {
        bind(upper, target)?;
        return Ok(RootfsKind::Copy);
    }
    let lowerdir = lower
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":");
    let opts = format!(
        "lowerdir={lowerdir},upperdir={},workdir={}",
        upper.display(),
        work.display()
    );
    let kernel = format!("{opts},userxattr");
    if mount(
        Some("overlay"),
        target,
        Some("overlay"),
        MsFlags::empty(),
        Some(kernel.as_str()),
    )
    .is_ok()
    {
        return Ok(RootfsKind::KernelOverlay);
    }
    let fuse = Command::new("fuse-overlayfs")
        .arg("-o")
        .arg(&opts)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    if fuse.is_ok_and(|s| s.success()) {
        return Ok(RootfsKind::FuseOverlay);
    }
    let marker = work.join(COPIED_MARKER);
    if !marker.exists() {
        for layer in lower.iter().rev() {
            copy_layer(layer, upper)?;
        }
        fs::write(&marker, b"").map_err(|e| io(Step::MountRootfs, &marker, &e))?;
    }
    bind(upper, target)?;
    Ok(RootfsKind::Copy)
}

fn bind(src: &Path, dst: &Path) -> Result<(), RuntimeError> {
    mount(
        Some(src),
        dst,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .map_err(|e| RuntimeError::setup(Step::MountRootfs, &dst.display().to_string(), e))
}

fn io(step: Step, path: &Path, e: &std::io::Error) -> RuntimeError {
    RuntimeError::setup(
        step,
        &path.display().to_string(),
        Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
    )
}

/// Apply one layer directory onto `dst` as overlayfs would show it:
/// whiteouts delete, opaque directories replace, everything else is copied
/// with its mode and owner.
fn copy_layer(src: &Path, dst: &Path) -> Result<(), RuntimeError> {
    let entries = fs::read_dir(src).map_err(|e| io(Step::MountRootfs, src, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(Step::MountRootfs, src, &e))?;
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let meta = fs::symlink_metadata(&from).map_err(|e| io(Step::MountRootfs, &from, &e))?;
        let ft = meta.file_type();
        if ft.is_char_device() && meta.rdev() == 0 {
            remove(&to);
            continue;
        }
        if ft.is_dir() {
            let opaque = xattr_is_opaque(&from);
            if opaque || !fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove(&to);
                fs::create_dir(&to).map_err(|e| io(Step::MountRootfs, &to, &e))?;
            }
            copy_layer(&from, &to)?;
        } else {
            remove(&to);
            if ft.is_symlink() {
                let link = fs::read_link(&from).map_err(|e| io(Step::MountRootfs, &from, &e))?;
                symlink(&link, &to).map_err(|e| io(Step::MountRootfs, &to, &e))?;
            } else if ft.is_file() {
                fs::copy(&from, &to).map_err(|e| io(Step::MountRootfs, &to, &e))?;
            } else {
                continue; // devices, fifos, sockets: not reproducible unprivileged
            }
        }
        let _ = std::os::unix::fs::lchown(&to, Some(meta.uid()), Some(meta.gid()));
        if !ft.is_symlink() {
            let _ = fs::set_permissions(&to, fs::Permissions::from_mode(meta.mode() & 0o7777));
        }
    }
    Ok(())
}

fn remove(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => drop(fs::remove_dir_all(path)),
        Ok(_) => drop(fs::remove_file(path)),
        Err(_) => {}
    }
}

fn xattr_is_opaque(dir: &Path) -> bool {
    crate::sys::xattr::get(dir, "user.overlay.opaque").is_some_and(|v| v == b"y")
}

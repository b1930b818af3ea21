//! Seeding a new named volume with what the image has at the mount point, as Docker
//! does: the image's layers are applied bottom to top (whiteouts remove, opaque
//! directories reset) into the empty volume. Runs inside the user namespace, so
//! owners and modes are kept.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

/// Fill the empty volume dir `data` from `dest` (a container path) in `layers`
/// (bottom first). Only copies when the image has a directory there.
pub fn seed_volume(layers: &[std::path::PathBuf], dest: &str, data: &Path) -> std::io::Result<()> {
    let rel = dest.trim_start_matches('/');
    for layer in layers {
        let src = layer.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&src) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        if crate::sys::fs::lgetxattr(src.as_os_str(), b"user.overlay.opaque")
            .is_ok_and(|v| v == b"y")
        {
            clear(data)?;
        }
        copy_dir(&src, data)?;
    }
    Ok(())
}

fn clear(dir: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if std::fs::symlink_metadata(&p)?.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
}

fn copy_dir(src: &Path, dst: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(src)? {
        let e = e?;
        let from = e.path();
        let to = dst.join(e.file_name());
        let meta = std::fs::symlink_metadata(&from)?;
        let ft = meta.file_type();
        if ft.is_char_device() && meta.rdev() == 0 {
            // A whiteout: the lower layers' entry is deleted.
            let _ = if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(&to)
            } else {
                std::fs::remove_file(&to)
            };
            continue;
        }
        if ft.is_dir() {
            if !std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                let _ = std::fs::remove_file(&to);
                std::fs::create_dir(&to)?;
            }
            copy_dir(&from, &to)?;
        } else {
            let _ = std::fs::remove_file(&to);
            if ft.is_symlink() {
                std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)?;
            } else if ft.is_file() {
                std::fs::copy(&from, &to)?;
                if let Ok(t) = meta.modified() {
                    let _ = std::fs::File::options()
                        .write(true)
                        .open(&to)
                        .and_then(|f| f.set_modified(t));
                }
            } else {
                continue;
            }
        }
        let _ = std::os::unix::fs::lchown(&to, Some(meta.uid()), Some(meta.gid()));
        if !ft.is_symlink() {
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        }
    }
    Ok(())
}

//! A minimal /dev: a tmpfs with the host's null, zero, full, random, urandom
//! and tty bind-mounted (mknod is not allowed in a user namespace), a private
//! devpts instance with `ptmx` pointing into it, /dev/shm, /dev/mqueue and
//! the standard symlinks. /dev/console is bound to the pty slave by the
//! caller of [`bind_console`] when there is a terminal.

use std::os::unix::fs::symlink;
use std::path::Path;

use nix::errno::Errno;
use nix::mount::{mount, MsFlags};

use super::mounts::{bind, err, io_err, make_target, resolve_in_root};
use super::{RuntimeError, Step};

const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

const LINKS: [(&str, &str); 6] = [
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
    ("core", "/proc/kcore"),
    ("ptmx", "pts/ptmx"),
];

/// Build /dev under `root`.
pub fn setup_dev(root: &Path) -> Result<(), RuntimeError> {
    let dev = resolve_in_root(root, "/dev");
    make_target(&dev, true, Step::Dev)?;
    let flags = MsFlags::MS_NOSUID | MsFlags::MS_STRICTATIME;
    mount(
        Some("tmpfs"),
        &dev,
        Some("tmpfs"),
        flags,
        Some("mode=755,size=65536k"),
    )
    .map_err(|e| err(Step::Dev, &dev, e))?;
    for name in DEVICES {
        let dst = dev.join(name);
        make_target(&dst, false, Step::Dev)?;
        bind(&Path::new("/dev").join(name), &dst, false, false, Step::Dev)?;
    }
    mount_devpts(&dev.join("pts"))?;
    let nosuid_dev_exec = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    let shm = dev.join("shm");
    make_target(&shm, true, Step::Dev)?;
    mount(
        Some("shm"),
        &shm,
        Some("tmpfs"),
        nosuid_dev_exec,
        Some("mode=1777,size=65536k"),
    )
    .map_err(|e| err(Step::Dev, &shm, e))?;
    let mq = dev.join("mqueue");
    make_target(&mq, true, Step::Dev)?;
    mount(
        Some("mqueue"),
        &mq,
        Some("mqueue"),
        nosuid_dev_exec,
        None::<&str>,
    )
    .map_err(|e| err(Step::Dev, &mq, e))?;
    for (name, target) in LINKS {
        let link = dev.join(name);
        symlink(target, &link).map_err(|e| io_err(Step::Dev, &link, &e))?;
    }
    Ok(())
}

/// A new devpts instance; `gid=5` (tty) only when that group is mapped.
fn mount_devpts(pts: &Path) -> Result<(), RuntimeError> {
    make_target(pts, true, Step::Devpts)?;
    let flags = MsFlags::MS_NOSUID | MsFlags::MS_NOEXEC;
    let base = "newinstance,ptmxmode=0666,mode=0620";
    // gid 5 (tty) only where it is mapped: a refused devpts mount costs a
    // millisecond
    if !gid_mapped(5) {
        return mount(Some("devpts"), pts, Some("devpts"), flags, Some(base))
            .map_err(|e| err(Step::Devpts, pts, e));
    }
    let with_gid = format!("{base},gid=5");
    match mount(
        Some("devpts"),
        pts,
        Some("devpts"),
        flags,
        Some(with_gid.as_str()),
    ) {
        Ok(()) => Ok(()),
        Err(Errno::EINVAL) => mount(Some("devpts"), pts, Some("devpts"), flags, Some(base))
            .map_err(|e| err(Step::Devpts, pts, e)),
        Err(e) => Err(err(Step::Devpts, pts, e)),
    }
}

/// Whether group `gid` of our user namespace maps to a host group.
fn gid_mapped(gid: u32) -> bool {
    let Ok(map) = std::fs::read_to_string("/proc/self/gid_map") else {
        return true; // let the mount decide
    };
    let gid = u64::from(gid);
    crate::sys::idmap::map_lines(&map)
        .into_iter()
        .any(|(inside, _, count)| gid >= inside && gid < inside + count)
}

/// Bind the pty slave at `slave` (a host-visible path) on `<root>/dev/console`.
pub fn bind_console(root: &Path, slave: &Path) -> Result<(), RuntimeError> {
    let console = resolve_in_root(root, "/dev/console");
    make_target(&console, false, Step::Pty)?;
    bind(slave, &console, false, false, Step::Pty)
}

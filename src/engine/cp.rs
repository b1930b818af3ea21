//! `cp`: copy files between the host and a container, both ways, running or not.
//!
//! The container side runs in a forked child that sees the container's filesystem
//! at `/` (joined namespaces of a running container, or a private mount of a
//! stopped one's rootfs); the two sides talk a tar stream over a pipe, as Docker's
//! cp does. Files copied in are owned by the container's root; files copied out
//! by the user. Docker's rules: a file onto an existing directory lands inside it;
//! a directory onto a missing path becomes that path; `SRC/.` copies contents.
//! `-` on the host side is a tar stream (the caller's stdout or stdin), as in Docker.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::containers::ContainerView;
use super::{spec, Engine, EngineError};
use crate::archive::{unpack_layer, IdPolicy, UnpackOptions};
use crate::container::Status;
use crate::sys::process::{exit_now, fork, Forked};

/// One end of a copy.
pub enum Side {
    Host(PathBuf),
    Container {
        view: Box<ContainerView>,
        path: String,
    },
}

fn file_err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::CopyFile {
        path: path.to_path_buf(),
        source,
    }
}

/// Copy `src` to `dst`; exactly one of them is in a container.
pub fn copy(engine: &Engine, src: Side, dst: Side) -> Result<(), EngineError> {
    let (r, w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| EngineError::Process {
            step: "creating a pipe",
            source: e.into(),
        })?;
    let (view, to_container) = match (&src, &dst) {
        (Side::Container { view, .. }, Side::Host(_)) => (view, false),
        (Side::Host(_), Side::Container { view, .. }) => (view, true),
        _ => return Err(EngineError::CpNeedsContainer),
    };
    let rootfs = spec::build(engine, &view.record)?.rootfs;
    let running = match (view.state.status, view.state.pid) {
        (Status::Running, Some(pid)) => Some(nix::unistd::Pid::from_raw(pid)),
        _ => None,
    };
    let (er, ew) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| EngineError::Process {
            step: "creating a pipe",
            source: e.into(),
        })?;
    // The child keeps to `sys::process`'s fork contract: it joins or mounts the
    // container's filesystem, moves tar over a pipe and `_exit`s.
    match fork().map_err(|e| EngineError::Process {
        step: "forking the copy",
        source: e.into(),
    })? {
        Forked::Child => {
            drop(er);
            let fs = ContainerFs {
                running,
                rootfs: &rootfs,
                helper_path: &engine.config.helper_path,
            };
            let code = match container_side(&fs, &src, &dst, r, w, to_container) {
                Ok(()) => 0,
                Err(e) => {
                    let _ = File::from(ew).write_all(e.to_string().as_bytes());
                    125
                }
            };
            exit_now(code)
        }
        Forked::Parent(child) => {
            drop(ew);
            let host = if to_container {
                drop(r);
                send(src_path(&src), File::from(w), true)
            } else {
                drop(w);
                receive(
                    File::from(r),
                    dst_path(&dst),
                    &src_name(&src),
                    IdPolicy::Squash,
                )
            };
            let mut child_error = String::new();
            let _ = File::from(er).read_to_string(&mut child_error);
            let status = nix::sys::wait::waitpid(child, None);
            // The container side's failure explains the host side's (an empty stream).
            if !child_error.is_empty() {
                return Err(EngineError::CopyInContainer(child_error));
            }
            host?;
            match status {
                Ok(nix::sys::wait::WaitStatus::Exited(_, 0)) => Ok(()),
                _ => Err(EngineError::CopyDied),
            }
        }
    }
}

fn container_side(
    fs: &ContainerFs<'_>,
    src: &Side,
    dst: &Side,
    r: std::os::fd::OwnedFd,
    w: std::os::fd::OwnedFd,
    to_container: bool,
) -> Result<(), EngineError> {
    enter_container_fs(fs)?;
    if to_container {
        drop(w);
        receive(File::from(r), dst_path(dst), &src_name(src), IdPolicy::Keep)
    } else {
        drop(r);
        send(src_path(src), File::from(w), false)
    }
}

/// In a forked child: see the container's filesystem at `/` (joining a running
/// container, or mounting a stopped one's rootfs inside the user namespace).
/// A container's filesystem as [`enter_container_fs`] enters it: the running
/// container's pid, or its rootfs and where newuidmap/newgidmap are looked up.
struct ContainerFs<'a> {
    running: Option<nix::unistd::Pid>,
    rootfs: &'a crate::runtime::Rootfs,
    helper_path: &'a std::ffi::OsStr,
}

fn enter_container_fs(fs: &ContainerFs<'_>) -> Result<(), EngineError> {
    match fs.running {
        Some(pid) => crate::runtime::enter_running_fs(pid)?,
        None => {
            let mapping = crate::sys::idmap::current_mapping(Path::new("/etc"));
            crate::sys::userns::enter(&mapping, fs.helper_path)
                .map_err(|e| EngineError::Userns(std::sync::Arc::new(e)))?;
            crate::runtime::enter_stopped_fs(fs.rootfs)?;
        }
    }
    Ok(())
}

/// `export`: write the container's whole filesystem (its image layers with its
/// own changes on top, as the container sees it) as a tar stream to `out`.
/// Owners are the container's; other file systems mounted in a running
/// container (`/proc`, `/sys`, `/dev`, volumes) are not descended into.
pub fn export(
    engine: &Engine,
    view: &ContainerView,
    out: &mut dyn Write,
) -> Result<(), EngineError> {
    beside_container(engine, view, Direction::Out(out), send_root)
}

/// `cp CTR:PATH -`: write `path` of the container as a tar stream to `out` (its
/// entries start with the path's base name, as Docker's).
pub fn copy_out_tar(
    engine: &Engine,
    view: &ContainerView,
    path: &str,
    out: &mut dyn Write,
) -> Result<(), EngineError> {
    let path = PathBuf::from(path);
    beside_container(engine, view, Direction::Out(out), move |pipe| {
        send(path, pipe, false)
    })
}

/// `cp - CTR:DIR`: unpack the tar stream `input` into the directory `dir` of the
/// container (which must exist, as in Docker). Owners are kept as in the stream.
pub fn copy_in_tar(
    engine: &Engine,
    view: &ContainerView,
    dir: &str,
    input: &mut dyn Read,
) -> Result<(), EngineError> {
    let dir = PathBuf::from(dir);
    beside_container(engine, view, Direction::In(input), move |mut pipe| {
        if !std::fs::metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return Err(EngineError::TarDestNotDir(dir));
        }
        let done = receive(&mut pipe, dir, ".", IdPolicy::Keep);
        // The rest of the stream (tar's zero padding), so the writer sees no EPIPE.
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        done
    })
}

/// Which way a stream flows between the caller and the container.
enum Direction<'a> {
    /// From the container to this writer.
    Out(&'a mut dyn Write),
    /// From this reader into the container.
    In(&'a mut dyn Read),
}

/// Run `inside` in a forked child that sees the container's filesystem at `/`,
/// given its end of a pipe; this process moves the bytes between the pipe and
/// the caller's stream. The child's error, if any, is the one reported.
fn beside_container(
    engine: &Engine,
    view: &ContainerView,
    direction: Direction<'_>,
    inside: impl FnOnce(File) -> Result<(), EngineError>,
) -> Result<(), EngineError> {
    let rootfs = spec::build(engine, &view.record)?.rootfs;
    let running = match (view.state.status, view.state.pid) {
        (Status::Running, Some(pid)) => Some(nix::unistd::Pid::from_raw(pid)),
        _ => None,
    };
    let pipe = || {
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| EngineError::Process {
            step: "creating a pipe",
            source: e.into(),
        })
    };
    let (r, w) = pipe()?;
    let (er, ew) = pipe()?;
    let out = matches!(direction, Direction::Out(_));
    // The child keeps to `sys::process`'s fork contract: it joins or mounts the
    // container's filesystem, moves tar over a pipe and `_exit`s.
    match fork().map_err(|e| EngineError::Process {
        step: "forking the copy",
        source: e.into(),
    })? {
        Forked::Child => {
            drop(er);
            let mine = if out {
                drop(r);
                w
            } else {
                drop(w);
                r
            };
            let fs = ContainerFs {
                running,
                rootfs: &rootfs,
                helper_path: &engine.config.helper_path,
            };
            let code = match enter_container_fs(&fs).and_then(|()| inside(File::from(mine))) {
                Ok(()) => 0,
                Err(e) => {
                    let _ = File::from(ew).write_all(e.to_string().as_bytes());
                    125
                }
            };
            exit_now(code)
        }
        Forked::Parent(child) => {
            drop(ew);
            let copied = match direction {
                Direction::Out(o) => {
                    drop(w);
                    std::io::copy(&mut File::from(r), o)
                }
                Direction::In(i) => {
                    drop(r);
                    // Dropped at the end of the arm: the child sees the end of the stream.
                    std::io::copy(i, &mut File::from(w))
                }
            };
            finish(child, er, copied)
        }
    }
}

/// After the bytes moved: the child's error first (it explains a short stream),
/// then the copy's, then the child's exit.
fn finish(
    child: nix::unistd::Pid,
    errors: std::os::fd::OwnedFd,
    copied: std::io::Result<u64>,
) -> Result<(), EngineError> {
    let mut child_error = String::new();
    let _ = File::from(errors).read_to_string(&mut child_error);
    let status = nix::sys::wait::waitpid(child, None);
    if !child_error.is_empty() {
        return Err(EngineError::CopyInContainer(child_error));
    }
    copied.map_err(|e| EngineError::ArchiveWrite {
        what: "the tar stream".into(),
        source: e,
    })?;
    match status {
        Ok(nix::sys::wait::WaitStatus::Exited(_, 0)) => Ok(()),
        _ => Err(EngineError::CopyDied),
    }
}

/// Write everything under `/` (this file system only) as a tar stream.
fn send_root(out: File) -> Result<(), EngineError> {
    let root = Path::new("/");
    let dev = std::fs::symlink_metadata(root)
        .map_err(file_err(root))?
        .dev();
    let mut b = tar::Builder::new(std::io::BufWriter::with_capacity(1 << 20, out));
    b.follow_symlinks(false);
    let mut entries: Vec<_> = std::fs::read_dir(root)
        .map_err(file_err(root))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let m = std::fs::symlink_metadata(e.path()).map_err(file_err(&e.path()))?;
        add(
            &mut b,
            &e.path(),
            Path::new(&e.file_name()),
            &m,
            false,
            Some(dev),
        )?;
    }
    b.into_inner()
        .and_then(|mut w| w.flush())
        .map_err(|e| EngineError::Process {
            step: "writing the export",
            source: e,
        })
}

fn src_path(s: &Side) -> PathBuf {
    match s {
        Side::Host(p) => p.clone(),
        Side::Container { path, .. } => PathBuf::from(path),
    }
}

fn dst_path(s: &Side) -> PathBuf {
    src_path(s)
}

/// The name the copy gets: the source's base name, or "." for `SRC/.`.
fn src_name(s: &Side) -> String {
    let p = src_path(s);
    let text = p.to_string_lossy();
    if text.ends_with("/.") {
        return ".".into();
    }
    p.file_name()
        .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
}

/// Write `path` as a tar stream whose entries start with its base name.
fn send(path: PathBuf, out: File, as_root: bool) -> Result<(), EngineError> {
    let meta = std::fs::symlink_metadata(&path).map_err(file_err(&path))?;
    let name = if path.to_string_lossy().ends_with("/.") {
        PathBuf::from(".")
    } else {
        PathBuf::from(path.file_name().unwrap_or(path.as_os_str()))
    };
    let mut b = tar::Builder::new(std::io::BufWriter::new(out));
    b.follow_symlinks(false);
    add(&mut b, &path, &name, &meta, as_root, None)?;
    b.into_inner()
        .and_then(|mut w| w.flush())
        .map_err(|e| EngineError::Process {
            step: "writing the copy",
            source: e,
        })
}

fn add<W: Write>(
    b: &mut tar::Builder<W>,
    path: &Path,
    name: &Path,
    meta: &std::fs::Metadata,
    as_root: bool,
    one_fs: Option<u64>,
) -> Result<(), EngineError> {
    let io = |e: std::io::Error| file_err(path)(e);
    let mut h = tar::Header::new_gnu();
    h.set_metadata_in_mode(meta, tar::HeaderMode::Complete);
    if as_root {
        h.set_uid(0);
        h.set_gid(0);
    } else {
        h.set_uid(u64::from(meta.uid()));
        h.set_gid(u64::from(meta.gid()));
    }
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path).map_err(io)?;
        h.set_size(0);
        b.append_link(&mut h, name, target).map_err(io)?;
    } else if meta.is_dir() {
        h.set_size(0);
        b.append_data(&mut h, name, std::io::empty()).map_err(io)?;
        if one_fs.is_some_and(|dev| dev != meta.dev()) {
            return Ok(());
        }
        let mut entries: Vec<_> = std::fs::read_dir(path).map_err(io)?.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let m = std::fs::symlink_metadata(e.path()).map_err(io)?;
            add(b, &e.path(), &name.join(e.file_name()), &m, as_root, one_fs)?;
        }
    } else if meta.is_file() {
        b.append_data(&mut h, name, File::open(path).map_err(io)?)
            .map_err(io)?;
    }
    Ok(())
}

/// Unpack a tar stream rooted at `name` to `dest` with Docker's rules.
fn receive(input: impl Read, dest: PathBuf, name: &str, ids: IdPolicy) -> Result<(), EngineError> {
    let dest_is_dir = std::fs::metadata(&dest).is_ok_and(|m| m.is_dir());
    let target = if dest_is_dir && name != "." {
        dest.join(name)
    } else {
        dest.clone()
    };
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    if !parent.is_dir() {
        return Err(EngineError::NoSuchDirectory(parent));
    }
    let staging = parent.join(format!(".skiff-cp-{}", std::process::id()));
    std::fs::create_dir(&staging).map_err(file_err(&staging))?;
    let result = unpack_layer(input, &staging, &UnpackOptions { ids })
        .map_err(|error| EngineError::CopyUnpack {
            path: dest.clone(),
            error,
        })
        .and_then(|_| {
            merge(
                &if name == "." {
                    staging.clone()
                } else {
                    staging.join(name)
                },
                &target,
            )
        });
    let _ = crate::store::remove_tree(&staging);
    result
}

/// Move `from` onto `to`, merging directories and replacing anything else.
fn merge(from: &Path, to: &Path) -> Result<(), EngineError> {
    let io = |e: std::io::Error| file_err(to)(e);
    let from_dir = std::fs::symlink_metadata(from).map_err(io)?.is_dir();
    let to_meta = std::fs::symlink_metadata(to);
    match to_meta {
        Ok(m) if m.is_dir() && from_dir => {
            for e in std::fs::read_dir(from).map_err(io)?.flatten() {
                merge(&e.path(), &to.join(e.file_name()))?;
            }
            Ok(())
        }
        Ok(m) if m.is_dir() => Err(EngineError::DirWithFile(to.to_path_buf())),
        Ok(_) => {
            std::fs::remove_file(to).map_err(io)?;
            std::fs::rename(from, to).map_err(io)
        }
        Err(_) => std::fs::rename(from, to).map_err(io),
    }
}

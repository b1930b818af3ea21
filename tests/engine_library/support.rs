//! What the tests share: an engine over a temp store with busybox imported,
//! container options, pipes read on threads, a container's log, the root check.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::thread::JoinHandle;

use skiff::container::Containers;
use skiff::engine::containers::{self, CreateOptions, ListOptions, PullPolicy};
use skiff::engine::import::{import, ImportOptions};
use skiff::engine::lifecycle::{self, CallerIo, Io, RunHandle};
use skiff::engine::pull::PullProgress;
use skiff::engine::{logs, Engine, EngineError};
use skiff::error_kind::ErrorKind;
use skiff::store::{ImageRecord, Store};
use skiff::sys::userns::MapKind;

pub fn skip_unless_root() -> bool {
    if nix::unistd::getuid().is_root() {
        return false;
    }
    eprintln!("skipped: needs real root (identity mapping)");
    true
}

pub struct Quiet;
impl PullProgress for Quiet {}

/// A tarball of a busybox root (/bin/busybox and the applets the tests use),
/// with `extra` files (path, content).
pub fn busybox_tar(extra: &[(&str, &str)]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_path_with_name("/bin/busybox", "bin/busybox")
        .unwrap();
    for applet in ["sh", "echo", "cat", "sleep"] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        h.set_mode(0o777);
        tar.append_link(&mut h, format!("bin/{applet}"), "busybox")
            .unwrap();
    }
    for (path, content) in extra {
        let mut h = tar::Header::new_gnu();
        h.set_size(content.len() as u64);
        h.set_mode(0o644);
        tar.append_data(&mut h, path, content.as_bytes()).unwrap();
    }
    tar.into_inner().unwrap()
}

pub fn import_as(engine: &Engine, name: &str, extra: &[(&str, &str)]) -> ImageRecord {
    let opts = ImportOptions {
        changes: &[],
        message: None,
        source: name,
        reference: Some(name),
    };
    import(engine, busybox_tar(extra).as_slice(), &opts).unwrap()
}

/// An engine over a new store in `dir`, with busybox imported as `localhost/bb`.
pub fn engine(dir: &Path) -> Engine {
    let store = Store::open(&dir.join("root"), &dir.join("run")).unwrap();
    let engine = Engine::new(store, MapKind::Identity);
    import_as(&engine, "bb", &[]);
    engine
}

/// `create` options for a busybox container running `script`, no network.
pub fn sh(script: &str) -> CreateOptions {
    CreateOptions {
        pull: PullPolicy::Never,
        command: vec!["sh".into(), "-c".into(), script.into()],
        network: "none".into(),
        ..CreateOptions::new("localhost/bb")
    }
}

#[track_caller]
pub fn kind_of<T: std::fmt::Debug>(r: Result<T, EngineError>) -> ErrorKind {
    r.expect_err("an error").kind()
}

pub fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap()
}

/// Read `fd` to its end on a thread of its own.
pub fn read_all(fd: OwnedFd) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        std::fs::File::from(fd).read_to_string(&mut s).unwrap();
        s
    })
}

/// Run `opts` in the foreground on this thread, stdout and stderr through
/// pipes: exit code, stdout, stderr.
pub fn run_foreground(engine: &Engine, opts: &CreateOptions) -> (i32, String, String) {
    run_with(engine, opts, None, &RunHandle::new())
}

/// [`run_foreground`] with `stdin` piped in (when given: `opts` says
/// `interactive`) and controlled through `handle`.
pub fn run_with(
    engine: &Engine,
    opts: &CreateOptions,
    stdin: Option<&str>,
    handle: &RunHandle,
) -> (i32, String, String) {
    let record = containers::create(engine, opts, &Quiet).unwrap().record;
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let stdin = stdin.map(|text| {
        let (r, w) = pipe();
        std::fs::File::from(w).write_all(text.as_bytes()).unwrap();
        r
    });
    let io = CallerIo {
        stdin,
        stdout: Some(out_w),
        stderr: Some(err_w),
        ..CallerIo::default()
    };
    let (out, err) = (read_all(out_r), read_all(err_r));
    let code = lifecycle::supervise(engine, &record, Io::Caller(io), handle, &mut |_| {}).unwrap();
    (code, out.join().unwrap(), err.join().unwrap())
}

/// The lines of a container's log, as (stream, text).
pub fn log_lines(engine: &Engine, id: &str) -> Vec<(String, String)> {
    let dir = Containers::new(engine.store.root()).unwrap().dir_of(id);
    logs::read_lines(&dir.join(logs::FILE))
        .into_iter()
        .map(|l| {
            let text = String::from_utf8_lossy(&l.text).into_owned();
            (l.stream.name().to_string(), text)
        })
        .collect()
}

pub fn all_containers(engine: &Engine) -> Vec<String> {
    let opts = ListOptions {
        all: true,
        ..ListOptions::default()
    };
    containers::list(engine, &opts)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

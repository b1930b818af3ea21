//! The engine as a library: two containers run at once from two threads of one
//! process, each with its stdio handed in as pipes (`CallerIo`) and controlled
//! through its own `RunHandle`; each gets its own output and exit code.
//!
//! Needs real root (identity mapping, the host's namespaces as the parent):
//! skips with a message otherwise. `cargo test --test engine_stdio` as root.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;

use skiff::engine::containers::{self, CreateOptions, PullPolicy};
use skiff::engine::handle::RunHandle;
use skiff::engine::import::{import, ImportOptions};
use skiff::engine::lifecycle::{self, CallerIo, Io};
use skiff::engine::pull::PullProgress;
use skiff::engine::Engine;
use skiff::store::Store;
use skiff::sys::userns::MapKind;

struct Quiet;
impl PullProgress for Quiet {}

/// A tarball of a busybox root: /bin/busybox and the applets the tests use.
fn busybox_tar() -> Vec<u8> {
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
    tar.into_inner().unwrap()
}

fn engine(dir: &Path) -> Engine {
    let store = Store::open(&dir.join("root"), &dir.join("run")).unwrap();
    let engine = Engine::new(store, MapKind::Identity);
    let opts = ImportOptions {
        changes: &[],
        message: None,
        source: "busybox",
        reference: Some("bb"),
    };
    import(&engine, busybox_tar().as_slice(), &opts).unwrap();
    engine
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap()
}

/// What one foreground run wrote to its stdout and stderr, and its code.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Create a container running `script` and supervise it on this thread, its
/// output into pipes read by two more threads.
fn run_one(engine: &Engine, script: &str, stdin: Option<&str>, handle: &RunHandle) -> Ran {
    let opts = CreateOptions {
        pull: PullPolicy::Never,
        command: vec!["sh".into(), "-c".into(), script.into()],
        network: "none".into(),
        interactive: stdin.is_some(),
        ..CreateOptions::new("localhost/bb")
    };
    let record = containers::create(engine, &opts, &Quiet).unwrap().record;
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let stdin = stdin.map(|text| {
        let (r, w) = pipe();
        std::fs::File::from(w).write_all(text.as_bytes()).unwrap();
        r
    });
    let io = CallerIo {
        stdin,
        stdin_is_terminal: false,
        stdout: Some(out_w),
        stderr: Some(err_w),
        window: None,
    };
    let read = |fd: OwnedFd| {
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::from(fd).read_to_string(&mut s).unwrap();
            s
        })
    };
    let (out, err) = (read(out_r), read(err_r));
    let code = lifecycle::supervise(engine, &record, Io::Caller(io), handle, &mut |_| {}).unwrap();
    Ran {
        code,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

#[test]
fn two_containers_from_two_threads_each_get_their_own_stdio_and_exit_code() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("skipped: needs real root (identity mapping)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let script = |n: u32| {
        format!("for i in 1 2 3; do echo out{n}-$i; echo err{n}-$i >&2; sleep 0.1; done; exit {n}")
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| run_one(&engine, &script(3), None, &RunHandle::new()));
        let b = s.spawn(|| run_one(&engine, &script(5), None, &RunHandle::new()));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a.code, 3);
    assert_eq!(a.stdout, "out3-1\nout3-2\nout3-3\n");
    assert_eq!(a.stderr, "err3-1\nerr3-2\nerr3-3\n");
    assert_eq!(b.code, 5);
    assert_eq!(b.stdout, "out5-1\nout5-2\nout5-3\n");
    assert_eq!(b.stderr, "err5-1\nerr5-2\nerr5-3\n");
}

#[test]
fn piped_stdin_reaches_the_container() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("skipped: needs real root (identity mapping)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let ran = run_one(
        &engine,
        "cat; exit 7",
        Some("hello\nthere\n"),
        &RunHandle::new(),
    );
    assert_eq!(ran.code, 7);
    assert_eq!(ran.stdout, "hello\nthere\n");
    assert_eq!(ran.stderr, "");
}

#[test]
fn a_signal_through_the_handle_reaches_only_its_own_container() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("skipped: needs real root (identity mapping)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let (ha, hb) = (Arc::new(RunHandle::new()), Arc::new(RunHandle::new()));
    let script = "trap 'echo term; exit 9' TERM; echo up; while true; do sleep 0.05; done";
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| run_one(&engine, script, None, &ha));
        let b = s.spawn(|| run_one(&engine, "sleep 1; echo done", None, &hb));
        while ha.pid().is_none() || hb.pid().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        ha.signal(nix::sys::signal::Signal::SIGTERM);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!((a.code, a.stdout.as_str()), (9, "up\nterm\n"));
    assert_eq!((b.code, b.stdout.as_str()), (0, "done\n"));
    assert_eq!(ha.pid(), None, "no target once it exited");
}

//! Foreground runs with their stdio handed in as pipes (`CallerIo`) and each
//! controlled through its own `RunHandle`: two containers from two threads get
//! their own output and exit code; piped stdin reaches the container; a signal
//! through one handle reaches only its own container.

use std::sync::Arc;

use skiff::engine::lifecycle::RunHandle;

use crate::support::{engine, run_with, sh, skip_unless_root};

/// `sh -c script` in the foreground, `stdin` piped in when given.
fn run_one(
    engine: &skiff::engine::Engine,
    script: &str,
    stdin: Option<&str>,
    handle: &RunHandle,
) -> (i32, String, String) {
    let opts = skiff::engine::containers::CreateOptions {
        interactive: stdin.is_some(),
        ..sh(script)
    };
    run_with(engine, &opts, stdin, handle)
}

pub fn two_containers_from_two_threads_each_get_their_own_stdio_and_exit_code() {
    if skip_unless_root() {
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
    assert_eq!(a.0, 3);
    assert_eq!(a.1, "out3-1\nout3-2\nout3-3\n");
    assert_eq!(a.2, "err3-1\nerr3-2\nerr3-3\n");
    assert_eq!(b.0, 5);
    assert_eq!(b.1, "out5-1\nout5-2\nout5-3\n");
    assert_eq!(b.2, "err5-1\nerr5-2\nerr5-3\n");
}

pub fn piped_stdin_reaches_the_container() {
    if skip_unless_root() {
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
    assert_eq!(ran.0, 7);
    assert_eq!(ran.1, "hello\nthere\n");
    assert_eq!(ran.2, "");
}

pub fn a_signal_through_the_handle_reaches_only_its_own_container() {
    if skip_unless_root() {
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
    assert_eq!((a.0, a.1.as_str()), (9, "up\nterm\n"));
    assert_eq!((b.0, b.1.as_str()), (0, "done\n"));
    assert_eq!(ha.pid(), None, "no target once it exited");
}

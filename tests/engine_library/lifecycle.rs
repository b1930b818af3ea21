//! The lifecycle from four threads at once: create, start detached (a
//! monitor per container), list, inspect, stop, wait, the log, remove.

use skiff::engine::containers::{self, CreateOptions, ListOptions, RemoveOptions, StopOptions};
use skiff::engine::{inspect, lifecycle, Engine};
use skiff::error_kind::ErrorKind;

use crate::support::*;

/// Stop signals for the lifecycle threads, with the exit codes they give.
const STOP_SIGNALS: [(&str, i32); 4] = [
    ("SIGTERM", 143),
    ("SIGHUP", 129),
    ("SIGUSR1", 138),
    ("SIGUSR2", 140),
];

/// One thread's container from create to remove; each step checks that the
/// thread sees its own container. It stops with a signal of its own (the shell
/// under `--init` dies of it, so the exit code says which, whenever it comes).
fn one_lifecycle(engine: &Engine, i: usize) {
    let name = format!("life{i}");
    let (signal, code) = STOP_SIGNALS[i];
    let script = format!("echo hello-{i}; echo oops-{i} >&2; while true; do sleep 0.05; done");
    let opts = CreateOptions {
        name: Some(name.clone()),
        labels: vec![format!("worker={i}")],
        init: true,
        stop_signal: Some(signal.into()),
        ..sh(&script)
    };
    let created = containers::create(engine, &opts, &Quiet).unwrap();
    assert_eq!(created.name, name);
    let id = created.id.clone();

    let warnings = lifecycle::start_detached(engine, &created.record).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");

    let mine = ListOptions {
        filters: vec![format!("label=worker={i}")],
        ..ListOptions::default()
    };
    let listed = containers::list(engine, &mine).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(
        (&listed[0].id, &listed[0].names, listed[0].state.as_str()),
        (&id, &vec![name.clone()], "running")
    );

    let running = inspect::container(engine, &name).unwrap();
    assert_eq!(running.id, id);
    assert_eq!(running.state.status, "running");
    assert!(running.state.running && running.state.pid > 0);
    assert_eq!(running.config.labels["worker"], i.to_string());
    assert_eq!(running.config.stop_signal, signal);
    // A running container is not removed.
    let refused = containers::remove(engine, &name, &RemoveOptions::default());
    assert_eq!(kind_of(refused), ErrorKind::Conflict);

    let view = containers::find(engine, &id).unwrap();
    let timeout = StopOptions { timeout: Some(10) };
    let stopped = containers::stop(engine, &view, &timeout).unwrap();
    assert_eq!(
        (stopped.id.as_str(), stopped.name.as_str()),
        (id.as_str(), name.as_str())
    );
    assert_eq!(containers::wait(engine, &name).unwrap(), code);

    let exited = inspect::container(engine, &id).unwrap();
    assert_eq!(exited.state.status, "exited");
    assert!(!exited.state.running);
    assert_eq!((exited.state.pid, exited.state.exit_code), (0, code));
    assert_ne!(exited.state.finished_at, "0001-01-01T00:00:00Z");
    let exited_filter = ListOptions {
        filters: vec![format!("exited={code}")],
        ..ListOptions::default()
    };
    let listed = containers::list(engine, &exited_filter).unwrap();
    assert_eq!(listed.iter().map(|c| &c.id).collect::<Vec<_>>(), [&id]);

    // The monitor wrote the container's output to its log, stdout and stderr apart.
    let lines = log_lines(engine, &id);
    assert!(
        lines.contains(&("stdout".into(), format!("hello-{i}"))),
        "{lines:?}"
    );
    assert!(
        lines.contains(&("stderr".into(), format!("oops-{i}"))),
        "{lines:?}"
    );

    let removed = containers::remove(engine, &name, &RemoveOptions::default()).unwrap();
    assert_eq!((removed.id, removed.name), (id.clone(), name.clone()));
    assert_eq!(
        kind_of(inspect::container(engine, &id)),
        ErrorKind::NotFound
    );
}

pub fn lifecycle_from_threads() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let engine = &engine;
                std::thread::Builder::new()
                    .name(format!("life{i}"))
                    .spawn_scoped(s, move || one_lifecycle(engine, i))
                    .unwrap()
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
    });
    assert_eq!(all_containers(&engine), Vec::<String>::new());
}

//! The engine as a library, called from several threads of one process with no
//! CLI: the container lifecycle (create, start detached, list, stop, wait,
//! inspect, remove), volumes, images and build, with output captured through
//! the engine's stdio parameters (a detached container's log, a foreground
//! run's `CallerIo` pipes, a build's `StepOutput` pipes), and the kinds of the
//! errors the engine returns (what the API service will map to HTTP codes).
//!
//! Its own harness (`harness = false` in Cargo.toml): `start_detached` starts
//! the container's monitor by re-executing the calling program
//! (`/proc/self/exe __monitor …`), so a program that calls it must answer that
//! hidden subcommand in its `main` before anything else, as `skiff` does in
//! `cli::internal`. [`main`] does that, then runs the tests at once, each on
//! its own thread with its own temp store; `cargo test --test engine_library
//! [FILTER]`.
//!
//! Needs real root (identity mapping, the host's namespaces as the parent):
//! each test prints a skip line otherwise.
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::{Barrier, Mutex};
use std::thread::JoinHandle;

use skiff::container::Containers;
use skiff::engine::build::{self, BuildOptions, BuildProgress, Context, StepOutput};
use skiff::engine::containers::{
    self, CreateOptions, KillOptions, ListOptions, PullPolicy, RemoveOptions, StopOptions,
};
use skiff::engine::images::{self, Removal};
use skiff::engine::import::{import, ImportOptions};
use skiff::engine::inspect;
use skiff::engine::lifecycle::{self, CallerIo, Io, RunHandle};
use skiff::engine::monitor::{self, MonitorArgs, MONITOR_COMMAND, MONITOR_REPORT_FD};
use skiff::engine::pull::PullProgress;
use skiff::engine::{local_name, logs, volumes, Engine, EngineError};
use skiff::error_kind::ErrorKind;
use skiff::store::{ImageRecord, Store};
use skiff::sys::userns::MapKind;

// ---- harness ----------------------------------------------------------------

const TESTS: &[(&str, fn())] = &[
    ("lifecycle_from_threads", lifecycle_from_threads),
    ("volumes_from_threads", volumes_from_threads),
    (
        "a_volume_is_never_removed_under_a_container_being_created",
        a_volume_is_never_removed_under_a_container_being_created,
    ),
    ("images_from_threads", images_from_threads),
    (
        "two_builds_from_two_threads_capture_their_run_output",
        two_builds_from_two_threads_capture_their_run_output,
    ),
    ("error_kinds", error_kinds),
];

/// The detached container's monitor, when `start_detached` re-executed this
/// program for it (what `skiff`'s `cli::internal::dispatch` does): its exit code.
fn monitor_dispatch() -> Option<i32> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let (first, rest) = args.split_first()?;
    if first.to_str() != Some(MONITOR_COMMAND) {
        return None;
    }
    let parsed = MonitorArgs::parse(rest)?;
    let report = skiff::sys::process::inherited_fd(MONITOR_REPORT_FD)?;
    Some(monitor::monitor_main(&parsed, report))
}

fn main() {
    // First, while this process has one thread: the monitor forks.
    if let Some(code) = monitor_dispatch() {
        std::process::exit(code);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        TESTS.iter().for_each(|(name, _)| println!("{name}: test"));
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let chosen: Vec<&(&str, fn())> = TESTS
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} tests", chosen.len());
    let started = std::time::Instant::now();
    let running: Vec<(&str, JoinHandle<()>)> = chosen
        .iter()
        .map(|(name, test)| {
            let thread = std::thread::Builder::new().name(name.to_string());
            (*name, thread.spawn(*test).unwrap())
        })
        .collect();
    let mut failed = Vec::new();
    for (name, t) in running {
        let ok = t.join().is_ok();
        println!("test {name} ... {}", if ok { "ok" } else { "FAILED" });
        if !ok {
            failed.push(name);
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        chosen.len() - failed.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}

// ---- helpers ----------------------------------------------------------------

fn skip_unless_root() -> bool {
    if nix::unistd::getuid().is_root() {
        return false;
    }
    eprintln!("skipped: needs real root (identity mapping)");
    true
}

struct Quiet;
impl PullProgress for Quiet {}

/// A tarball of a busybox root (/bin/busybox and the applets the tests use),
/// with `extra` files (path, content).
fn busybox_tar(extra: &[(&str, &str)]) -> Vec<u8> {
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

fn import_as(engine: &Engine, name: &str, extra: &[(&str, &str)]) -> ImageRecord {
    let opts = ImportOptions {
        changes: &[],
        message: None,
        source: name,
        reference: Some(name),
    };
    import(engine, busybox_tar(extra).as_slice(), &opts).unwrap()
}

/// An engine over a new store in `dir`, with busybox imported as `localhost/bb`.
fn engine(dir: &Path) -> Engine {
    let store = Store::open(&dir.join("root"), &dir.join("run")).unwrap();
    let engine = Engine::new(store, MapKind::Identity);
    import_as(&engine, "bb", &[]);
    engine
}

/// `create` options for a busybox container running `script`, no network.
fn sh(script: &str) -> CreateOptions {
    CreateOptions {
        pull: PullPolicy::Never,
        command: vec!["sh".into(), "-c".into(), script.into()],
        network: "none".into(),
        ..CreateOptions::new("localhost/bb")
    }
}

#[track_caller]
fn kind_of<T: std::fmt::Debug>(r: Result<T, EngineError>) -> ErrorKind {
    r.expect_err("an error").kind()
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap()
}

/// Read `fd` to its end on a thread of its own.
fn read_all(fd: OwnedFd) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        std::fs::File::from(fd).read_to_string(&mut s).unwrap();
        s
    })
}

/// Run `opts` in the foreground on this thread, stdout and stderr through
/// pipes: exit code, stdout, stderr.
fn run_foreground(engine: &Engine, opts: &CreateOptions) -> (i32, String, String) {
    let record = containers::create(engine, opts, &Quiet).unwrap().record;
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let io = CallerIo {
        stdout: Some(out_w),
        stderr: Some(err_w),
        ..CallerIo::default()
    };
    let (out, err) = (read_all(out_r), read_all(err_r));
    let code = lifecycle::supervise(
        engine,
        &record,
        Io::Caller(io),
        &RunHandle::new(),
        &mut |_| {},
    )
    .unwrap();
    (code, out.join().unwrap(), err.join().unwrap())
}

/// The lines of a container's log, as (stream, text).
fn log_lines(engine: &Engine, id: &str) -> Vec<(String, String)> {
    let dir = Containers::new(engine.store.root()).unwrap().dir_of(id);
    logs::read_lines(&dir.join(logs::FILE))
        .into_iter()
        .map(|l| {
            let text = String::from_utf8_lossy(&l.text).into_owned();
            (l.stream.name().to_string(), text)
        })
        .collect()
}

fn all_containers(engine: &Engine) -> Vec<String> {
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

// ---- lifecycle --------------------------------------------------------------

/// One thread's container from create to remove; each step checks that the
/// thread sees its own container.
fn one_lifecycle(engine: &Engine, i: usize) {
    let name = format!("life{i}");
    let code = 20 + i as i32;
    let script = format!(
        "echo hello-{i}; echo oops-{i} >&2; trap 'exit {code}' TERM; while true; do sleep 0.05; done"
    );
    let opts = CreateOptions {
        name: Some(name.clone()),
        labels: vec![format!("worker={i}")],
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

fn lifecycle_from_threads() {
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

// ---- volumes ----------------------------------------------------------------

fn one_volume(engine: &Engine, i: usize) {
    let name = format!("vol{i}");
    let create = volumes::CreateOptions {
        name: Some(name.clone()),
    };
    assert_eq!(volumes::create(engine, &create).unwrap(), name);
    let mine = volumes::ListOptions {
        filters: vec![format!("name=vol{i}")],
    };
    let listed = volumes::list(engine, &mine).unwrap();
    assert_eq!(
        listed.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        [name.as_str()]
    );
    let v = volumes::inspect(engine, &name).unwrap();
    assert_eq!((v.driver.as_str(), v.scope.as_str()), ("local", "local"));
    let data = volumes::data_dir(engine, &name);
    assert_eq!(Path::new(&v.mountpoint), data);
    std::fs::write(data.join("f"), format!("data of {i}")).unwrap();
    volumes::remove(engine, &name, &volumes::RemoveOptions::default()).unwrap();
    assert!(!volumes::exists(engine, &name));
    assert_eq!(
        kind_of(volumes::inspect(engine, &name)),
        ErrorKind::NotFound
    );
}

fn volumes_from_threads() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let engine = &engine;
                s.spawn(move || one_volume(engine, i))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
    });
    assert_eq!(volumes::names(&engine), Vec::<String>::new());

    // A volume a created container uses is kept; prune takes the others.
    let user = containers::create(
        &engine,
        &CreateOptions {
            volumes: vec!["held:/data".into()],
            ..sh("true")
        },
        &Quiet,
    )
    .unwrap();
    for name in ["loose-a", "loose-b"] {
        let opts = volumes::CreateOptions {
            name: Some(name.into()),
        };
        volumes::create(&engine, &opts).unwrap();
    }
    std::fs::write(volumes::data_dir(&engine, "loose-a").join("f"), "12345").unwrap();
    let dangling = |yes: bool| {
        let opts = volumes::ListOptions {
            filters: vec![format!("dangling={yes}")],
        };
        let listed = volumes::list(&engine, &opts).unwrap();
        listed.into_iter().map(|v| v.name).collect::<Vec<_>>()
    };
    assert_eq!(dangling(true), ["loose-a", "loose-b"]);
    assert_eq!(dangling(false), ["held"]);
    assert_eq!(
        volumes::users(&engine, "held").unwrap(),
        [user.name.clone()]
    );
    let refused = volumes::remove(&engine, "held", &volumes::RemoveOptions::default());
    let err = refused.expect_err("a used volume is not removed");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains(&user.name), "{err}");

    let mut seen = Vec::new();
    let report = volumes::prune(&engine, &mut |n| seen.push(n.to_string())).unwrap();
    assert_eq!(report.volumes_deleted, ["loose-a", "loose-b"]);
    assert_eq!(seen, report.volumes_deleted);
    assert!(report.space_reclaimed >= 5, "{report:?}");
    assert_eq!(volumes::names(&engine), ["held"]);

    containers::remove(&engine, &user.id, &RemoveOptions::default()).unwrap();
    volumes::remove(&engine, "held", &volumes::RemoveOptions::default()).unwrap();
    assert_eq!(volumes::names(&engine), Vec::<String>::new());
}

/// `volume rm` racing `create -v NAME:…`: either the removal is refused (the
/// container came first) or the volume is made again for the container; never
/// a container whose volume is gone.
fn a_volume_is_never_removed_under_a_container_being_created() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    for round in 0..8 {
        let name = format!("race{round}");
        let create = volumes::CreateOptions {
            name: Some(name.clone()),
        };
        volumes::create(&engine, &create).unwrap();
        let both = Barrier::new(2);
        let (created, removed) = std::thread::scope(|s| {
            let c = s.spawn(|| {
                let opts = CreateOptions {
                    volumes: vec![format!("{name}:/data")],
                    ..sh("true")
                };
                both.wait();
                containers::create(&engine, &opts, &Quiet).unwrap()
            });
            let r = s.spawn(|| {
                both.wait();
                volumes::remove(&engine, &name, &volumes::RemoveOptions::default())
            });
            (c.join().unwrap(), r.join().unwrap())
        });
        if let Err(e) = &removed {
            assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
        }
        assert!(
            volumes::exists(&engine, &name),
            "round {round}: {removed:?}"
        );
        assert_eq!(
            volumes::users(&engine, &name).unwrap(),
            [created.name.clone()]
        );
        containers::remove(&engine, &created.id, &RemoveOptions::default()).unwrap();
    }
}

// ---- images -----------------------------------------------------------------

fn one_image(engine: &Engine, bb: &ImageRecord, i: usize) {
    // An image of its own, and another name for the shared one.
    let own_name = format!("img{i}");
    let file = format!("etc/own{i}");
    let own = import_as(engine, &own_name, &[(&file, "mine")]);
    let alias = images::tag(engine, "bb", &format!("alias{i}:v1")).unwrap();
    assert_eq!(alias.to_string(), format!("localhost/alias{i}:v1"));

    let listed = images::list(engine).unwrap();
    let row = |n: &str| {
        listed
            .iter()
            .find(|r| r.name.as_ref().is_some_and(|x| x.to_string() == n))
            .map(|r| r.record.id.clone())
    };
    assert_eq!(row(&alias.to_string()), Some(bb.id.clone()));
    assert_eq!(
        row(&format!("localhost/{own_name}:latest")),
        Some(own.id.clone())
    );

    let shared = inspect::inspect(engine, &alias.to_string()).unwrap();
    assert_eq!(shared.id, bb.id.hex());
    assert!(
        shared.repo_tags.contains(&alias.to_string()),
        "{:?}",
        shared.repo_tags
    );
    assert!(shared
        .repo_tags
        .contains(&"localhost/bb:latest".to_string()));
    let mine = inspect::inspect(engine, &own_name).unwrap();
    assert_eq!(mine.id, own.id.hex());
    assert_eq!(mine.repo_tags, [format!("localhost/{own_name}:latest")]);
    assert_eq!(mine.root_fs.kind, "layers");
    assert_eq!(mine.root_fs.layers.len(), 1);
    assert_ne!(mine.root_fs.layers, shared.root_fs.layers);
    assert_eq!(mine.comment, format!("Imported from {own_name}"));
    assert_eq!(mine.history.as_ref().map(Vec::len), Some(1));
    assert!(mine.size > 0);

    // Removing one of two names untags; the last name deletes.
    let untagged = images::remove(engine, &alias.to_string(), false).unwrap();
    assert_eq!(untagged, [Removal::Untagged(alias.clone())]);
    let deleted = images::remove(engine, &own_name, false).unwrap();
    let own_ref = local_name(&own_name).unwrap();
    assert_eq!(
        deleted,
        [Removal::Untagged(own_ref), Removal::Deleted(own.id)]
    );
    assert_eq!(
        kind_of(inspect::inspect(engine, &own_name)),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind_of(images::remove(engine, &own_name, false)),
        ErrorKind::NotFound
    );
}

fn images_from_threads() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let bb = skiff::engine::resolve::resolve(&engine, "bb")
        .unwrap()
        .record;
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let (engine, bb) = (&engine, &bb);
                s.spawn(move || one_image(engine, bb, i))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
    });
    let left: Vec<String> = images::list(&engine)
        .unwrap()
        .iter()
        .map(|r| r.name.as_ref().map(|n| n.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(left, ["localhost/bb:latest"]);

    // An image with several names is not removed by id; one a container uses
    // is not removed at all.
    images::tag(&engine, "bb", "extra").unwrap();
    let by_id = images::remove(&engine, bb.id.hex(), false);
    assert_eq!(kind_of(by_id), ErrorKind::Conflict);
    images::remove(&engine, "extra", false).unwrap();
    let user = containers::create(&engine, &sh("true"), &Quiet).unwrap();
    assert_eq!(
        kind_of(images::remove(&engine, "bb", false)),
        ErrorKind::Conflict
    );
    containers::remove(&engine, &user.id, &RemoveOptions::default()).unwrap();
    let gone = images::remove(&engine, "bb", false).unwrap();
    assert!(gone.contains(&Removal::Deleted(bb.id.clone())), "{gone:?}");
    assert!(images::list(&engine).unwrap().is_empty());
}

// ---- build ------------------------------------------------------------------

/// Build progress kept as lines (`STEP n/N: …`).
#[derive(Default)]
struct Steps(Mutex<Vec<String>>);

impl BuildProgress for Steps {
    fn step(&self, n: usize, total: usize, text: &str) {
        self.0
            .lock()
            .unwrap()
            .push(format!("STEP {n}/{total}: {text}"));
    }
    fn cached(&self, _id: &str) {}
    fn done(&self, _id: &str) {}
    fn warn(&self, text: &str) {
        self.0.lock().unwrap().push(format!("WARN {text}"));
    }
    fn pull(&self) -> &dyn PullProgress {
        &Quiet
    }
}

/// What one build did: the image, its RUN output and its progress lines.
struct Built {
    image: ImageRecord,
    stdout: String,
    stderr: String,
    steps: Vec<String>,
}

fn build_one(engine: &Engine, context: &Path, n: usize) -> Built {
    let run = format!(r#"echo built-{n} > /built && echo out-{n} && echo err-{n} >&2"#);
    let dockerfile = format!("FROM localhost/bb\nRUN {run}\nCMD [\"cat\", \"/built\"]\n");
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let (out, err) = (read_all(out_r), read_all(err_r));
    let opts = BuildOptions {
        dockerfile,
        dockerfile_name: "Dockerfile".into(),
        context: Context::new(context.to_path_buf(), None).unwrap(),
        tags: vec![local_name(&format!("built{n}")).unwrap()],
        build_args: Default::default(),
        target: None,
        no_cache: false,
        pull: PullPolicy::Never,
        labels: vec![("n".into(), n.to_string())],
        network: "none".into(),
        secrets: Default::default(),
        registry: Default::default(),
        step_output: Some(StepOutput::from_fds(Some(out_w), Some(err_w))),
    };
    let steps = Steps::default();
    let image = build::build(engine, &opts, &steps).unwrap();
    drop(opts); // the last write ends of the pipes
    Built {
        image,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        steps: steps.0.into_inner().unwrap(),
    }
}

fn two_builds_from_two_threads_capture_their_run_output() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let context = tempfile::tempdir().unwrap();
    let (one, two) = std::thread::scope(|s| {
        let one = s.spawn(|| build_one(&engine, context.path(), 1));
        let two = s.spawn(|| build_one(&engine, context.path(), 2));
        (one.join().unwrap(), two.join().unwrap())
    });
    for (n, built) in [(1, &one), (2, &two)] {
        assert_eq!(built.stdout, format!("out-{n}\n"));
        assert_eq!(built.stderr, format!("err-{n}\n"));
        let run = format!("echo built-{n} > /built && echo out-{n} && echo err-{n} >&2");
        assert_eq!(
            built.steps,
            [
                "STEP 1/3: FROM localhost/bb".to_string(),
                format!("STEP 2/3: RUN {run}"),
                "STEP 3/3: CMD [\"cat\", \"/built\"]".to_string(),
            ]
        );
        let inspected = inspect::inspect(&engine, &format!("built{n}")).unwrap();
        assert_eq!(inspected.id, built.image.id.hex());
        let config = inspected.config.as_deref().unwrap();
        assert_eq!(config.cmd(), ["cat", "/built"]);
        assert_eq!(inspected.labels.as_ref().unwrap()["n"], n.to_string());
        // The built image runs and prints what its RUN wrote into it.
        let (code, stdout, stderr) = run_foreground(
            &engine,
            &CreateOptions {
                pull: PullPolicy::Never,
                network: "none".into(),
                ..CreateOptions::new(format!("built{n}"))
            },
        );
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (0, format!("built-{n}\n").as_str(), "")
        );
    }
    assert_ne!(one.image.id, two.image.id);

    // A failing RUN: its status in the error, its output still captured.
    let (out_r, out_w) = pipe();
    let out = read_all(out_r);
    let opts = BuildOptions {
        dockerfile: "FROM localhost/bb\nRUN echo failing; exit 3\n".into(),
        dockerfile_name: "Dockerfile".into(),
        context: Context::new(context.path().to_path_buf(), None).unwrap(),
        tags: vec![],
        build_args: Default::default(),
        target: None,
        no_cache: false,
        pull: PullPolicy::Never,
        labels: vec![],
        network: "none".into(),
        secrets: Default::default(),
        registry: Default::default(),
        step_output: Some(StepOutput::from_fds(Some(out_w), None)),
    };
    let failed = build::build(&engine, &opts, &Steps::default());
    drop(opts);
    let err = failed.expect_err("RUN exit 3 fails the build");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.to_string().ends_with("exit status 3"), "{err}");
    assert_eq!(out.join().unwrap(), "failing\n");
}

// ---- error kinds ------------------------------------------------------------

fn error_kinds() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    use ErrorKind::*;
    // NotFound: a missing container, image or volume.
    assert_eq!(
        kind_of(containers::find(&engine, "nope").map(|_| ())),
        NotFound
    );
    assert_eq!(kind_of(inspect::container(&engine, "nope")), NotFound);
    assert_eq!(kind_of(containers::wait(&engine, "nope")), NotFound);
    let rm = containers::remove(&engine, "nope", &RemoveOptions::default());
    assert_eq!(kind_of(rm), NotFound);
    assert_eq!(kind_of(inspect::inspect(&engine, "nope")), NotFound);
    assert_eq!(kind_of(images::tag(&engine, "nope", "x")), NotFound);
    let missing_image = CreateOptions {
        pull: PullPolicy::Never,
        ..CreateOptions::new("localhost/nope")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &missing_image, &Quiet)),
        NotFound
    );
    let rm_vol = volumes::remove(&engine, "nope", &volumes::RemoveOptions::default());
    assert_eq!(kind_of(rm_vol), NotFound);

    // Conflict: a name taken, a signal for a container that does not run.
    let named = CreateOptions {
        name: Some("taken".into()),
        ..sh("true")
    };
    let first = containers::create(&engine, &named, &Quiet).unwrap();
    assert_eq!(
        kind_of(containers::create(&engine, &named, &Quiet)),
        Conflict
    );
    let term = KillOptions {
        signal: "TERM".into(),
    };
    assert_eq!(kind_of(containers::kill(&engine, "taken", &term)), Conflict);

    // InvalidArgument: bad options, filters, names and signals.
    let bad_restart = CreateOptions {
        restart: "sometimes".into(),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_restart, &Quiet)),
        InvalidArgument
    );
    let bad_network = CreateOptions {
        network: "carrier-pigeon".into(),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_network, &Quiet)),
        InvalidArgument
    );
    let bad_name = CreateOptions {
        name: Some("-x".into()),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_name, &Quiet)),
        InvalidArgument
    );
    let bad_filter = ListOptions {
        filters: vec!["colour=blue".into()],
        ..ListOptions::default()
    };
    assert_eq!(
        kind_of(containers::list(&engine, &bad_filter)),
        InvalidArgument
    );
    let bad_signal = KillOptions {
        signal: "SIGNOPE".into(),
    };
    assert_eq!(
        kind_of(containers::kill(&engine, "taken", &bad_signal)),
        InvalidArgument
    );
    let digest = "x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_eq!(kind_of(images::tag(&engine, "bb", digest)), InvalidArgument);
    let bad_volume = volumes::CreateOptions {
        name: Some("-v".into()),
    };
    assert_eq!(
        kind_of(volumes::create(&engine, &bad_volume)),
        InvalidArgument
    );
    // (A filter is checked against each volume or container: with none to
    // list, a bad one passes; hence one to list.)
    let one = volumes::CreateOptions {
        name: Some("one".into()),
    };
    volumes::create(&engine, &one).unwrap();
    let bad_volume_filter = volumes::ListOptions {
        filters: vec!["colour=blue".into()],
    };
    assert_eq!(
        kind_of(volumes::list(&engine, &bad_volume_filter)),
        InvalidArgument
    );

    // None of the failures left anything behind.
    assert_eq!(all_containers(&engine), [first.id.clone()]);
    containers::remove(&engine, &first.id, &RemoveOptions::default()).unwrap();
    assert_eq!(all_containers(&engine), Vec::<String>::new());
}

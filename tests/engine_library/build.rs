//! Two builds from two threads at once, each RUN's stdout and stderr
//! captured through its own `StepOutput` pipes; the built images run.

use std::path::Path;
use std::sync::Mutex;

use skiff::engine::builder::{self as build, BuildOptions, BuildProgress, Context, StepOutput};
use skiff::engine::containers::{CreateOptions, PullPolicy};
use skiff::engine::pull::PullProgress;
use skiff::engine::{inspect, local_name, Engine};
use skiff::error_kind::ErrorKind;
use skiff::store::ImageRecord;

use crate::support::*;

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

/// Build options for `dockerfile` (no network, no pulls), RUN output to `output`.
fn options(dockerfile: String, context: &Path, output: StepOutput) -> BuildOptions {
    BuildOptions {
        dockerfile,
        dockerfile_name: "Dockerfile".into(),
        context: Context::new(context.to_path_buf(), None).unwrap(),
        tags: vec![],
        build_args: Default::default(),
        target: None,
        no_cache: false,
        pull: PullPolicy::Never,
        labels: vec![],
        network: "none".into(),
        secrets: Default::default(),
        registry: Default::default(),
        step_output: Some(output),
    }
}

/// The RUN step of build `n`: it writes a file into the image and to both streams.
fn run_step(n: usize) -> String {
    format!("echo built-{n} > /built && echo out-{n} && echo err-{n} >&2")
}

fn build_one(engine: &Engine, context: &Path, n: usize) -> Built {
    let dockerfile = format!(
        "FROM localhost/bb\nRUN {}\nCMD [\"cat\", \"/built\"]\n",
        run_step(n)
    );
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let (out, err) = (read_all(out_r), read_all(err_r));
    let opts = BuildOptions {
        tags: vec![local_name(&format!("built{n}")).unwrap()],
        labels: vec![("n".into(), n.to_string())],
        ..options(
            dockerfile,
            context,
            StepOutput::from_fds(Some(out_w), Some(err_w)),
        )
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

pub fn two_builds_from_two_threads_capture_their_run_output() {
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
        assert_eq!(
            built.steps,
            [
                "STEP 1/3: FROM localhost/bb".to_string(),
                format!("STEP 2/3: RUN {}", run_step(n)),
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
    let failing = "FROM localhost/bb\nRUN echo failing; exit 3\n".to_string();
    let opts = options(
        failing,
        context.path(),
        StepOutput::from_fds(Some(out_w), None),
    );
    let failed = build::build(&engine, &opts, &Steps::default());
    drop(opts);
    let err = failed.expect_err("RUN exit 3 fails the build");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.to_string().ends_with("exit status 3"), "{err}");
    assert_eq!(out.join().unwrap(), "failing\n");
}

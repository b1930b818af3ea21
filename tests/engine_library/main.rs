//! The engine as a library, called from several threads of one process with no
//! CLI: the container lifecycle (create, start detached, list, stop, wait,
//! inspect, remove), foreground runs with piped stdio and per-run signals,
//! volumes, images and build, with output captured through
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
//! [FILTER]`. One module per subject; [`support`]: the shared helpers.
//!
//! Needs real root (identity mapping, the host's namespaces as the parent):
//! each test prints a skip line otherwise.
#![allow(clippy::unwrap_used)]

mod build;
mod errors;
mod images;
mod lifecycle;
mod stdio;
mod support;
mod volumes;

use std::thread::JoinHandle;

use skiff::engine::monitor::{self, MonitorArgs, MONITOR_COMMAND, MONITOR_REPORT_FD};

const TESTS: &[(&str, fn())] = &[
    ("lifecycle_from_threads", lifecycle::lifecycle_from_threads),
    ("volumes_from_threads", volumes::volumes_from_threads),
    (
        "a_volume_is_never_removed_under_a_container_being_created",
        volumes::a_volume_is_never_removed_under_a_container_being_created,
    ),
    ("images_from_threads", images::images_from_threads),
    (
        "two_builds_from_two_threads_capture_their_run_output",
        build::two_builds_from_two_threads_capture_their_run_output,
    ),
    ("error_kinds", errors::error_kinds),
    (
        "two_containers_from_two_threads_each_get_their_own_stdio_and_exit_code",
        stdio::two_containers_from_two_threads_each_get_their_own_stdio_and_exit_code,
    ),
    (
        "piped_stdin_reaches_the_container",
        stdio::piped_stdin_reaches_the_container,
    ),
    (
        "a_signal_through_the_handle_reaches_only_its_own_container",
        stdio::a_signal_through_the_handle_reaches_only_its_own_container,
    ),
];

/// The detached container's monitor, when `start_detached` re-executed this
/// program for it (what `skiff`'s `cli::internal::dispatch` does): its exit code.
fn monitor_dispatch() -> Option<i32> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let (first, rest) = args.split_first()?;
    if first.to_str() != Some(MONITOR_COMMAND) {
        return None;
    }
    // Never fall through to running the tests with the monitor's arguments.
    let Some(parsed) = MonitorArgs::parse(rest) else {
        return Some(1);
    };
    let Some(report) = skiff::sys::process::inherited_fd(MONITOR_REPORT_FD) else {
        return Some(1);
    };
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

//! Phase marks for `--log-level debug`: each mark prints the milliseconds since
//! the process started, so that a slow command shows where its time went.
//!
//! This is the one module below [`crate::cli`] that writes to stderr, and only
//! after `cli` turned it on because the user asked for debug output; a mark
//! costs one relaxed atomic load otherwise.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Note the process start: call first thing in `main`.
pub fn start_clock() {
    let _ = STARTED.set(Instant::now());
}

/// Turn the marks on (or off).
pub fn enable(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether marks are printed.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Milliseconds since [`start_clock`] (0 if it was never called).
fn elapsed_ms() -> f64 {
    STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0)
}

/// Print `msg` as a debug line with the elapsed time, when enabled.
pub fn mark(msg: &str) {
    if enabled() {
        let ms = elapsed_ms();
        // not eprintln!: a closed stderr (`2>&1 | head`) must not panic a run
        // halfway and leave its container behind
        let _ = writeln!(
            std::io::stderr().lock(),
            "DEBU[{:04}] {ms:8.3}ms {msg}",
            (ms / 1000.0) as u64
        );
    }
}

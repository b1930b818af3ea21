//! One run's (or exec's) own state, shared between the thread that supervises
//! the process and the front end that controls it: the process to signal, the
//! pty to resize, and what the exited container left to tear down.
//!
//! Invariant: a handle belongs to one run or exec; nothing here is global, so
//! any number of runs may go on at once in one process. Signals and resizes
//! sent while no process runs (before the start, between restarts, after the
//! exit) are dropped, as a foreground `run` always dropped them.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Mutex;

use nix::sys::signal::Signal;
use nix::unistd::Pid;

use crate::runtime::tty::WinSize;

/// Controls one running container or exec'd process (see the module docs).
#[derive(Debug, Default)]
pub struct RunHandle {
    /// Host pid of the process while it runs, else 0.
    pid: AtomicI32,
    /// Whether the process ever ran.
    started: AtomicBool,
    /// A duplicate of its pty master while it runs with a terminal.
    master: Mutex<Option<OwnedFd>>,
    /// What the exited container left to tear down (`run --rm`).
    teardown: Mutex<Vec<OwnedFd>>,
}

impl RunHandle {
    /// A handle for a run or exec not started yet.
    pub fn new() -> RunHandle {
        RunHandle::default()
    }

    /// A handle on a process this caller does not supervise (`attach`).
    pub fn of_pid(pid: i32) -> RunHandle {
        let h = RunHandle::default();
        h.pid.store(pid, Ordering::Relaxed);
        h.started.store(true, Ordering::Relaxed);
        h
    }

    /// The process's host pid while it runs.
    pub fn pid(&self) -> Option<i32> {
        Some(self.pid.load(Ordering::Relaxed)).filter(|p| *p > 0)
    }

    /// Whether the process has been started (it may have exited since).
    pub fn started(&self) -> bool {
        self.started.load(Ordering::Relaxed)
    }

    /// Send `sig` to the process (pid 1 of a container); nothing when none runs.
    pub fn signal(&self, sig: Signal) {
        if let Some(pid) = self.pid() {
            let _ = nix::sys::signal::kill(Pid::from_raw(pid), sig);
        }
    }

    /// Give the process's terminal this size; nothing without one.
    pub fn resize(&self, size: WinSize) {
        let guard = self.master.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = guard.as_ref() {
            let _ = crate::sys::pty::set_winsize(m.as_fd(), size);
        }
    }

    /// The process runs as `pid`, with this pty master (duplicated here).
    pub(crate) fn running(&self, pid: i32, master: Option<&OwnedFd>) {
        *self.master.lock().unwrap_or_else(|p| p.into_inner()) =
            master.and_then(|m| m.try_clone().ok());
        self.pid.store(pid, Ordering::Relaxed);
        self.started.store(true, Ordering::Relaxed);
    }

    /// The process was reaped: signals and resizes go nowhere from now on.
    pub(crate) fn exited(&self) {
        self.pid.store(0, Ordering::Relaxed);
        *self.master.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Keep what the exited container left to tear down.
    pub(crate) fn keep_teardown(&self, fds: Vec<OwnedFd>) {
        *self.teardown.lock().unwrap_or_else(|p| p.into_inner()) = fds;
    }

    /// After a `run --rm`: what the container left to tear down, for its
    /// background removal to close (`containers::remove_exited_in_background`).
    pub fn take_teardown(&self) -> Vec<OwnedFd> {
        std::mem::take(&mut *self.teardown.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

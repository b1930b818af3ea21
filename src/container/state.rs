//! `ContainerState`: what a container is doing (`state.json`), and the check that
//! keeps `ps` truthful after a monitor or the whole machine was killed: a recorded
//! pid counts as alive only if /proc shows the same process (same start time).

use serde::{Deserialize, Serialize};

/// Lifecycle status, with Podman's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Created,
    Running,
    Stopping,
    Exited,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Stopping => "stopping",
            Status::Exited => "exited",
        }
    }
}

/// A container's run state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerState {
    pub status: Status,
    /// Host pid of the container's pid 1 while running.
    pub pid: Option<i32>,
    /// Its start time in clock ticks since boot (/proc/PID/stat field 22).
    pub pid_start: Option<u64>,
    /// The monitor watching it (detached containers).
    pub monitor_pid: Option<i32>,
    pub monitor_start: Option<u64>,
    pub exit_code: Option<i32>,
    /// Unix seconds.
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
    pub restart_count: u32,
    /// Set by `stop`/`kill` so restart policies do not bring it back.
    pub stopped_by_user: bool,
    /// An error that kept the container from starting.
    pub error: Option<String>,
}

impl ContainerState {
    /// The state of a container just created.
    pub fn created() -> ContainerState {
        ContainerState {
            status: Status::Created,
            pid: None,
            pid_start: None,
            monitor_pid: None,
            monitor_start: None,
            exit_code: None,
            started_at: None,
            finished_at: None,
            restart_count: 0,
            stopped_by_user: false,
            error: None,
        }
    }

    /// The state corrected against /proc: a running container whose process is
    /// gone, and whose monitor is gone too (so nobody will record its exit code),
    /// was killed with its monitor (`runtime::pdeath`): it is reported exited
    /// with 137 and an error saying so. While the monitor lives it is about to
    /// record the real code, so the container still counts as running.
    pub fn checked(mut self) -> ContainerState {
        if matches!(self.status, Status::Running | Status::Stopping) {
            let alive = match (self.pid, self.pid_start) {
                (Some(pid), Some(start)) => process_start_time(pid) == Some(start),
                _ => false,
            };
            if !alive && !self.monitor_alive() {
                self.status = Status::Exited;
                self.pid = None;
                self.finished_at = self
                    .finished_at
                    .or_else(|| Some(crate::oci::time::now_secs()));
                self.exit_code = self
                    .exit_code
                    .or(Some(super::exits::KILLED_WITH_SUPERVISOR));
                let by = self
                    .monitor_pid
                    .map_or(String::new(), |p| format!(" (pid {p})"));
                self.error = self.error.take().or_else(|| {
                    Some(format!(
                        "the skiff process that supervised the container{by} was killed; the container was killed with it"
                    ))
                });
            }
        }
        self
    }

    /// Whether the monitor recorded for this state is still alive.
    pub fn monitor_alive(&self) -> bool {
        match (self.monitor_pid, self.monitor_start) {
            (Some(pid), Some(start)) => process_start_time(pid) == Some(start),
            _ => false,
        }
    }
}

/// A process's start time (clock ticks after boot), from /proc/PID/stat.
pub fn process_start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces and parentheses: fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    // After ')' come field 3 (state) onward; starttime is field 22.
    let start = rest.split_whitespace().nth(19)?;
    let state = rest.split_whitespace().next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    start.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_is_alive_and_a_dead_pid_is_not() {
        let me = std::process::id() as i32;
        let start = process_start_time(me);
        assert!(start.is_some());
        let mut s = ContainerState::created();
        s.status = Status::Running;
        s.pid = Some(me);
        s.pid_start = start;
        assert_eq!(s.clone().checked().status, Status::Running);
        s.pid_start = start.map(|t| t + 1);
        assert_eq!(s.checked().status, Status::Exited);
    }
}

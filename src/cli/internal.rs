//! Hidden subcommands skiff runs itself with (never typed by a user, not in
//! the help): `__monitor`, the detached container's monitor
//! (`engine::monitor::start_detached` re-executes skiff for it).

use std::ffi::OsString;

use crate::engine::monitor::{self, MonitorArgs, MONITOR_COMMAND, MONITOR_REPORT_FD};

/// When the command line is a hidden subcommand: run it, its exit code.
pub fn dispatch() -> Option<i32> {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let (first, rest) = args.split_first()?;
    if first.to_str() != Some(MONITOR_COMMAND) {
        return None;
    }
    let Some(parsed) = MonitorArgs::parse(rest) else {
        return Some(super::EXIT_FAILURE);
    };
    // Only `start_detached` runs this, with the report pipe as this descriptor.
    let Some(report) = crate::sys::process::inherited_fd(MONITOR_REPORT_FD) else {
        return Some(super::EXIT_FAILURE);
    };
    Some(monitor::monitor_main(&parsed, report))
}

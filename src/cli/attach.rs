//! `attach`: connect the caller's stdin, stdout and stderr to a detached
//! container through its monitor's attach socket; follow the log when there is
//! no socket (a container started before the monitor had one).

use std::io::{IsTerminal, Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Result};
use clap::Args;

use super::logs::{logs, LogsArgs};
use crate::container::{Containers, Status};
use crate::engine::attach::{self, DetachKeys, DetachMatcher};
use crate::engine::{containers, lifecycle, Engine};

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// Key sequence that detaches (default ctrl-p,ctrl-q)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
    /// Do not attach stdin
    #[arg(long)]
    pub no_stdin: bool,
    /// Forward received signals to the container (non-tty only)
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub sig_proxy: bool,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

/// Send the terminal's size now and whenever it changes (checked a few times a
/// second: cheaper than a SIGWINCH handler that would have to write the frame).
fn follow_window_size(mut to: std::os::unix::net::UnixStream) {
    std::thread::spawn(move || {
        let mut last = None;
        loop {
            if let Ok(size) = crate::sys::pty::get_winsize(std::io::stdin().as_fd()) {
                if last != Some(size) {
                    let mut data = size.rows.to_be_bytes().to_vec();
                    data.extend_from_slice(&size.cols.to_be_bytes());
                    if attach::write_frame(&mut to, attach::RESIZE, &data).is_err() {
                        return;
                    }
                    last = Some(size);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    });
}

/// Returns the container's exit code, or 0 when the user detached.
pub fn attach(engine: &Engine, args: &AttachArgs) -> Result<i32> {
    let keys = match &args.detach_keys {
        Some(k) => DetachKeys::parse(k)?,
        None => DetachKeys::default_keys(),
    };
    let v = containers::find(engine, &args.container)?;
    if !matches!(v.state.status, Status::Running | Status::Stopping) {
        bail!("container {} is not running", v.record.name);
    }
    let dir = Containers::new(engine.store.root())?.dir_of(&v.record.id);
    let Ok(stream) = attach::connect(&dir, &v.record.id) else {
        let follow = LogsArgs {
            follow: true,
            tail: Some("0".into()),
            since: None,
            until: None,
            timestamps: false,
            container: v.record.id.clone(),
        };
        logs(engine, &follow)?;
        return Ok(lifecycle::wait_exit(engine, &v.record.id)?);
    };
    let tty = v.record.config.tty;
    let send_stdin = !args.no_stdin && v.record.config.interactive;
    let terminal = std::io::stdin().is_terminal();
    let _raw = if tty && send_stdin && terminal {
        crate::runtime::tty::RawMode::enter(std::io::stdin()).ok()
    } else {
        None
    };
    if args.sig_proxy && !tty {
        if let Some(pid) = v.state.pid {
            let handle = Arc::new(crate::engine::handle::RunHandle::of_pid(pid));
            super::caller::forward_signals(handle, false);
        }
    }
    let detached = Arc::new(AtomicBool::new(false));
    if send_stdin {
        let mut to = stream.try_clone()?;
        if tty && terminal {
            follow_window_size(to.try_clone()?);
        }
        let detached = Arc::clone(&detached);
        // Not joined: it blocks reading stdin and ends with the process.
        std::thread::spawn(move || {
            let mut matcher = DetachMatcher::new(&keys);
            let mut buf = [0u8; 4096];
            let mut input = std::io::stdin().lock();
            loop {
                let n = match input.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let (data, detach) = if terminal {
                    matcher.feed(&buf[..n])
                } else {
                    (buf[..n].to_vec(), false)
                };
                if !data.is_empty() && attach::write_frame(&mut to, attach::STDIN, &data).is_err() {
                    return;
                }
                if detach {
                    detached.store(true, Ordering::SeqCst);
                    let _ = to.shutdown(std::net::Shutdown::Both);
                    return;
                }
            }
        });
    }
    let mut from = stream;
    loop {
        match attach::read_frame(&mut from) {
            Ok(Some((attach::STDERR, data))) => {
                let _ = std::io::stderr().write_all(&data);
            }
            Ok(Some((_, data))) => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(&data);
                let _ = out.flush();
            }
            Ok(None) | Err(_) => break,
        }
    }
    if detached.load(Ordering::SeqCst) {
        return Ok(0);
    }
    Ok(lifecycle::wait_exit(engine, &v.record.id)?)
}

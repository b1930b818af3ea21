//! `exec`: run a process in a running container (joins its namespaces from the
//! host user, which owns the container's user namespace), with the caller's
//! streams handed in ([`CallerIo`]) and the process controlled through its
//! [`RunHandle`].
//!
//! Without a terminal the process gets the caller's descriptors themselves (an
//! exec writes no log); with one, this copies between them and the pty. It
//! never inherits this process's own stdio.

use std::fs::File;

use super::handle::RunHandle;
use super::stdio::CallerIo;
use super::{containers, Engine, EngineError};
use crate::container::Status;
use crate::runtime::{self, ProcessSpec, Stdio};

/// What to run, and how.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    /// The container (name or id prefix).
    pub container: String,
    pub command: Vec<String>,
    /// `KEY=VALUE`s over the container's environment.
    pub env: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub privileged: bool,
    /// Keep stdin open (`-i`).
    pub interactive: bool,
    /// Allocate a pseudo-terminal (`-t`).
    pub tty: bool,
    /// Return once the process runs (`-d`).
    pub detach: bool,
}

/// Run the process; its exit code (0 at once with `detach`).
pub fn exec(
    engine: &Engine,
    opts: &ExecOptions,
    io: &CallerIo,
    handle: &RunHandle,
) -> Result<i32, EngineError> {
    let v = containers::find(engine, &opts.container)?;
    let Some(pid) = v.state.pid.filter(|_| v.state.status == Status::Running) else {
        return Err(EngineError::NotRunning(v.record.name.clone()));
    };
    let process = process_spec(&v.record.config, opts)?;
    let stdio = stdio(opts, io)?;
    let mut running = runtime::exec_in(nix::unistd::Pid::from_raw(pid), &process, stdio)?;
    if opts.detach {
        return Ok(0);
    }
    handle.running(running.pid.as_raw(), running.pty_master.as_ref());
    let mut _raw = None;
    let mut output = None;
    if let Some(master) = running.pty_master.take() {
        if io.stdin_is_terminal {
            let raw = io.stdin.as_ref().and_then(|f| f.try_clone().ok());
            _raw = raw.and_then(|f| runtime::tty::RawMode::enter(f).ok());
        }
        if let Some(size) = io.window {
            handle.resize(size);
        }
        let input = if opts.interactive {
            dup(&io.stdin)
        } else {
            None
        };
        output = runtime::tty::start_copy(&master, input, dup(&io.stdout)).ok();
    }
    let code = running.wait();
    handle.exited();
    let code = code?;
    if let Some(t) = output {
        let _ = t.join();
    }
    Ok(code)
}

fn dup(fd: &Option<std::os::fd::OwnedFd>) -> Option<File> {
    fd.as_ref().and_then(|f| f.try_clone().ok()).map(File::from)
}

fn process_spec(
    c: &crate::container::RunConfig,
    opts: &ExecOptions,
) -> Result<ProcessSpec, EngineError> {
    let mut env = c.env.clone();
    for e in &opts.env {
        let key = e.split('=').next().unwrap_or("");
        env.retain(|x| x.split('=').next() != Some(key));
        env.push(e.clone());
    }
    let capabilities =
        runtime::caps::resolve(opts.privileged || c.privileged, &c.cap_add, &c.cap_drop)
            .map_err(EngineError::Capability)?;
    Ok(ProcessSpec {
        args: opts.command.clone(),
        env,
        cwd: opts.workdir.clone().unwrap_or_else(|| c.workdir.clone()),
        user: opts.user.clone().unwrap_or_else(|| c.user.clone()),
        additional_gids: c.group_add.clone(),
        terminal: opts.tty,
        no_new_privileges: c.no_new_privileges,
        capabilities,
        rlimits: Vec::new(),
        umask: None,
    })
}

/// Without a terminal: the caller's own descriptors (stdin only with `-i`,
/// or `-d`, which leaves the process whatever it was given, as it always
/// did); /dev/null for any the caller has not got.
fn stdio(opts: &ExecOptions, io: &CallerIo) -> Result<Stdio, EngineError> {
    if opts.tty {
        return Ok(Stdio::default());
    }
    let given = |fd: &Option<std::os::fd::OwnedFd>, step| match fd {
        Some(f) => f
            .try_clone()
            .map_err(|source| EngineError::Process { step, source }),
        None => std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
            .map(Into::into)
            .map_err(|source| EngineError::Process {
                step: "opening /dev/null",
                source,
            }),
    };
    let stdin = if opts.interactive { &io.stdin } else { &None };
    Ok(Stdio {
        stdin: Some(given(stdin, "setting up the process's stdin")?),
        stdout: Some(given(&io.stdout, "setting up the process's stdout")?),
        stderr: Some(given(&io.stderr, "setting up the process's stderr")?),
    })
}

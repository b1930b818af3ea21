//! `exec`: run a process in a running container (joins its namespaces from the
//! host user, which owns the container's user namespace).

use anyhow::{bail, Result};
use clap::Args;

use crate::container::Status;
use crate::engine::containers;
use crate::engine::Engine;
use crate::runtime::{self, ProcessSpec, Stdio};

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Keep stdin open
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Run in the background
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Set environment variables
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: Vec<String>,
    /// Run as user[:group]
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory
    #[arg(short = 'w', long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Give the process all capabilities
    #[arg(long)]
    pub privileged: bool,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<String>,
}

pub fn exec(engine: &Engine, args: &ExecArgs) -> Result<i32> {
    use std::os::fd::AsFd;
    let v = containers::find(engine, &args.container)?;
    let Some(pid) = v.state.pid.filter(|_| v.state.status == Status::Running) else {
        bail!("container {} is not running", v.record.name);
    };
    let c = &v.record.config;
    let mut env = c.env.clone();
    for e in &args.env {
        let key = e.split('=').next().unwrap_or("");
        env.retain(|x| x.split('=').next() != Some(key));
        env.push(e.clone());
    }
    let process = ProcessSpec {
        args: args.command.clone(),
        env,
        cwd: args.workdir.clone().unwrap_or_else(|| c.workdir.clone()),
        user: args.user.clone().unwrap_or_else(|| c.user.clone()),
        additional_gids: c.group_add.clone(),
        terminal: args.tty,
        no_new_privileges: c.no_new_privileges,
        capabilities: runtime::caps::resolve(
            args.privileged || c.privileged,
            &c.cap_add,
            &c.cap_drop,
        )?,
        rlimits: Vec::new(),
        umask: None,
    };
    let stdio = if args.tty || args.detach {
        Stdio {
            stdin: None,
            stdout: None,
            stderr: None,
        }
    } else {
        let stdin = if args.interactive {
            Some(std::io::stdin().as_fd().try_clone_to_owned()?)
        } else {
            Some(std::fs::File::open("/dev/null")?.into())
        };
        Stdio {
            stdin,
            stdout: Some(std::io::stdout().as_fd().try_clone_to_owned()?),
            stderr: Some(std::io::stderr().as_fd().try_clone_to_owned()?),
        }
    };
    let mut running = match runtime::exec_in(nix::unistd::Pid::from_raw(pid), &process, stdio) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: {e}");
            return Ok(super::exit::runtime_code(&e));
        }
    };
    if args.detach {
        return Ok(0);
    }
    let _ = crate::sys::signals::forward_to(running.pid.as_raw());
    let mut _raw = None;
    let mut output = None;
    if let Some(master) = running.pty_master.take() {
        _raw = runtime::tty::raw_stdin();
        let _ = crate::sys::signals::follow_winsize(std::os::fd::AsRawFd::as_raw_fd(&master));
        output = runtime::tty::start_copy(&master, args.interactive).ok();
    }
    let code = running.wait()?;
    if let Some(t) = output {
        let _ = t.join();
    }
    Ok(code)
}

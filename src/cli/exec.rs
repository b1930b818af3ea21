//! `exec`: run a process in a running container (joins its namespaces from the
//! host user, which owns the container's user namespace).

use std::sync::Arc;

use anyhow::Result;
use clap::Args;

use crate::engine::exec::{self, ExecOptions};
use crate::engine::handle::RunHandle;
use crate::engine::{Engine, EngineError};

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
    let opts = ExecOptions {
        container: args.container.clone(),
        command: args.command.clone(),
        env: args.env.clone(),
        user: args.user.clone(),
        workdir: args.workdir.clone(),
        privileged: args.privileged,
        interactive: args.interactive,
        tty: args.tty,
        detach: args.detach,
    };
    let handle = Arc::new(RunHandle::new());
    if !args.detach {
        super::caller::forward_signals(handle.clone(), args.tty);
    }
    match exec::exec(engine, &opts, &super::caller::caller_io(), &handle) {
        Ok(code) => Ok(code),
        Err(EngineError::Runtime(e)) => {
            eprintln!("Error: {e}");
            Ok(super::exit::runtime_code(&e))
        }
        Err(e) => Err(e.into()),
    }
}

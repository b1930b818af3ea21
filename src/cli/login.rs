//! `skiff login` and `skiff logout`: credentials checked against the registry, then
//! stored where Podman keeps them (see `registry::credentials`).

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use super::output::emit;
use crate::registry::{self, Credentials, Removed};

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Registry to log in to (host[:port]; docker.io for Docker Hub)
    #[arg(value_name = "REGISTRY")]
    pub registry: String,
    /// User name
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password (visible to other users in the process list: prefer --password-stdin)
    #[arg(short, long, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// Read the password from standard input
    #[arg(long)]
    pub password_stdin: bool,
    /// Print the user name stored for the registry and exit
    #[arg(long, conflicts_with_all = ["username", "password", "password_stdin"])]
    pub get_login: bool,
    #[command(flatten)]
    pub registry_args: super::pull::RegistryArgs,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Registry to log out of
    #[arg(value_name = "REGISTRY", required_unless_present = "all")]
    pub registry: Option<String>,
    /// Remove the credentials of every registry
    #[arg(short, long, conflicts_with = "registry")]
    pub all: bool,
    /// Path of the authentication file (default: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json)
    #[arg(long, value_name = "FILE")]
    pub authfile: Option<PathBuf>,
}

/// The registry host a login argument names: `https://` and a trailing `/v1/` or `/`
/// are dropped; Docker Hub's names become `docker.io`.
pub fn registry_host(arg: &str) -> Result<String> {
    let s = arg.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.strip_suffix("/v1/").unwrap_or(s).trim_end_matches('/');
    if s.is_empty() || s.contains('/') || s.contains(char::is_whitespace) {
        bail!("{arg:?} is not a registry host (host[:port])");
    }
    Ok(match s {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
        other => other,
    }
    .to_string())
}

pub fn login(args: &LoginArgs, auth_files: &registry::AuthFiles) -> Result<i32> {
    let host = registry_host(&args.registry)?;
    let mut opts = args.registry_args.options();
    opts.auth_files = auth_files.clone();
    if args.get_login {
        match registry::get_login(&host, &opts)? {
            Some(user) => emit(&format!("{user}\n"))?,
            None => bail!("not logged into {host}"),
        }
        return Ok(0);
    }
    let username = match &args.username {
        Some(u) => u.clone(),
        None if args.password_stdin => bail!("--password-stdin needs a user name: pass -u"),
        None => prompt_line("Username: ")?,
    };
    if username.is_empty() {
        bail!("the user name is empty");
    }
    let password = if let Some(p) = &args.password {
        p.clone()
    } else if args.password_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s.trim_end_matches(['\n', '\r']).to_string()
    } else {
        prompt_password()?
    };
    if password.is_empty() {
        bail!("the password is empty");
    }
    let creds = Credentials { username, password };
    opts.credentials = Some(creds.clone());
    registry::check_login(&host, &opts)?;
    registry::store_credentials(&host, &creds, &opts)?;
    emit("Login Succeeded!\n")?;
    Ok(0)
}

pub fn logout(args: &LogoutArgs, auth_files: &registry::AuthFiles) -> Result<i32> {
    let opts = registry::RegistryOptions {
        auth_file: args.authfile.clone(),
        auth_files: auth_files.clone(),
        ..Default::default()
    };
    if args.all {
        registry::remove_all_credentials(&opts)?;
        emit("Removed login credentials for all registries\n")?;
        return Ok(0);
    }
    let host = registry_host(args.registry.as_deref().unwrap_or_default())?;
    match registry::remove_credentials(&host, &opts)? {
        Removed::From(_) => emit(&format!("Removed login credentials for {host}\n"))?,
        Removed::OnlyInDocker(f) => bail!(
            "not logged into {host} with skiff: the credentials in {} were stored by docker login (use docker logout)",
            f.display()
        ),
        Removed::NotLoggedIn => bail!("not logged into {host}"),
    }
    Ok(0)
}

/// Read a line from the terminal after printing `prompt` on stderr.
fn prompt_line(prompt: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no user name given and stdin is not a terminal: pass -u");
    }
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Read a password from the terminal with echo off.
pub fn prompt_password() -> Result<String> {
    use nix::sys::termios::{tcgetattr, tcsetattr, LocalFlags, SetArg};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!("no password given and stdin is not a terminal: pass -p or --password-stdin");
    }
    eprint!("Password: ");
    let _ = std::io::stderr().flush();
    let saved = tcgetattr(&stdin)?;
    let mut quiet = saved.clone();
    quiet.local_flags.remove(LocalFlags::ECHO);
    tcsetattr(&stdin, SetArg::TCSANOW, &quiet)?;
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &saved);
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(registry_host("localhost:5000").unwrap(), "localhost:5000");
        assert_eq!(
            registry_host("https://index.docker.io/v1/").unwrap(),
            "docker.io"
        );
        assert_eq!(registry_host("docker.io").unwrap(), "docker.io");
        assert_eq!(registry_host("quay.io/").unwrap(), "quay.io");
        assert!(registry_host("quay.io/org/repo").is_err());
        assert!(registry_host("").is_err());
    }
}

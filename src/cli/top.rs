//! `top`, `port` and `cp`: looking into a container from the host.

use anyhow::{bail, Context, Result};

use super::containers::{PortArgs, TopArgs};
use super::output::emit;
use crate::container::Status;
use crate::engine::containers;
use crate::engine::Engine;

/// `port`: the published ports, `80/tcp -> 0.0.0.0:8080` per line, or the host
/// addresses of one container port.
pub fn port(engine: &Engine, args: &PortArgs) -> Result<i32> {
    let v = containers::find(engine, &args.container)?;
    // Only a running container has its ports published (Docker, Podman).
    let running = matches!(v.state.status, Status::Running | Status::Stopping);
    let ports: &[crate::container::ports::PortMapping] =
        if running { &v.record.config.ports } else { &[] };
    let Some(want) = &args.port else {
        let mut out = String::new();
        for p in ports {
            out.push_str(&format!(
                "{} -> {}:{}\n",
                p.container_key(),
                p.shown_ip(),
                p.host_port
            ));
        }
        emit(&out)?;
        return Ok(0);
    };
    let want = if want.contains('/') {
        want.clone()
    } else {
        format!("{want}/tcp")
    };
    let found: Vec<_> = ports.iter().filter(|p| p.container_key() == want).collect();
    if found.is_empty() {
        bail!("no public port {want:?} published for {}", v.record.name);
    }
    let out: String = found
        .iter()
        .map(|p| format!("{}:{}\n", p.shown_ip(), p.host_port))
        .collect();
    emit(&out)?;
    Ok(0)
}

/// The uid inside the container's user namespace of host uid `host`.
fn container_uid(pid: i32, host: u64) -> Option<u64> {
    let map = std::fs::read_to_string(format!("/proc/{pid}/uid_map")).ok()?;
    crate::sys::idmap::map_lines(&map)
        .into_iter()
        .find(|&(_, outside, count)| host >= outside && host < outside + count)
        .map(|(inside, outside, _)| inside + host - outside)
}

/// uid → user name from the container's own /etc/passwd (seen through its pid 1).
fn passwd_names(pid: i32) -> Vec<(u64, String)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/root/etc/passwd")).unwrap_or_default();
    parse_passwd(&text)
}

fn parse_passwd(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            let uid = f.nth(1)?.parse().ok()?;
            (!name.is_empty()).then(|| (uid, name.to_string()))
        })
        .collect()
}

/// The name of `uid` (the first listed), or the number when it has none.
fn user_name(users: &[(u64, String)], uid: u64) -> String {
    users
        .iter()
        .find(|(u, _)| *u == uid)
        .map_or_else(|| uid.to_string(), |(_, n)| n.clone())
}

pub fn top(engine: &Engine, args: &TopArgs) -> Result<i32> {
    let v = containers::find(engine, &args.container)?;
    let Some(pid) = v.state.pid.filter(|_| v.state.status == Status::Running) else {
        bail!("container {} is not running", v.record.name);
    };
    let ns = std::fs::read_link(format!("/proc/{pid}/ns/pid"))
        .with_context(|| format!("reading the pid namespace of {pid}"))?;
    let users = passwd_names(pid);
    let mut lines = vec!["USER\tPID\tPPID\tCOMMAND".to_string()];
    let mut procs: Vec<i32> = std::fs::read_dir("/proc")?
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect();
    procs.sort_unstable();
    for p in procs {
        if std::fs::read_link(format!("/proc/{p}/ns/pid"))
            .ok()
            .as_ref()
            != Some(&ns)
        {
            continue;
        }
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
        let field = |k: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .map(|x| x.split_whitespace().last().unwrap_or("").to_string())
        };
        let host_uid: Option<u64> = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|x| x.split_whitespace().next())
            .and_then(|u| u.parse().ok());
        let uid = host_uid
            .and_then(|u| container_uid(pid, u))
            .map_or_else(|| "?".to_string(), |u| user_name(&users, u));
        let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd)
            .replace('\0', " ")
            .trim()
            .to_string();
        // The parent's pid as the container sees it (0 for pid 1, whose parent is outside).
        let ppid = field("PPid:")
            .and_then(|pp| std::fs::read_to_string(format!("/proc/{pp}/status")).ok())
            .filter(|_| p != pid)
            .and_then(|st| {
                st.lines()
                    .find_map(|l| l.strip_prefix("NSpid:"))
                    .and_then(|x| x.split_whitespace().last())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "0".into());
        lines.push(format!(
            "{uid}\t{}\t{ppid}\t{cmd}",
            field("NSpid:").unwrap_or_default()
        ));
    }
    emit(&super::format::align_columns(&lines))?;
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub struct CpArgs {
    /// Source: a host path, CONTAINER:PATH, or - (a tar stream on stdin)
    #[arg(value_name = "SRC")]
    pub src: String,
    /// Destination: a host path, CONTAINER:PATH, or - (a tar stream on stdout)
    #[arg(value_name = "DEST")]
    pub dest: String,
}

fn side(engine: &Engine, arg: &str) -> Result<crate::engine::cp::Side> {
    if let Some((name, path)) = arg.split_once(':') {
        if !name.contains('/') {
            let view = containers::find(engine, name)?;
            if !path.starts_with('/') {
                bail!("{arg}: the container path must be absolute");
            }
            return Ok(crate::engine::cp::Side::Container {
                view: Box::new(view),
                path: path.to_string(),
            });
        }
    }
    Ok(crate::engine::cp::Side::Host(std::path::PathBuf::from(arg)))
}

pub fn cp(engine: &Engine, args: &CpArgs) -> Result<i32> {
    // `-`: a tar stream on stdout or from stdin, as Docker's cp.
    match (args.src.as_str(), args.dest.as_str()) {
        ("-", "-") => bail!("cp: only one side can be a tar stream (-)"),
        (_, "-") => {
            let crate::engine::cp::Side::Container { view, path } = side(engine, &args.src)? else {
                bail!("cp SRC -: the source must be CONTAINER:PATH");
            };
            let mut out = std::io::stdout().lock();
            crate::engine::cp::copy_out_tar(engine, &view, &path, &mut out)?;
            return Ok(0);
        }
        ("-", _) => {
            let crate::engine::cp::Side::Container { view, path } = side(engine, &args.dest)?
            else {
                bail!("cp - DEST: the destination must be CONTAINER:DIR");
            };
            let mut input = std::io::stdin().lock();
            crate::engine::cp::copy_in_tar(engine, &view, &path, &mut input)?;
            return Ok(0);
        }
        _ => {}
    }
    let src = side(engine, &args.src)?;
    let dst = side(engine, &args.dest)?;
    crate::engine::cp::copy(engine, src, dst)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_passwd() {
        let users = parse_passwd(
            "root:x:0:0:root:/root:/bin/sh\nbad line\nwww-data:x:33:33::/:/bin/false\n",
        );
        assert_eq!(user_name(&users, 0), "root");
        assert_eq!(user_name(&users, 33), "www-data");
        assert_eq!(user_name(&users, 1000), "1000");
    }
}

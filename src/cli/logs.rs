//! `logs`: reading the k8s-file log a container's supervisor writes.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::humanize;
use crate::container::Status;
use crate::engine::containers;
use crate::engine::{logs, now_secs, Engine};

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Follow the log until the container exits
    #[arg(short, long)]
    pub follow: bool,
    /// Show the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<String>,
    /// Show lines since a time (RFC 3339, Unix seconds, or a duration like 10m)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Show lines before a time
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Show timestamps
    #[arg(short, long)]
    pub timestamps: bool,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

/// Parse `--since`/`--until`: RFC 3339, Unix seconds, or a duration ago (10m, 1h30m).
fn parse_time(s: &str) -> Result<i64> {
    if let Some(t) = humanize::parse_rfc3339(s) {
        return Ok(t);
    }
    if let Ok(n) = s.parse::<f64>() {
        return Ok(n as i64);
    }
    let mut total = 0i64;
    let mut num = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
            continue;
        }
        let n: i64 = num.parse().with_context(|| format!("invalid time {s:?}"))?;
        num.clear();
        total += n * match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => bail!("invalid time {s:?}: use RFC 3339, Unix seconds or a duration like 10m"),
        };
    }
    if !num.is_empty() {
        bail!("invalid time {s:?}: a duration needs a unit (s, m, h)");
    }
    Ok(now_secs() as i64 - total)
}

pub fn logs(engine: &Engine, args: &LogsArgs) -> Result<i32> {
    let v = containers::find(engine, &args.container)?;
    let path = crate::container::Containers::new(engine.store.root())?
        .dir_of(&v.record.id)
        .join("ctr.log");
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let until = args.until.as_deref().map(parse_time).transpose()?;
    let tail: Option<usize> = match args.tail.as_deref() {
        None | Some("all") | Some("-1") => None,
        Some(n) => Some(n.parse().with_context(|| format!("invalid --tail {n:?}"))?),
    };
    let first = logs::read_lines(&path);
    let mut next = tail.map_or(0, |n| first.len().saturating_sub(n));
    let ctrs = crate::container::Containers::new(engine.store.root())?;
    loop {
        // Whether it still runs is read before the log, so nothing written after is missed.
        let state = ctrs.state(&v.record.id);
        let running =
            matches!(state.status, Status::Running | Status::Stopping) || state.monitor_alive();
        let all = logs::read_lines(&path);
        for l in all.iter().skip(next) {
            let t = humanize::parse_rfc3339(&l.time).unwrap_or(0);
            if since.is_some_and(|s| t < s) || until.is_some_and(|u| t > u) {
                continue;
            }
            if !print_log_line(l, args.timestamps) {
                return Ok(0);
            }
        }
        next = next.max(all.len());
        if !args.follow || !running {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Print one log line to stdout or stderr as it was written; false when stdout closed.
fn print_log_line(l: &logs::LogLine, timestamps: bool) -> bool {
    use std::io::Write;
    let mut out = Vec::new();
    if timestamps {
        out.extend_from_slice(l.time.as_bytes());
        out.push(b' ');
    }
    out.extend_from_slice(&l.text);
    if !l.partial {
        out.push(b'\n');
    }
    if l.stream == "stderr" {
        let _ = std::io::stderr().write_all(&out);
        true
    } else {
        std::io::stdout()
            .write_all(&out)
            .and_then(|()| std::io::stdout().flush())
            .is_ok()
    }
}

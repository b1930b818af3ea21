//! `logs`: reading the log a container's supervisor writes (engine::logs), line by line.

use std::io::{BufWriter, Write};
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
    let dir = crate::container::Containers::new(engine.store.root())?.dir_of(&v.record.id);
    let path = dir.join(logs::FILE);
    if !path.exists() && dir.join(logs::OLD_FILE).exists() {
        bail!(
            "the log of {} is in the k8s-file format of an older skiff ({}), which this one does not read",
            args.container,
            logs::OLD_FILE
        );
    }
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let until = args.until.as_deref().map(parse_time).transpose()?;
    let tail: Option<usize> = match args.tail.as_deref() {
        None | Some("all") | Some("-1") => None,
        Some(n) => Some(n.parse().with_context(|| format!("invalid --tail {n:?}"))?),
    };
    let mut reader = match tail {
        Some(n) => logs::LogReader::tail(&path, n),
        None => logs::LogReader::new(&path),
    };
    let mut out = Printer::new(args.timestamps);
    let ctrs = crate::container::Containers::new(engine.store.root())?;
    loop {
        // Whether it still runs is read before the log, so nothing written after is missed.
        let state = ctrs.state(&v.record.id);
        let running =
            matches!(state.status, Status::Running | Status::Stopping) || state.monitor_alive();
        let more = reader
            .read_new(&mut |l| {
                if since.is_some() || until.is_some() {
                    let t = l.time.div_euclid(1_000_000_000);
                    if since.is_some_and(|s| t < s) || until.is_some_and(|u| t > u) {
                        return true;
                    }
                }
                out.print(&l)
            })
            .with_context(|| format!("reading {}", path.display()))?;
        if !out.flush() || !more || !args.follow || !running {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Log lines to stdout or stderr as they were written, buffered; a switch of
/// stream flushes the other one first, so a terminal shows them in order.
struct Printer {
    timestamps: bool,
    /// The last time printed, formatted.
    stamp: Option<(i64, String)>,
    stdout: BufWriter<std::io::Stdout>,
    stderr: BufWriter<std::io::Stderr>,
    /// The stream written last: true for stderr.
    on_stderr: bool,
    /// stdout was closed (a pipe's reader went away).
    closed: bool,
}

impl Printer {
    fn new(timestamps: bool) -> Printer {
        Printer {
            timestamps,
            stamp: None,
            stdout: BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            stderr: BufWriter::with_capacity(64 * 1024, std::io::stderr()),
            on_stderr: false,
            closed: false,
        }
    }

    /// Print one piece of a line (with `-t`, its line's time before its first
    /// piece); false once stdout is closed.
    fn print(&mut self, l: &logs::Record<'_>) -> bool {
        let to_stderr = l.stream == logs::Stream::Stderr;
        if to_stderr != self.on_stderr {
            self.switch();
            self.on_stderr = to_stderr;
        }
        let w: &mut dyn Write = if to_stderr {
            &mut self.stderr
        } else {
            &mut self.stdout
        };
        let mut r = Ok(());
        if self.timestamps && l.starts_line {
            if self.stamp.as_ref().is_none_or(|(t, _)| *t != l.time) {
                self.stamp = Some((l.time, logs::format::format_time(l.time)));
            }
            if let Some((_, s)) = &self.stamp {
                r = r.and(w.write_all(s.as_bytes())).and(w.write_all(b" "));
            }
        }
        r = r.and(w.write_all(l.text));
        if !l.partial {
            r = r.and(w.write_all(b"\n"));
        }
        if r.is_err() && !to_stderr {
            self.closed = true;
        }
        !self.closed
    }

    fn switch(&mut self) {
        if self.on_stderr {
            let _ = self.stderr.flush();
        } else if self.stdout.flush().is_err() {
            self.closed = true;
        }
    }

    /// Flush both; false once stdout is closed.
    fn flush(&mut self) -> bool {
        let _ = self.stderr.flush();
        if self.stdout.flush().is_err() {
            self.closed = true;
        }
        !self.closed
    }
}

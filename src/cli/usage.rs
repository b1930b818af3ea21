//! What the command line says about itself: usage errors as one line that points
//! at the failing command's help (as Podman's), and the confirmation a prune asks
//! for.

use std::io::Write;

/// A clap usage error as one line, as Podman prints them.
pub(super) fn usage_error_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("invalid usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let hint: Vec<&str> = text
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| l.starts_with('[') || l.starts_with('<') || l.starts_with("tip:"))
        .collect();
    let mut line = first.to_string();
    if !hint.is_empty() {
        line = format!("{line} {}", hint.join(" "));
    }
    format!("{line} (see '{} --help')", command_path(e))
}

/// The command an error is about, from its usage line (`skiff image prune`).
pub(super) fn command_path(e: &clap::Error) -> String {
    // The usage context, or the usage line of the help a bare group prints.
    let usage = e
        .get(clap::error::ContextKind::Usage)
        .map(|u| u.to_string())
        .or_else(|| {
            let text = e.render().to_string();
            let line = text.lines().find(|l| l.trim_start().starts_with("Usage:"));
            line.map(str::to_string)
        })
        .unwrap_or_default();
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage);
    let words: Vec<&str> = usage
        .split_whitespace()
        .take_while(|w| !w.starts_with('[') && !w.starts_with('<') && !w.starts_with('-'))
        .collect();
    if words.is_empty() {
        "skiff".to_string()
    } else {
        words.join(" ")
    }
}

/// Ask before a prune, as Docker and Podman do: with `force`, go ahead; on a
/// terminal, print `warning` and "Are you sure you want to continue? [y/N]" and
/// go ahead only on y/yes; without a terminal, refuse (nobody can answer).
pub fn confirm_prune(force: bool, command: &str, warning: &str) -> anyhow::Result<bool> {
    use std::io::{BufRead, IsTerminal};
    if force {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("{command}: stdin is not a terminal, so nothing can confirm: use -f (--force) to prune without asking");
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "WARNING! {warning}\nAre you sure you want to continue? [y/N] "
    );
    let _ = err.flush();
    drop(err);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

//! The build context: a directory on the host, with `.dockerignore` rules, and
//! the wildcard matching COPY/ADD sources use (Go's `filepath.Match` per path
//! component: `*`, `?`, `[…]`, `\` escapes; `*` never crosses a `/`).

use std::path::{Path, PathBuf};

use crate::dockerfile::ignore::IgnoreRules;
use crate::engine::draft::config::normalize;

/// A build context directory.
pub struct Context {
    pub dir: PathBuf,
    rules: Option<IgnoreRules>,
}

impl Context {
    /// `dir` with the rules of `ignore` (a `.dockerignore` text), if any.
    pub fn new(dir: PathBuf, ignore: Option<&str>) -> Result<Context, String> {
        let rules = match ignore {
            Some(text) => {
                Some(IgnoreRules::parse(text).map_err(|e| format!(".dockerignore: {e}"))?)
            }
            None => None,
        };
        Ok(Context { dir, rules })
    }

    /// Whether `rel` (relative to the context, `/`-separated) is excluded.
    pub fn excluded(&self, rel: &str) -> bool {
        self.rules.as_ref().is_some_and(|r| r.is_excluded(rel))
    }

    /// Whether an excluded dir may still hold included files (`!` patterns).
    pub fn may_include_under(&self, rel: &str) -> bool {
        self.rules
            .as_ref()
            .is_some_and(|r| r.may_have_included_children(rel))
    }

    /// The context paths (relative) a source pattern names, sorted. A pattern
    /// without wildcards names itself, whether or not it exists.
    pub fn expand(&self, pattern: &str) -> Vec<String> {
        let clean = normalize(pattern);
        if !has_wildcard(&clean) {
            return vec![clean];
        }
        let mut found = vec![String::new()];
        for part in clean.split('/').filter(|p| !p.is_empty()) {
            let mut next = Vec::new();
            for base in &found {
                let dir = self.dir.join(base);
                if !has_wildcard(part) {
                    if dir.join(part).symlink_metadata().is_ok() {
                        next.push(join(base, part));
                    }
                    continue;
                }
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if glob_match(part, &name) {
                        next.push(join(base, &name));
                    }
                }
            }
            found = next;
        }
        found.retain(|p| !p.is_empty() && !self.excluded(p));
        found.sort();
        found
    }

    /// The host path of context path `rel`, refusing paths that leave the context.
    pub fn host_path(&self, rel: &str) -> PathBuf {
        self.dir.join(normalize(rel))
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}/{name}")
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Go's `filepath.Match` for one component.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => (0..=n.len()).any(|i| match_from(&p[1..], &n[i..])),
        Some('?') => !n.is_empty() && match_from(&p[1..], &n[1..]),
        Some('[') => {
            let Some(c) = n.first() else { return false };
            match class(&p[1..], *c) {
                Some((true, rest)) => match_from(rest, &n[1..]),
                _ => false,
            }
        }
        Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && match_from(&p[2..], &n[1..]),
        Some(c) => n.first() == Some(c) && match_from(&p[1..], &n[1..]),
    }
}

/// A `[...]` class (after the `[`): whether `c` matches and the pattern after `]`.
fn class(p: &[char], c: char) -> Option<(bool, &[char])> {
    let (negate, mut i) = match p.first() {
        Some('^' | '!') => (true, 1),
        _ => (false, 0),
    };
    let mut hit = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((hit != negate, &p[i + 1..]));
        }
        first = false;
        let lo = p[i];
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            hit |= lo <= c && c <= p[i + 2];
            i += 3;
        } else {
            hit |= lo == c;
            i += 1;
        }
    }
    None
}

/// Whether `path` resolves (following symlinks) to somewhere inside `root`.
pub fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing_like_go() {
        assert!(glob_match("*.txt", "a.txt"));
        assert!(!glob_match("*.txt", "a.txt.bak"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[a-c]x", "bx"));
        assert!(!glob_match("[^a-c]x", "bx"));
        assert!(glob_match("\\*", "*"));
        assert!(!glob_match("\\*", "a"));
    }

    #[test]
    fn expands_patterns_in_a_dir() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        for f in ["a.txt", "b.txt", "c.md", "d/e.txt"] {
            std::fs::write(tmp.path().join(f), b"x").unwrap();
        }
        let ctx = Context::new(tmp.path().to_path_buf(), None).unwrap();
        assert_eq!(ctx.expand("*.txt"), ["a.txt", "b.txt"]);
        let ignoring = Context::new(tmp.path().to_path_buf(), Some("b.*\n**/e.txt\n")).unwrap();
        assert_eq!(ignoring.expand("*.txt"), ["a.txt"]);
        assert!(ignoring.excluded("d/e.txt"));
        assert_eq!(ctx.expand("*/e.txt"), ["d/e.txt"]);
        assert_eq!(ctx.expand("./c.md"), ["c.md"]);
    }
}

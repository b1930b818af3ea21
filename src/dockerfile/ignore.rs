//! `.dockerignore` rules, as Docker's `moby/patternmatcher` (and its
//! `ignorefile` reader) apply them: comments, cleaned paths, `!` exceptions,
//! `*`, `?`, `**`, `[...]` classes and `\` escapes; the last matching rule
//! wins and a path is excluded when it or a parent directory is
//! (`MatchesOrParentMatches`). Pure code, no I/O.

/// An invalid `.dockerignore` (or `--exclude`) pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error("line {line}: illegal exclusion pattern: \"!\"")]
    IllegalExclusion { line: usize },
    #[error("line {line}: syntax error in pattern \"{pattern}\"")]
    BadPattern { line: usize, pattern: String },
}

/// Parsed rules, in file order.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// The cleaned pattern without `!`.
    text: String,
    exception: bool,
    matcher: Matcher,
}

#[derive(Debug, Clone)]
enum Matcher {
    Exact,
    /// `foo/**`: the text before `**`.
    Prefix(String),
    /// `**/foo`: the text after `**`.
    Suffix(String),
    Tokens(Vec<Tok>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**/` (or `**` not at the end): `(.*/)?`.
    Dirs,
    /// A final `**` after other text: `.*`.
    All,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl IgnoreRules {
    /// Parses a `.dockerignore` file.
    pub fn parse(text: &str) -> Result<IgnoreRules, IgnoreError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            // `#` comments only at the start of the line, as ignorefile.ReadAll.
            if raw.starts_with('#') {
                continue;
            }
            if let Some(p) = Pattern::new(raw, line)? {
                patterns.push(p);
            }
        }
        Ok(IgnoreRules { patterns })
    }

    /// Rules from a list of patterns (`COPY --exclude=…`); `line` in errors is
    /// the 1-based index in the list.
    pub fn from_patterns<S: AsRef<str>>(list: &[S]) -> Result<IgnoreRules, IgnoreError> {
        let mut patterns = Vec::new();
        for (i, raw) in list.iter().enumerate() {
            if let Some(p) = Pattern::new(raw.as_ref(), i + 1)? {
                patterns.push(p);
            }
        }
        Ok(IgnoreRules { patterns })
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `rel_path` (relative to the context, `/`-separated) is excluded:
    /// the last rule matching the path or one of its parent directories wins.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        let file = clean(rel_path);
        let file = file.trim_start_matches('/');
        if file.is_empty() || file == "." {
            return false;
        }
        let parents: Vec<&str> = {
            let mut v = Vec::new();
            for (i, c) in file.char_indices() {
                if c == '/' {
                    v.push(&file[..i]);
                }
            }
            v
        };
        let mut matched = false;
        for p in &self.patterns {
            if p.exception != matched {
                continue;
            }
            let hit = p.matches(file) || parents.iter().any(|d| p.matches(d));
            if hit {
                matched = !p.exception;
            }
        }
        matched
    }

    /// Whether some `!` rule could re-include `dir` itself or something inside
    /// it. When `dir` is excluded and this is false, the whole directory can be
    /// skipped without walking it.
    pub fn may_have_included_children(&self, dir: &str) -> bool {
        let dir = clean(dir);
        let dir = dir.trim_start_matches('/').trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            return self.patterns.iter().any(|p| p.exception);
        }
        self.patterns
            .iter()
            .filter(|p| p.exception)
            .any(|p| p.may_match_under(dir))
    }
}

impl Pattern {
    /// One pattern line: trimmed, `!` split off, cleaned, leading `/` removed.
    fn new(raw: &str, line: usize) -> Result<Option<Pattern>, IgnoreError> {
        let mut p = raw.trim();
        if p.is_empty() {
            return Ok(None);
        }
        let exception = p.starts_with('!');
        if exception {
            p = p[1..].trim();
            if p.is_empty() {
                return Err(IgnoreError::IllegalExclusion { line });
            }
        }
        let mut text = clean(p);
        if text.len() > 1 && text.starts_with('/') {
            text.remove(0);
        }
        let bad = || IgnoreError::BadPattern {
            line,
            pattern: raw.trim().to_string(),
        };
        let matcher = compile(&text).ok_or_else(bad)?;
        Ok(Some(Pattern {
            text,
            exception,
            matcher,
        }))
    }

    fn matches(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact => path == self.text,
            Matcher::Prefix(p) => path.starts_with(p.as_str()),
            Matcher::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|s| path == s)
            }
            Matcher::Tokens(toks) => {
                let chars: Vec<char> = path.chars().collect();
                match_toks(toks, &chars, false)
            }
        }
    }

    /// Whether this pattern could match `dir`, a parent of it, or a path
    /// under it.
    fn may_match_under(&self, dir: &str) -> bool {
        let mut prefix = dir.to_string();
        prefix.push('/');
        if self.matches(dir) || dir_parents(dir).any(|d| self.matches(d)) {
            return true;
        }
        match &self.matcher {
            Matcher::Exact => self.text.starts_with(&prefix),
            Matcher::Prefix(p) => prefix.starts_with(p.as_str()) || p.starts_with(&prefix),
            Matcher::Suffix(_) => true,
            Matcher::Tokens(toks) => {
                let chars: Vec<char> = prefix.chars().collect();
                match_toks(toks, &chars, true)
            }
        }
    }
}

fn dir_parents(dir: &str) -> impl Iterator<Item = &str> {
    dir.char_indices()
        .filter(|&(_, c)| c == '/')
        .map(move |(i, _)| &dir[..i])
}

/// patternmatcher's `compile`: exact, prefix (`a/**`), suffix (`**/a`) or a
/// token pattern. `None` for a malformed pattern (as `filepath.Match` reports).
fn compile(pattern: &str) -> Option<Matcher> {
    #[derive(PartialEq)]
    enum Ty {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut ty = Ty::Exact;
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i == chars.len() {
                    if ty == Ty::Exact {
                        ty = Ty::Prefix;
                    } else {
                        toks.push(Tok::All);
                        ty = Ty::Regexp;
                    }
                } else {
                    toks.push(Tok::Dirs);
                    ty = Ty::Regexp;
                }
                if first {
                    ty = Ty::Suffix;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                ty = Ty::Regexp;
            }
            '?' => {
                toks.push(Tok::One);
                ty = Ty::Regexp;
            }
            '\\' => {
                if let Some(&n) = chars.get(i) {
                    i += 1;
                    toks.push(Tok::Lit(n));
                    ty = Ty::Regexp;
                } else {
                    // filepath.Match rejects a trailing backslash.
                    return None;
                }
            }
            '[' => {
                let (tok, next) = parse_class(&chars, i)?;
                toks.push(tok);
                i = next;
                ty = Ty::Regexp;
            }
            c => toks.push(Tok::Lit(c)),
        }
        first = false;
    }
    Some(match ty {
        Ty::Exact => Matcher::Exact,
        Ty::Prefix => Matcher::Prefix(pattern[..pattern.len() - 2].to_string()),
        Ty::Suffix => Matcher::Suffix(pattern[2..].to_string()),
        Ty::Regexp => Matcher::Tokens(toks),
    })
}

/// A `[...]` class starting after the `[` at `i`: `^` negates; ranges `a-z`;
/// `\` escapes. `None` when malformed (unclosed, empty, bad range).
fn parse_class(chars: &[char], mut i: usize) -> Option<(Tok, usize)> {
    let mut negated = false;
    if chars.get(i) == Some(&'^') {
        negated = true;
        i += 1;
    }
    let mut ranges = Vec::new();
    let esc = |i: &mut usize| -> Option<char> {
        let c = *chars.get(*i)?;
        if c == '-' || c == ']' {
            return None;
        }
        *i += 1;
        if c == '\\' {
            let n = *chars.get(*i)?;
            *i += 1;
            return Some(n);
        }
        Some(c)
    };
    loop {
        if chars.get(i) == Some(&']') && !ranges.is_empty() {
            return Some((Tok::Class { negated, ranges }, i + 1));
        }
        let lo = esc(&mut i)?;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            i += 1;
            hi = esc(&mut i)?;
            if hi < lo {
                return None;
            }
        }
        ranges.push((lo, hi));
    }
}

/// Full match of `toks` against `s`; with `partial`, true as soon as `s` is
/// used up (some continuation could still match).
fn match_toks(toks: &[Tok], s: &[char], partial: bool) -> bool {
    if partial && s.is_empty() {
        return true;
    }
    let Some(tok) = toks.first() else {
        return s.is_empty();
    };
    let rest = &toks[1..];
    match tok {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..], partial),
        Tok::One => s.first().is_some_and(|&c| c != '/') && match_toks(rest, &s[1..], partial),
        Tok::Class { negated, ranges } => {
            s.first().is_some_and(|&c| {
                let inside = ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                inside != *negated
            }) && match_toks(rest, &s[1..], partial)
        }
        Tok::Star => {
            let run = s.iter().take_while(|&&c| c != '/').count();
            (0..=run).any(|k| match_toks(rest, &s[k..], partial))
        }
        Tok::All => true,
        Tok::Dirs => {
            // Zero components, or any text up to and including a `/`.
            match_toks(rest, s, partial)
                || s.iter()
                    .enumerate()
                    .filter(|&(_, &c)| c == '/')
                    .any(|(k, _)| match_toks(rest, &s[k + 1..], partial))
                || (partial && !s.is_empty())
        }
    }
}

/// Go's `filepath.Clean` for `/`-separated paths.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests;

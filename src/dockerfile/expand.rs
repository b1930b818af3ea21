//! Docker's shell-word expansion, ported from buildkit's
//! `frontend/dockerfile/shell/lex.go`: `$VAR`, `${VAR}`, `${VAR:-w}`,
//! `${VAR-w}`, `${VAR:+w}`, `${VAR+w}`, `${VAR:?msg}`, `${VAR?msg}`,
//! `${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}`, `${VAR%%pat}`, `${VAR/pat/r}`,
//! `${VAR//pat/r}`; single quotes (literal), double quotes (`\"`, `\$` and the
//! escape character escaped, other escapes kept), and the escape character
//! outside quotes. Unset and empty differ for the forms without `:`.
//!
//! Where Docker uses which (buildkit `instructions/commands.go` `Expand`
//! methods): [`expand_word`] for FROM base and `--platform` (meta ARGs only),
//! ENV and LABEL keys and values, ARG names and defaults, WORKDIR, USER,
//! STOPSIGNAL, each VOLUME path, each COPY/ADD source and the destination,
//! `--chown`, `--chmod` and `--from`; [`expand_words`] for each EXPOSE item
//! (one item may expand to several ports); [`expand_heredoc`] for COPY/ADD
//! heredoc bodies whose delimiter was not quoted. RUN, CMD, ENTRYPOINT,
//! SHELL, HEALTHCHECK and ONBUILD are not expanded (the shell does it at run
//! time, or the child build for ONBUILD).

/// An expansion error, with the text being expanded. Display like Docker's:
/// `failed to process "${A:?}": A: is not allowed to be empty`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to process \"{word}\": {kind}")]
pub struct ExpandError {
    pub word: String,
    pub kind: ExpandErrorKind,
}

/// What is wrong in the expanded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandErrorKind {
    #[error("syntax error: missing '}}'")]
    MissingBrace,
    #[error("syntax error: missing '/' in ${{}}")]
    MissingSlash,
    #[error("syntax error: bad substitution")]
    BadSubstitution,
    #[error("unsupported modifier ({0}) in substitution")]
    Unsupported(String),
    #[error("unexpected end of statement while looking for matching single-quote")]
    UnterminatedSingleQuote,
    #[error("unexpected end of statement while looking for matching double-quote")]
    UnterminatedDoubleQuote,
    #[error("unexpected end of statement while looking for matching {0}")]
    Unterminated(char),
    /// `${NAME:?message}` / `${NAME?message}`.
    #[error("{name}: {message}")]
    Required { name: String, message: String },
    #[error("invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'")]
    BadPattern { pattern: String, escaped: char },
}

/// Expands one word (quotes removed, no word splitting), as Docker does for
/// WORKDIR, USER, ENV values, labels and the like.
pub fn expand_word(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    process(word, escape, lookup).map(|(w, _)| w)
}

/// Expands and splits into words as Docker's `ProcessWords` does: whitespace
/// produced by an unquoted variable splits words, quoted text does not, and
/// empty words are dropped.
pub fn expand_words(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ExpandError> {
    process(text, escape, lookup).map(|(_, w)| w)
}

/// Expands a COPY/ADD heredoc body (unquoted delimiter) as buildkit's raw
/// expander does: `$` forms expanded, quotes left alone, `\` escapes the next
/// character (and is removed), whatever the file's escape character.
pub fn expand_heredoc(
    content: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    run(content, '\\', true, lookup).map(|(w, _)| w)
}

fn process(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Vec<String>), ExpandError> {
    run(text, escape, false, lookup)
}

fn run(
    text: &str,
    escape: char,
    skip_quotes: bool,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Vec<String>), ExpandError> {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        escape,
        lookup,
        raw_escapes: false,
        skip_quotes,
    };
    lexer
        .process_stop_on(None, false)
        .map_err(|kind| ExpandError {
            word: text.to_string(),
            kind,
        })
}

/// Word accumulation (`wordsStruct` in lex.go).
#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }
    fn add_raw_char(&mut self, ch: char) {
        self.word.push(ch);
        self.in_word = true;
    }
    fn add_string(&mut self, s: &str) {
        for ch in s.chars() {
            self.add_char(ch);
        }
    }
    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

type Res<T> = Result<T, ExpandErrorKind>;

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    raw_escapes: bool,
    /// `SkipProcessQuotes`: quotes are ordinary characters.
    skip_quotes: bool,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// `processStopOn`: up to the end, or up to and consuming `stop`.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Res<(String, Vec<String>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.stop_on(stop);
        self.raw_escapes = saved;
        r
    }

    fn stop_on(&mut self, stop: Option<char>) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp);
                }
                '\'' if !self.skip_quotes => {
                    let tmp = self.process_single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '"' if !self.skip_quotes => {
                    let tmp = self.process_double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                _ => {
                    self.next();
                    if ch == self.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        let Some(escaped) = self.next() else {
                            break;
                        };
                        words.add_raw_char(escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(ch);
                        result.push(ch);
                    }
                }
            }
        }
        match stop {
            Some(c) => Err(ExpandErrorKind::Unterminated(c)),
            None => Ok((result, words.finish())),
        }
    }

    fn process_single_quote(&mut self) -> Res<String> {
        self.next();
        let mut out = String::new();
        loop {
            match self.next() {
                None => return Err(ExpandErrorKind::UnterminatedSingleQuote),
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Res<String> {
        self.next();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(ExpandErrorKind::UnterminatedDoubleQuote),
                Some('"') => {
                    self.next();
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    out.push_str(&v);
                }
                Some(mut ch) => {
                    self.next();
                    if ch == self.escape {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.next();
                                ch = n;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn get_env(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    fn process_dollar(&mut self) -> Res<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(self.get_env(&name).unwrap_or_default());
        }
        self.next();
        match self.peek() {
            None => return Err(ExpandErrorKind::MissingBrace),
            Some('{' | '}' | ':') => return Err(ExpandErrorKind::BadSubstitution),
            Some(_) => {}
        }
        let name = self.process_name();
        let Some(mut ch) = self.next() else {
            return Err(ExpandErrorKind::MissingBrace);
        };
        let mut chs = ch.to_string();
        let mut null_is_unset = false;
        match ch {
            '}' => Ok(self.get_env(&name).unwrap_or_default()),
            ':' | '+' | '-' | '?' | '#' | '%' => {
                if ch == ':' {
                    null_is_unset = true;
                    let Some(c) = self.next() else {
                        return Err(ExpandErrorKind::MissingBrace);
                    };
                    ch = c;
                    chs.push(ch);
                }
                let raw = ch == '#' || ch == '%';
                let (mut word, _) = self.process_stop_on(Some('}'), raw).map_err(|e| {
                    if self.peek().is_none() {
                        ExpandErrorKind::MissingBrace
                    } else {
                        e
                    }
                })?;
                let value = self.get_env(&name);
                let unset_or_null = match &value {
                    None => true,
                    Some(v) => null_is_unset && v.is_empty(),
                };
                match ch {
                    '-' => Ok(if unset_or_null {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    '+' => Ok(if unset_or_null { String::new() } else { word }),
                    '?' => match value {
                        None => Err(required(name, word, "is not allowed to be unset")),
                        Some(v) if null_is_unset && v.is_empty() => {
                            Err(required(name, word, "is not allowed to be empty"))
                        }
                        Some(v) => Ok(v),
                    },
                    '%' | '#' => {
                        let value = value.unwrap_or_default();
                        let mut greedy = false;
                        if word.starts_with(ch) {
                            greedy = true;
                            word.remove(0);
                        }
                        let pattern = Pattern::parse(&word)?;
                        Ok(if ch == '%' {
                            pattern.trim_suffix(&value, greedy)
                        } else {
                            pattern.trim_prefix(&value, greedy)
                        })
                    }
                    _ => Err(ExpandErrorKind::Unsupported(chs)),
                }
            }
            '/' => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let (pattern, _) = self.process_stop_on(Some('/'), true).map_err(|e| {
                    if self.peek().is_none() {
                        ExpandErrorKind::MissingSlash
                    } else {
                        e
                    }
                })?;
                let (replacement, _) = self.process_stop_on(Some('}'), true).map_err(|e| {
                    if self.peek().is_none() {
                        ExpandErrorKind::MissingBrace
                    } else {
                        e
                    }
                })?;
                let value = self.get_env(&name).unwrap_or_default();
                Ok(Pattern::parse(&pattern)?.replace(&value, &replacement, replace_all))
            }
            _ => Err(ExpandErrorKind::Unsupported(chs)),
        }
    }

    /// `processName`: letters, digits and `_`; or all digits; or one special
    /// parameter (`@*#?-$!0`).
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && "@*#?-$!0".contains(ch) {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }
}

fn required(name: String, word: String, default: &str) -> ExpandErrorKind {
    let message = if word.is_empty() {
        default.to_string()
    } else {
        word
    };
    ExpandErrorKind::Required { name, message }
}

/// A shell pattern of `${VAR#…}`/`%`/`/` (`*`, `?`, literals; no brackets),
/// as buildkit's `convertShellPatternToRegex`.
#[derive(Debug)]
struct Pattern(Vec<Tok>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Star,
    Any,
    Lit(char),
}

impl Pattern {
    fn parse(pattern: &str) -> Res<Pattern> {
        let mut toks = Vec::new();
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                '\\' => match chars.peek().copied() {
                    // `\}` and `\/` inside ${}: the escape is not part of the pattern.
                    Some('}' | '/') => {}
                    Some(n @ ('*' | '?' | '\\')) => {
                        chars.next();
                        toks.push(Tok::Lit(n));
                    }
                    other => {
                        return Err(ExpandErrorKind::BadPattern {
                            pattern: pattern.to_string(),
                            escaped: other.unwrap_or(' '),
                        })
                    }
                },
                c => toks.push(Tok::Lit(c)),
            }
        }
        Ok(Pattern(toks))
    }

    /// Whether the whole of `s` matches.
    fn matches(&self, s: &[char]) -> bool {
        fn go(p: &[Tok], s: &[char]) -> bool {
            match p.first() {
                None => s.is_empty(),
                Some(Tok::Star) => (0..=s.len()).any(|i| go(&p[1..], &s[i..])),
                Some(Tok::Any) => !s.is_empty() && go(&p[1..], &s[1..]),
                Some(Tok::Lit(c)) => s.first() == Some(c) && go(&p[1..], &s[1..]),
            }
        }
        go(&self.0, s)
    }

    /// Removes the shortest (or longest, `greedy`) matching prefix.
    fn trim_prefix(&self, value: &str, greedy: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut ends: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new((0..=chars.len()).rev())
        } else {
            Box::new(0..=chars.len())
        };
        match ends.find(|&k| self.matches(&chars[..k])) {
            Some(k) => chars[k..].iter().collect(),
            None => value.to_string(),
        }
    }

    /// Removes the shortest (or longest, `greedy`) matching suffix.
    fn trim_suffix(&self, value: &str, greedy: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut starts: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new(0..=chars.len())
        } else {
            Box::new((0..=chars.len()).rev())
        };
        match starts.find(|&k| self.matches(&chars[k..])) {
            Some(k) => chars[..k].iter().collect(),
            None => value.to_string(),
        }
    }

    /// `${VAR/pat/r}`: the leftmost, longest match replaced (every
    /// non-overlapping match with `all`).
    fn replace(&self, value: &str, replacement: &str, all: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        let mut replaced = false;
        while i <= chars.len() {
            if replaced && !all {
                out.extend(&chars[i..]);
                break;
            }
            let end = (i..=chars.len())
                .rev()
                .find(|&e| self.matches(&chars[i..e]));
            match end {
                Some(e) => {
                    out.push_str(replacement);
                    replaced = true;
                    if e > i {
                        i = e;
                    } else {
                        if let Some(&c) = chars.get(i) {
                            out.push(c);
                        }
                        i += 1;
                    }
                }
                None => {
                    if let Some(&c) = chars.get(i) {
                        out.push(c);
                    }
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;

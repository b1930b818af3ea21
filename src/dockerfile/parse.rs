//! The Dockerfile parser: parser directives, comments, line continuations,
//! heredocs, instruction dispatch and stage assembly, following buildkit's
//! `frontend/dockerfile/parser` and `instructions` packages. No I/O, no
//! expansion (values stay as written, see [`super::ast`]).

mod instructions;
mod lexer;

use super::ast::{Dockerfile, Heredoc, Instruction, Kind, Stage};
use instructions::{build, Parsed};
pub use lexer::parse_duration;
use lexer::{extract_flags, heredocs_from_line, parse_json, Json};

/// A parse error at a 1-based line. Display: `line 3: unknown instruction "FORM"`
/// (the caller prefixes the file name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("file with no instructions")]
    Empty,
    #[error("no FROM instruction (only ARG instructions found)")]
    NoFrom,
    #[error("unknown instruction \"{0}\"")]
    UnknownInstruction(String),
    #[error("{0} before the first FROM (only ARG may come before FROM)")]
    BeforeFrom(String),
    #[error("{0} requires at least one argument")]
    AtLeastOneArgument(&'static str),
    #[error("{0} requires exactly one argument")]
    ExactlyOneArgument(&'static str),
    #[error("{0} requires at least two arguments: one or more sources and a destination")]
    NoDestination(&'static str),
    #[error("FROM requires either one or three arguments (FROM image [AS name])")]
    FromArguments,
    #[error("invalid name for build stage \"{0}\": it must start with a letter and contain only letters, digits, '-', '_' and '.'")]
    StageName(String),
    #[error("unknown flag --{flag} for {instruction}")]
    UnknownFlag {
        instruction: &'static str,
        flag: String,
    },
    #[error("missing a value on flag --{0}")]
    FlagValue(String),
    #[error("expecting a boolean value for flag --{flag}, not \"{value}\"")]
    FlagBool { flag: String, value: String },
    #[error("duplicate flag --{0}")]
    DuplicateFlag(String),
    #[error("unterminated heredoc <<{0} (no line \"{0}\" before the end of the file)")]
    UnterminatedHeredoc(String),
    #[error("{0} cannot accept a heredoc as the destination")]
    HeredocDestination(&'static str),
    #[error("{instruction}: can't find = in \"{word}\"; must be of the form name=value")]
    KeyValue {
        instruction: &'static str,
        word: String,
    },
    #[error("{0} must have two arguments (legacy form: {0} name value)")]
    KeyValueLegacy(&'static str),
    #[error("{0} names can not be blank")]
    BlankName(&'static str),
    #[error("{0} requires the arguments in JSON array form, e.g. [\"/bin/sh\", \"-c\"]")]
    NotJson(&'static str),
    #[error("when using JSON array syntax, arrays must be comprised of strings only")]
    JsonNotStrings,
    #[error("VOLUME specified can not be an empty string")]
    EmptyVolume,
    #[error("invalid escape token '{0}' (must be ` or \\)")]
    BadEscape(String),
    #[error("only one {0} parser directive can be used")]
    DuplicateDirective(String),
    #[error("{0}")]
    Healthcheck(String),
    #[error("invalid duration \"{0}\" (Go syntax, e.g. 30s, 1m30s, 500ms)")]
    BadDuration(String),
    #[error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    OnbuildChain,
    #[error("{0} isn't allowed as an ONBUILD trigger")]
    OnbuildTrigger(String),
    #[error("ONBUILD trigger must be exactly one instruction")]
    OnbuildCount,
}

fn err(line: usize, kind: ParseErrorKind) -> ParseError {
    ParseError { line, kind }
}

/// Parses a whole Dockerfile (or Containerfile).
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let mut scanner = Scanner::new(text, true);
    let mut meta_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut any = false;
    while let Some(logical) = scanner.next_logical()? {
        any = true;
        let line = logical.start;
        match build(&logical, scanner.escape)? {
            Parsed::From(stage) => stages.push(stage),
            Parsed::Instruction(ins) => match stages.last_mut() {
                Some(stage) => stage.instructions.push(ins),
                None if matches!(ins.kind, Kind::Arg(_)) => meta_args.push(ins),
                None => {
                    let name = logical.command.to_uppercase();
                    return Err(err(line, ParseErrorKind::BeforeFrom(name)));
                }
            },
        }
    }
    let last = scanner.lines.len().max(1);
    if !any {
        return Err(err(last, ParseErrorKind::Empty));
    }
    if stages.is_empty() {
        return Err(err(last, ParseErrorKind::NoFrom));
    }
    Ok(Dockerfile {
        escape: scanner.escape,
        meta_args,
        stages,
    })
}

/// Parses one ONBUILD trigger (as stored in [`Kind::Onbuild`], heredoc bodies
/// included) whose `ONBUILD` was on `line`. FROM, ONBUILD and MAINTAINER are
/// not allowed as triggers, as in Docker.
pub fn parse_trigger(text: &str, line: usize) -> Result<Instruction, ParseError> {
    let offset = line.saturating_sub(1);
    let shift = |mut e: ParseError| {
        e.line += offset;
        e
    };
    let mut scanner = Scanner::new(text, false);
    let Some(logical) = scanner.next_logical().map_err(shift)? else {
        return Err(err(line, ParseErrorKind::AtLeastOneArgument("ONBUILD")));
    };
    check_trigger_name(&logical.command, line)?;
    if scanner.next_logical().map_err(shift)?.is_some() {
        return Err(err(line, ParseErrorKind::OnbuildCount));
    }
    match build(&logical, '\\').map_err(shift)? {
        Parsed::Instruction(mut ins) => {
            ins.line += offset;
            Ok(ins)
        }
        Parsed::From(_) => Err(err(line, ParseErrorKind::OnbuildTrigger("FROM".into()))),
    }
}

fn check_trigger_name(command: &str, line: usize) -> Result<(), ParseError> {
    let upper = command.to_uppercase();
    match upper.as_str() {
        "ONBUILD" => Err(err(line, ParseErrorKind::OnbuildChain)),
        "FROM" | "MAINTAINER" => Err(err(line, ParseErrorKind::OnbuildTrigger(upper))),
        _ => Ok(()),
    }
}

/// A heredoc as read from the file (content not yet chomped).
#[derive(Debug, Clone)]
struct RawHeredoc {
    name: String,
    chomp: bool,
    expand: bool,
    content: String,
}

impl RawHeredoc {
    fn to_ast(&self) -> Heredoc {
        let content = if self.chomp {
            chomp(&self.content)
        } else {
            self.content.clone()
        };
        Heredoc {
            name: self.name.clone(),
            content,
            expand: self.expand,
        }
    }
}

/// Strips leading tabs from every line (`<<-`).
fn chomp(s: &str) -> String {
    s.split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

/// One logical instruction: continuations joined, flags split off, heredoc
/// bodies read.
#[derive(Debug)]
struct Logical {
    start: usize,
    /// The joined line, trimmed.
    line: String,
    /// The instruction word as written.
    command: String,
    flags: Vec<String>,
    /// Arguments after the flags, trimmed.
    args: String,
    heredocs: Vec<RawHeredoc>,
}

struct Scanner<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    escape: char,
    directives_done: bool,
    seen: Vec<String>,
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, directives: bool) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Scanner {
            lines: text.lines().collect(),
            pos: 0,
            escape: '\\',
            directives_done: !directives,
            seen: Vec::new(),
        }
    }

    /// buildkit's `possibleParserDirective`: `# name=value` lines at the top.
    fn directive(&mut self, line: &str, lineno: usize) -> Result<(), ParseError> {
        if self.directives_done {
            return Ok(());
        }
        let Some((key, value)) = parse_directive(line) else {
            self.directives_done = true;
            return Ok(());
        };
        let key = key.to_lowercase();
        // `syntax` and `check` (lint settings) are accepted and ignored.
        if !matches!(key.as_str(), "escape" | "syntax" | "check") {
            self.directives_done = true;
            return Ok(());
        }
        if self.seen.contains(&key) {
            return Err(err(lineno, ParseErrorKind::DuplicateDirective(key)));
        }
        if key == "escape" {
            self.escape = match value {
                "\\" => '\\',
                "`" => '`',
                other => return Err(err(lineno, ParseErrorKind::BadEscape(other.into()))),
            };
        }
        self.seen.push(key);
        Ok(())
    }

    /// Removes a trailing escape character (plus spaces/tabs): `(line, ended)`.
    /// As buildkit's `([^\\])\\[ \t]*$|^\\[ \t]*$`, an escaped escape
    /// character at the end (`foo \\`) does not continue the line.
    fn trim_continuation<'l>(&self, line: &'l str) -> (&'l str, bool) {
        let t = line.trim_end_matches([' ', '\t']);
        match t.strip_suffix(self.escape) {
            Some(rest) if !rest.ends_with(self.escape) => (rest, false),
            _ => (line, true),
        }
    }

    fn next_line(&mut self) -> Option<(&'a str, usize)> {
        let line = *self.lines.get(self.pos)?;
        self.pos += 1;
        Some((line, self.pos))
    }

    fn next_logical(&mut self) -> Result<Option<Logical>, ParseError> {
        while let Some((raw, lineno)) = self.next_line() {
            let token = raw.trim_start();
            self.directive(token, lineno)?;
            let token = if is_comment(token) { "" } else { token };
            let (first, mut ended) = self.trim_continuation(token);
            if ended && first.is_empty() {
                continue;
            }
            let mut line = first.to_string();
            while !ended {
                let Some((raw, lineno)) = self.next_line() else {
                    break;
                };
                self.directive(raw, lineno)?;
                if is_comment(raw) || raw.trim_start().is_empty() {
                    continue;
                }
                let (part, e) = self.trim_continuation(raw);
                line.push_str(part);
                ended = e;
            }
            return self.finish(lineno, line).map(Some);
        }
        Ok(None)
    }

    fn finish(&mut self, start: usize, line: String) -> Result<Logical, ParseError> {
        let line = line.trim().to_string();
        let (command, rest) = lexer::split_first_ws(&line);
        let (args, flags) = extract_flags(rest);
        let args = args.trim().to_string();
        let command = command.to_string();
        let mut heredocs = Vec::new();
        if can_contain_heredoc(&command, &args) && line.contains("<<") {
            for word in heredocs_from_line(&line) {
                let mut content = String::new();
                let mut terminated = false;
                while let Some((body, _)) = self.next_line() {
                    let candidate = if word.chomp {
                        body.trim_start_matches('\t')
                    } else {
                        body
                    };
                    if candidate == word.name {
                        terminated = true;
                        break;
                    }
                    content.push_str(body);
                    content.push('\n');
                }
                if !terminated {
                    return Err(err(start, ParseErrorKind::UnterminatedHeredoc(word.name)));
                }
                heredocs.push(RawHeredoc {
                    name: word.name,
                    chomp: word.chomp,
                    expand: word.expand,
                    content,
                });
            }
        }
        Ok(Logical {
            start,
            line,
            command,
            flags,
            args,
            heredocs,
        })
    }
}

/// `# key = value`, as buildkit's `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
fn parse_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let key_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let key = &rest[..key_len];
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let value = rest[key_len..].trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((key, value))
}

/// RUN, COPY and ADD (also as ONBUILD triggers) in shell form read heredocs.
fn can_contain_heredoc(command: &str, args: &str) -> bool {
    let lower = command.to_lowercase();
    if lower == "onbuild" {
        let (sub, rest) = lexer::split_first_ws(args);
        let (sub_args, _) = extract_flags(rest);
        return can_contain_heredoc(sub, sub_args.trim());
    }
    matches!(lower.as_str(), "run" | "copy" | "add")
        && !matches!(parse_json(args), Ok(Json::Strings(_)))
}

#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;

//! Lexer for the Go text/template subset: splits a template into text and
//! actions, applies trim markers (`{{- ` and ` -}}`), drops comments, and
//! tokenizes each action.
//!
//! Invariants: every [`Token`] carries the byte offset where it starts in the
//! template source, so later stages can report `line:col`; text items are
//! already trimmed, so the parser never sees trim markers or comments.

use super::FormatError;
use serde_json::Value;

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

/// One piece of a template: literal text or the tokens of one action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text(String),
    /// Tokens of one `{{ … }}`; `start`/`end` are byte offsets of the whole action.
    Action {
        tokens: Vec<Token>,
        start: usize,
        end: usize,
    },
}

/// A token inside an action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    /// Byte offset of the token's first character in the template source.
    pub pos: usize,
    /// Byte offset just past the token.
    pub end: usize,
    /// Whether whitespace separates this token from the previous one.
    pub space_before: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// `.` alone.
    Dot,
    /// `.Name` (one link of a field chain).
    Field(String),
    /// `$` (empty name) or `$name`.
    Var(String),
    /// A function name or keyword.
    Ident(String),
    /// A literal: string, number, bool (already decoded).
    Literal(Value),
    Nil,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

/// Convert a byte offset into a 1-based (line, column-in-chars) pair.
pub(crate) fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let before = src.get(..pos).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Build a parse error at byte offset `pos`.
pub(crate) fn parse_error(src: &str, pos: usize, reason: impl Into<String>) -> FormatError {
    let (line, col) = line_col(src, pos);
    FormatError::Parse {
        template: src.to_string(),
        line,
        col,
        reason: reason.into(),
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Split `src` into items.
pub(crate) fn lex(src: &str) -> Result<Vec<Item>, FormatError> {
    let mut items = Vec::new();
    let mut pos = 0;
    let mut trim_next = false;
    while let Some(off) = src[pos..].find(LEFT) {
        let start = pos + off;
        let mut after = start + LEFT.len();
        let trim_left =
            src[after..].starts_with('-') && src[after + 1..].chars().next().is_some_and(is_space);
        push_text(&mut items, &src[pos..start], trim_next, trim_left);
        if trim_left {
            after += 2;
        }
        let (end, trim_right) = if src[after..].trim_start_matches(is_space).starts_with("/*") {
            lex_comment(src, start, after)?
        } else {
            let mut lx = ActionLexer {
                src,
                pos: after,
                tokens: Vec::new(),
            };
            let (end, trim) = lx.run(start)?;
            items.push(Item::Action {
                tokens: lx.tokens,
                start,
                end,
            });
            (end, trim)
        };
        trim_next = trim_right;
        pos = end;
    }
    push_text(&mut items, &src[pos..], trim_next, false);
    Ok(items)
}

fn push_text(items: &mut Vec<Item>, text: &str, trim_start: bool, trim_end: bool) {
    let mut t = text;
    if trim_start {
        t = t.trim_start_matches(is_space);
    }
    if trim_end {
        t = t.trim_end_matches(is_space);
    }
    if !t.is_empty() {
        items.push(Item::Text(t.to_string()));
    }
}

/// Check for a closing delimiter at `pos`: returns (end offset, trim marker).
fn at_right_delim(src: &str, pos: usize) -> Option<(usize, bool)> {
    let rest = &src[pos..];
    if rest.starts_with(RIGHT) {
        return Some((pos + RIGHT.len(), false));
    }
    let mut chars = rest.chars();
    if chars.next().is_some_and(is_space) && chars.as_str().starts_with("-}}") {
        return Some((pos + 1 + 1 + RIGHT.len(), true));
    }
    None
}

/// Lex `{{/* … */}}`; returns (end offset, trim-right marker).
fn lex_comment(src: &str, start: usize, after: usize) -> Result<(usize, bool), FormatError> {
    let open = after + src[after..].find("/*").unwrap_or(0);
    let Some(close) = src[open + 2..].find("*/") else {
        return Err(parse_error(src, start, "unclosed comment"));
    };
    let after_comment = open + 2 + close + 2;
    at_right_delim(src, after_comment)
        .ok_or_else(|| parse_error(src, start, "comment ends before closing delimiter"))
}

struct ActionLexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
}

impl ActionLexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.src[self.pos..].chars().nth(1)
    }

    fn push(&mut self, kind: Tok, start: usize, space_before: bool) {
        self.tokens.push(Token {
            kind,
            pos: start,
            end: self.pos,
            space_before,
        });
    }

    /// Tokenize until the closing delimiter; returns (end offset, trim marker).
    fn run(&mut self, action_start: usize) -> Result<(usize, bool), FormatError> {
        let mut space = false;
        loop {
            if let Some(done) = at_right_delim(self.src, self.pos) {
                return Ok(done);
            }
            let Some(c) = self.peek() else {
                return Err(parse_error(self.src, action_start, "unclosed action"));
            };
            if is_space(c) {
                self.pos += c.len_utf8();
                space = true;
                continue;
            }
            self.token(c, space)?;
            space = false;
        }
    }

    fn token(&mut self, c: char, space: bool) -> Result<(), FormatError> {
        let start = self.pos;
        let simple = match c {
            '|' => Some(Tok::Pipe),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ',' => Some(Tok::Comma),
            '=' => Some(Tok::Assign),
            ':' if self.peek2() == Some('=') => {
                self.pos += 1;
                Some(Tok::Declare)
            }
            _ => None,
        };
        if let Some(kind) = simple {
            self.pos += 1;
            self.push(kind, start, space);
            return Ok(());
        }
        let kind = match c {
            '"' => self.quoted()?,
            '`' => self.raw_quoted()?,
            '\'' => self.char_constant()?,
            '$' => {
                self.pos += 1;
                Tok::Var(self.word())
            }
            '.' if !self.peek2().is_some_and(|d| d.is_ascii_digit()) => {
                self.pos += 1;
                let name = self.word();
                if name.is_empty() {
                    Tok::Dot
                } else {
                    Tok::Field(name)
                }
            }
            c if c.is_ascii_digit() || matches!(c, '+' | '-' | '.') => self.number()?,
            c if is_alnum(c) => match self.word().as_str() {
                "true" => Tok::Literal(Value::Bool(true)),
                "false" => Tok::Literal(Value::Bool(false)),
                "nil" => Tok::Nil,
                w => Tok::Ident(w.to_string()),
            },
            other => {
                return Err(parse_error(
                    self.src,
                    start,
                    format!("unexpected {other:?} in action"),
                ))
            }
        };
        self.push(kind, start, space);
        Ok(())
    }

    fn word(&mut self) -> String {
        let rest = &self.src[self.pos..];
        let len = rest.find(|c: char| !is_alnum(c)).unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    fn number(&mut self) -> Result<Tok, FormatError> {
        let start = self.pos;
        let rest = &self.src[start..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                let prev_e = i > 0 && matches!(rest.as_bytes()[i - 1], b'e' | b'E');
                let sign_ok = matches!(c, '+' | '-') && (i == 0 || prev_e);
                !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || sign_ok)
            })
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        let text: String = rest[..len].chars().filter(|&c| c != '_').collect();
        parse_number(&text).map(Tok::Literal).ok_or_else(|| {
            parse_error(
                self.src,
                start,
                format!("bad number syntax: {:?}", &rest[..len]),
            )
        })
    }

    fn quoted(&mut self) -> Result<Tok, FormatError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(Tok::Literal(Value::String(out))),
                '\n' => break,
                '\\' => out.push(self.escape(start, '"')?),
                c => out.push(c),
            }
        }
        Err(parse_error(self.src, start, "unterminated quoted string"))
    }

    fn raw_quoted(&mut self) -> Result<Tok, FormatError> {
        let start = self.pos;
        let Some(len) = self.src[start + 1..].find('`') else {
            return Err(parse_error(
                self.src,
                start,
                "unterminated raw quoted string",
            ));
        };
        self.pos = start + 1 + len + 1;
        Ok(Tok::Literal(Value::String(
            self.src[start + 1..start + 1 + len].to_string(),
        )))
    }

    fn char_constant(&mut self) -> Result<Tok, FormatError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some('\\') => {
                self.pos += 1;
                self.escape(start, '\'')?
            }
            Some(c) if c != '\n' && c != '\'' => {
                self.pos += c.len_utf8();
                c
            }
            _ => {
                return Err(parse_error(
                    self.src,
                    start,
                    "unterminated character constant",
                ))
            }
        };
        if self.peek() != Some('\'') {
            return Err(parse_error(
                self.src,
                start,
                "unterminated character constant",
            ));
        }
        self.pos += 1;
        Ok(Tok::Literal(Value::from(u32::from(c))))
    }

    /// Decode the escape after a backslash (Go's strconv.Unquote rules).
    fn escape(&mut self, start: usize, quote: char) -> Result<char, FormatError> {
        let bad = |s: &Self| parse_error(s.src, start, "invalid escape sequence in quoted string");
        let Some(c) = self.peek() else {
            return Err(bad(self));
        };
        self.pos += c.len_utf8();
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            c if c == quote => Some(c),
            _ => None,
        };
        if let Some(s) = simple {
            return Ok(s);
        }
        let (digits, radix) = match c {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => {
                self.pos -= 1;
                (3, 8)
            }
            _ => return Err(bad(self)),
        };
        let hex = self
            .src
            .get(self.pos..self.pos + digits)
            .ok_or_else(|| bad(self))?;
        let code = u32::from_str_radix(hex, radix).map_err(|_| bad(self))?;
        self.pos += digits;
        char::from_u32(code).ok_or_else(|| bad(self))
    }
}

/// Parse a Go number literal (decimal, hex, octal, binary, float) into JSON.
pub(crate) fn parse_number(text: &str) -> Option<Value> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
        .iter()
        .find(|(p, _)| lower.starts_with(p));
    let int = match radix {
        Some((p, r)) => i64::from_str_radix(&lower[p.len()..], *r).ok(),
        None => lower.parse::<i64>().ok(),
    };
    if let Some(i) = int {
        return Some(Value::from(if neg { -i } else { i }));
    }
    if radix.is_some() || body.starts_with(['+', '-']) {
        return None;
    }
    let f: f64 = body.parse().ok().filter(|f: &f64| f.is_finite())?;
    serde_json::Number::from_f64(if neg { -f } else { f }).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        match lex(src).unwrap().remove(0) {
            Item::Action { tokens, .. } => tokens.into_iter().map(|t| t.kind).collect(),
            Item::Text(t) => panic!("text {t}"),
        }
    }

    #[test]
    fn tokens_of_an_action() {
        assert_eq!(
            kinds(r#"{{$x := .A.B | printf "%d\t" 0x1f -2 1.5 'a' $ . true nil (len `r`)}}"#),
            vec![
                Tok::Var("x".into()),
                Tok::Declare,
                Tok::Field("A".into()),
                Tok::Field("B".into()),
                Tok::Pipe,
                Tok::Ident("printf".into()),
                Tok::Literal(Value::from("%d\t")),
                Tok::Literal(Value::from(31)),
                Tok::Literal(Value::from(-2)),
                Tok::Literal(Value::from(1.5)),
                Tok::Literal(Value::from(97)),
                Tok::Var(String::new()),
                Tok::Dot,
                Tok::Literal(Value::Bool(true)),
                Tok::Nil,
                Tok::LParen,
                Tok::Ident("len".into()),
                Tok::Literal(Value::from("r")),
                Tok::RParen,
            ]
        );
    }

    #[test]
    fn trim_markers_and_comments() {
        let items = lex("a  {{- .X -}}  b {{/* c */}} d{{- /* e */ -}}\n f").unwrap();
        let texts: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.as_str()),
                Item::Action { .. } => None,
            })
            .collect();
        assert_eq!(texts, vec!["a", "b ", " d", "f"]);
    }

    #[test]
    fn minus_number_is_not_a_trim_marker() {
        assert_eq!(kinds("{{-3}}"), vec![Tok::Literal(Value::from(-3))]);
    }

    #[test]
    fn errors_name_what_and_where() {
        let e = lex("ab{{.X").unwrap_err().to_string();
        assert_eq!(e, "template: output:1:3: unclosed action");
        let e = lex("{{\"abc}}").unwrap_err().to_string();
        assert_eq!(e, "template: output:1:3: unterminated quoted string");
        let e = lex("x\n {{/* never").unwrap_err().to_string();
        assert_eq!(e, "template: output:2:2: unclosed comment");
        assert!(lex("{{ 1x }}")
            .unwrap_err()
            .to_string()
            .contains("bad number"));
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("é{{x", 2), (1, 2));
        assert_eq!(line_col("a\nbc", 3), (2, 2));
    }
}

//! Parser: turns lexer items into the template AST ([`Node`]), checking at
//! parse time what Go checks at parse time: known functions, declared
//! variables, matching `{{end}}`/`{{else}}`, `{{break}}` only inside `range`.
//!
//! Invariants: `{{else if}}` / `{{else with}}` are rewritten as an else branch
//! holding a single nested control, so evaluation needs no special case; every
//! pipeline and command keeps its byte span for error messages.

use super::funcs;
use super::lexer::{lex, parse_error, Item, Tok, Token};
use super::FormatError;
use serde_json::Value;

/// Byte range of a construct in the template source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Text(String),
    Action(Pipeline),
    If(Control),
    With(Control),
    Range(Control),
    Break,
    Continue,
}

/// `if`, `with` and `range`: a pipeline, a body and an optional else body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Control {
    pub pipe: Pipeline,
    pub body: Vec<Node>,
    pub else_body: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    /// Declared or assigned variable names (without `$`).
    pub decl: Vec<String>,
    /// `=` rather than `:=`.
    pub assign: bool,
    pub cmds: Vec<Command>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Command {
    pub args: Vec<Operand>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Dot,
    /// `.A.B` evaluated on dot.
    Field(Vec<String>),
    /// `$x.A.B` (name without `$`, empty for `$`).
    Var(String, Vec<String>),
    Func(String),
    Literal(Value),
    Nil,
    /// `( pipeline ).A.B`
    Sub(Box<Pipeline>, Vec<String>),
}

/// What ended a list of nodes.
enum Stop {
    Eof,
    End(usize),
    /// `{{else …}}`: position and the tokens after `else`.
    Else(usize, Vec<Token>),
}

const KEYWORDS: &[&str] = &[
    "if", "else", "end", "range", "with", "break", "continue", "define", "template", "block",
];

/// Parse a whole template.
pub(crate) fn parse(src: &str) -> Result<Vec<Node>, FormatError> {
    let items = lex(src)?;
    let mut p = Parser {
        src,
        items: items.into_iter(),
        vars: vec![String::new()],
        ranges: 0,
    };
    match p.list()? {
        (nodes, Stop::Eof) => Ok(nodes),
        (_, Stop::End(pos)) => Err(parse_error(src, pos, "unexpected {{end}}")),
        (_, Stop::Else(pos, _)) => Err(parse_error(src, pos, "unexpected {{else}}")),
    }
}

struct Parser<'a> {
    src: &'a str,
    items: std::vec::IntoIter<Item>,
    /// Variables in scope (names without `$`; "" is `$`).
    vars: Vec<String>,
    /// Depth of enclosing `range` bodies.
    ranges: usize,
}

impl Parser<'_> {
    fn err(&self, pos: usize, reason: impl Into<String>) -> FormatError {
        parse_error(self.src, pos, reason)
    }

    /// Parse nodes until EOF, `{{end}}` or `{{else}}`.
    fn list(&mut self) -> Result<(Vec<Node>, Stop), FormatError> {
        let mut nodes = Vec::new();
        while let Some(item) = self.items.next() {
            let (tokens, start, end) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t));
                    continue;
                }
                Item::Action { tokens, start, end } => (tokens, start, end),
            };
            let keyword = match tokens.first().map(|t| &t.kind) {
                Some(Tok::Ident(w)) if KEYWORDS.contains(&w.as_str()) => w.clone(),
                _ => {
                    nodes.push(Node::Action(self.pipeline(&tokens, start, end, 1)?));
                    continue;
                }
            };
            let rest = tokens[1..].to_vec();
            match keyword.as_str() {
                "end" => return self.no_args(&rest).map(|()| (nodes, Stop::End(start))),
                "else" => return Ok((nodes, Stop::Else(start, rest))),
                "break" | "continue" => nodes.push(self.loop_control(&keyword, rest, start)?),
                "if" | "with" | "range" => nodes.push(self.control(&keyword, &rest, start, end)?),
                other => return Err(self.err(start, format!("{{{{{other}}}}} is not supported"))),
            }
        }
        Ok((nodes, Stop::Eof))
    }

    fn no_args(&self, rest: &[Token]) -> Result<(), FormatError> {
        match rest.first() {
            None => Ok(()),
            Some(t) => Err(self.err(t.pos, format!("unexpected {} after keyword", self.text(t)))),
        }
    }

    fn loop_control(
        &self,
        word: &str,
        rest: Vec<Token>,
        start: usize,
    ) -> Result<Node, FormatError> {
        if self.ranges == 0 {
            return Err(self.err(start, format!("{{{{{word}}}}} outside {{{{range}}}}")));
        }
        self.no_args(&rest)?;
        Ok(if word == "break" {
            Node::Break
        } else {
            Node::Continue
        })
    }

    /// Parse `if`/`with`/`range` after its keyword, through its `{{end}}`.
    fn control(
        &mut self,
        kind: &str,
        rest: &[Token],
        start: usize,
        end: usize,
    ) -> Result<Node, FormatError> {
        if rest.is_empty() {
            return Err(self.err(start, format!("missing value for {kind}")));
        }
        let mark = self.vars.len();
        let max_decl = if kind == "range" { 2 } else { 1 };
        let pipe = self.pipeline(rest, start, end, max_decl)?;
        if kind == "range" {
            self.ranges += 1;
        }
        let body = self.list();
        if kind == "range" {
            self.ranges -= 1;
        }
        let (body, stop) = body?;
        let else_body = match stop {
            Stop::Eof => {
                return Err(self.err(
                    start,
                    format!("unexpected EOF: {{{{{kind}}}}} has no {{{{end}}}}"),
                ))
            }
            Stop::End(_) => Vec::new(),
            Stop::Else(pos, tokens) => self.else_branch(kind, pos, tokens)?,
        };
        self.vars.truncate(mark);
        let ctl = Control {
            pipe,
            body,
            else_body,
        };
        Ok(match kind {
            "if" => Node::If(ctl),
            "with" => Node::With(ctl),
            _ => Node::Range(ctl),
        })
    }

    fn else_branch(
        &mut self,
        kind: &str,
        pos: usize,
        tokens: Vec<Token>,
    ) -> Result<Vec<Node>, FormatError> {
        match tokens.first().map(|t| &t.kind) {
            None => match self.list()? {
                (nodes, Stop::End(_)) => Ok(nodes),
                (_, Stop::Else(p, _)) => Err(self.err(p, "expected {{end}}; found {{else}}")),
                (_, Stop::Eof) => Err(self.err(
                    pos,
                    format!("unexpected EOF: {{{{{kind}}}}} has no {{{{end}}}}"),
                )),
            },
            Some(Tok::Ident(w)) if w == kind && kind != "range" => {
                let end = tokens.last().map_or(pos, |t| t.end);
                Ok(vec![self.control(kind, &tokens[1..], pos, end)?])
            }
            Some(_) => Err(self.err(
                tokens[0].pos,
                format!("unexpected {} after {{{{else", self.text(&tokens[0])),
            )),
        }
    }

    fn text(&self, t: &Token) -> String {
        format!("{:?}", &self.src[t.pos..t.end])
    }

    /// Parse a pipeline with optional declaration of up to `max_decl` variables.
    fn pipeline(
        &mut self,
        toks: &[Token],
        start: usize,
        end: usize,
        max_decl: usize,
    ) -> Result<Pipeline, FormatError> {
        let (decl, assign, n) = self.declaration(toks, max_decl)?;
        let mut cur = Cursor { toks, i: n };
        let pipe = self.pipe_body(&mut cur, Span { start, end }, decl, assign)?;
        if let Some(t) = cur.peek() {
            return Err(self.err(t.pos, format!("unexpected {} in operand", self.text(t))));
        }
        Ok(pipe)
    }

    /// Recognise `$x :=`, `$x =` or `$i, $e :=`; returns names, assign flag, tokens used.
    fn declaration(
        &mut self,
        toks: &[Token],
        max_decl: usize,
    ) -> Result<(Vec<String>, bool, usize), FormatError> {
        let var = |i: usize| match toks.get(i).map(|t| &t.kind) {
            Some(Tok::Var(v)) if !v.is_empty() => Some(v.clone()),
            _ => None,
        };
        let kind = |i: usize| toks.get(i).map(|t| &t.kind);
        let (names, op_at) = match (var(0), kind(1), var(2)) {
            (Some(a), Some(Tok::Comma), Some(b)) => (vec![a, b], 3),
            (Some(a), Some(Tok::Declare | Tok::Assign), _) => (vec![a], 1),
            _ => return Ok((Vec::new(), false, 0)),
        };
        let assign = match kind(op_at) {
            Some(Tok::Declare) => false,
            Some(Tok::Assign) if names.len() == 1 => true,
            _ => return Err(self.err(toks[0].pos, "expected := after range variables")),
        };
        if names.len() > max_decl {
            return Err(self.err(toks[0].pos, "too many declarations"));
        }
        if assign && !self.vars.contains(&names[0]) {
            return Err(self.err(toks[0].pos, format!("undefined variable \"${}\"", names[0])));
        }
        if !assign {
            self.vars.extend(names.iter().cloned());
        }
        Ok((names, assign, op_at + 1))
    }

    /// Parse commands separated by `|` until the end of tokens or a `)`.
    fn pipe_body(
        &mut self,
        cur: &mut Cursor,
        span: Span,
        decl: Vec<String>,
        assign: bool,
    ) -> Result<Pipeline, FormatError> {
        let mut cmds = Vec::new();
        loop {
            let cmd = self.command(cur, span.start)?;
            if !cmds.is_empty()
                && matches!(
                    cmd.args[0],
                    Operand::Literal(_) | Operand::Nil | Operand::Dot
                )
            {
                let stage = cmds.len() + 1;
                return Err(self.err(
                    cmd.span.start,
                    format!("non executable command in pipeline stage {stage}"),
                ));
            }
            cmds.push(cmd);
            match cur.peek().map(|t| &t.kind) {
                Some(Tok::Pipe) => cur.i += 1,
                _ => break,
            }
        }
        Ok(Pipeline {
            decl,
            assign,
            cmds,
            span,
        })
    }

    fn command(&mut self, cur: &mut Cursor, at: usize) -> Result<Command, FormatError> {
        let start = match cur.peek() {
            Some(t) => t.pos,
            None => cur
                .i
                .checked_sub(1)
                .and_then(|i| cur.toks.get(i))
                .map_or(at, |t| t.end),
        };
        let mut args = Vec::new();
        let mut end = start;
        while let Some(t) = cur.peek() {
            if matches!(t.kind, Tok::Pipe | Tok::RParen) {
                break;
            }
            if !args.is_empty() && !t.space_before && !matches!(t.kind, Tok::LParen) {
                return Err(self.err(t.pos, format!("missing space before {}", self.text(t))));
            }
            args.push(self.operand(cur)?);
            end = cur.toks[cur.i - 1].end;
        }
        if args.is_empty() {
            return Err(self.err(start, "missing value for command"));
        }
        Ok(Command {
            args,
            span: Span { start, end },
        })
    }

    fn operand(&mut self, cur: &mut Cursor) -> Result<Operand, FormatError> {
        let Some(t) = cur.next() else {
            return Err(self.err(self.src.len(), "missing operand"));
        };
        let base = match &t.kind {
            Tok::Dot => Operand::Dot,
            Tok::Field(f) => Operand::Field(vec![f.clone()]),
            Tok::Var(v) => {
                if !self.vars.contains(v) {
                    return Err(self.err(t.pos, format!("undefined variable \"${v}\"")));
                }
                Operand::Var(v.clone(), Vec::new())
            }
            Tok::Literal(v) => Operand::Literal(v.clone()),
            Tok::Nil => Operand::Nil,
            Tok::Ident(name) if KEYWORDS.contains(&name.as_str()) => {
                return Err(self.err(t.pos, format!("unexpected keyword \"{name}\" in command")))
            }
            Tok::Ident(name) if funcs::is_known(name) => Operand::Func(name.clone()),
            Tok::Ident(name) => {
                return Err(self.err(t.pos, format!("function \"{name}\" not defined")))
            }
            Tok::LParen => self.sub_pipeline(cur, t.pos)?,
            _ => return Err(self.err(t.pos, format!("unexpected {} in operand", self.text(t)))),
        };
        self.field_chain(cur, base)
    }

    fn sub_pipeline(&mut self, cur: &mut Cursor, open: usize) -> Result<Operand, FormatError> {
        let pipe = self.pipe_body(
            cur,
            Span {
                start: open,
                end: open,
            },
            Vec::new(),
            false,
        )?;
        match cur.next() {
            Some(t) if t.kind == Tok::RParen => {
                let span = Span {
                    start: open,
                    end: t.end,
                };
                Ok(Operand::Sub(
                    Box::new(Pipeline { span, ..pipe }),
                    Vec::new(),
                ))
            }
            _ => Err(self.err(open, "unclosed left paren")),
        }
    }

    /// Attach `.A.B` links written directly after an operand.
    fn field_chain(&mut self, cur: &mut Cursor, base: Operand) -> Result<Operand, FormatError> {
        let mut links = Vec::new();
        while let Some(Token {
            kind: Tok::Field(f),
            space_before: false,
            ..
        }) = cur.peek()
        {
            links.push(f.clone());
            cur.i += 1;
        }
        if links.is_empty() {
            return Ok(base);
        }
        Ok(match base {
            Operand::Field(mut f) => {
                f.extend(links);
                Operand::Field(f)
            }
            Operand::Var(v, _) => Operand::Var(v, links),
            Operand::Sub(p, _) => Operand::Sub(p, links),
            Operand::Dot => Operand::Field(links),
            _ => {
                let at = cur.toks[cur.i - links.len()].pos;
                return Err(self.err(at, "unexpected field after a value that has no fields"));
            }
        })
    }
}

struct Cursor<'a> {
    toks: &'a [Token],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.i)
    }

    fn next(&mut self) -> Option<&'a Token> {
        let t = self.toks.get(self.i);
        self.i += usize::from(t.is_some());
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        parse(src).unwrap_err().to_string()
    }

    #[test]
    fn parse_errors_are_clear() {
        assert_eq!(err("{{.A"), "template: output:1:1: unclosed action");
        assert_eq!(
            err("x {{foo .A}}"),
            "template: output:1:5: function \"foo\" not defined"
        );
        assert_eq!(err("a{{end}}"), "template: output:1:2: unexpected {{end}}");
        assert_eq!(err("{{else}}"), "template: output:1:1: unexpected {{else}}");
        assert_eq!(
            err("{{printf \"abc}}"),
            "template: output:1:10: unterminated quoted string"
        );
        assert_eq!(
            err("{{if .A}}x"),
            "template: output:1:1: unexpected EOF: {{if}} has no {{end}}"
        );
        assert_eq!(
            err("{{$x}}"),
            "template: output:1:3: undefined variable \"$x\""
        );
        assert_eq!(
            err("{{}}"),
            "template: output:1:1: missing value for command"
        );
        assert_eq!(
            err("{{.A | }}"),
            "template: output:1:7: missing value for command"
        );
        assert_eq!(
            err("{{(len .A}}"),
            "template: output:1:3: unclosed left paren"
        );
        assert_eq!(
            err("{{len .A)}}"),
            "template: output:1:9: unexpected \")\" in operand"
        );
        assert_eq!(
            err("{{break}}"),
            "template: output:1:1: {{break}} outside {{range}}"
        );
        assert_eq!(
            err("{{.A | 3}}"),
            "template: output:1:8: non executable command in pipeline stage 2"
        );
        assert_eq!(
            err("{{range $a, $b, $c := .}}{{end}}"),
            "template: output:1:9: expected := after range variables"
        );
        assert_eq!(
            err("{{if $a, $b := .}}{{end}}"),
            "template: output:1:6: too many declarations"
        );
        assert_eq!(
            err("{{define \"x\"}}"),
            "template: output:1:1: {{define}} is not supported"
        );
    }

    #[test]
    fn variables_are_scoped_to_their_control() {
        assert!(parse("{{range $i, $e := .}}{{$i}}{{$e}}{{end}}").is_ok());
        assert!(parse("{{range $e := .}}{{end}}{{$e}}").is_err());
        assert!(parse("{{$x := 1}}{{if .}}{{$x = 2}}{{end}}{{$x}}").is_ok());
        assert!(parse("{{$y = 1}}").is_err());
    }

    #[test]
    fn chains_and_else_if() {
        let nodes =
            parse("{{(index . \"a\").B.C}}{{if .A}}1{{else if .B}}2{{else}}3{{end}}").unwrap();
        assert!(
            matches!(&nodes[0], Node::Action(p) if matches!(&p.cmds[0].args[0], Operand::Sub(_, f) if f == &["B", "C"]))
        );
        let Node::If(c) = &nodes[1] else { panic!() };
        assert!(
            matches!(&c.else_body[..], [Node::If(inner)] if inner.else_body == vec![Node::Text("3".into())])
        );
    }
}

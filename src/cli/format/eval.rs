//! Evaluation of a parsed template against JSON data, and Go-style printing
//! of values (`fmt.Sprint` rules: `[a b]`, `map[k:v]`, `<nil>`).
//!
//! Invariants: evaluation never panics on data; a missing object key and JSON
//! `null` both evaluate to `Value::Null`, which an action prints as
//! `<no value>` (Go's output for a missing map key). Variables live on one
//! stack; every control structure truncates it back to where it started.

use super::funcs;
use super::lexer::line_col;
use super::parse::{Command, Control, Node, Operand, Pipeline, Span};
use super::FormatError;
use serde_json::{Number, Value};

/// How a list of nodes finished.
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Render `nodes` (parsed from `src`) with `data` as dot and `$`.
pub(crate) fn render(src: &str, nodes: &[Node], data: &Value) -> Result<String, FormatError> {
    let mut st = State {
        src,
        vars: vec![(String::new(), data.clone())],
        out: String::new(),
    };
    st.walk(data, nodes)?;
    Ok(st.out)
}

struct State<'a> {
    src: &'a str,
    vars: Vec<(String, Value)>,
    out: String,
}

impl State<'_> {
    fn err(&self, span: Span, reason: impl Into<String>) -> FormatError {
        let (line, col) = line_col(self.src, span.start);
        FormatError::Render {
            template: self.src.to_string(),
            line,
            col,
            action: self
                .src
                .get(span.start..span.end)
                .unwrap_or_default()
                .to_string(),
            reason: reason.into(),
        }
    }

    fn walk(&mut self, dot: &Value, nodes: &[Node]) -> Result<Flow, FormatError> {
        for node in nodes {
            let flow = match node {
                Node::Text(t) => {
                    self.out.push_str(t);
                    Flow::Normal
                }
                Node::Action(p) => {
                    let v = self.pipeline(dot, p)?;
                    if p.decl.is_empty() {
                        self.out.push_str(&print_action(&v));
                    }
                    Flow::Normal
                }
                Node::If(c) => self.if_with(dot, c, false)?,
                Node::With(c) => self.if_with(dot, c, true)?,
                Node::Range(c) => self.range(dot, c)?,
                Node::Break => Flow::Break,
                Node::Continue => Flow::Continue,
            };
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn if_with(&mut self, dot: &Value, c: &Control, with: bool) -> Result<Flow, FormatError> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &c.pipe)?;
        let flow = match (truth(&v), with) {
            (true, true) => self.walk(&v, &c.body),
            (true, false) => self.walk(dot, &c.body),
            (false, _) => self.walk(dot, &c.else_body),
        };
        self.vars.truncate(mark);
        flow
    }

    fn range(&mut self, dot: &Value, c: &Control) -> Result<Flow, FormatError> {
        let v = self.pipe_value(dot, &c.pipe)?;
        let items: Vec<(Value, Value)> = match v {
            Value::Array(a) => a
                .into_iter()
                .enumerate()
                .map(|(i, e)| (Value::from(i), e))
                .collect(),
            Value::Object(m) => {
                let mut kv: Vec<_> = m.into_iter().map(|(k, e)| (Value::String(k), e)).collect();
                kv.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                kv
            }
            Value::Null => Vec::new(),
            Value::Number(n) if n.as_u64().is_some() => {
                let n = n.as_u64().unwrap_or(0);
                (0..n).map(|i| (Value::from(i), Value::from(i))).collect()
            }
            other => {
                let reason = format!("range can't iterate over {}", go_fmt(&other));
                return Err(self.err(c.pipe.span, reason));
            }
        };
        if items.is_empty() {
            let mark = self.vars.len();
            let flow = self.walk(dot, &c.else_body);
            self.vars.truncate(mark);
            return flow.map(|_| Flow::Normal);
        }
        for (key, elem) in items {
            let mark = self.vars.len();
            match c.pipe.decl.as_slice() {
                [e] => self.bind(e, elem.clone(), c.pipe.assign),
                [k, e] => {
                    self.bind(k, key, false);
                    self.bind(e, elem.clone(), false);
                }
                _ => {}
            }
            let flow = self.walk(&elem, &c.body);
            self.vars.truncate(mark);
            if matches!(flow?, Flow::Break) {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    fn bind(&mut self, name: &str, value: Value, assign: bool) {
        if assign {
            if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                slot.1 = value;
            }
        } else {
            self.vars.push((name.to_string(), value));
        }
    }

    /// Evaluate a pipeline and bind its declared variable, if any.
    fn pipeline(&mut self, dot: &Value, p: &Pipeline) -> Result<Value, FormatError> {
        let v = self.pipe_value(dot, p)?;
        if let Some(name) = p.decl.first() {
            self.bind(name, v.clone(), p.assign);
        }
        Ok(v)
    }

    /// Evaluate the commands of a pipeline, feeding each result to the next.
    fn pipe_value(&mut self, dot: &Value, p: &Pipeline) -> Result<Value, FormatError> {
        let mut last = None;
        for cmd in &p.cmds {
            last = Some(self.command(dot, cmd, last)?);
        }
        Ok(last.unwrap_or(Value::Null))
    }

    fn command(
        &mut self,
        dot: &Value,
        cmd: &Command,
        fin: Option<Value>,
    ) -> Result<Value, FormatError> {
        match &cmd.args[..] {
            [Operand::Func(name), args @ ..] => self.call(dot, name, args, fin, cmd.span),
            [Operand::Nil] => Err(self.err(cmd.span, "nil is not a command")),
            [op] if fin.is_none() => self.operand(dot, op, cmd.span),
            _ => {
                let what = self
                    .src
                    .get(cmd.span.start..cmd.span.end)
                    .unwrap_or_default();
                Err(self.err(
                    cmd.span,
                    format!("can't give argument to non-function {what}"),
                ))
            }
        }
    }

    fn call(
        &mut self,
        dot: &Value,
        name: &str,
        args: &[Operand],
        fin: Option<Value>,
        span: Span,
    ) -> Result<Value, FormatError> {
        if name == "and" || name == "or" {
            return self.and_or(dot, name == "and", args, fin, span);
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            vals.push(self.operand(dot, a, span)?);
        }
        vals.extend(fin);
        funcs::call(name, &vals).map_err(|e| self.err(span, e))
    }

    /// `and`/`or` evaluate their arguments lazily and return one of them, as in Go.
    fn and_or(
        &mut self,
        dot: &Value,
        and: bool,
        args: &[Operand],
        fin: Option<Value>,
        span: Span,
    ) -> Result<Value, FormatError> {
        let name = if and { "and" } else { "or" };
        if args.is_empty() && fin.is_none() {
            return Err(self.err(
                span,
                format!("wrong number of args for {name}: want at least 1 got 0"),
            ));
        }
        let mut v = Value::Null;
        for a in args {
            v = self.operand(dot, a, span)?;
            if truth(&v) != and {
                return Ok(v);
            }
        }
        Ok(fin.unwrap_or(v))
    }

    fn operand(&mut self, dot: &Value, op: &Operand, span: Span) -> Result<Value, FormatError> {
        match op {
            Operand::Dot => Ok(dot.clone()),
            Operand::Field(chain) => self.fields(dot.clone(), chain, span),
            Operand::Var(name, chain) => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone());
                match v {
                    Some(v) => self.fields(v, chain, span),
                    None => Err(self.err(span, format!("undefined variable: ${name}"))),
                }
            }
            Operand::Func(name) => self.call(dot, name, &[], None, span),
            Operand::Literal(v) => Ok(v.clone()),
            Operand::Nil => Ok(Value::Null),
            Operand::Sub(p, chain) => {
                let v = self.pipe_value(dot, p)?;
                self.fields(v, chain, p.span)
            }
        }
    }

    /// Follow `.A.B…` from `v`; missing keys and null yield null.
    fn fields(&self, mut v: Value, chain: &[String], span: Span) -> Result<Value, FormatError> {
        for name in chain {
            v = match v {
                Value::Object(mut m) => m.remove(name).unwrap_or(Value::Null),
                Value::Null => Value::Null,
                other => {
                    let reason = format!("can't evaluate field {name} in type {}", go_type(&other));
                    return Err(self.err(span, reason));
                }
            };
        }
        Ok(v)
    }
}

/// Go's truthiness: false, 0, "", null and empty collections are false.
pub(crate) fn truth(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// How an action prints its value: like `go_fmt`, but null is `<no value>`.
pub(crate) fn print_action(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".to_string(),
        other => go_fmt(other),
    }
}

/// Go's `%v` for JSON-shaped data.
pub(crate) fn go_fmt(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => fmt_number(n),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_fmt).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut kv: Vec<_> = m.iter().collect();
            kv.sort_by(|a, b| a.0.cmp(b.0));
            let parts: Vec<_> = kv
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_fmt(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's name for the type a JSON value decodes to, for error messages.
pub(crate) fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

pub(crate) fn fmt_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() => fmt_float(f),
        _ => n.to_string(),
    }
}

/// Floats as Go's `%v`, except that integral values print without exponent.
pub(crate) fn fmt_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        return f.to_string();
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::format::Template;
    use serde_json::json;

    fn r(src: &str, data: Value) -> String {
        Template::parse(src).unwrap().render(&data).unwrap()
    }

    #[test]
    fn fields_dot_root_and_missing() {
        let d = json!({"A": {"B": {"C": "deep"}}, "N": null, "S": "str"});
        assert_eq!(
            r(
                "{{.A.B.C}} {{.Missing}} {{.N}} {{.N.X}} {{.Missing.X.Y}}",
                d.clone()
            ),
            "deep <no value> <no value> <no value> <no value>"
        );
        assert_eq!(
            r("{{with .A}}{{$.S}} {{.B.C}}{{end}}", d.clone()),
            "str deep"
        );
        let e = Template::parse("{{.S.X}}")
            .unwrap()
            .render(&d)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "template: output:1:3: executing \"output\" at <.S.X>: can't evaluate field X in type string");
    }

    #[test]
    fn value_printing_like_go() {
        let d = json!({"a": [1, "x", true, null, 2.5], "m": {"b": 2, "a": {"c": [1]}}, "f": 3.0, "g": 0.00001, "h": 1234567.5});
        assert_eq!(
            r("{{.a}} {{.m}}", d.clone()),
            "[1 x true <nil> 2.5] map[a:map[c:[1]] b:2]"
        );
        assert_eq!(r("{{.f}} {{.g}} {{.h}}", d), "3 1e-05 1.2345675e+06");
    }

    #[test]
    fn range_forms() {
        let d = json!({"L": ["a", "b"], "M": {"z": 1, "y": 2}, "E": []});
        assert_eq!(r("{{range .L}}{{.}},{{end}}", d.clone()), "a,b,");
        assert_eq!(
            r("{{range $i, $e := .L}}{{$i}}={{$e}} {{end}}", d.clone()),
            "0=a 1=b "
        );
        assert_eq!(r("{{range $e := .L}}[{{$e}}]{{end}}", d.clone()), "[a][b]");
        assert_eq!(
            r("{{range $k, $v := .M}}{{$k}}:{{$v}} {{end}}", d.clone()),
            "y:2 z:1 "
        );
        assert_eq!(r("{{range .E}}x{{else}}empty{{end}}", d.clone()), "empty");
        assert_eq!(r("{{range .Nope}}x{{else}}none{{end}}", d.clone()), "none");
        assert_eq!(
            r(
                "{{range .L}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
                d.clone()
            ),
            "a"
        );
        assert_eq!(
            r(
                "{{range .L}}{{if eq . \"a\"}}{{continue}}{{end}}{{.}}{{end}}",
                d.clone()
            ),
            "b"
        );
        assert_eq!(r("{{range 3}}{{.}}{{end}}", d), "012");
    }

    #[test]
    fn if_else_if_chain_and_with() {
        let t = Template::parse(
            "{{if eq .N 1}}one{{else if eq .N 2}}two{{else if .Z}}z{{else}}many{{end}}",
        )
        .unwrap();
        let out: Vec<_> = [1, 2, 3]
            .iter()
            .map(|n| t.render(&json!({"N": n})).unwrap())
            .collect();
        assert_eq!(out, vec!["one", "two", "many"]);
        assert_eq!(
            r(
                "{{if .A}}{{if .B}}ab{{else}}a{{end}}{{end}}",
                json!({"A": 1, "B": 0})
            ),
            "a"
        );
        assert_eq!(
            r(
                "{{with .X}}has{{else with .Y}}{{.}}{{else}}no{{end}}",
                json!({"Y": "y"})
            ),
            "y"
        );
        assert_eq!(r("{{if $x := .A}}{{$x}}{{end}}", json!({"A": "v"})), "v");
    }

    #[test]
    fn truthiness() {
        for (v, want) in [
            (json!(false), ""),
            (json!(0), ""),
            (json!(""), ""),
            (json!(null), ""),
            (json!([]), ""),
            (json!({}), ""),
            (json!(0.5), "t"),
            (json!([0]), "t"),
            (json!("0"), "t"),
        ] {
            assert_eq!(r("{{if .V}}t{{end}}", json!({"V": v})), want);
        }
    }

    #[test]
    fn variables_pipelines_and_trim() {
        let d = json!({"A": "x", "L": [1, 2]});
        assert_eq!(r("{{$v := .A}}{{$v = upper $v}}{{$v}}", d.clone()), "X");
        assert_eq!(r("{{.A | printf \"%s-%s\" \"p\"}}", d.clone()), "p-x");
        assert_eq!(r("{{len (index . \"L\")}}", d.clone()), "2");
        assert_eq!(
            r("a  {{- .A -}}  b\n{{- /* gone */ -}}\n c", d.clone()),
            "axbc"
        );
        assert_eq!(
            r(
                "{{and .A .Missing \"z\"}} {{or .Missing .A}} {{and .A .L}}",
                d.clone()
            ),
            "<no value> x [1 2]"
        );
        let e = Template::parse("{{.A 1}}")
            .unwrap()
            .render(&d)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("can't give argument to non-function .A 1"),
            "{e}"
        );
        let e = Template::parse("{{nil}}").unwrap().render(&d).unwrap_err();
        assert!(
            e.to_string().ends_with("at <nil>: nil is not a command"),
            "{e}"
        );
    }

    #[test]
    fn json_of_dot() {
        let d = json!({"Repository": "alpine", "Tag": "3.19", "Size": 7, "Labels": null, "Html": "<&>"});
        assert_eq!(
            r("{{json .}}", d.clone()),
            r#"{"Repository":"alpine","Tag":"3.19","Size":7,"Labels":null,"Html":"<&>"}"#
        );
        assert_eq!(r("{{.Repository}}:{{.Tag}}", d), "alpine:3.19");
    }
}

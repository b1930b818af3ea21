//! `--format` for every listing and inspecting command, implemented once.
//!
//! Accepts what Docker and Podman accept: `json`; `table` or
//! `table <template>`; or a Go text/template such as
//! `{{.Repository}}:{{.Tag}}`, `{{json .}}` or
//! `{{range .RepoTags}}{{.}} {{end}}`. Data is JSON ([`serde_json::Value`]);
//! the template subset follows Go's text/template semantics (see
//! [`Template`]).
//!
//! Pipeline: [`lexer`] (text, actions, trim markers, tokens) -> [`parse`]
//! (AST, parse-time checks) -> [`eval`] (rendering, Go value printing) with
//! [`funcs`] and [`printf`]; [`table`] aligns rows like Go's tabwriter.
//!
//! Invariants: parsing checks everything Go checks at parse time (unknown
//! functions, undefined variables, unbalanced `{{end}}`), so a parsed
//! [`Template`] can only fail at render time on data (a field of a string,
//! `index` out of range, wrong argument types). Nothing here panics on input.

mod eval;
mod funcs;
mod lexer;
mod parse;
mod printf;
mod table;

pub use table::{align_columns, default_header, render_table};

use serde_json::Value;

/// Errors from parsing or rendering a `--format` template. Messages are one
/// line and read like Go's (`template: output:1:5: function "foo" not defined`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    /// The template text is malformed; `line`/`col` (1-based, chars) point at it.
    #[error("template: output:{line}:{col}: {reason}")]
    Parse {
        template: String,
        line: usize,
        col: usize,
        reason: String,
    },
    /// The template is valid but failed on this data; `action` is the
    /// command's source text.
    #[error("template: output:{line}:{col}: executing \"output\" at <{action}>: {reason}")]
    Render {
        template: String,
        line: usize,
        col: usize,
        action: String,
        reason: String,
    },
}

/// What `--format` asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    /// No `--format`: the command's own default output.
    Default,
    /// `json` (any case): the command's JSON output.
    Json,
    /// `table`, or `table <row template>`.
    Table(Option<Template>),
    /// Any other text: a template rendered once per item.
    Template(Template),
}

impl Format {
    /// Interpret a `--format` argument. `\t` and `\n` (two characters each)
    /// become a tab and a newline first, as Docker does. `None` or an empty
    /// string is [`Format::Default`].
    pub fn parse(arg: Option<&str>) -> Result<Format, FormatError> {
        let Some(raw) = arg.filter(|a| !a.is_empty()) else {
            return Ok(Format::Default);
        };
        let text = raw.replace("\\t", "\t").replace("\\n", "\n");
        if text.trim().eq_ignore_ascii_case("json") {
            return Ok(Format::Json);
        }
        if text.trim() == "table" {
            return Ok(Format::Table(None));
        }
        match text.strip_prefix("table ") {
            Some(rest) => Ok(Format::Table(Some(Template::parse(rest.trim_start())?))),
            None => Ok(Format::Template(Template::parse(&text)?)),
        }
    }
}

/// A parsed Go text/template (the subset Docker and Podman users rely on):
/// text, actions, `{{-`/`-}}` trim markers, comments; `.A.B` field chains,
/// `.`, `$`, variables (`$x := …`, `$x = …`); pipelines and parenthesised
/// sub-pipelines; `if`/`else if`/`else`, `range` (with variables, `else`,
/// `break`, `continue`), `with`/`else with`; the functions listed in
/// `funcs.rs`.
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
    nodes: Vec<parse::Node>,
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src
    }
}

impl Template {
    /// Parse a template; errors name the problem and its line and column.
    pub fn parse(src: &str) -> Result<Template, FormatError> {
        Ok(Template {
            src: src.to_string(),
            nodes: parse::parse(src)?,
        })
    }

    /// Render with `data` as both `.` and `$`.
    pub fn render(&self, data: &Value) -> Result<String, FormatError> {
        eval::render(&self.src, &self.nodes, data)
    }

    /// The template text as parsed (after `\t`/`\n` replacement).
    pub fn source(&self) -> &str {
        &self.src
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_parse_kinds() {
        assert_eq!(Format::parse(None).unwrap(), Format::Default);
        assert_eq!(Format::parse(Some("")).unwrap(), Format::Default);
        assert_eq!(Format::parse(Some("json")).unwrap(), Format::Json);
        assert_eq!(Format::parse(Some("JSON")).unwrap(), Format::Json);
        assert_eq!(Format::parse(Some("table")).unwrap(), Format::Table(None));
        let Format::Table(Some(t)) = Format::parse(Some("table {{.A}}")).unwrap() else {
            panic!()
        };
        assert_eq!(t.source(), "{{.A}}");
        let Format::Template(t) = Format::parse(Some("{{.A}}")).unwrap() else {
            panic!()
        };
        assert_eq!(t.render(&json!({"A": 1})).unwrap(), "1");
        assert!(matches!(
            Format::parse(Some("{{json .}}")).unwrap(),
            Format::Template(_)
        ));
    }

    #[test]
    fn format_parse_escapes() {
        let Format::Template(t) = Format::parse(Some(r"{{.A}}\t{{.B}}\n")).unwrap() else {
            panic!()
        };
        assert_eq!(t.source(), "{{.A}}\t{{.B}}\n");
        assert_eq!(t.render(&json!({"A": "a", "B": "b"})).unwrap(), "a\tb\n");
        let Format::Table(Some(t)) = Format::parse(Some(r"table {{.A}}\t{{.B}}")).unwrap() else {
            panic!()
        };
        assert_eq!(t.source(), "{{.A}}\t{{.B}}");
    }

    #[test]
    fn format_parse_errors() {
        let e = Format::parse(Some("{{.A | nope}}")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "template: output:1:8: function \"nope\" not defined"
        );
        assert!(matches!(
            e,
            FormatError::Parse {
                line: 1,
                col: 8,
                ..
            }
        ));
        let e = Format::parse(Some("table {{end}}")).unwrap_err();
        assert_eq!(e.to_string(), "template: output:1:1: unexpected {{end}}");
    }

    #[test]
    fn docker_style_templates() {
        let img = json!({"Repository": "alpine", "Tag": "3.19", "RepoTags": ["alpine:3.19", "alpine:latest"], "Labels": {"b": "2", "a": "1"}});
        let r = |s: &str| Template::parse(s).unwrap().render(&img).unwrap();
        assert_eq!(
            r("{{range .RepoTags}}{{.}} {{end}}"),
            "alpine:3.19 alpine:latest "
        );
        assert_eq!(
            r("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}"),
            "a=1;b=2;"
        );
        assert_eq!(
            r("{{index .Labels \"a\"}} {{.Labels.b}} {{.Labels}}"),
            "1 2 map[a:1 b:2]"
        );
        assert_eq!(
            r("{{if .Tag}}{{.Repository}}:{{.Tag}}{{else}}<none>{{end}}"),
            "alpine:3.19"
        );
    }
}

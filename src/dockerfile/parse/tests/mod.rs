//! Parser tests: every instruction and form ([`instructions`]), the layout of a
//! file (directives, comments, continuations, heredocs, structural errors:
//! [`layout`]) and buildkit's own heredoc cases ([`buildkit`]).

use super::*;

mod buildkit;
mod instructions;
mod layout;
use crate::dockerfile::ast::CommandForm;

pub(super) fn ok(text: &str) -> Dockerfile {
    match parse(text) {
        Ok(d) => d,
        Err(e) => panic!("parse failed: {e}\n{text}"),
    }
}

/// The kinds of the first stage's instructions.
pub(super) fn kinds(text: &str) -> Vec<Kind> {
    ok(text).stages[0]
        .instructions
        .iter()
        .map(|i| i.kind.clone())
        .collect()
}

pub(super) fn one(body: &str) -> Kind {
    let mut k = kinds(&format!("FROM scratch\n{body}\n"));
    assert_eq!(k.len(), 1, "{body}: {k:?}");
    k.remove(0)
}

pub(super) fn fail(text: &str) -> ParseError {
    match parse(text) {
        Ok(d) => panic!("expected an error for {text:?}, got {d:?}"),
        Err(e) => e,
    }
}

pub(super) fn fail_body(body: &str) -> ParseError {
    fail(&format!("FROM scratch\n{body}\n"))
}

pub(super) fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

pub(super) fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

//! Dockerfile parsing: lexing, parser directives, line continuations, heredocs,
//! JSON/shell forms, and Docker's shell-word expansion. No I/O.

pub mod ast;
pub mod expand;
mod parse;

pub use parse::{parse, parse_duration, parse_trigger, ParseError, ParseErrorKind};

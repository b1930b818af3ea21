//! The Dockerfile language, without executing anything: lexing, parser
//! directives, line continuations, heredocs, JSON/shell forms ([`ast`] and
//! [`parse`]), Docker's shell-word expansion ([`expand`]) and `.dockerignore`
//! rules ([`ignore`]). No I/O beyond what a caller hands in; running a build is
//! the engine's (`engine::builder`, a layer above).

pub mod ast;
pub mod expand;
pub mod ignore;
mod parse;

pub use parse::{parse, parse_duration, parse_trigger, ParseError, ParseErrorKind};

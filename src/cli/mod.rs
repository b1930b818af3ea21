//! Command line: clap definitions and output.
pub mod format;
pub fn main() -> i32 { 0 }

//! Command line: clap definitions and output.
pub fn main() -> i32 {
    0
}

//! Writes shell completions and man pages generated from the clap definitions.
fn main() {}

//! The `skiff` binary: a thin wrapper over [`skiff::cli::main`].

fn main() {
    std::process::exit(skiff::cli::main());
}

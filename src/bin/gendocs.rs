//! Writes shell completions (bash, zsh, fish) and man pages generated from the clap
//! definitions: `skiff-gendocs OUTDIR` writes OUTDIR/completions and OUTDIR/man.

use std::path::{Path, PathBuf};

use clap_complete::Shell;

fn main() {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    if let Err(e) = generate(&out) {
        eprintln!("Error: {e}");
        std::process::exit(1);
    }
}

fn generate(out: &Path) -> std::io::Result<()> {
    let completions = out.join("completions");
    std::fs::create_dir_all(&completions)?;
    for (shell, file) in [
        (Shell::Bash, "skiff.bash"),
        (Shell::Zsh, "_skiff"),
        (Shell::Fish, "skiff.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut skiff::cli::command(), "skiff", &mut buf);
        std::fs::write(completions.join(file), buf)?;
    }
    let man = out.join("man");
    std::fs::create_dir_all(&man)?;
    write_man(&skiff::cli::command(), "skiff", &man)
}

/// One page per command and subcommand: skiff.1, skiff-image-ls.1, …
fn write_man(cmd: &clap::Command, name: &str, dir: &Path) -> std::io::Result<()> {
    let cmd = cmd.clone().name(name.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    std::fs::write(dir.join(format!("{name}.1")), buf)?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_man(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}

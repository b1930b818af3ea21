//! Syscall wrappers: the only module with `unsafe`.

pub mod fs;

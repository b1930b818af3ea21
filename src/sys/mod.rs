//! Syscall wrappers: the only module with `unsafe`.

//! Syscall wrappers: the only module with `unsafe`.
pub mod caps;
pub mod fdpass;
pub mod netif;
pub mod process;
pub mod pty;
pub mod xattr;

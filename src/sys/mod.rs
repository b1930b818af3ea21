//! Syscall wrappers: the only module with `unsafe`.
//!
//! Each wrapper states the invariant that makes it sound in a `// SAFETY:` comment.

pub mod caps;
pub mod fdpass;
pub mod fs;
pub mod idmap;
pub mod netif;
pub mod process;
pub mod pty;
pub mod signals;
pub mod userns;
pub mod xattr;

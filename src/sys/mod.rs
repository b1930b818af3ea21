//! Syscall wrappers: the only module with `unsafe`.
//!
//! Each wrapper states the invariant that makes it sound in a `// SAFETY:` comment.

pub mod fs;
pub mod idmap;
pub mod process;
pub mod userns;

//! Tar archives in and out: safe layer unpacking with OCI whiteouts.
//!
//! [`unpack_layer`] turns an uncompressed OCI layer tar into a directory that
//! kernel overlayfs (mounted with `userxattr`) can use as a lower dir:
//! whiteouts become 0:0 character devices, opaque markers become
//! `user.overlay.opaque=y`. Nothing is ever written outside the destination:
//! parents are opened with `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`
//! and every change is an `*at()` call on a single, unfollowed name.
//!
//! Files: `unpack` (driver, public API), `reader` (streaming tar), `pax` (PAX records),
//! `paths` (name validation, parent lookup), `entry` (one entry),
//! `meta` (owner, xattrs, times, replacement), `whiteout`, `error`.

mod entry;
mod error;
mod meta;
mod paths;
mod pax;
mod reader;
mod unpack;
mod whiteout;
pub mod writer;

#[cfg(test)]
mod tests;

pub use reader::{Entry, Kind, TarReader};
pub use unpack::{unpack_layer, ArchiveError, IdPolicy, UnpackOptions, UnpackStats};

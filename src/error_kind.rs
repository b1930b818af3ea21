//! What kind of failure an error is, for front ends to map to their own codes in
//! one place each: the CLI to exit codes (`cli::exit`), the API service to HTTP
//! status codes. Every module error the engine returns has a `kind()`; the kind
//! says what the caller can do about it, the error's text says what happened.

/// The kinds of failure, as a front end needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ErrorKind {
    /// What was named does not exist: an image, a container, a blob on a
    /// registry, a path (HTTP 404).
    NotFound,
    /// The thing exists but its state forbids the operation: a container that
    /// runs, an image in use, a name taken (HTTP 409).
    Conflict,
    /// The request itself is wrong: a bad option, name or reference (HTTP 400).
    InvalidArgument,
    /// Something outside skiff failed or is missing: a registry that cannot be
    /// reached or refuses us, a kernel feature, a host helper (HTTP 503/502).
    Unavailable,
    /// skiff or its store failed: I/O, corrupt records, a broken invariant
    /// (HTTP 500).
    Internal,
}

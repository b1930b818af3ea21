//! OCI basics shared by every layer: digests, image references, media types and
//! platforms. Pure data and parsing, no I/O.

pub mod convert;
pub mod digest;
pub mod manifest;
pub mod media;
pub mod platform;
pub mod reference;
pub mod time;

pub use digest::{Digest, DigestError, HashingReader};
pub use platform::Platform;
pub use reference::{Reference, ReferenceError};

//! OCI basics shared by every layer: digests, image references, media types,
//! platforms and the typed image config. Pure data and parsing, no I/O.

pub mod config;
pub mod convert;
pub mod digest;
pub mod manifest;
pub mod media;
pub mod ordered;
pub mod platform;
pub mod reference;
pub mod time;

pub use config::{ContainerConfig, ImageConfig, Ordered};
pub use digest::{Digest, DigestError, HashingReader};
pub use platform::Platform;
pub use reference::{Reference, ReferenceError};

//! skiff: a rootless, daemonless container engine.
//!
//! Layers (each imports only from layers below it):
//! 1. [`oci`], [`sys`], [`trace`]: digests, references, media types; syscall wrappers
//!    (the only module allowed raw, unchecked code); phase timings for debug output.
//! 2. [`store`], [`registry`], [`archive`], [`netstack`]: the content-addressed
//!    store, the distribution protocol, tar in and out, the containers' network.
//! 3. [`runtime`], [`container`]: namespaces, rootfs, processes; container records.
//! 4. [`build`]: Dockerfile parsing, the build plan and cache.
//! 5. [`engine`]: the use cases (pull, images, inspect, …).
//! 6. [`cli`]: clap definitions and output; the only place that prints.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod archive;
pub mod build;
pub mod cli;
pub mod container;
pub mod engine;
pub mod error_kind;
pub mod netstack;
pub mod oci;
pub mod registry;
pub mod runtime;
pub mod store;
pub mod sys;
pub mod trace;

//! skiff: a rootless, daemonless container engine.
//!
//! Layers. A module uses only the modules named for it here (lower layers, and
//! within a layer only what is named). The engine
//! never prints and never reads the environment; front ends do.
//! 1. [`error_kind`]: the kinds of failure; uses nothing.
//!    [`trace`]: phase timings for debug output; uses nothing.
//!    [`oci`]: digests, references, media types, platforms, image configs, time;
//!    uses `error_kind`.
//!    [`sys`]: syscall wrappers, the only module with `unsafe` code; uses
//!    `error_kind`.
//! 2. [`store`], [`registry`], [`archive`]: the content-addressed store, the
//!    distribution protocol, tar in and out. Each uses layer 1 only.
//! 3. [`netstack`]: the containers' user-mode network; uses layers 1 and 2.
//!    [`runtime`]: namespaces, rootfs, processes, the monitor; uses layers 1 and
//!    2 and `netstack` (which serves its containers' network).
//! 4. [`container`]: container records and state; uses layers 1 and 2.
//!    [`dockerfile`]: the Dockerfile language (parsing, word expansion,
//!    .dockerignore), no execution; uses layer 1.
//! 5. [`engine`]: the use cases (create, run, pull, push, build, commit, …) as
//!    library functions taking an [`engine::EngineConfig`]; uses layers 1 to 4.
//!    The image being made is `engine::draft`'s, used by `engine::builder` and
//!    `engine::commit` (and `engine::import`), which do not use each other.
//! 6. [`cli`]: clap definitions and output; the only place that prints, and, in
//!    `cli::env`, the only place that reads the environment; uses everything.
//!
//! No module uses a higher layer. Sibling submodules that still use each other
//! (each pair shares types or helpers that belong in a module of their own):
//! - engine: `lifecycle` and `monitor` (the monitor uses `supervise`,
//!   `exit_code_of`, `Io`; lifecycle re-exports `monitor::start_detached`);
//!   `containers` and `volumes` (containers use `volumes::attach`, `data_dir`,
//!   `remove_anonymous`, `tree_size`; volumes use `containers::views`).
//! - registry: `auth` and `client` (auth uses `client::with_retries`,
//!   `is_loopback`; client uses `auth::Authenticator`); `client` and `request`
//!   (request uses `client::with_retries`, `Client`, `SchemePlan`; client uses
//!   `request::Request`).
//! - archive: `unpack` with `entry` and with `meta` (both use `unpack::IdPolicy`,
//!   `UnpackStats`; unpack uses `entry::Ctx` and `meta::chown_fd`, `set_xattrs`,
//!   …); `reader` and `pax` (pax uses `reader::Timestamp`; reader uses
//!   `pax::parse_pax`, `Pax`).
//! - runtime: `spec` with `network` (network uses `spec::ContainerSpec`, …; spec
//!   uses `network::PortForward`) and with `process` (process uses
//!   `spec::ProcessSpec`, `Rlimit`; spec uses `process::rlimit_resource`);
//!   `child` and `init` (child calls `init::run`; init uses
//!   `child::exec_prepared`, `Prepared`).
#![cfg_attr(test, allow(clippy::unwrap_used))]
#![deny(unsafe_code)]

pub mod archive;
pub mod cli;
pub mod container;
pub mod dockerfile;
pub mod engine;
pub mod error_kind;
pub mod netstack;
pub mod oci;
pub mod registry;
pub mod runtime;
pub mod store;
#[allow(unsafe_code)] // syscalls are wrapped here, each `unsafe` with its SAFETY comment
pub mod sys;
pub mod trace;

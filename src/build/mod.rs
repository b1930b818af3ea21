//! Building images from Dockerfiles: the Dockerfile parser and word expansion
//! ([`dockerfile`], no I/O), `.dockerignore` rules, the build plan, the step cache
//! and the builder that runs each step in skiff's own containers.

pub mod dockerfile;
pub mod ignore;

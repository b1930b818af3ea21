//! Tar archives in and out: safe layer unpacking with OCI whiteouts.

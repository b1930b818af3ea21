//! The OCI distribution protocol client: auth, manifests, blobs.

//! What kind of failure each engine error is ([`EngineError::kind`]), for front
//! ends to map to exit codes (`cli::exit`) or HTTP status codes in one place.
//! Errors of lower modules answer for themselves; the match is exhaustive, so a
//! new variant must be given its kind here.

use super::{builder, EngineError};
use crate::error_kind::ErrorKind;

impl EngineError {
    /// What kind of failure this is, for front ends to map to exit or HTTP
    /// status codes (see [`ErrorKind`]); a wrapped module error answers for itself.
    pub fn kind(&self) -> ErrorKind {
        use EngineError as E;
        match self {
            E::Store(e) => e.kind(),
            E::Registry(e) => e.kind(),
            E::Manifest(e) => e.kind(),
            E::Reference(e) => e.kind(),
            E::Container(e) => e.kind(),
            E::Runtime(e) => e.kind(),
            E::Convert(e) => e.kind(),
            E::Userns(e) => e.kind(),
            E::Volume(e) => e.kind(),
            // a bad option, filter or signal; a missing bind source too (Docker
            // answers that with 400)
            E::ContainerOptions(_) | E::ContainerList(_) | E::Signal(_) => {
                ErrorKind::InvalidArgument
            }
            E::Unpack { source, .. } => source.kind(),
            E::CopyUnpack { error, .. } => error.kind(),
            E::Build(b) => b.kind(),
            E::ImageNotKnown(_) | E::NoSuchDirectory(_) => ErrorKind::NotFound,
            E::CopyFile { source, .. } => io_kind(source),
            E::StartFailed { code, .. } => match code {
                127 => ErrorKind::NotFound,
                126 => ErrorKind::InvalidArgument,
                _ => ErrorKind::Internal,
            },
            E::ImageInUse { .. }
            | E::ManyNames { .. }
            | E::ContainerRunning(_)
            | E::NotRunning(_)
            | E::CopiedRootfs(_)
            | E::NotEmptyNotOciLayout(_)
            | E::DirWithFile(_) => ErrorKind::Conflict,
            E::NewNameIsDigest(_)
            | E::Ambiguous { .. }
            | E::NoCommand(_)
            | E::UnknownNetwork(_)
            | E::Capability(_)
            | E::BadUlimit(_)
            | E::ExposedPort { .. }
            | E::BadChange { .. }
            | E::NotConfigChange(_)
            | E::NotOciLayout(_)
            | E::PushDigest { .. }
            | E::IdNeedsDestination(_)
            | E::CpNeedsContainer
            | E::TarDestNotDir(_)
            | E::BadArchive(_)
            | E::DiffIdMismatch { .. }
            | E::BadConfig { .. }
            | E::LayerCountMismatch { .. }
            | E::UnsupportedLayer(_) => ErrorKind::InvalidArgument,
            E::Ports(_)
            | E::RunNeedsOverlay
            | E::LayerStream { .. }
            | E::PullStopped(..)
            | E::EarlierLayerFailed => ErrorKind::Unavailable,
            E::Process { .. }
            | E::MonitorDied
            | E::CopyInContainer(_)
            | E::CopyDied
            | E::ArchiveWrite { .. }
            | E::LayerWrite(_)
            | E::StagePanicked => ErrorKind::Internal,
        }
    }
}

impl super::volumes::VolumeError {
    /// What kind of failure this is (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        use super::volumes::VolumeError as V;
        match self {
            V::NotFound { .. } => ErrorKind::NotFound,
            V::InUse { .. } => ErrorKind::Conflict,
            V::BadName(_) | V::BadFilter(_) | V::UnknownFilter(_) => ErrorKind::InvalidArgument,
            V::Remove { .. } => ErrorKind::Internal,
        }
    }
}

impl builder::BuildError {
    /// What kind of failure this is (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        use builder::BuildError as B;
        match self {
            B::Parse { .. } | B::Instruction { .. } | B::RunFailed { .. } | B::NoTarget(_) => {
                ErrorKind::InvalidArgument
            }
            B::Step { source, .. } => source.kind(),
            B::Context { source, .. } => io_kind(source),
        }
    }
}

/// A missing file is [`ErrorKind::NotFound`]; any other I/O failure is ours.
fn io_kind(e: &std::io::Error) -> ErrorKind {
    match e.kind() {
        std::io::ErrorKind::NotFound => ErrorKind::NotFound,
        _ => ErrorKind::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::ContainerError;
    use crate::engine::{builder, local_name, EngineError};
    use crate::oci::{Digest, Reference};
    use crate::registry::{RegistryError, Step};
    use crate::store::StoreError;

    #[test]
    fn kinds_of_representative_errors() {
        let kind = |e: EngineError| e.kind();
        assert_eq!(
            kind(EngineError::ImageNotKnown("x".into())),
            ErrorKind::NotFound
        );
        let gone = ContainerError::NotFound("c".into());
        assert_eq!(kind(EngineError::Container(gone)), ErrorKind::NotFound);
        let taken = ContainerError::NameInUse("c".into());
        assert_eq!(kind(EngineError::Container(taken)), ErrorKind::Conflict);
        assert_eq!(
            kind(EngineError::ContainerRunning("c".into())),
            ErrorKind::Conflict
        );
        let in_use = EngineError::ImageInUse {
            id: "i".into(),
            container: "c".into(),
        };
        assert_eq!(in_use.kind(), ErrorKind::Conflict);
        // The two meanings ImageNotKnown used to carry are two kinds now.
        assert_eq!(
            local_name("x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .map_err(|e| (e.kind(), e.to_string())),
            Err((
                ErrorKind::InvalidArgument,
                "x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef: a new name cannot be a digest: image not known".into()
            ))
        );
        assert_eq!(
            kind(EngineError::UnknownNetwork("n".into())),
            ErrorKind::InvalidArgument
        );
        let bad_ref = "UPPER".parse::<Reference>().map_err(EngineError::from);
        assert_eq!(
            bad_ref.map_err(|e| e.kind()).err(),
            Some(ErrorKind::InvalidArgument)
        );
        let unreachable = RegistryError::Transport {
            step: Step::Manifest,
            target: "r/x".into(),
            host: "r".into(),
            detail: "refused".into(),
        };
        assert_eq!(
            kind(EngineError::Registry(unreachable)),
            ErrorKind::Unavailable
        );
        let missing = StoreError::MissingBlob(Digest::of(b""));
        assert_eq!(kind(EngineError::Store(missing)), ErrorKind::NotFound);
        assert_eq!(kind(EngineError::MonitorDied), ErrorKind::Internal);
        let step = builder::BuildError::Step {
            file: "Dockerfile".into(),
            line: 2,
            instruction: "FROM".into(),
            source: Box::new(EngineError::ImageNotKnown("x".into())),
        };
        assert_eq!(step.kind(), ErrorKind::NotFound);
    }
}

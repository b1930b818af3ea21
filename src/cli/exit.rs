//! Exit codes: the one place the CLI turns a failure into one (Docker's and Podman's
//! conventions). A failed command exits 125, unless the failure carries a
//! container's own code: 127 command not found and 126 not executable (from the
//! runtime), the code a container's start failed with, a build's failing RUN step's
//! status. Commands that report per item, as Podman's `rm` and `rmi` do, exit 1 for
//! an item that does not exist and 2 for one whose state forbids it, by the error's
//! [`ErrorKind`].

use crate::engine::builder::BuildError;
use crate::engine::EngineError;
use crate::error_kind::ErrorKind;
use crate::runtime::RuntimeError;

/// Exit code when skiff itself fails.
pub const EXIT_FAILURE: i32 = 125;

/// The exit code of a command that failed with `e`.
pub fn code_of(e: &EngineError) -> i32 {
    match e {
        EngineError::Runtime(r) => runtime_code(r),
        EngineError::StartFailed { code, .. } => *code,
        EngineError::Build(b) => build_status(b).unwrap_or(EXIT_FAILURE),
        _ => EXIT_FAILURE,
    }
}

/// The exit code of a process that could not be started in a container.
pub fn runtime_code(e: &RuntimeError) -> i32 {
    e.exit_code()
}

/// The status of a build's failing RUN step, which the build exits with (as
/// Podman); `None` when the build failed otherwise.
pub fn build_status(e: &BuildError) -> Option<i32> {
    match e {
        BuildError::RunFailed { code, .. } => Some(*code).filter(|c| (1..=255).contains(c)),
        _ => None,
    }
}

/// The exit code of one failed item of a per-item command (`rm`, `rmi`).
pub fn item_code(e: &EngineError) -> i32 {
    match e.kind() {
        ErrorKind::NotFound => 1,
        ErrorKind::Conflict => 2,
        _ => code_of(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::ContainerError;

    #[test]
    fn codes_as_docker_and_podman() {
        let runtime = |e| code_of(&EngineError::Runtime(e));
        assert_eq!(runtime(RuntimeError::NotFound { cmd: "x".into() }), 127);
        let errno = nix::errno::Errno::EACCES;
        let not_exec = RuntimeError::NotExecutable {
            cmd: "x".into(),
            errno,
        };
        assert_eq!(runtime(not_exec), 126);
        let failed = EngineError::StartFailed {
            code: 127,
            message: "x".into(),
        };
        assert_eq!(code_of(&failed), 127);
        assert_eq!(code_of(&EngineError::ImageNotKnown("x".into())), 125);
        let gone = EngineError::Container(ContainerError::NotFound("c".into()));
        assert_eq!(item_code(&gone), 1);
        assert_eq!(item_code(&EngineError::ContainerRunning("c".into())), 2);
        let in_use = EngineError::ImageInUse {
            id: "i".into(),
            container: "c".into(),
        };
        assert_eq!(item_code(&in_use), 2);
        assert_eq!(item_code(&EngineError::ImageNotKnown("x".into())), 1);
        assert_eq!(item_code(&EngineError::UnknownNetwork("n".into())), 125);
    }
}

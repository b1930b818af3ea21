//! The sync channel between the caller and the container's setup processes:
//! one `SOCK_SEQPACKET` socket pair, close-on-exec, one JSON message per
//! packet. The channel closing without a `Failed` message means the process
//! was exec'd (the child's end is close-on-exec). The pty master travels as
//! `SCM_RIGHTS` on the `Pty` message.

use std::os::fd::{OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
use serde::{Deserialize, Serialize};

use super::spec::RootfsKind;
use super::RuntimeError;
use crate::sys::fdpass;

/// Messages on the channel (both directions).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Msg {
    /// Setup (stage 1) to caller: the host pid of container pid 1.
    Pid(i32),
    /// Container to caller: attach the network helper, then answer `Go`.
    NeedNetwork,
    /// Container to caller: the pty master is attached.
    Pty,
    /// Container to caller: the rootfs is up, the process is about to exec.
    Ready(RootfsKind),
    /// Caller to container: proceed.
    Go,
    /// Caller to container pid 1: the user namespace has its id maps now (see
    /// `spawn_when`); sent once, before anything else the caller sends.
    IdsMapped,
    /// A setup step failed.
    Failed(RuntimeError),
}

/// A connected socket pair: `(caller end, container end)`.
pub fn pair() -> nix::Result<(OwnedFd, OwnedFd)> {
    socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
}

/// Send `msg`, with `fd` attached when given.
pub fn send(sock: &OwnedFd, msg: &Msg, fd: Option<RawFd>) -> nix::Result<()> {
    let bytes = serde_json::to_vec(msg).map_err(|_| Errno::EINVAL)?;
    fdpass::send(sock, &bytes, fd)
}

/// Receive one message; `Ok(None)` when the other side closed.
///
/// A peer that exits with a message of ours still unread leaves
/// `ECONNRESET` pending, and a datagram-style socket reports that error
/// before the messages it sent first (a container that asked for its network,
/// then failed to find its command, then exited before reading `Go`). The
/// error is consumed by being reported, so one more receive yields what was
/// queued, or end of file.
pub fn recv(sock: &OwnedFd) -> nix::Result<Option<(Msg, Option<OwnedFd>)>> {
    let mut buf = vec![0u8; 8192];
    let (len, fd) = match fdpass::recv(sock, &mut buf) {
        Err(Errno::ECONNRESET) => fdpass::recv(sock, &mut buf)?,
        other => other?,
    };
    if len == 0 {
        return Ok(None);
    }
    let msg = serde_json::from_slice(&buf[..len]).map_err(|_| Errno::EBADMSG)?;
    Ok(Some((msg, fd)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_queued_before_a_reset_is_still_received() {
        let (ours, theirs) = pair().expect("socketpair");
        let report = Msg::Failed(RuntimeError::Protocol {
            detail: "command not found".into(),
        });
        send(&theirs, &report, None).expect("send report");
        // Sent to a peer that exits without reading it: the reset is pending.
        send(&ours, &Msg::Go, None).expect("send go");
        drop(theirs);
        match recv(&ours) {
            Ok(Some((Msg::Failed(RuntimeError::Protocol { detail }), None))) => {
                assert_eq!(detail, "command not found")
            }
            other => panic!("expected the queued report, got {other:?}"),
        }
        assert!(matches!(recv(&ours), Ok(None)));
    }
}

//! Datagrams with an optional file descriptor attached (`SCM_RIGHTS`) over a
//! connected unix socket.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags};

/// Send `bytes` as one packet, with `fd` attached when given.
pub fn send(sock: &OwnedFd, bytes: &[u8], fd: Option<RawFd>) -> nix::Result<()> {
    let iov = [IoSlice::new(bytes)];
    let fds = fd.map(|f| [f]);
    let cmsg: Vec<ControlMessage> = fds.iter().map(|f| ControlMessage::ScmRights(f)).collect();
    sendmsg::<()>(sock.as_raw_fd(), &iov, &cmsg, MsgFlags::MSG_NOSIGNAL, None).map(drop)
}

/// Receive one packet into `buf`: its length (0 when the peer closed) and the
/// descriptor attached to it, received close-on-exec.
pub fn recv(sock: &OwnedFd, buf: &mut [u8]) -> nix::Result<(usize, Option<OwnedFd>)> {
    let mut cbuf = nix::cmsg_space!([RawFd; 1]);
    loop {
        let mut iov = [IoSliceMut::new(buf)];
        match recvmsg::<()>(
            sock.as_raw_fd(),
            &mut iov,
            Some(&mut cbuf),
            MsgFlags::MSG_CMSG_CLOEXEC,
        ) {
            Ok(r) => {
                let mut fd = None;
                for c in r.cmsgs()? {
                    if let ControlMessageOwned::ScmRights(fds) = c {
                        // SAFETY: SCM_RIGHTS just installed these descriptors
                        // in our table; nothing else owns them.
                        fd = fds.first().map(|f| unsafe { OwnedFd::from_raw_fd(*f) });
                    }
                }
                return Ok((r.bytes, fd));
            }
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

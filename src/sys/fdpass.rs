//! Datagrams with file descriptors attached (`SCM_RIGHTS`) over a connected
//! unix socket.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags};

/// The most descriptors one packet carries.
pub const MAX_FDS: usize = 8;

/// Send `bytes` as one packet, with `fds` (at most [`MAX_FDS`]) attached.
pub fn send(sock: &OwnedFd, bytes: &[u8], fds: &[RawFd]) -> nix::Result<()> {
    if fds.len() > MAX_FDS {
        return Err(Errno::EINVAL);
    }
    let iov = [IoSlice::new(bytes)];
    let rights = [ControlMessage::ScmRights(fds)];
    let cmsg: &[ControlMessage] = if fds.is_empty() { &[] } else { &rights };
    sendmsg::<()>(sock.as_raw_fd(), &iov, cmsg, MsgFlags::MSG_NOSIGNAL, None).map(drop)
}

/// Receive one packet into `buf`: its length (0 when the peer closed) and the
/// descriptors attached to it, received close-on-exec.
pub fn recv(sock: &OwnedFd, buf: &mut [u8]) -> nix::Result<(usize, Vec<OwnedFd>)> {
    let mut cbuf = nix::cmsg_space!([RawFd; MAX_FDS]);
    loop {
        let mut iov = [IoSliceMut::new(buf)];
        match recvmsg::<()>(
            sock.as_raw_fd(),
            &mut iov,
            Some(&mut cbuf),
            MsgFlags::MSG_CMSG_CLOEXEC,
        ) {
            Ok(r) => {
                let mut fds = Vec::new();
                for c in r.cmsgs()? {
                    if let ControlMessageOwned::ScmRights(got) = c {
                        // SAFETY: SCM_RIGHTS just installed these descriptors
                        // in our table; nothing else owns them.
                        fds.extend(got.iter().map(|f| unsafe { OwnedFd::from_raw_fd(*f) }));
                    }
                }
                return Ok((r.bytes, fds));
            }
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
    use std::io::{Read, Seek, Write};

    #[test]
    fn several_descriptors_arrive_in_order() {
        let (a, b) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .expect("socketpair");
        let mut files: Vec<std::fs::File> = (0..3)
            .map(|_| tempfile::tempfile().expect("tempfile"))
            .collect();
        for (i, f) in files.iter_mut().enumerate() {
            write!(f, "file {i}").expect("write");
        }
        let raw: Vec<RawFd> = files.iter().map(|f| f.as_raw_fd()).collect();
        send(&a, b"hello", &raw).expect("send");
        let mut buf = [0u8; 16];
        let (n, fds) = recv(&b, &mut buf).expect("recv");
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(fds.len(), 3);
        for (i, fd) in fds.into_iter().enumerate() {
            let mut f = std::fs::File::from(fd);
            f.rewind().expect("rewind");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("read");
            assert_eq!(s, format!("file {i}"));
        }
        assert!(send(&a, b"x", &[0; MAX_FDS + 1]).is_err());
    }
}

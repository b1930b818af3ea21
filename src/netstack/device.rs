//! The TUN device as smoltcp sees it: packets the event loop has read (and
//! chosen to hand over) queue up for `receive`; what smoltcp transmits is
//! written straight to the TUN fd.

use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd};

use smoltcp::phy::{self, DeviceCapabilities, Medium};
use smoltcp::time::Instant;

/// The largest IP packet on the container's interface.
pub const MTU: usize = 65520;

/// smoltcp's view of the TUN device.
pub struct TunDevice<'fd> {
    fd: BorrowedFd<'fd>,
    /// Packets from the container waiting for smoltcp.
    pub rx: VecDeque<Vec<u8>>,
}

impl<'fd> TunDevice<'fd> {
    pub fn new(fd: BorrowedFd<'fd>) -> TunDevice<'fd> {
        TunDevice {
            fd,
            rx: VecDeque::new(),
        }
    }
}

/// Write one packet to the container. A full queue drops the packet, as a
/// congested link would; TCP retransmits.
pub fn write_packet(fd: BorrowedFd<'_>, packet: &[u8]) {
    let _ = nix::unistd::write(fd, packet);
}

pub struct RxToken(Vec<u8>);

pub struct TxToken<'a>(BorrowedFd<'a>);

impl phy::RxToken for RxToken {
    fn consume<R, F>(self, f: F) -> R
    where
        F: FnOnce(&[u8]) -> R,
    {
        f(&self.0)
    }
}

impl phy::TxToken for TxToken<'_> {
    fn consume<R, F>(self, len: usize, f: F) -> R
    where
        F: FnOnce(&mut [u8]) -> R,
    {
        let mut buf = vec![0u8; len];
        let r = f(&mut buf);
        write_packet(self.0, &buf);
        r
    }
}

impl phy::Device for TunDevice<'_> {
    type RxToken<'a>
        = RxToken
    where
        Self: 'a;
    type TxToken<'a>
        = TxToken<'a>
    where
        Self: 'a;

    fn receive(&mut self, _now: Instant) -> Option<(RxToken, TxToken<'_>)> {
        let packet = self.rx.pop_front()?;
        Some((RxToken(packet), TxToken(self.fd.as_fd())))
    }

    fn transmit(&mut self, _now: Instant) -> Option<TxToken<'_>> {
        Some(TxToken(self.fd.as_fd()))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = MTU;
        caps
    }
}

//! UDP through the host's sockets. Each container flow (source and
//! destination address and port) gets a connected host socket; its replies are
//! written back to the container as IP packets from the original destination.
//! Published UDP ports map each outside peer to a port of the gateway address,
//! so the container's replies find their way back.

use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::{Duration, Instant};

use smoltcp::phy::ChecksumCapabilities;
use smoltcp::wire::{IpAddress, IpProtocol, Ipv4Packet, Ipv4Repr, UdpPacket, UdpRepr};

use super::device::write_packet;
use super::{CONTAINER, GATEWAY};

/// A flow unused this long is forgotten (its host socket closed).
const IDLE: Duration = Duration::from_secs(60);
/// At most this many flows at once; the oldest goes first.
const MAX_FLOWS: usize = 512;

type Key = (SocketAddrV4, SocketAddrV4);

struct Flow {
    sock: UdpSocket,
    last: Instant,
}

/// A published UDP port: the host socket and the peers seen on it.
pub struct Published {
    sock: UdpSocket,
    container_port: u16,
    /// gateway port → outside peer, and back.
    by_port: HashMap<u16, SocketAddr>,
    by_peer: HashMap<SocketAddr, u16>,
}

impl Published {
    pub fn new(sock: UdpSocket, container_port: u16) -> Published {
        Published {
            sock,
            container_port,
            by_port: HashMap::new(),
            by_peer: HashMap::new(),
        }
    }
}

/// Every UDP flow of one container.
#[derive(Default)]
pub struct Udp {
    flows: HashMap<Key, Flow>,
    pub published: Vec<Published>,
    next_port: u16,
}

/// Build the IP packet carrying `data` from `src` to `dst`.
pub fn packet(src: SocketAddrV4, dst: SocketAddrV4, data: &[u8]) -> Vec<u8> {
    let udp_repr = UdpRepr {
        src_port: src.port(),
        dst_port: dst.port(),
    };
    let ip_repr = Ipv4Repr {
        src_addr: *src.ip(),
        dst_addr: *dst.ip(),
        next_header: IpProtocol::Udp,
        payload_len: udp_repr.header_len() + data.len(),
        hop_limit: 64,
    };
    let caps = ChecksumCapabilities::default();
    let mut buf = vec![0u8; ip_repr.buffer_len() + ip_repr.payload_len];
    let mut ip = Ipv4Packet::new_unchecked(&mut buf[..]);
    ip_repr.emit(&mut ip, &caps);
    let mut udp = UdpPacket::new_unchecked(ip.payload_mut());
    udp_repr.emit(
        &mut udp,
        &IpAddress::Ipv4(*src.ip()),
        &IpAddress::Ipv4(*dst.ip()),
        data.len(),
        |p| p.copy_from_slice(data),
        &caps,
    );
    buf
}

impl Udp {
    /// A datagram from the container (`ip` is its checked IPv4 packet).
    pub fn outbound(&mut self, ip: &Ipv4Packet<&[u8]>) {
        let Ok(udp) = UdpPacket::new_checked(ip.payload()) else {
            return;
        };
        let src = SocketAddrV4::new(ip.src_addr(), udp.src_port());
        let dst = SocketAddrV4::new(ip.dst_addr(), udp.dst_port());
        if *dst.ip() == GATEWAY {
            self.reply_to_peer(dst.port(), udp.payload());
            return;
        }
        if !routable(*dst.ip()) {
            return;
        }
        let key = (src, dst);
        if !self.flows.contains_key(&key) {
            let Some(sock) = connected(dst) else {
                return;
            };
            if self.flows.len() >= MAX_FLOWS {
                self.evict_oldest();
            }
            self.flows.insert(
                key,
                Flow {
                    sock,
                    last: Instant::now(),
                },
            );
        }
        if let Some(flow) = self.flows.get_mut(&key) {
            flow.last = Instant::now();
            let _ = flow.sock.send(udp.payload());
        }
    }

    fn reply_to_peer(&self, gateway_port: u16, data: &[u8]) {
        for p in &self.published {
            if let Some(peer) = p.by_port.get(&gateway_port) {
                let _ = p.sock.send_to(data, peer);
                return;
            }
        }
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .flows
            .iter()
            .min_by_key(|(_, f)| f.last)
            .map(|(k, _)| *k);
        if let Some(k) = oldest {
            self.flows.remove(&k);
        }
    }

    /// Forget flows idle for too long.
    pub fn expire(&mut self) {
        self.flows.retain(|_, f| f.last.elapsed() < IDLE);
    }

    /// The host sockets to watch for reading.
    pub fn fds(&self) -> Vec<BorrowedFd<'_>> {
        let flows = self.flows.values().map(|f| f.sock.as_fd());
        let published = self.published.iter().map(|p| p.sock.as_fd());
        flows.chain(published).collect()
    }

    /// Read what the host sockets that poll found readable (`ready`) hold and
    /// pass it to the container.
    pub fn inbound(&mut self, tun: BorrowedFd<'_>, buf: &mut [u8], ready: &HashSet<RawFd>) {
        for ((src, dst), flow) in &mut self.flows {
            if !ready.contains(&flow.sock.as_raw_fd()) {
                continue;
            }
            while let Ok(n) = flow.sock.recv(buf) {
                flow.last = Instant::now();
                write_packet(tun, &packet(*dst, *src, &buf[..n]));
            }
        }
        for i in 0..self.published.len() {
            if !ready.contains(&self.published[i].sock.as_raw_fd()) {
                continue;
            }
            loop {
                let p = &mut self.published[i];
                let Ok((n, peer)) = p.sock.recv_from(buf) else {
                    break;
                };
                let port = match p.by_peer.get(&peer) {
                    Some(port) => *port,
                    None => {
                        // gateway ports 20000-39999, reused round-robin
                        self.next_port = 20000 + (self.next_port.wrapping_sub(19999) % 20000);
                        let port = self.next_port;
                        let p = &mut self.published[i];
                        if let Some(old) = p.by_port.insert(port, peer) {
                            p.by_peer.remove(&old);
                        }
                        p.by_peer.insert(peer, port);
                        port
                    }
                };
                let p = &self.published[i];
                let from = SocketAddrV4::new(GATEWAY, port);
                let to = SocketAddrV4::new(CONTAINER, p.container_port);
                write_packet(tun.as_fd(), &packet(from, to, &buf[..n]));
            }
        }
    }
}

/// Addresses the container may reach through the host.
pub fn routable(addr: Ipv4Addr) -> bool {
    !(addr.is_broadcast()
        || addr.is_multicast()
        || addr.is_unspecified()
        || addr.is_loopback()
        || super::in_container_subnet(addr))
}

fn connected(dst: SocketAddrV4) -> Option<UdpSocket> {
    let sock = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    sock.connect(dst).ok()?;
    sock.set_nonblocking(true).ok()?;
    Some(sock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_packets_parse_back_with_valid_checksums() {
        let src = SocketAddrV4::new(Ipv4Addr::new(8, 8, 8, 8), 53);
        let dst = SocketAddrV4::new(CONTAINER, 40000);
        let bytes = packet(src, dst, b"answer");
        let ip = Ipv4Packet::new_checked(&bytes[..]).unwrap();
        assert!(ip.verify_checksum());
        assert_eq!(ip.src_addr(), *src.ip());
        let udp = UdpPacket::new_checked(ip.payload()).unwrap();
        assert!(udp.verify_checksum(&IpAddress::Ipv4(*src.ip()), &IpAddress::Ipv4(*dst.ip())));
        assert_eq!((udp.src_port(), udp.dst_port()), (53, 40000));
        assert_eq!(udp.payload(), b"answer");
    }

    #[test]
    fn only_outside_unicast_is_routable() {
        assert!(routable(Ipv4Addr::new(192, 0, 2, 2)));
        assert!(!routable(Ipv4Addr::new(127, 0, 0, 1)));
        assert!(!routable(Ipv4Addr::new(224, 0, 0, 251)));
        assert!(!routable(Ipv4Addr::new(255, 255, 255, 255)));
        assert!(!routable(GATEWAY));
    }
}

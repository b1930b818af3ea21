//! skiff's own user-mode network: the container's `eth0` is a TUN device
//! created in its network namespace, and this module is the other end of it,
//! a thread in the process that started the container (the foreground
//! `skiff run`, the detached container's monitor, or the builder). It is the
//! container's gateway: TCP (through smoltcp) and UDP from the container go out
//! through ordinary host sockets, and published ports (`-p`) come in through
//! host listeners. There is nothing to install and nothing to start: no pasta
//! or slirp4netns process, which is most of what a container start costs with
//! them.
//!
//! Addresses are slirp4netns's: the container is 10.0.2.100/24, the gateway
//! 10.0.2.2. IPv4 only; ICMP is answered for the gateway alone (ping to the
//! outside would need the host's ping sockets); the host's loopback is not
//! reachable from the container.

mod device;
mod tcp;
mod udp;

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::thread::JoinHandle;

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::time::Instant;
use smoltcp::wire::{HardwareAddress, IpCidr, IpProtocol, Ipv4Packet};

pub use device::MTU;

/// The container's address.
pub const CONTAINER: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 100);
/// The gateway: this stack.
pub const GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 2);
/// The prefix length of the container's subnet.
pub const PREFIX: u8 = 24;
/// The container's interface.
pub const IFNAME: &str = "eth0";

fn in_container_subnet(addr: Ipv4Addr) -> bool {
    u32::from(addr) >> (32 - PREFIX) == u32::from(GATEWAY) >> (32 - PREFIX)
}

/// Errors from starting the network.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("cannot publish port {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("cannot publish port {addr}: ports below {start} are privileged (net.ipv4.ip_unprivileged_port_start = {start}): use a host port of {start} or above, or lower that sysctl")]
    Privileged { addr: String, start: u16 },
    #[error("starting the network thread: {0}")]
    Start(std::io::Error),
}

/// A host port forwarded into the container's network namespace (`-p`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortForward {
    pub udp: bool,
    /// Empty for every host address.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
}

/// The running network of one container; stopping it (or dropping it) ends
/// the thread and removes the container's `eth0`.
pub struct Stack {
    stop: Option<OwnedFd>,
    thread: Option<JoinHandle<OwnedFd>>,
}

impl Stack {
    /// End the thread and wait for it. Returns the TUN descriptor: the
    /// container's `eth0` goes with the last close of it (or with the
    /// network namespace).
    pub fn stop(mut self) -> Option<OwnedFd> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Option<OwnedFd> {
        drop(self.stop.take());
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        drop(self.shutdown());
    }
}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stack")
    }
}

fn bind_addr(p: &PortForward) -> Result<SocketAddr, NetError> {
    let ip = if p.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        p.host_ip.as_str()
    };
    let text = if ip.contains(':') {
        format!("[{ip}]:{}", p.host_port)
    } else {
        format!("{ip}:{}", p.host_port)
    };
    text.parse().map_err(|_| NetError::Bind {
        addr: text.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not an address"),
    })
}

/// The lowest port an unprivileged user may bind, when the kernel says.
fn unprivileged_port_start() -> Option<u16> {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Serve the container's end of `tun` (its `eth0`, already configured) from
/// a new thread, with `ports` published on the host. The host ports are bound
/// before this returns, so a port in use is an error here.
pub fn start(tun: OwnedFd, ports: &[PortForward]) -> Result<Stack, NetError> {
    let mut tcp = tcp::Tcp::default();
    let mut udp = udp::Udp::default();
    for p in ports {
        let addr = bind_addr(p)?;
        let bind_err = |source: std::io::Error| {
            let text = format!("{addr}{}", if p.udp { "/udp" } else { "" });
            match unprivileged_port_start() {
                Some(start)
                    if source.kind() == std::io::ErrorKind::PermissionDenied
                        && addr.port() < start =>
                {
                    NetError::Privileged { addr: text, start }
                }
                _ => NetError::Bind { addr: text, source },
            }
        };
        if p.udp {
            let sock = UdpSocket::bind(addr).map_err(bind_err)?;
            sock.set_nonblocking(true).map_err(bind_err)?;
            udp.published
                .push(udp::Published::new(sock, p.container_port));
        } else {
            let sock = TcpListener::bind(addr).map_err(bind_err)?;
            sock.set_nonblocking(true).map_err(bind_err)?;
            tcp.listeners.push(tcp::Listener {
                sock,
                container_port: p.container_port,
            });
        }
    }
    let (stop_r, stop_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| NetError::Start(e.into()))?;
    let thread = std::thread::Builder::new()
        .name("skiff-net".into())
        .spawn(move || serve(tun, stop_r, tcp, udp))
        .map_err(NetError::Start)?;
    Ok(Stack {
        stop: Some(stop_w),
        thread: Some(thread),
    })
}

/// smoltcp's interface, its device and its sockets.
pub(crate) struct Core<'fd> {
    iface: Interface,
    dev: device::TunDevice<'fd>,
    sockets: SocketSet<'static>,
}

impl Core<'_> {
    fn poll(&mut self) {
        self.iface
            .poll(Instant::now(), &mut self.dev, &mut self.sockets);
    }
}

fn seed() -> u64 {
    let mut b = [0u8; 8];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut b))
        .is_err()
    {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        b = (t ^ u64::from(std::process::id())).to_le_bytes();
    }
    u64::from_le_bytes(b)
}

/// Runs [`serve_on`] and hands the TUN descriptor back: closing it detaches
/// the device, which waits for an RCU grace period, and the caller may want
/// that done elsewhere (see [`Stack::stop`]).
fn serve(tun: OwnedFd, stop: OwnedFd, tcp: tcp::Tcp, udp: udp::Udp) -> OwnedFd {
    serve_on(&tun, stop, tcp, udp);
    tun
}

fn serve_on(tun: &OwnedFd, stop: OwnedFd, mut tcp: tcp::Tcp, mut udp: udp::Udp) {
    let mut dev = device::TunDevice::new(tun.as_fd());
    let mut config = Config::new(HardwareAddress::Ip);
    config.random_seed = seed();
    let mut iface = Interface::new(config, &mut dev, Instant::now());
    iface.update_ip_addrs(|a| {
        let _ = a.push(IpCidr::new(GATEWAY.into(), PREFIX));
    });
    let _ = iface.routes_mut().add_default_ipv4_route(GATEWAY);
    iface.set_any_ip(true);
    let mut core = Core {
        iface,
        dev,
        sockets: SocketSet::new(Vec::new()),
    };
    let mut buf = vec![0u8; MTU + 64];
    let mut last_expire = std::time::Instant::now();
    loop {
        // Move everything that can move before sleeping.
        for _ in 0..64 {
            core.poll();
            if !tcp.pump(&mut core) {
                break;
            }
        }
        tcp.reap(&mut core);
        if last_expire.elapsed().as_secs() >= 5 {
            udp.expire();
            last_expire = std::time::Instant::now();
        }

        let paused = tcp
            .accept_wait()
            .map_or(1000, |d| d.as_millis().min(1000) as u16 + 1);
        let delay = core
            .iface
            .poll_delay(Instant::now(), &core.sockets)
            .map_or(1000, |d| d.total_millis().min(1000) as u16)
            .min(paused);
        let interest = tcp.interest(&core);
        let pending = tcp.pending_fds();
        let mut fds = vec![
            PollFd::new(stop.as_fd(), PollFlags::POLLIN),
            PollFd::new(tun.as_fd(), PollFlags::POLLIN),
        ];
        fds.extend(
            pending
                .iter()
                .map(|fd| PollFd::new(*fd, PollFlags::POLLOUT)),
        );
        fds.extend(interest.iter().map(|(_, fd, ev)| PollFd::new(*fd, *ev)));
        let udp_fds = udp.fds();
        let listeners = tcp.polled_listeners();
        fds.extend(
            udp_fds
                .iter()
                .copied()
                .chain(listeners)
                .map(|fd| PollFd::new(fd, PollFlags::POLLIN)),
        );
        let timeout = PollTimeout::from(delay);
        match poll(&mut fds, timeout) {
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return,
        }
        let revents = |pfd: &PollFd| pfd.revents().unwrap_or(PollFlags::empty());
        if !revents(&fds[0]).is_empty() {
            return; // the stop pipe's writer is gone
        }
        let pending_ready: Vec<bool> = fds[2..2 + pending.len()]
            .iter()
            .map(|p| !revents(p).is_empty())
            .collect();
        let writable: Vec<usize> = fds[2 + pending.len()..][..interest.len()]
            .iter()
            .zip(&interest)
            .filter(|(p, _)| {
                revents(p).intersects(PollFlags::POLLOUT | PollFlags::POLLERR | PollFlags::POLLHUP)
            })
            .map(|(_, (i, _, _))| *i)
            .collect();
        // UDP sockets are told apart by fd: a datagram from the container
        // may add a flow (and reorder them) before they are read
        let udp_ready: HashSet<RawFd> = fds[2 + pending.len() + interest.len()..]
            .iter()
            .zip(&udp_fds)
            .filter(|(p, _)| !revents(p).is_empty())
            .map(|(_, fd)| fd.as_raw_fd())
            .collect();
        drop(udp_fds);
        drop(fds);
        drop(interest);
        drop(pending);

        if !read_tun(tun.as_fd(), &mut buf, &mut core, &mut tcp, &mut udp) {
            return;
        }
        for i in (0..pending_ready.len()).rev() {
            if pending_ready[i] {
                tcp.connected(&mut core, i);
            }
        }
        for i in writable {
            tcp.writable(i);
        }
        tcp.accept(&mut core);
        udp.inbound(tun.as_fd(), &mut buf, &udp_ready);
    }
}

/// Read every packet the container sent and route it: UDP to the host
/// sockets, TCP to the connection logic, ICMP for the gateway to smoltcp.
/// False when the device is gone.
fn read_tun(
    tun: BorrowedFd<'_>,
    buf: &mut [u8],
    core: &mut Core<'_>,
    tcp: &mut tcp::Tcp,
    udp: &mut udp::Udp,
) -> bool {
    loop {
        let n = match nix::unistd::read(tun.as_raw_fd(), buf) {
            Ok(0) => return false,
            Ok(n) => n,
            Err(Errno::EAGAIN) => return true,
            Err(Errno::EINTR) => continue,
            Err(_) => return false,
        };
        let packet = &buf[..n];
        let Ok(ip) = Ipv4Packet::new_checked(packet) else {
            continue; // IPv6 and anything else: not served
        };
        if ip.more_frags() || ip.frag_offset() != 0 {
            continue;
        }
        match ip.next_header() {
            IpProtocol::Udp => udp.outbound(&ip),
            IpProtocol::Tcp => tcp.outbound(core, &ip, packet),
            IpProtocol::Icmp if ip.dst_addr() == GATEWAY => core.dev.rx.push_back(packet.to_vec()),
            _ => {}
        }
    }
}

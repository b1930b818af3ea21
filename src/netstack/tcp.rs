//! TCP between the container and the host's sockets. A SYN from the container
//! to an outside address starts a non-blocking connect from the host; only when
//! it succeeds does smoltcp see the SYN (through a socket listening on exactly
//! that address), so a refused or unreachable destination is refused in the
//! container too (smoltcp answers a SYN no socket takes with RST). A connection
//! accepted on a published host port becomes a connect from the gateway
//! address to the container. Then bytes are copied both ways, with half-closes
//! passed on.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddrV4, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::poll::PollFlags;
use nix::sys::socket::{
    connect, getsockopt, socket, sockopt, AddressFamily, SockFlag, SockType, SockaddrIn,
};
use smoltcp::iface::SocketHandle;
use smoltcp::socket::tcp::{Socket, SocketBuffer, State};
use smoltcp::wire::{IpListenEndpoint, Ipv4Packet, TcpPacket};

use super::udp::routable;
use super::{Core, CONTAINER, GATEWAY};

/// Bytes buffered in each direction of a connection.
const BUFFER: usize = 256 * 1024;
/// At most this many connections being set up at once.
const MAX_PENDING: usize = 256;
/// At most this many connections at once (each holds two buffers and a host
/// fd); beyond it a new connection is refused.
const MAX_FLOWS: usize = 1024;

type Key = (SocketAddrV4, SocketAddrV4);

/// A container's SYN waiting for the host's connect to finish.
pub struct Pending {
    key: Key,
    sock: OwnedFd,
    syn: Vec<u8>,
}

struct Flow {
    /// (container side, outside side) for outbound connections.
    key: Option<Key>,
    handle: SocketHandle,
    host: TcpStream,
    /// The host side sent FIN: the container's side is being closed.
    host_eof: bool,
    /// The container sent FIN and it was passed on to the host.
    host_shut: bool,
    /// The host socket's send buffer was full.
    write_blocked: bool,
    /// Reading from or writing to the host failed: the connection is reset.
    dead: bool,
}

impl Flow {
    fn new(key: Option<Key>, handle: SocketHandle, host: TcpStream) -> Flow {
        Flow {
            key,
            handle,
            host,
            host_eof: false,
            host_shut: false,
            write_blocked: false,
            dead: false,
        }
    }
}

/// A published TCP port.
pub struct Listener {
    pub sock: TcpListener,
    pub container_port: u16,
}

/// Every TCP connection of one container.
#[derive(Default)]
pub struct Tcp {
    pub pending: Vec<Pending>,
    flows: Vec<Flow>,
    pub listeners: Vec<Listener>,
    next_port: u16,
    /// Set when accept failed for want of descriptors or memory: the listeners
    /// stay readable, so they are left out of the poll until then.
    accept_paused_until: Option<std::time::Instant>,
}

/// How long accepting pauses after EMFILE and the like.
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(100);

fn new_socket() -> Socket<'static> {
    let mut s = Socket::new(
        SocketBuffer::new(vec![0; BUFFER]),
        SocketBuffer::new(vec![0; BUFFER]),
    );
    s.set_nagle_enabled(false);
    s.set_ack_delay(None);
    s
}

/// Start a non-blocking connect to `dst`; `None` when it failed at once.
fn start_connect(dst: SocketAddrV4) -> Option<OwnedFd> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::SOCK_NONBLOCK | SockFlag::SOCK_CLOEXEC,
        None,
    )
    .ok()?;
    match connect(fd.as_raw_fd(), &SockaddrIn::from(dst)) {
        Ok(()) | Err(Errno::EINPROGRESS) => Some(fd),
        Err(_) => None,
    }
}

impl Tcp {
    /// A TCP segment from the container (`packet` holds the whole IP packet).
    pub fn outbound(&mut self, core: &mut Core<'_>, ip: &Ipv4Packet<&[u8]>, packet: &[u8]) {
        let Ok(seg) = TcpPacket::new_checked(ip.payload()) else {
            return;
        };
        let key = (
            SocketAddrV4::new(ip.src_addr(), seg.src_port()),
            SocketAddrV4::new(ip.dst_addr(), seg.dst_port()),
        );
        let opening = seg.syn() && !seg.ack() && !self.flows.iter().any(|f| f.key == Some(key));
        if opening {
            if self.pending.iter().any(|p| p.key == key) {
                return; // a retransmitted SYN: the connect is still going
            }
            let room = self.pending.len() < MAX_PENDING && self.flows.len() < MAX_FLOWS;
            if routable(*key.1.ip()) && room {
                if let Some(sock) = start_connect(key.1) {
                    self.pending.push(Pending {
                        key,
                        sock,
                        syn: packet.to_vec(),
                    });
                    return;
                }
            }
        }
        // Known connections, and SYNs to refuse (no socket takes them: RST).
        core.dev.rx.push_back(packet.to_vec());
    }

    /// The host's connect for pending connection `i` finished (or failed).
    pub fn connected(&mut self, core: &mut Core<'_>, i: usize) {
        let p = self.pending.swap_remove(i);
        let ok = matches!(getsockopt(&p.sock, sockopt::SocketError), Ok(0));
        // Nothing else may be queued when the listener appears, so that it
        // takes exactly this SYN; and it must not stay listening after it.
        core.poll();
        if !ok {
            core.dev.rx.push_back(p.syn);
            core.poll();
            return;
        }
        let host = TcpStream::from(p.sock);
        let _ = host.set_nodelay(true);
        let mut socket = new_socket();
        let endpoint = IpListenEndpoint {
            addr: Some((*p.key.1.ip()).into()),
            port: p.key.1.port(),
        };
        if socket.listen(endpoint).is_err() {
            return;
        }
        let handle = core.sockets.add(socket);
        core.dev.rx.push_back(p.syn);
        core.poll();
        if core.sockets.get::<Socket>(handle).state() == State::Listen {
            core.sockets.remove(handle);
            return;
        }
        self.flows.push(Flow::new(Some(p.key), handle, host));
    }

    /// Accept what waits on the published ports: each connection becomes a
    /// connect from the gateway to the container's port.
    pub fn accept(&mut self, core: &mut Core<'_>) {
        if self.accept_wait().is_some() {
            return;
        }
        self.accept_paused_until = None;
        for l in 0..self.listeners.len() {
            loop {
                let host = match self.listeners[l].sock.accept() {
                    Ok((host, _)) => host,
                    Err(e)
                        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) =>
                    {
                        break
                    }
                    // reset by the peer before we took it: take the next one
                    Err(e) if e.kind() == ErrorKind::ConnectionAborted => continue,
                    Err(_) => {
                        // out of descriptors (or memory): the connection waits
                        // in the backlog; spinning on it would not free any
                        self.accept_paused_until = Some(std::time::Instant::now() + ACCEPT_BACKOFF);
                        return;
                    }
                };
                if self.flows.len() >= MAX_FLOWS || host.set_nonblocking(true).is_err() {
                    continue;
                }
                let _ = host.set_nodelay(true);
                self.next_port = match self.next_port {
                    p if (40000..60999).contains(&p) => p + 1,
                    _ => 40000,
                };
                let mut socket = new_socket();
                let remote = SocketAddrV4::new(CONTAINER, self.listeners[l].container_port);
                let local = SocketAddrV4::new(GATEWAY, self.next_port);
                if socket.connect(core.iface.context(), remote, local).is_err() {
                    continue;
                }
                let handle = core.sockets.add(socket);
                self.flows.push(Flow::new(None, handle, host));
            }
        }
    }

    /// How long accepting still pauses (see `accept_paused_until`), if it does.
    pub fn accept_wait(&self) -> Option<std::time::Duration> {
        self.accept_paused_until
            .and_then(|t| t.checked_duration_since(std::time::Instant::now()))
            .filter(|d| !d.is_zero())
    }

    /// The listeners to poll for connections (none while accepting pauses).
    pub fn polled_listeners(&self) -> Vec<BorrowedFd<'_>> {
        if self.accept_wait().is_some() {
            return Vec::new();
        }
        self.listeners.iter().map(|l| l.sock.as_fd()).collect()
    }

    /// Copy what can be copied in both directions; true when anything moved.
    pub fn pump(&mut self, core: &mut Core<'_>) -> bool {
        let mut moved = false;
        for f in &mut self.flows {
            let s = core.sockets.get_mut::<Socket>(f.handle);
            // container → host
            while !f.dead && !f.write_blocked && s.can_recv() {
                let host = &mut f.host;
                match s.recv(|buf| match host.write(buf) {
                    Ok(n) => (n, Ok(n)),
                    Err(e) => (0, Err(e)),
                }) {
                    Ok(Ok(0)) | Err(_) => break,
                    Ok(Ok(_)) => moved = true,
                    Ok(Err(e)) if e.kind() == ErrorKind::WouldBlock => f.write_blocked = true,
                    Ok(Err(e)) if e.kind() == ErrorKind::Interrupted => {}
                    Ok(Err(_)) => f.dead = true,
                }
            }
            let container_fin = matches!(
                s.state(),
                State::CloseWait | State::LastAck | State::Closing | State::TimeWait
            );
            if container_fin && !f.host_shut && s.recv_queue() == 0 {
                let _ = f.host.shutdown(std::net::Shutdown::Write);
                f.host_shut = true;
                moved = true;
            }
            // host → container
            while !f.dead && !f.host_eof && s.can_send() {
                let host = &mut f.host;
                match s.send(|buf| match host.read(buf) {
                    Ok(n) => (n, Ok(n)),
                    Err(e) => (0, Err(e)),
                }) {
                    Ok(Ok(0)) => {
                        f.host_eof = true;
                        s.close();
                        moved = true;
                    }
                    Ok(Ok(_)) => moved = true,
                    Ok(Err(e)) if e.kind() == ErrorKind::WouldBlock => break,
                    Ok(Err(e)) if e.kind() == ErrorKind::Interrupted => {}
                    Ok(Err(_)) | Err(_) => f.dead = true,
                }
            }
            if f.dead && s.is_open() {
                s.abort();
                moved = true;
            }
        }
        moved
    }

    /// Drop the connections both sides are done with.
    pub fn reap(&mut self, core: &mut Core<'_>) {
        self.flows.retain(|f| {
            let state = core.sockets.get::<Socket>(f.handle).state();
            let done = match state {
                // An outbound connection the container reset during the
                // handshake falls back to listening: it must not take the
                // next SYN to the same address.
                State::Closed | State::Listen => true,
                State::TimeWait => f.host_eof && f.host_shut,
                _ => false,
            };
            if done {
                core.sockets.remove(f.handle);
            }
            !done
        });
    }

    /// The host sockets of established connections with what to wait for:
    /// readable when the container's side has room, writable when the host
    /// side was full; connections waiting for neither are left out.
    pub fn interest<'a>(&'a self, core: &Core<'_>) -> Vec<(usize, BorrowedFd<'a>, PollFlags)> {
        self.flows
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let s = core.sockets.get::<Socket>(f.handle);
                let mut ev = PollFlags::empty();
                ev.set(PollFlags::POLLIN, !f.dead && !f.host_eof && s.can_send());
                ev.set(PollFlags::POLLOUT, !f.dead && f.write_blocked);
                (!ev.is_empty()).then(|| (i, f.host.as_fd(), ev))
            })
            .collect()
    }

    /// The sockets of the connects in progress, in `pending` order.
    pub fn pending_fds(&self) -> Vec<BorrowedFd<'_>> {
        self.pending.iter().map(|p| p.sock.as_fd()).collect()
    }

    /// After poll: the host side of flow `i` can take data again.
    pub fn writable(&mut self, i: usize) {
        if let Some(f) = self.flows.get_mut(i) {
            f.write_blocked = false;
        }
    }
}

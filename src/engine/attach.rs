//! Attaching to a detached container: the monitor's side (a unix socket in the
//! container's directory that relays the container's output to every attached
//! client and their input to the container's stdin or pty) and the client's side.
//!
//! Wire format, both ways: frames of `[kind u8][length u32 BE][data]`.
//! Client → monitor: [`STDIN`] data, [`RESIZE`] (rows u16 BE, cols u16 BE).
//! Monitor → client: [`STDOUT`] / [`STDERR`] data. The monitor closes the
//! connection when the container exits; the client then reads the exit code from
//! the container's state. A client that stops reading is dropped after
//! [`WRITE_TIMEOUT`] so it can never stall the container.
//!
//! The socket is bound through `/proc/self/fd/N/attach.sock`, so the length limit
//! of a unix socket path (108 bytes) never depends on where the store lives.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::sys::pty::{self, WinSize};

pub const STDIN: u8 = 0;
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
pub const RESIZE: u8 = 3;

/// How long a write to one client may block before that client is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest frame accepted (a bigger length means a confused peer).
const MAX_FRAME: u32 = 1 << 20;

/// The socket's file name in the container's directory.
pub const SOCKET: &str = "attach.sock";

/// Errors from attaching.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("opening the attach socket of container {id}: {source}")]
    Connect { id: String, source: std::io::Error },
    #[error("creating the attach socket: {0}")]
    Bind(std::io::Error),
    #[error("attach stream: {0}")]
    Stream(std::io::Error),
    #[error("invalid detach keys {0:?}: use a comma-separated list like ctrl-p,ctrl-q")]
    DetachKeys(String),
}

/// Write one frame.
pub fn write_frame(to: &mut impl Write, kind: u8, data: &[u8]) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(5 + data.len());
    buf.push(kind);
    buf.extend_from_slice(&(data.len() as u32).to_be_bytes());
    buf.extend_from_slice(data);
    to.write_all(&buf)
}

/// Read one frame; `None` at a clean end of stream.
pub fn read_frame(from: &mut impl Read) -> std::io::Result<Option<(u8, Vec<u8>)>> {
    let mut head = [0u8; 5];
    match from.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]);
    if len > MAX_FRAME {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("frame of {len} bytes"),
        ));
    }
    let mut data = vec![0u8; len as usize];
    from.read_exact(&mut data)?;
    Ok(Some((head[0], data)))
}

/// A path to `name` in `dir` that is short whatever `dir` is: through an open
/// open descriptor of the directory, which must stay open while it is used.
fn short_path(dir: &Path, name: &str) -> std::io::Result<(File, PathBuf)> {
    let fd = File::open(dir)?;
    let path = PathBuf::from(format!("/proc/self/fd/{}/{name}", fd.as_raw_fd()));
    Ok((fd, path))
}

/// Where attached clients' input goes.
enum Input {
    /// Input is not attached (the container was not started with `-i`).
    None,
    /// The write end of the container's stdin pipe.
    Pipe(File),
    /// The pty master (input, and window size changes).
    Pty(File),
}

/// The monitor's side: the listening socket and the connected clients.
pub struct Hub {
    clients: Mutex<Vec<UnixStream>>,
    input: Mutex<Input>,
    path: PathBuf,
}

impl Hub {
    /// Bind the socket in `dir` (the container's directory) and start accepting.
    pub fn serve(dir: &Path) -> Result<Arc<Hub>, AttachError> {
        let real = dir.join(SOCKET);
        let _ = std::fs::remove_file(&real);
        let (dirfd, short) = short_path(dir, SOCKET).map_err(AttachError::Bind)?;
        let listener = UnixListener::bind(&short).map_err(AttachError::Bind)?;
        // Whoever may connect may type into the container: the owner only,
        // whatever the umask.
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&short, std::fs::Permissions::from_mode(0o600))
                .map_err(AttachError::Bind)?;
        }
        drop(dirfd);
        let hub = Arc::new(Hub {
            clients: Mutex::new(Vec::new()),
            input: Mutex::new(Input::None),
            path: real,
        });
        let h = Arc::clone(&hub);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                h.add(conn);
            }
        });
        Ok(hub)
    }

    /// Send clients' input to the container's stdin pipe from now on.
    pub fn set_stdin(&self, pipe: OwnedFd) {
        *lock(&self.input) = Input::Pipe(File::from(pipe));
    }

    /// Send clients' input and window sizes to this pty master from now on.
    pub fn set_pty(&self, master: &OwnedFd) {
        if let Ok(m) = master.try_clone() {
            *lock(&self.input) = Input::Pty(File::from(m));
        }
    }

    /// The container's run ended: stop relaying input (a restart sets it again).
    pub fn clear_input(&self) {
        *lock(&self.input) = Input::None;
    }

    fn add(self: &Arc<Self>, conn: UnixStream) {
        let _ = conn.set_write_timeout(Some(WRITE_TIMEOUT));
        let Ok(mut reader) = conn.try_clone() else {
            return;
        };
        lock(&self.clients).push(conn);
        let hub = Arc::clone(self);
        std::thread::spawn(move || {
            while let Ok(Some((kind, data))) = read_frame(&mut reader) {
                hub.input(kind, &data);
            }
        });
    }

    fn input(&self, kind: u8, data: &[u8]) {
        let mut input = lock(&self.input);
        match (&mut *input, kind) {
            (Input::Pipe(f) | Input::Pty(f), STDIN) => {
                let _ = f.write_all(data);
            }
            (Input::Pty(f), RESIZE) if data.len() == 4 => {
                let size = WinSize {
                    rows: u16::from_be_bytes([data[0], data[1]]),
                    cols: u16::from_be_bytes([data[2], data[3]]),
                };
                let _ = pty::set_winsize(f.as_fd(), size);
            }
            _ => {}
        }
    }

    /// Relay a piece of the container's output to every client; drop the ones
    /// that fail or time out.
    pub fn output(&self, kind: u8, data: &[u8]) {
        let mut clients = lock(&self.clients);
        if clients.is_empty() {
            return;
        }
        clients.retain_mut(|c| write_frame(c, kind, data).is_ok());
    }

    /// The container is gone for good: close every connection, remove the socket.
    pub fn close(&self) {
        let _ = std::fs::remove_file(&self.path);
        for c in lock(&self.clients).drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The client's side: connect to the monitor of the container in `dir`.
pub fn connect(dir: &Path, id: &str) -> Result<UnixStream, AttachError> {
    let err = |source| AttachError::Connect {
        id: id.to_string(),
        source,
    };
    let (dirfd, short) = short_path(dir, SOCKET).map_err(err)?;
    let stream = UnixStream::connect(&short).map_err(err)?;
    drop(dirfd);
    Ok(stream)
}

/// A key sequence that detaches a client (`--detach-keys`, Docker's syntax:
/// `ctrl-p,ctrl-q`, letters, `ctrl-@`, `ctrl-[`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetachKeys(Vec<u8>);

impl DetachKeys {
    pub fn parse(s: &str) -> Result<DetachKeys, AttachError> {
        let bad = || AttachError::DetachKeys(s.to_string());
        if s.is_empty() {
            return Ok(DetachKeys(Vec::new()));
        }
        let mut keys = Vec::new();
        for part in s.split(',') {
            let key = if let Some(c) = part.strip_prefix("ctrl-") {
                let mut chars = c.chars();
                let (Some(ch), None) = (chars.next(), chars.next()) else {
                    return Err(bad());
                };
                match ch.to_ascii_lowercase() {
                    'a'..='z' => ch.to_ascii_lowercase() as u8 - b'a' + 1,
                    '@' => 0,
                    '[' => 27,
                    '\\' => 28,
                    ']' => 29,
                    '^' => 30,
                    '_' => 31,
                    _ => return Err(bad()),
                }
            } else {
                let mut chars = part.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) if ch.is_ascii() => ch as u8,
                    _ => return Err(bad()),
                }
            };
            keys.push(key);
        }
        Ok(DetachKeys(keys))
    }

    /// Docker's default, ctrl-p ctrl-q.
    pub fn default_keys() -> DetachKeys {
        DetachKeys(vec![16, 17])
    }
}

/// Watches input for the detach sequence. Bytes that could start the sequence are
/// held back until it is clear they are not part of it.
pub struct DetachMatcher {
    keys: Vec<u8>,
    held: usize,
}

impl DetachMatcher {
    pub fn new(keys: &DetachKeys) -> DetachMatcher {
        DetachMatcher {
            keys: keys.0.clone(),
            held: 0,
        }
    }

    /// Feed input; returns the bytes to pass on and whether the sequence was typed.
    pub fn feed(&mut self, input: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::with_capacity(input.len());
        if self.keys.is_empty() {
            out.extend_from_slice(input);
            return (out, false);
        }
        for &b in input {
            if b == self.keys[self.held] {
                self.held += 1;
                if self.held == self.keys.len() {
                    return (out, true);
                }
            } else {
                out.extend_from_slice(&self.keys[..self.held]);
                self.held = 0;
                if b == self.keys[0] {
                    self.held = 1;
                    if self.keys.len() == 1 {
                        return (out, true);
                    }
                } else {
                    out.push(b);
                }
            }
        }
        (out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut buf = Vec::new();
        write_frame(&mut buf, STDOUT, b"hello").unwrap();
        write_frame(&mut buf, RESIZE, &[0, 24, 0, 80]).unwrap();
        let mut r = &buf[..];
        assert_eq!(
            read_frame(&mut r).unwrap(),
            Some((STDOUT, b"hello".to_vec()))
        );
        assert_eq!(
            read_frame(&mut r).unwrap(),
            Some((RESIZE, vec![0, 24, 0, 80]))
        );
        assert_eq!(read_frame(&mut r).unwrap(), None);
    }

    #[test]
    fn oversized_frame_refused() {
        let buf = [STDIN, 0xff, 0xff, 0xff, 0xff];
        assert!(read_frame(&mut &buf[..]).is_err());
    }

    #[test]
    fn detach_keys_parse() {
        assert_eq!(
            DetachKeys::parse("ctrl-p,ctrl-q").unwrap(),
            DetachKeys::default_keys()
        );
        assert_eq!(
            DetachKeys::parse("a,ctrl-@").unwrap(),
            DetachKeys(vec![b'a', 0])
        );
        assert_eq!(DetachKeys::parse("").unwrap(), DetachKeys(vec![]));
        assert!(DetachKeys::parse("ctrl-pp").is_err());
        assert!(DetachKeys::parse("ctrl-1").is_err());
        assert!(DetachKeys::parse("ab").is_err());
    }

    #[test]
    fn detach_matcher_holds_and_releases() {
        let mut m = DetachMatcher::new(&DetachKeys::default_keys());
        assert_eq!(m.feed(b"ab\x10"), (b"ab".to_vec(), false));
        // ctrl-p then something else: the held ctrl-p is passed on.
        assert_eq!(m.feed(b"x"), (b"\x10x".to_vec(), false));
        assert_eq!(m.feed(b"\x10\x10"), (b"\x10".to_vec(), false));
        assert_eq!(m.feed(b"\x11rest"), (Vec::new(), true));
    }

    #[test]
    fn hub_relays_between_clients_and_container() {
        let dir = tempfile::tempdir().unwrap();
        let hub = Hub::serve(dir.path()).unwrap();
        let (r, w) = nix::unistd::pipe().unwrap();
        hub.set_stdin(w);
        let mut client = connect(dir.path(), "test").unwrap();
        write_frame(&mut client, STDIN, b"typed").unwrap();
        let mut got = [0u8; 5];
        File::from(r).read_exact(&mut got).unwrap();
        assert_eq!(&got, b"typed");
        // The accept thread may not have registered the client yet.
        for _ in 0..200 {
            if !lock(&hub.clients).is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        hub.output(STDERR, b"oops");
        assert_eq!(
            read_frame(&mut client).unwrap(),
            Some((STDERR, b"oops".to_vec()))
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(SOCKET))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the socket is the owner's only");
        hub.close();
        assert_eq!(read_frame(&mut client).unwrap(), None);
        assert!(!dir.path().join(SOCKET).exists());
    }
}

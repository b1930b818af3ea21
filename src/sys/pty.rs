//! Pseudo-terminals: open a master on a given devpts instance, its peer, make
//! a tty controlling, window sizes, and raw mode on the caller's terminal.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{open, OFlag};
use nix::sys::stat::Mode;
use nix::sys::termios::{self, SetArg, Termios};

/// Open the multiplexer `ptmx` (e.g. `<rootfs>/dev/pts/ptmx`), unlock the new
/// pty, and open its slave through the master (`TIOCGPTPEER`, so no path of
/// the slave is needed). Returns `(master, slave)`.
pub fn open_pair(ptmx: &Path) -> nix::Result<(OwnedFd, OwnedFd)> {
    let raw = open(
        ptmx,
        OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    // SAFETY: `open` just returned this descriptor and nothing else owns it.
    let master = unsafe { OwnedFd::from_raw_fd(raw) };
    let unlock: libc::c_int = 0;
    // SAFETY: TIOCSPTLCK reads one c_int from the pointer, which is valid.
    Errno::result(unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSPTLCK, &unlock) })?;
    let flags = libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC;
    // SAFETY: TIOCGPTPEER takes open flags by value and returns a new fd.
    let peer = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCGPTPEER, flags) };
    let peer = Errno::result(peer)?;
    // SAFETY: the ioctl just returned this new descriptor; we own it.
    let slave = unsafe { OwnedFd::from_raw_fd(peer) };
    Ok((master, slave))
}

/// Make `tty` the controlling terminal of the calling session leader.
pub fn set_controlling(tty: BorrowedFd<'_>) -> nix::Result<()> {
    // SAFETY: TIOCSCTTY takes an integer argument (0: do not steal).
    Errno::result(unsafe { libc::ioctl(tty.as_raw_fd(), libc::TIOCSCTTY, 0) }).map(drop)
}

/// A terminal window size (rows, columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WinSize {
    pub rows: u16,
    pub cols: u16,
}

/// Read the window size of terminal `fd`.
pub fn get_winsize(fd: BorrowedFd<'_>) -> nix::Result<WinSize> {
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` through the valid pointer.
    Errno::result(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) })?;
    Ok(WinSize {
        rows: ws.ws_row,
        cols: ws.ws_col,
    })
}

/// Set the window size of terminal `fd` (the pty master).
pub fn set_winsize(fd: BorrowedFd<'_>, size: WinSize) -> nix::Result<()> {
    let ws = libc::winsize {
        ws_row: size.rows,
        ws_col: size.cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one `winsize` through the valid pointer.
    Errno::result(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) }).map(drop)
}

/// The caller's terminal in raw mode; the previous mode is restored on drop.
pub struct RawMode<Fd: AsFd> {
    fd: Fd,
    saved: Termios,
}

impl<Fd: AsFd> RawMode<Fd> {
    /// Put terminal `fd` in raw mode (fails with ENOTTY when it is no tty).
    pub fn enter(fd: Fd) -> nix::Result<Self> {
        let saved = termios::tcgetattr(fd.as_fd())?;
        let mut raw = saved.clone();
        termios::cfmakeraw(&mut raw);
        termios::tcsetattr(fd.as_fd(), SetArg::TCSANOW, &raw)?;
        Ok(RawMode { fd, saved })
    }
}

impl<Fd: AsFd> Drop for RawMode<Fd> {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(self.fd.as_fd(), SetArg::TCSANOW, &self.saved);
    }
}

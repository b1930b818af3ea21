//! Container records in the store: `containers/<id>/` holds `config.json` (what the
//! container is: written at create), `state.json` (what it is doing: rewritten
//! atomically by whoever changes it), `upper/`, `work/`, `merged/`, the generated
//! /etc files and `container.log`. `containers/names/<name>` holds the id; it is created
//! with O_EXCL, so two concurrent `--name x` cannot both win.
//! `containers/exits/<id>` keeps a removed container's exit code for a while
//! (see `exits`).
//!
//! Invariant: a container directory without `config.json` is half-created and is
//! removed by `prune_incomplete`; `state.json` is never trusted blindly: a
//! "running" state whose pid is gone (or belongs to another process now), and
//! whose supervisor is gone too, reads as exited (137: killed with it), and the
//! first reader records that.

mod exits;
pub mod ports;
mod record;
mod state;

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use crate::store::older_than;
use crate::sys::process::Forked;

pub use exits::KILLED_WITH_SUPERVISOR;
pub use record::{ContainerRecord, MountRecord, RestartPolicy, RunConfig};
pub use state::{process_start_time, ContainerState, Status};

/// Errors from the container records.
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("{step} {path}: {source}")]
    Io {
        step: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the container name {0:?} is already in use: remove that container or choose another name"
    )]
    NameInUse(String),
    #[error("invalid container name {0:?}: use [a-zA-Z0-9][a-zA-Z0-9_.-]*")]
    BadName(String),
    #[error("no such container: {0}")]
    NotFound(String),
    #[error("{0:?} matches several containers: use more of the id")]
    Ambiguous(String),
    #[error("container record {path} is corrupt: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl ContainerError {
    /// What kind of failure this is (see [`ErrorKind`](crate::error_kind::ErrorKind)).
    pub fn kind(&self) -> crate::error_kind::ErrorKind {
        use crate::error_kind::ErrorKind;
        match self {
            ContainerError::NameInUse(_) => ErrorKind::Conflict,
            ContainerError::BadName(_) | ContainerError::Ambiguous(_) => ErrorKind::InvalidArgument,
            ContainerError::NotFound(_) => ErrorKind::NotFound,
            ContainerError::Io { .. } | ContainerError::Corrupt { .. } => ErrorKind::Internal,
        }
    }
}

pub(crate) fn io_err(
    step: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> ContainerError {
    let path = path.to_path_buf();
    move |source| ContainerError::Io { step, path, source }
}

/// The containers part of a store.
pub struct Containers {
    dir: PathBuf,
}

impl Containers {
    /// The containers under `<store root>/containers`.
    pub fn new(store_root: &Path) -> Result<Containers, ContainerError> {
        let dir = store_root.join("containers");
        let names = dir.join("names");
        std::fs::create_dir_all(&names).map_err(io_err("creating", &names))?;
        Ok(Containers { dir })
    }

    /// The directory of container `id`.
    pub fn dir_of(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    fn name_path(&self, name: &str) -> PathBuf {
        self.dir.join("names").join(name)
    }

    /// Reserve `name` for `id`; fails when taken.
    pub fn reserve_name(&self, name: &str, id: &str) -> Result<(), ContainerError> {
        if !valid_name(name) {
            return Err(ContainerError::BadName(name.to_string()));
        }
        let p = self.name_path(name);
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // A name whose container never got its record (a crash between the two
                // steps) is free again, but only once it is older than any create in
                // flight: a concurrent create writes its record just after reserving.
                let owner = std::fs::read_to_string(&p).unwrap_or_default();
                let recorded =
                    !owner.is_empty() && self.dir_of(owner.trim()).join("config.json").exists();
                if recorded || !older_than(&p, STALE_AFTER_SECS) {
                    return Err(ContainerError::NameInUse(name.to_string()));
                }
                if std::fs::remove_file(&p).is_err() {
                    return Err(ContainerError::NameInUse(name.to_string()));
                }
                return self.reserve_name(name, id);
            }
            Err(e) => return Err(io_err("creating", &p)(e)),
        };
        f.write_all(id.as_bytes()).map_err(io_err("writing", &p))
    }

    /// Release a name.
    pub fn release_name(&self, name: &str) {
        let _ = std::fs::remove_file(self.name_path(name));
    }

    /// Create the container's directory and write its record.
    pub fn create(&self, record: &ContainerRecord) -> Result<(), ContainerError> {
        let dir = self.dir_of(&record.id);
        for sub in ["upper", "work", "merged", "userdata"] {
            let p = dir.join(sub);
            std::fs::create_dir_all(&p).map_err(io_err("creating", &p))?;
        }
        self.save_state(&record.id, &ContainerState::created())?;
        self.write_json(&dir.join("config.json"), record)
    }

    /// Rewrite a container's record (rename).
    pub fn save_record(&self, record: &ContainerRecord) -> Result<(), ContainerError> {
        self.write_json(&self.dir_of(&record.id).join("config.json"), record)
    }

    /// Atomically replace a container's state.
    pub fn save_state(&self, id: &str, state: &ContainerState) -> Result<(), ContainerError> {
        self.write_json(&self.dir_of(id).join("state.json"), state)
    }

    fn write_json(&self, path: &Path, value: &impl serde::Serialize) -> Result<(), ContainerError> {
        let data = serde_json::to_vec_pretty(value).map_err(|source| ContainerError::Corrupt {
            path: path.to_path_buf(),
            source,
        })?;
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        // Rename for atomicity, no fsync: container records are small and cheap to
        // lose in a power cut (a half-created container is pruned, a stale state is
        // corrected against /proc), and fsync would dominate `run`'s start-up.
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&data)?;
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(io_err("writing", path))
    }

    /// Read a container's record.
    pub fn load(&self, id: &str) -> Result<ContainerRecord, ContainerError> {
        let p = self.dir_of(id).join("config.json");
        let data = std::fs::read(&p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ContainerError::NotFound(id.to_string()),
            _ => io_err("reading", &p)(e),
        })?;
        serde_json::from_slice(&data).map_err(|source| ContainerError::Corrupt { path: p, source })
    }

    /// Read a container's state as recorded, corrected against the live system.
    /// A container found dead with its supervisor is recorded so (and removed
    /// when it was `--rm`) by the first reader: see `exits`.
    pub fn state(&self, id: &str) -> ContainerState {
        let mut recorded = self.recorded_state(id);
        // A supervisor that recorded the exit and ended between our read and
        // our look at /proc is no orphan: the record changed meanwhile.
        for _ in 0..5 {
            let state = recorded.clone().unwrap_or_else(ContainerState::created);
            let checked = state.clone().checked();
            if checked == state {
                return checked;
            }
            let again = self.recorded_state(id);
            if again == recorded {
                self.notice(id, &state, &checked);
                return checked;
            }
            recorded = again;
        }
        recorded.unwrap_or_else(ContainerState::created).checked()
    }

    /// A container's state as recorded, if it can be read.
    fn recorded_state(&self, id: &str) -> Option<ContainerState> {
        let p = self.dir_of(id).join("state.json");
        std::fs::read(&p)
            .ok()
            .and_then(|d| serde_json::from_slice(&d).ok())
    }

    /// Ids of every container (complete ones only).
    pub fn ids(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_full_id(n) && self.dir_of(n).join("config.json").exists())
            .collect();
        ids.sort();
        ids
    }

    /// Names of the containers made from image `id`.
    pub fn using_image(&self, id: &crate::oci::Digest) -> Vec<String> {
        self.list()
            .into_iter()
            .filter(|r| &r.image == id)
            .map(|r| r.name)
            .collect()
    }

    /// Every container record, oldest first.
    pub fn list(&self) -> Vec<ContainerRecord> {
        let mut all: Vec<ContainerRecord> = self
            .ids()
            .iter()
            .filter_map(|id| self.load(id).ok())
            .collect();
        all.sort_by_key(|r| r.created);
        all
    }

    /// Find a container by full or partial id, or by name.
    pub fn find(&self, query: &str) -> Result<ContainerRecord, ContainerError> {
        if is_full_id(query) {
            if let Ok(r) = self.load(query) {
                return Ok(r);
            }
        }
        if let Ok(id) = std::fs::read_to_string(self.name_path(query)) {
            if let Ok(r) = self.load(id.trim()) {
                return Ok(r);
            }
        }
        let matches: Vec<String> = self
            .ids()
            .into_iter()
            .filter(|id| !query.is_empty() && id.starts_with(query))
            .collect();
        match matches.as_slice() {
            [one] => self.load(one),
            [] => Err(ContainerError::NotFound(query.to_string())),
            _ => Err(ContainerError::Ambiguous(query.to_string())),
        }
    }

    /// Remove a container's directory and name. The caller runs inside the user
    /// namespace (the upper dir holds files of mapped owners).
    pub fn remove(&self, record: &ContainerRecord) -> Result<(), ContainerError> {
        self.record_exit_of(&record.id);
        let dir = self.forget(record);
        crate::store::remove_tree(&dir).map_err(io_err("removing", &dir))
    }

    /// Stop its helpers, drop its record and free its name: the container is
    /// gone for everyone, its directory (returned) is just garbage now.
    fn forget(&self, record: &ContainerRecord) -> PathBuf {
        let dir = self.dir_of(&record.id);
        self.stop_helpers(&record.id);
        let _ = std::fs::remove_file(dir.join("config.json"));
        self.release_name(&record.name);
        dir
    }

    /// Stop a network helper (pasta) left behind when the monitor that owned it was
    /// killed: it would otherwise keep the container's network namespace alive.
    /// The pid comes from the helper's pid file and is checked to be pasta.
    pub fn stop_helpers(&self, id: &str) {
        let pidfile = self.dir_of(id).join("userdata").join("pasta.pid");
        let Some(pid) = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok())
        else {
            return;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        // Debian runs pasta as passt.avx2 (or passt): its comm is not "pasta".
        if ["pasta", "passt"]
            .iter()
            .any(|n| comm.trim().starts_with(n))
        {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        let _ = std::fs::remove_file(&pidfile);
    }

    /// Remove a container for everyone at once (its record and name go now),
    /// its directory in the background: a forked child deletes it, so that
    /// `run --rm` does not wait on the unlinks (or on a big upper dir). The
    /// child also closes `teardown` (the exited container's mount namespace and
    /// TUN device) once this process is gone: the last close tears them down,
    /// and that wait should not be ours. What a killed child leaves is removed by a
    /// later [`Containers::prune_incomplete`]. The caller runs inside the user
    /// namespace, as for [`Containers::remove`].
    pub fn remove_in_background(
        &self,
        record: &ContainerRecord,
        teardown: Vec<OwnedFd>,
    ) -> Result<(), ContainerError> {
        self.record_exit_of(&record.id);
        let dir = self.dir_of(&record.id);
        self.stop_helpers(&record.id);
        // The rename is the removal (`ids` and `find` no longer see it), then the
        // name is free; the record goes with the rest of the directory.
        let gone = self.dir.join(format!("{GONE_PREFIX}{}", record.id));
        if std::fs::rename(&dir, &gone).is_err() {
            drop(teardown);
            return self.remove(record);
        }
        self.release_name(&record.name);
        // The child waits for our exit (EOF) before it closes the namespace.
        let exit_pipe = if teardown.is_empty() {
            None
        } else {
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).ok()
        };
        match crate::sys::process::fork() {
            Ok(Forked::Child) => {
                let code = remove_after(&gone, teardown, exit_pipe.map(|(r, _w)| r));
                crate::sys::process::exit_now(code)
            }
            Ok(Forked::Parent(_)) => {
                drop(teardown);
                if let Some((_r, w)) = exit_pipe {
                    // the write end closes when this process exits
                    std::mem::forget(w);
                }
                Ok(())
            }
            Err(_) => {
                drop(teardown);
                crate::store::remove_tree(&gone).map_err(io_err("removing", &gone))
            }
        }
    }

    /// Remove directories left by a create that died before writing its record,
    /// and by a background removal that was killed.
    pub fn prune_incomplete(&self) {
        self.prune_exits();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let left = if let Some(id) = name.strip_prefix(GONE_PREFIX) {
                is_full_id(id)
            } else {
                is_full_id(&name) && !p.join("config.json").exists()
            };
            if left && older_than(&p, STALE_AFTER_SECS) {
                let _ = crate::store::remove_tree(&p);
            }
        }
    }
}

/// The child of [`Containers::remove_in_background`]: let go of the caller's
/// files, wait for the caller's exit (EOF on `until_we_exit`) before closing
/// `teardown`, then delete `gone`. Its exit code.
fn remove_after(gone: &Path, teardown: Vec<OwnedFd>, until_we_exit: Option<OwnedFd>) -> i32 {
    let keep: Vec<_> = until_we_exit
        .iter()
        .chain(&teardown)
        .map(|fd| fd.as_raw_fd())
        .collect();
    // holds none of the caller's files: a pipe it kept would keep whoever
    // reads the caller's output waiting
    crate::sys::process::close_fds_from(0, &keep);
    if let Some(fd) = until_we_exit {
        let mut byte = [0u8; 1];
        while let Err(nix::errno::Errno::EINTR) = nix::unistd::read(fd.as_raw_fd(), &mut byte) {}
    }
    drop(teardown);
    i32::from(crate::store::remove_tree(gone).is_err())
}

/// A removed container's directory, while [`Containers::remove_in_background`]
/// deletes it: `containers/.gone-<id>`.
const GONE_PREFIX: &str = ".gone-";

/// How old a half-created container (or a name reserved for one) must be before it
/// counts as left behind by a crash rather than still being created.
const STALE_AFTER_SECS: u64 = 60;

/// Whether `s` is a whole container id (64 lowercase hex digits, as [`new_id`]
/// makes them), which is also the name of the container's directory.
fn is_full_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Docker's container name rule.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// A new random 64-hex container id.
pub fn new_id() -> String {
    let mut bytes = [0u8; 32];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_err()
    {
        let seed = format!("{:?}-{}", std::time::SystemTime::now(), std::process::id());
        return crate::oci::Digest::of(seed.as_bytes()).hex().to_string();
    }
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, name: &str) -> ContainerRecord {
        ContainerRecord {
            id: id.to_string(),
            name: name.to_string(),
            image: crate::oci::Digest::of(b"image"),
            image_name: "img".into(),
            created: 0,
            config: RunConfig::default(),
        }
    }

    fn age(path: &Path, secs: u64) {
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        std::fs::File::open(path)
            .and_then(|f| f.set_modified(then))
            .expect("set mtime");
    }

    #[test]
    fn background_removal_frees_the_name_at_once_and_the_directory_soon() {
        let root = tempfile::tempdir().expect("tempdir");
        let c = Containers::new(root.path()).expect("containers");
        let r = record(&new_id(), "web");
        c.reserve_name("web", &r.id).expect("name");
        c.create(&r).expect("create");
        std::fs::write(c.dir_of(&r.id).join("upper/file"), b"data").expect("write");
        c.remove_in_background(&r, Vec::new()).expect("remove");
        assert!(c.ids().is_empty(), "still listed");
        assert!(c.find("web").is_err(), "name still taken");
        c.reserve_name("web", &new_id()).expect("name free again");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read_dir(&c.dir).expect("dir").flatten().count() > 1 {
            assert!(
                std::time::Instant::now() < deadline,
                "directory not removed"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn prune_removes_what_killed_creates_and_removals_left() {
        let root = tempfile::tempdir().expect("tempdir");
        let c = Containers::new(root.path()).expect("containers");
        let (half, gone, fresh) = (new_id(), new_id(), new_id());
        for d in [
            half.clone(),
            format!("{GONE_PREFIX}{gone}"),
            format!("{GONE_PREFIX}{fresh}"),
        ] {
            std::fs::create_dir_all(c.dir.join(&d).join("upper")).expect("mkdir");
        }
        age(&c.dir.join(&half), 3600);
        age(&c.dir.join(format!("{GONE_PREFIX}{gone}")), 3600);
        let live = record(&new_id(), "live");
        c.create(&live).expect("create");
        age(&c.dir_of(&live.id), 3600);
        c.prune_incomplete();
        let mut left: Vec<String> = std::fs::read_dir(&c.dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want = vec![
            format!("{GONE_PREFIX}{fresh}"),
            live.id.clone(),
            "names".into(),
        ];
        want.sort();
        assert_eq!(left, want);
    }
}

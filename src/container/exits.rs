//! What outlives a container for those who wait on it, and the correction of
//! a container whose supervisor died.
//!
//! Exit records: `containers/exits/<id>` holds the exit code of a container that
//! was removed (`--rm`, `rm`, `rm -f`, prune), written before its record goes,
//! so that a `wait` started while it ran reports its code however soon after
//! the exit it was removed. Records older than [`KEEP_SECS`] are pruned (a
//! waiter polls every few tens of milliseconds).
//!
//! Orphans: a container whose pid 1 and supervisor (the foreground `run`, the
//! monitor) are both gone was killed with its supervisor (see `runtime::pdeath`).
//! The first command that reads its state notices, records it as exited with
//! 137 (so `ps`, `wait` and `inspect` agree from then on) and applies `--rm`:
//! the record and name go at once, the directory is renamed to `.gone-<id>` and
//! deleted by a later `prune_incomplete` (this command may be outside the user
//! namespace, where it could not delete every file).

use std::path::PathBuf;

use super::{ContainerState, Containers, Status, GONE_PREFIX};
use crate::store::older_than;

/// How long an exit record is kept.
const KEEP_SECS: u64 = 60;

/// The exit code recorded for a container killed with its supervisor.
pub const KILLED_WITH_SUPERVISOR: i32 = 137;

impl Containers {
    fn exit_path(&self, id: &str) -> PathBuf {
        self.dir.join("exits").join(id)
    }

    /// Keep `code` as the exit code of container `id`, about to be removed.
    pub fn record_exit(&self, id: &str, code: i32) {
        let path = self.exit_path(id);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        if std::fs::write(&tmp, code.to_string()).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// The exit record of the state about to be removed, when it has a code.
    pub(super) fn record_exit_of(&self, id: &str) {
        if let Some(code) = self.state(id).exit_code {
            self.record_exit(id, code);
        }
    }

    /// The exit code of container `id`, removed after it exited.
    pub fn removed_exit(&self, id: &str) -> Option<i32> {
        std::fs::read_to_string(self.exit_path(id))
            .ok()
            .and_then(|t| t.trim().parse().ok())
    }

    /// Delete exit records nobody can be waiting for any more.
    pub(super) fn prune_exits(&self) {
        let Ok(entries) = std::fs::read_dir(self.dir.join("exits")) else {
            return;
        };
        for e in entries.flatten() {
            if older_than(&e.path(), KEEP_SECS) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// `recorded` (read twice, the same both times, around the look at /proc)
    /// read as `checked`: when that is the notice of an orphan (see the module
    /// docs), record it, and apply `--rm`.
    pub(super) fn notice(&self, id: &str, recorded: &ContainerState, checked: &ContainerState) {
        let orphaned = matches!(recorded.status, Status::Running | Status::Stopping)
            && checked.status == Status::Exited;
        if !orphaned {
            return;
        }
        let Ok(record) = self.load(id) else {
            return;
        };
        if !record.config.auto_remove {
            let _ = self.save_state(id, checked);
            return;
        }
        if let Some(code) = checked.exit_code {
            self.record_exit(id, code);
        }
        self.stop_helpers(id);
        let gone = self.dir.join(format!("{GONE_PREFIX}{id}"));
        // Only the process whose rename won frees the name (it may be taken
        // again by now).
        if std::fs::rename(self.dir_of(id), gone).is_ok() {
            self.release_name(&record.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{new_id, ContainerRecord, RunConfig};
    use super::*;

    /// A pid that is surely dead now (a child we reaped), with a start time.
    fn dead_pid() -> (i32, u64) {
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        child.wait().expect("wait");
        (child.id() as i32, 1)
    }

    fn orphan(c: &Containers, name: &str, auto_remove: bool) -> ContainerRecord {
        let r = ContainerRecord {
            id: new_id(),
            name: name.into(),
            image: crate::oci::Digest::of(b"image"),
            image_name: "img".into(),
            created: 0,
            config: RunConfig {
                auto_remove,
                ..RunConfig::default()
            },
        };
        c.reserve_name(name, &r.id).expect("name");
        c.create(&r).expect("create");
        let (pid, start) = dead_pid();
        let mut s = ContainerState::created();
        s.status = Status::Running;
        (s.pid, s.pid_start, s.monitor_pid, s.monitor_start) =
            (Some(pid), Some(start), Some(pid), Some(start));
        c.save_state(&r.id, &s).expect("state");
        r
    }

    #[test]
    fn an_orphan_reads_exited_137_for_good() {
        let root = tempfile::tempdir().expect("tempdir");
        let c = Containers::new(root.path()).expect("containers");
        let r = orphan(&c, "o", false);
        let s = c.state(&r.id);
        assert_eq!((s.status, s.exit_code), (Status::Exited, Some(137)));
        assert!(s.error.is_some());
        // recorded: the same later, finish time included
        assert_eq!(c.recorded_state(&r.id), Some(s));
    }

    #[test]
    fn an_orphan_with_rm_is_removed_by_its_first_reader_and_leaves_its_code() {
        let root = tempfile::tempdir().expect("tempdir");
        let c = Containers::new(root.path()).expect("containers");
        let r = orphan(&c, "gone", true);
        assert_eq!(c.state(&r.id).exit_code, Some(137));
        assert!(c.ids().is_empty(), "still listed");
        assert!(c.find("gone").is_err(), "name still taken");
        assert_eq!(c.removed_exit(&r.id), Some(137));
        c.prune_exits();
        assert_eq!(c.removed_exit(&r.id), Some(137), "pruned while fresh");
    }

    #[test]
    fn removal_keeps_the_exit_code() {
        let root = tempfile::tempdir().expect("tempdir");
        let c = Containers::new(root.path()).expect("containers");
        let r = orphan(&c, "x", false);
        let mut s = ContainerState::created();
        s.status = Status::Exited;
        s.exit_code = Some(3);
        c.save_state(&r.id, &s).expect("state");
        c.remove(&r).expect("remove");
        assert_eq!(c.removed_exit(&r.id), Some(3));
        assert_eq!(c.removed_exit(&new_id()), None);
    }
}

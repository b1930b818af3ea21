//! Resource limits (`--memory`, `--cpus`, `--pids-limit`) through cgroup v2,
//! where the user has been delegated a tree (systemd's `user@UID.service`
//! gives one). The container gets its own cgroup, a sibling of the one skiff
//! runs in: `<parent>/skiff-<id>`, with the controllers it needs enabled in
//! the parent and the limits written before the container's process moves in
//! (it moves itself, before it unshares its cgroup namespace, so it sees its
//! own cgroup as `/`). When there is no such tree, the caller gets a warning
//! that says why (controllers on cgroup v1, no cgroup v2, or a v2 tree not
//! delegated) and the container runs unlimited, as Podman does.

use std::path::{Path, PathBuf};

/// The limits of one container; `None` is unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    /// `memory.max`, in bytes.
    pub memory: Option<u64>,
    /// `cpu.max` quota in microseconds per 100 ms period.
    pub cpu_quota: Option<u64>,
    /// `pids.max`.
    pub pids: Option<u64>,
}

/// The `cpu.max` period skiff uses (Docker's default CFS period).
pub const CPU_PERIOD: u64 = 100_000;

impl Resources {
    pub fn is_empty(&self) -> bool {
        self == &Resources::default()
    }

    /// The controllers these limits need.
    fn controllers(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.cpu_quota.is_some() {
            c.push("cpu");
        }
        if self.memory.is_some() {
            c.push("memory");
        }
        if self.pids.is_some() {
            c.push("pids");
        }
        c
    }

    /// The interface files and their contents.
    fn files(&self) -> Vec<(&'static str, String)> {
        let mut f = Vec::new();
        if let Some(m) = self.memory {
            f.push(("memory.max", m.to_string()));
        }
        if let Some(q) = self.cpu_quota {
            f.push(("cpu.max", format!("{q} {CPU_PERIOD}")));
        }
        if let Some(p) = self.pids {
            f.push(("pids.max", p.to_string()));
        }
        f
    }
}

/// The cgroup v2 directory the calling process is in.
fn own_cgroup() -> Result<PathBuf, String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo")
        .map_err(|e| format!("reading /proc/self/mountinfo: {e}"))?;
    let mount = mountinfo
        .lines()
        .find_map(|l| {
            let (pre, post) = l.split_once(" - ")?;
            (post.split_whitespace().next() == Some("cgroup2"))
                .then(|| pre.split_whitespace().nth(4).map(PathBuf::from))?
        })
        .ok_or("no cgroup v2 hierarchy is mounted")?;
    let cgroups = std::fs::read_to_string("/proc/self/cgroup")
        .map_err(|e| format!("reading /proc/self/cgroup: {e}"))?;
    let rel = cgroups
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .ok_or("this process is in no cgroup v2 group")?;
    let rel = rel.trim().trim_start_matches('/');
    if rel.is_empty() {
        return Err(
            "skiff runs in the root of the cgroup v2 hierarchy, which is nobody's to delegate"
                .into(),
        );
    }
    Ok(mount.join(rel))
}

/// Of `wanted`, the controllers bound to a cgroup v1 hierarchy, from the text of
/// `/proc/cgroups` (a non-zero hierarchy id is a v1 one; v2 controllers have 0).
fn on_v1<'a>(proc_cgroups: &str, wanted: &[&'a str]) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|c| {
            proc_cgroups.lines().any(|l| {
                let mut f = l.split_whitespace();
                f.next() == Some(*c) && f.next().is_some_and(|h| h != "0")
            })
        })
        .collect()
}

/// Why limits cannot apply, in the order of the checks: controllers on cgroup
/// v1 (no rootless limits at all), no cgroup v2, then an undelegated v2 tree.
fn unusable(resources: &Resources) -> Option<String> {
    let proc_cgroups = std::fs::read_to_string("/proc/cgroups").unwrap_or_default();
    let v1 = on_v1(&proc_cgroups, &resources.controllers());
    if v1.is_empty() {
        return None;
    }
    Some(format!(
        "the {} controller{} on cgroup v1 on this host, where a rootless container cannot be limited (limits need cgroup v2)",
        v1.join(", "),
        if v1.len() == 1 { " is" } else { "s are" },
    ))
}

/// Create the container's cgroup next to the caller's and write its limits;
/// the path to move the container into. `Err` says why not, for a warning.
pub fn prepare(id: &str, resources: &Resources) -> Result<PathBuf, String> {
    if let Some(why) = unusable(resources) {
        return Err(why);
    }
    let own = own_cgroup().map_err(|e| format!("{e} (limits need a delegated cgroup v2 tree)"))?;
    let parent = own.parent().ok_or("no parent of skiff's own cgroup")?;
    create_delegated(
        parent,
        &format!("skiff-{}", &id[..id.len().min(12)]),
        resources,
    )
}

/// [`create_in`], saying what limits need when it fails.
fn create_delegated(parent: &Path, name: &str, resources: &Resources) -> Result<PathBuf, String> {
    create_in(parent, name, resources)
        .map_err(|e| format!("{e} (limits need a delegated cgroup v2 tree)"))
}

/// [`prepare`] below `parent` (a directory of a cgroup v2 hierarchy).
fn create_in(parent: &Path, name: &str, resources: &Resources) -> Result<PathBuf, String> {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let available = read(&parent.join("cgroup.controllers"));
    let wanted = resources.controllers();
    let missing: Vec<_> = wanted
        .iter()
        .filter(|c| !available.split_whitespace().any(|a| a == **c))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|c| **c).collect();
        return Err(format!(
            "the {} controller{} not delegated to {}",
            names.join(", "),
            if names.len() == 1 { " is" } else { "s are" },
            parent.display()
        ));
    }
    let control = parent.join("cgroup.subtree_control");
    let enabled = read(&control);
    for c in &wanted {
        if !enabled.split_whitespace().any(|e| e == *c) {
            std::fs::write(&control, format!("+{c}"))
                .map_err(|e| format!("enabling {c} in {}: {e}", control.display()))?;
        }
    }
    let dir = parent.join(name);
    match std::fs::create_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("creating {}: {e}", dir.display())),
    }
    for (file, value) in resources.files() {
        let path = dir.join(file);
        if let Err(e) = std::fs::write(&path, &value) {
            remove(&dir);
            return Err(format!("writing {value} to {}: {e}", path.display()));
        }
    }
    Ok(dir)
}

/// Remove a container's cgroup once its processes are gone (they leave it a
/// moment after they are reaped, so try a few times).
pub fn remove(dir: &Path) {
    for _ in 0..50 {
        match std::fs::remove_dir(dir) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(2)),
        }
    }
}

/// `--memory`: a number with an optional unit (b, k, m, g, t; Docker's
/// binary multiples).
pub fn parse_memory(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').filter(|s| !s.is_empty()).unwrap_or(&t);
    let (num, mult) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1u64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        't' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: f64 = num.parse().ok()?;
    (n.is_finite() && n > 0.0).then_some((n * mult as f64) as u64)
}

/// `--cpus`: a positive decimal number of CPUs, as a `cpu.max` quota.
pub fn parse_cpus(text: &str) -> Option<u64> {
    let n: f64 = text.trim().parse().ok()?;
    (n.is_finite() && n > 0.0).then(|| ((n * CPU_PERIOD as f64).round() as u64).max(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_like_docker() {
        assert_eq!(parse_memory("512m"), Some(512 << 20));
        assert_eq!(parse_memory("1g"), Some(1 << 30));
        assert_eq!(parse_memory("1GB"), Some(1 << 30));
        assert_eq!(parse_memory("1.5k"), Some(1536));
        assert_eq!(parse_memory("4096"), Some(4096));
        assert_eq!(parse_memory("100b"), Some(100));
        assert_eq!(parse_memory("lots"), None);
        assert_eq!(parse_memory("-1m"), None);
        assert_eq!(parse_cpus("1.5"), Some(150_000));
        assert_eq!(parse_cpus("0.5"), Some(50_000));
        assert_eq!(parse_cpus("0"), None);
        assert_eq!(parse_cpus("x"), None);
    }

    /// A directory laid out like a delegated cgroup v2 parent (the kernel's
    /// own files cannot be had on a host whose controllers are all on v1).
    fn fake_parent(controllers: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("cgroup.controllers"), controllers).unwrap();
        std::fs::write(d.path().join("cgroup.subtree_control"), "").unwrap();
        d
    }

    #[test]
    fn limits_are_written_into_a_new_child_group() {
        let d = fake_parent("cpuset cpu io memory pids\n");
        let r = Resources {
            memory: Some(64 << 20),
            cpu_quota: Some(50_000),
            pids: Some(20),
        };
        let dir = create_in(d.path(), "skiff-abc", &r).unwrap();
        assert_eq!(dir, d.path().join("skiff-abc"));
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        assert_eq!(read("memory.max"), "67108864");
        assert_eq!(read("cpu.max"), "50000 100000");
        assert_eq!(read("pids.max"), "20");
        // the last controller enabled is what a plain file keeps
        let control = std::fs::read_to_string(d.path().join("cgroup.subtree_control")).unwrap();
        assert_eq!(control, "+pids");
    }

    #[test]
    fn controllers_on_v1_are_told_apart() {
        let hybrid = "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t1\t1\nmemory\t4\t56\t1\npids\t0\t1\t1\n";
        assert_eq!(on_v1(hybrid, &["memory", "pids"]), vec!["memory"]);
        assert_eq!(on_v1(hybrid, &["cpu", "memory"]), vec!["cpu", "memory"]);
        let v2 = "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\t1\t1\nmemory\t0\t1\t1\n";
        assert!(on_v1(v2, &["cpu", "memory"]).is_empty());
    }

    #[test]
    fn a_missing_controller_is_named() {
        let d = fake_parent("cpu pids\n");
        let r = Resources {
            memory: Some(1 << 20),
            ..Resources::default()
        };
        let e = create_in(d.path(), "skiff-x", &r).unwrap_err();
        assert!(e.contains("memory controller is not delegated"), "{e}");
        assert!(!d.path().join("skiff-x").exists());
    }
}

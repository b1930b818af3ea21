//! Capability names (`CAP_CHOWN`, `chown`, `ALL`), Docker's default set, the
//! `--cap-add/--cap-drop/--privileged` arithmetic, and applying a kept set to
//! the calling process (bounding set first, then the thread's sets).

use crate::sys::caps::{self as syscaps, CapSets};

/// Capability names by number (index = capability number).
const NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// Docker's default capability set.
pub const DEFAULT: [&str; 14] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "MKNOD",
    "NET_RAW",
    "SETGID",
    "SETUID",
    "SETFCAP",
    "SETPCAP",
    "NET_BIND_SERVICE",
    "SYS_CHROOT",
    "KILL",
    "AUDIT_WRITE",
];

/// Errors of capability handling.
#[derive(Debug, thiserror::Error)]
pub enum CapError {
    #[error("unknown capability {0:?}")]
    Unknown(String),
}

/// The number of capability `name` (`CAP_SYS_ADMIN`, `sys_admin`, …).
pub fn number(name: &str) -> Result<u32, CapError> {
    let upper = name.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
    NAMES
        .iter()
        .position(|n| *n == bare)
        .map(|i| i as u32)
        .ok_or_else(|| CapError::Unknown(name.to_string()))
}

/// The canonical name (`CAP_…`) of capability `n`.
pub fn name(n: u32) -> Option<String> {
    NAMES.get(n as usize).map(|s| format!("CAP_{s}"))
}

/// Docker's default set, canonical names.
pub fn default_set() -> Vec<String> {
    DEFAULT.iter().map(|s| format!("CAP_{s}")).collect()
}

/// The kept set for `--privileged`, `--cap-add` and `--cap-drop` as Docker
/// computes it: start from the default (or all, when privileged), drop, then
/// add; `ALL` works in both lists.
pub fn resolve(privileged: bool, add: &[String], drop: &[String]) -> Result<Vec<String>, CapError> {
    let all = || (0..NAMES.len() as u32).collect::<Vec<_>>();
    let mut kept: Vec<u32> = if privileged {
        all()
    } else {
        DEFAULT
            .iter()
            .map(|n| number(n))
            .collect::<Result<_, _>>()?
    };
    for d in drop {
        if d.eq_ignore_ascii_case("ALL") {
            kept.clear();
        } else {
            let n = number(d)?;
            kept.retain(|k| *k != n);
        }
    }
    for a in add {
        let nums = if a.eq_ignore_ascii_case("ALL") {
            all()
        } else {
            vec![number(a)?]
        };
        for n in nums {
            if !kept.contains(&n) {
                kept.push(n);
            }
        }
    }
    kept.sort_unstable();
    Ok(kept.into_iter().filter_map(name).collect())
}

/// The bit mask of a list of names.
pub fn mask(names: &[String]) -> Result<u64, CapError> {
    names
        .iter()
        .try_fold(0u64, |acc, n| Ok(acc | (1u64 << number(n)?)))
}

/// Drop every capability not in `kept` from the bounding set (needs
/// CAP_SETPCAP, so call this before changing user ids).
pub fn limit_bounding(kept: u64) -> nix::Result<()> {
    for cap in 0..=syscaps::last_cap().min(63) {
        if kept & (1u64 << cap) == 0 {
            syscaps::drop_bounding(cap)?;
        }
    }
    Ok(())
}

/// Set effective and permitted to `kept` (after the user switch; for a
/// non-root user the kernel has already emptied them, as with Docker), and
/// empty the inheritable and ambient sets, as Docker and Podman do: an
/// inheritable set would let a program with file inheritable capabilities gain
/// them across an exec (CVE-2022-24769), whatever user runs it.
pub fn set_thread_sets(kept: u64) -> nix::Result<()> {
    let cur = syscaps::get()?;
    let keep = kept & cur.permitted;
    syscaps::clear_ambient()?;
    syscaps::set(CapSets {
        effective: keep,
        permitted: keep,
        inheritable: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_both_ways() {
        assert_eq!(number("CAP_CHOWN").unwrap(), 0);
        assert_eq!(number("sys_admin").unwrap(), 21);
        assert_eq!(number("Net_Raw").unwrap(), 13);
        assert!(number("CAP_NOPE").is_err());
        assert_eq!(name(40).as_deref(), Some("CAP_CHECKPOINT_RESTORE"));
    }

    #[test]
    fn resolve_like_docker() {
        let d = resolve(false, &[], &[]).unwrap();
        assert_eq!(d.len(), 14);
        let r = resolve(false, &["NET_ADMIN".into()], &["chown".into()]).unwrap();
        assert!(r.contains(&"CAP_NET_ADMIN".to_string()));
        assert!(!r.contains(&"CAP_CHOWN".to_string()));
        let none = resolve(false, &[], &["ALL".into()]).unwrap();
        assert!(none.is_empty());
        let p = resolve(true, &[], &[]).unwrap();
        assert_eq!(p.len(), 41);
        assert_eq!(mask(&["CAP_KILL".into()]).unwrap(), 1 << 5);
    }
}

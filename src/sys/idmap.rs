//! User identity and subordinate id ranges, read from /etc/passwd and /etc/subuid,
//! /etc/subgid directly (no glibc NSS in a static binary), and a user namespace's
//! id maps as /proc shows them.

use std::path::Path;

/// A contiguous range of host ids delegated to the user (`name:start:count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdRange {
    pub start: u32,
    pub count: u32,
}

/// How the user namespace maps ids: container 0 is the user, 1.. the subordinate range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMapping {
    pub uid: u32,
    pub gid: u32,
    pub sub_uids: Option<IdRange>,
    pub sub_gids: Option<IdRange>,
}

impl IdMapping {
    /// True when both a subuid and a subgid range are available.
    pub fn has_ranges(&self) -> bool {
        self.sub_uids.is_some() && self.sub_gids.is_some()
    }

    /// The host uid that container uid `id` maps to, if mapped.
    pub fn host_uid(&self, id: u32) -> Option<u32> {
        map_one(id, self.uid, self.sub_uids)
    }

    /// The host gid that container gid `id` maps to, if mapped.
    pub fn host_gid(&self, id: u32) -> Option<u32> {
        map_one(id, self.gid, self.sub_gids)
    }
}

fn map_one(id: u32, own: u32, range: Option<IdRange>) -> Option<u32> {
    match (id, range) {
        (0, _) => Some(own),
        (n, Some(r)) if n <= r.count => Some(r.start + n - 1),
        _ => None,
    }
}

/// The user name of `uid` from an /etc/passwd-format file.
pub fn user_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        let name = f.next()?;
        let _pw = f.next()?;
        let id: u32 = f.next()?.parse().ok()?;
        (id == uid).then(|| name.to_string())
    })
}

/// The first range for `name` or numeric `id` in an /etc/subuid-format file.
pub fn sub_range(content: &str, name: Option<&str>, id: u32) -> Option<IdRange> {
    let id_text = id.to_string();
    content.lines().find_map(|line| {
        let mut f = line.trim().split(':');
        let owner = f.next()?;
        if Some(owner) != name && owner != id_text {
            return None;
        }
        let start: u32 = f.next()?.trim().parse().ok()?;
        let count: u32 = f.next()?.trim().parse().ok()?;
        (count > 0).then_some(IdRange { start, count })
    })
}

/// The lines of a `/proc/PID/uid_map` or `gid_map`: (first id inside, first id
/// outside, count) each.
pub fn map_lines(text: &str) -> Vec<(u64, u64, u64)> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<u64> = l
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            match f.as_slice() {
                [inside, outside, count] => Some((*inside, *outside, *count)),
                _ => None,
            }
        })
        .collect()
}

/// The mapping for the current user, from the files under `etc`.
pub fn current_mapping(etc: &Path) -> IdMapping {
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    let read = |f: &str| std::fs::read_to_string(etc.join(f)).unwrap_or_default();
    let name = user_name(&read("passwd"), uid);
    IdMapping {
        uid,
        gid,
        sub_uids: sub_range(&read("subuid"), name.as_deref(), uid),
        sub_gids: sub_range(&read("subgid"), name.as_deref(), uid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_id_map_lines() {
        let text = "         0       1001          1\n         1     200000      65536\n";
        assert_eq!(map_lines(text), vec![(0, 1001, 1), (1, 200000, 65536)]);
        assert!(map_lines("garbage\n").is_empty());
    }

    #[test]
    fn parses_files() {
        let passwd = "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n";
        assert_eq!(user_name(passwd, 1000).as_deref(), Some("alice"));
        assert_eq!(user_name(passwd, 5), None);
        let sub = "bob:100000:65536\nalice:200000:65536\n";
        assert_eq!(
            sub_range(sub, Some("alice"), 1000),
            Some(IdRange {
                start: 200000,
                count: 65536
            })
        );
        assert_eq!(
            sub_range("1000:300000:10\n", Some("alice"), 1000),
            Some(IdRange {
                start: 300000,
                count: 10
            })
        );
        assert_eq!(sub_range(sub, Some("carol"), 1001), None);
    }

    #[test]
    fn maps_ids() {
        let m = IdMapping {
            uid: 1000,
            gid: 1000,
            sub_uids: Some(IdRange {
                start: 200000,
                count: 65536,
            }),
            sub_gids: None,
        };
        assert_eq!(m.host_uid(0), Some(1000));
        assert_eq!(m.host_uid(1), Some(200000));
        assert_eq!(m.host_uid(65536), Some(265535));
        assert_eq!(m.host_uid(65537), None);
        assert_eq!(m.host_gid(5), None);
    }
}

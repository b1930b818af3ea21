//! Linux capabilities: the capability sets of the calling thread
//! (`capget`/`capset`, version 3) and the bounding and ambient sets (`prctl`).
//!
//! Capabilities are numbers here (`CAP_CHOWN` = 0 …); names live in
//! `runtime::caps`. A set is a `u64` bit mask.

use nix::errno::Errno;

const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Default, Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// The three per-thread capability sets, as bit masks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapSets {
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
}

/// The highest capability number this kernel knows.
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(40)
}

/// Read the calling thread's capability sets.
pub fn get() -> nix::Result<CapSets> {
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: header points to a valid v3 header and data to the two
    // `CapData` entries the v3 ABI writes.
    let rc = unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) };
    Errno::result(rc)?;
    let join = |lo: u32, hi: u32| u64::from(lo) | (u64::from(hi) << 32);
    Ok(CapSets {
        effective: join(data[0].effective, data[1].effective),
        permitted: join(data[0].permitted, data[1].permitted),
        inheritable: join(data[0].inheritable, data[1].inheritable),
    })
}

/// Set the calling thread's capability sets.
pub fn set(sets: CapSets) -> nix::Result<()> {
    let mut header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let split = |v: u64| (v as u32, (v >> 32) as u32);
    let (e0, e1) = split(sets.effective);
    let (p0, p1) = split(sets.permitted);
    let (i0, i1) = split(sets.inheritable);
    let data = [
        CapData {
            effective: e0,
            permitted: p0,
            inheritable: i0,
        },
        CapData {
            effective: e1,
            permitted: p1,
            inheritable: i1,
        },
    ];
    // SAFETY: header is a valid v3 header, data the two entries v3 reads;
    // the kernel only reads `data`.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) };
    Errno::result(rc).map(drop)
}

/// Drop capability `cap` from the bounding set (needs CAP_SETPCAP).
pub fn drop_bounding(cap: u32) -> nix::Result<()> {
    // SAFETY: PR_CAPBSET_DROP takes a plain integer; no memory is passed.
    let rc = unsafe { libc::prctl(libc::PR_CAPBSET_DROP, libc::c_ulong::from(cap), 0, 0, 0) };
    match Errno::result(rc) {
        // A capability this kernel does not know is not in the set anyway.
        Err(Errno::EINVAL) => Ok(()),
        other => other.map(drop),
    }
}

/// Empty the ambient set.
pub fn clear_ambient() -> nix::Result<()> {
    // SAFETY: plain-integer prctl, no memory passed.
    let rc = unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
            0,
            0,
            0,
        )
    };
    Errno::result(rc).map(drop)
}

//! Runtime integration tests: real containers from a busybox rootfs.
//!
//! Each test forks; the (single-threaded) child enters a user namespace
//! when not real root (mapping only its own id to 0, as skiff's single-id
//! fallback does; `SKIFF_TEST_SUBUID=1` maps the user's subordinate range
//! with newuidmap instead), runs the container and sends back what it saw.
//! Run them rootless as an unprivileged user to test the real target.
#![allow(clippy::unwrap_used)]

mod runtime_support;

use nix::sys::signal::Signal;
use runtime_support::*;
use skiff::runtime::{MountSpec, NetHelper, NetworkMode, RuntimeError};

#[test]
fn pid_one_and_exit_code() {
    let out = run(&["sh", "-c", "echo $$; exit 3"], |_| {});
    assert_eq!(out.result, Ok(3), "{out:?}");
    assert_eq!(out.stdout, "1\n");
    assert_eq!(out.rootfs, "KernelOverlay");
}

#[test]
fn sigterm_reaches_the_process_through_init() {
    let script = "trap 'exit 7' TERM; echo up; while true; do sleep 0.05; done";
    let out = run_signalled(
        &["sh", "-c", script],
        |s| s.init = true,
        300,
        Signal::SIGTERM,
    );
    assert_eq!(out.result, Ok(7), "{out:?}");
}

#[test]
fn sigkill_gives_137() {
    let out = run_signalled(&["sleep", "10"], |_| {}, 100, Signal::SIGKILL);
    assert_eq!(out.result, Ok(137), "{out:?}");
}

#[test]
fn non_root_user_writes_with_mapped_id() {
    if mapping() == "single" {
        let out = run(&["id", "-u"], |s| s.process.user = "1000".into());
        assert!(matches!(out.result, Err((125, _))), "{out:?}");
        return;
    }
    let host = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        host.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let src = host.path().to_path_buf();
    let out = run(&["sh", "-c", "id -u; id -g; touch /data/f"], |s| {
        s.process.user = "1000:1000".into();
        s.mounts.push(MountSpec::Bind {
            source: src.clone(),
            dest: "/data".into(),
            readonly: false,
            recursive: true,
        });
    });
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout, "1000\n1000\n");
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata(host.path().join("f")).unwrap().uid();
    if mapping() == "identity" {
        assert_eq!(uid, 1000);
    } else {
        assert_ne!(uid, nix::unistd::geteuid().as_raw(), "not a subordinate id");
        assert!(uid >= 100000, "uid {uid}");
    }
}

#[test]
fn hostname_and_etc_files() {
    let out = run(
        &[
            "sh",
            "-c",
            "hostname; cat /etc/hostname; grep -c box /etc/hosts",
        ],
        |_| {},
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout, "box\nbox\n1\n");
}

#[test]
fn no_host_processes() {
    let out = run(
        &["sh", "-c", "ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '"],
        |_| {},
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    let pids: Vec<u32> = out
        .stdout
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(pids.iter().all(|p| *p < 10), "host pids visible: {out:?}");
}

#[test]
fn missing_command_is_127() {
    let out = run(&["no-such-command"], |_| {});
    assert!(matches!(out.result, Err((127, _))), "{out:?}");
}

#[test]
fn not_executable_is_126() {
    let out = run(&["/etc/passwd"], |_| {});
    assert!(matches!(out.result, Err((126, _))), "{out:?}");
}

#[test]
fn readonly_bind_cannot_be_written() {
    let host = tempfile::tempdir().unwrap();
    let src = host.path().to_path_buf();
    let out = run(
        &["sh", "-c", "touch /data/x && echo wrote; ls /data"],
        |s| {
            s.mounts.push(MountSpec::Bind {
                source: src.clone(),
                dest: "/data".into(),
                readonly: true,
                recursive: true,
            })
        },
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert!(!out.stdout.contains("wrote"), "{out:?}");
    assert!(!host.path().join("x").exists());
}

#[test]
fn writable_bind_keeps_host_ownership() {
    let host = tempfile::tempdir().unwrap();
    let src = host.path().to_path_buf();
    let out = run(&["sh", "-c", "echo hi > /data/x"], |s| {
        s.mounts.push(MountSpec::Bind {
            source: src.clone(),
            dest: "/data".into(),
            readonly: false,
            recursive: true,
        })
    });
    assert_eq!(out.result, Ok(0), "{out:?}");
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(host.path().join("x")).unwrap();
    assert_eq!(meta.uid(), nix::unistd::geteuid().as_raw());
}

#[test]
fn readonly_rootfs_and_masked_paths() {
    let out = run(
        &[
            "sh",
            "-c",
            "touch /x 2>/dev/null && echo wrote; wc -c < /proc/keys; touch /tmp/ok && echo tmp",
        ],
        |s| {
            s.readonly_rootfs = true;
            s.mounts.push(MountSpec::Tmpfs {
                dest: "/tmp".into(),
                options: "mode=1777".into(),
            });
        },
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout, "0\ntmp\n");
}

#[test]
fn network_none_has_only_lo() {
    let out = run(
        &[
            "sh",
            "-c",
            "ls /sys/class/net; cat /proc/net/dev | tail -n +3 | cut -d: -f1",
        ],
        |s| {
            s.network = NetworkMode::None;
        },
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(
        out.stdout.split_whitespace().collect::<Vec<_>>(),
        ["lo", "lo"]
    );
}

#[test]
fn network_private_has_an_interface() {
    let out = run(
        &[
            "sh",
            "-c",
            "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | wc -l",
        ],
        |s| {
            s.network = NetworkMode::Private(NetHelper::Builtin);
        },
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout.trim(), "2", "{out:?}");
}

#[test]
fn default_capabilities() {
    let out = run(
        &["sh", "-c", "grep -E 'CapEff|CapBnd' /proc/self/status"],
        |_| {},
    );
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(
        out.stdout,
        "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n"
    );
}

#[test]
fn init_is_pid_one() {
    let out = run(&["sh", "-c", "echo $$; exit 4"], |s| s.init = true);
    assert_eq!(out.result, Ok(4), "{out:?}");
    assert_eq!(out.stdout, "2\n");
}

#[test]
fn terminal_gives_a_pty() {
    let out = run(&["sh", "-c", "tty; test -t 0 && echo yes"], |s| {
        s.process.terminal = true
    });
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout.replace('\r', ""), "/dev/pts/0\nyes\n");
}

#[test]
fn exec_joins_the_container() {
    let out = run_with_exec(&[
        "sh",
        "-c",
        "hostname; echo $$; cat /proc/1/cmdline | tr '\\0' ' '",
    ]);
    assert_eq!(out.result, Ok(0), "{out:?}");
    assert_eq!(out.stdout, "box\n2\nsleep 30 ");
}

#[test]
fn unknown_user_is_125() {
    let out = run(&["id"], |s| s.process.user = "nobody-here".into());
    assert!(matches!(out.result, Err((125, _))), "{out:?}");
}

#[allow(dead_code)]
fn _types(_: RuntimeError) {}

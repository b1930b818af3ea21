//! Volumes from four threads at once; a used volume kept (by `rm` and
//! `prune`), also when its removal races the container's create.

use std::path::Path;
use std::sync::Barrier;

use skiff::engine::containers::{self, CreateOptions, RemoveOptions};
use skiff::engine::{volumes, Engine};
use skiff::error_kind::ErrorKind;

use crate::support::*;

fn one_volume(engine: &Engine, i: usize) {
    let name = format!("vol{i}");
    let create = volumes::CreateOptions {
        name: Some(name.clone()),
    };
    assert_eq!(volumes::create(engine, &create).unwrap(), name);
    let mine = volumes::ListOptions {
        filters: vec![format!("name=vol{i}")],
    };
    let listed = volumes::list(engine, &mine).unwrap();
    assert_eq!(
        listed.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        [name.as_str()]
    );
    let v = volumes::inspect(engine, &name).unwrap();
    assert_eq!((v.driver.as_str(), v.scope.as_str()), ("local", "local"));
    let data = volumes::data_dir(engine, &name);
    assert_eq!(Path::new(&v.mountpoint), data);
    std::fs::write(data.join("f"), format!("data of {i}")).unwrap();
    volumes::remove(engine, &name, &volumes::RemoveOptions::default()).unwrap();
    assert!(!volumes::exists(engine, &name));
    assert_eq!(
        kind_of(volumes::inspect(engine, &name)),
        ErrorKind::NotFound
    );
}

pub fn volumes_from_threads() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let engine = &engine;
                s.spawn(move || one_volume(engine, i))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
    });
    assert_eq!(volumes::names(&engine), Vec::<String>::new());

    // A volume a created container uses is kept; prune takes the others.
    let user = containers::create(
        &engine,
        &CreateOptions {
            volumes: vec!["held:/data".into()],
            ..sh("true")
        },
        &Quiet,
    )
    .unwrap();
    for name in ["loose-a", "loose-b"] {
        let opts = volumes::CreateOptions {
            name: Some(name.into()),
        };
        volumes::create(&engine, &opts).unwrap();
    }
    std::fs::write(volumes::data_dir(&engine, "loose-a").join("f"), "12345").unwrap();
    let dangling = |yes: bool| {
        let opts = volumes::ListOptions {
            filters: vec![format!("dangling={yes}")],
        };
        let listed = volumes::list(&engine, &opts).unwrap();
        listed.into_iter().map(|v| v.name).collect::<Vec<_>>()
    };
    assert_eq!(dangling(true), ["loose-a", "loose-b"]);
    assert_eq!(dangling(false), ["held"]);
    assert_eq!(
        volumes::users(&engine, "held").unwrap(),
        [user.name.as_str()]
    );
    let refused = volumes::remove(&engine, "held", &volumes::RemoveOptions::default());
    let err = refused.expect_err("a used volume is not removed");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains(&user.name), "{err}");

    let mut seen = Vec::new();
    let report = volumes::prune(&engine, &mut |n| seen.push(n.to_string())).unwrap();
    assert_eq!(report.volumes_deleted, ["loose-a", "loose-b"]);
    assert_eq!(seen, report.volumes_deleted);
    assert!(report.space_reclaimed >= 5, "{report:?}");
    assert_eq!(volumes::names(&engine), ["held"]);

    containers::remove(&engine, &user.id, &RemoveOptions::default()).unwrap();
    volumes::remove(&engine, "held", &volumes::RemoveOptions::default()).unwrap();
    assert_eq!(volumes::names(&engine), Vec::<String>::new());
}

/// `volume rm` racing `create -v NAME:…`: either the removal is refused (the
/// container came first) or the volume is made again for the container; never
/// a container whose volume is gone.
pub fn a_volume_is_never_removed_under_a_container_being_created() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    for round in 0..8 {
        let name = format!("race{round}");
        let create = volumes::CreateOptions {
            name: Some(name.clone()),
        };
        volumes::create(&engine, &create).unwrap();
        let both = Barrier::new(2);
        let (created, removed) = std::thread::scope(|s| {
            let c = s.spawn(|| {
                let opts = CreateOptions {
                    volumes: vec![format!("{name}:/data")],
                    ..sh("true")
                };
                both.wait();
                containers::create(&engine, &opts, &Quiet).unwrap()
            });
            let r = s.spawn(|| {
                both.wait();
                volumes::remove(&engine, &name, &volumes::RemoveOptions::default())
            });
            (c.join().unwrap(), r.join().unwrap())
        });
        if let Err(e) = &removed {
            assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
        }
        assert!(
            volumes::exists(&engine, &name),
            "round {round}: {removed:?}"
        );
        assert_eq!(
            volumes::users(&engine, &name).unwrap(),
            [created.name.as_str()]
        );
        containers::remove(&engine, &created.id, &RemoveOptions::default()).unwrap();
    }
}

//! Images from four threads at once: import, tag, list, inspect, untag and
//! remove; an image with several names or in use is not removed.

use skiff::engine::containers::{self, RemoveOptions};
use skiff::engine::images::{self, Removal};
use skiff::engine::{inspect, local_name, Engine};
use skiff::error_kind::ErrorKind;
use skiff::store::ImageRecord;

use crate::support::*;

fn one_image(engine: &Engine, bb: &ImageRecord, i: usize) {
    // An image of its own, and another name for the shared one.
    let own_name = format!("img{i}");
    let file = format!("etc/own{i}");
    let own = import_as(engine, &own_name, &[(&file, "mine")]);
    let alias = images::tag(engine, "bb", &format!("alias{i}:v1")).unwrap();
    assert_eq!(alias.to_string(), format!("localhost/alias{i}:v1"));

    let listed = images::list(engine).unwrap();
    let row = |n: &str| {
        listed
            .iter()
            .find(|r| r.name.as_ref().is_some_and(|x| x.to_string() == n))
            .map(|r| r.record.id.clone())
    };
    assert_eq!(row(&alias.to_string()), Some(bb.id.clone()));
    assert_eq!(
        row(&format!("localhost/{own_name}:latest")),
        Some(own.id.clone())
    );

    let shared = inspect::inspect(engine, &alias.to_string()).unwrap();
    assert_eq!(shared.id, bb.id.hex());
    assert!(
        shared.repo_tags.contains(&alias.to_string()),
        "{:?}",
        shared.repo_tags
    );
    assert!(shared
        .repo_tags
        .contains(&"localhost/bb:latest".to_string()));
    let mine = inspect::inspect(engine, &own_name).unwrap();
    assert_eq!(mine.id, own.id.hex());
    assert_eq!(mine.repo_tags, [format!("localhost/{own_name}:latest")]);
    assert_eq!(mine.root_fs.kind, "layers");
    assert_eq!(mine.root_fs.layers.len(), 1);
    assert_ne!(mine.root_fs.layers, shared.root_fs.layers);
    assert_eq!(mine.comment, format!("Imported from {own_name}"));
    assert_eq!(mine.history.as_ref().map(Vec::len), Some(1));
    assert!(mine.size > 0);

    // Removing one of two names untags; the last name deletes.
    let untagged = images::remove(engine, &alias.to_string(), false).unwrap();
    assert_eq!(untagged, [Removal::Untagged(alias.clone())]);
    let deleted = images::remove(engine, &own_name, false).unwrap();
    let own_ref = local_name(&own_name).unwrap();
    assert_eq!(
        deleted,
        [Removal::Untagged(own_ref), Removal::Deleted(own.id)]
    );
    assert_eq!(
        kind_of(inspect::inspect(engine, &own_name)),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind_of(images::remove(engine, &own_name, false)),
        ErrorKind::NotFound
    );
}

pub fn images_from_threads() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let bb = skiff::engine::resolve::resolve(&engine, "bb")
        .unwrap()
        .record;
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let (engine, bb) = (&engine, &bb);
                s.spawn(move || one_image(engine, bb, i))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
    });
    let left: Vec<String> = images::list(&engine)
        .unwrap()
        .iter()
        .map(|r| r.name.as_ref().map(|n| n.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(left, ["localhost/bb:latest"]);

    // An image with several names is not removed by id; one a container uses
    // is not removed at all.
    images::tag(&engine, "bb", "extra").unwrap();
    let by_id = images::remove(&engine, bb.id.hex(), false);
    assert_eq!(kind_of(by_id), ErrorKind::Conflict);
    images::remove(&engine, "extra", false).unwrap();
    let user = containers::create(&engine, &sh("true"), &Quiet).unwrap();
    assert_eq!(
        kind_of(images::remove(&engine, "bb", false)),
        ErrorKind::Conflict
    );
    containers::remove(&engine, &user.id, &RemoveOptions::default()).unwrap();
    let gone = images::remove(&engine, "bb", false).unwrap();
    assert!(gone.contains(&Removal::Deleted(bb.id.clone())), "{gone:?}");
    assert!(images::list(&engine).unwrap().is_empty());
}

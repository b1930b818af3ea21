//! The kinds of errors real engine calls return (what the CLI maps to exit
//! codes and the API service will map to HTTP status codes).

use skiff::engine::containers::{
    self, CreateOptions, KillOptions, ListOptions, PullPolicy, RemoveOptions,
};
use skiff::engine::{images, inspect, volumes};
use skiff::error_kind::ErrorKind;

use crate::support::*;

pub fn error_kinds() {
    if skip_unless_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    use ErrorKind::*;
    // NotFound: a missing container, image or volume.
    assert_eq!(
        kind_of(containers::find(&engine, "nope").map(|_| ())),
        NotFound
    );
    assert_eq!(kind_of(inspect::container(&engine, "nope")), NotFound);
    assert_eq!(kind_of(containers::wait(&engine, "nope")), NotFound);
    let rm = containers::remove(&engine, "nope", &RemoveOptions::default());
    assert_eq!(kind_of(rm), NotFound);
    assert_eq!(kind_of(inspect::inspect(&engine, "nope")), NotFound);
    assert_eq!(kind_of(images::tag(&engine, "nope", "x")), NotFound);
    let missing_image = CreateOptions {
        pull: PullPolicy::Never,
        ..CreateOptions::new("localhost/nope")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &missing_image, &Quiet)),
        NotFound
    );
    let rm_vol = volumes::remove(&engine, "nope", &volumes::RemoveOptions::default());
    assert_eq!(kind_of(rm_vol), NotFound);

    // Conflict: a name taken, a signal for a container that does not run.
    let named = CreateOptions {
        name: Some("taken".into()),
        ..sh("true")
    };
    let first = containers::create(&engine, &named, &Quiet).unwrap();
    assert_eq!(
        kind_of(containers::create(&engine, &named, &Quiet)),
        Conflict
    );
    let term = KillOptions {
        signal: "TERM".into(),
    };
    assert_eq!(kind_of(containers::kill(&engine, "taken", &term)), Conflict);

    // InvalidArgument: bad options, filters, names and signals.
    let bad_restart = CreateOptions {
        restart: "sometimes".into(),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_restart, &Quiet)),
        InvalidArgument
    );
    let bad_network = CreateOptions {
        network: "carrier-pigeon".into(),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_network, &Quiet)),
        InvalidArgument
    );
    let bad_name = CreateOptions {
        name: Some("-x".into()),
        ..sh("true")
    };
    assert_eq!(
        kind_of(containers::create(&engine, &bad_name, &Quiet)),
        InvalidArgument
    );
    let bad_filter = ListOptions {
        filters: vec!["colour=blue".into()],
        ..ListOptions::default()
    };
    assert_eq!(
        kind_of(containers::list(&engine, &bad_filter)),
        InvalidArgument
    );
    let bad_signal = KillOptions {
        signal: "SIGNOPE".into(),
    };
    assert_eq!(
        kind_of(containers::kill(&engine, "taken", &bad_signal)),
        InvalidArgument
    );
    let digest = "x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_eq!(kind_of(images::tag(&engine, "bb", digest)), InvalidArgument);
    let bad_volume = volumes::CreateOptions {
        name: Some("-v".into()),
    };
    assert_eq!(
        kind_of(volumes::create(&engine, &bad_volume)),
        InvalidArgument
    );
    // (A filter is checked against each volume or container: with none to
    // list, a bad one passes; hence one to list.)
    let one = volumes::CreateOptions {
        name: Some("one".into()),
    };
    volumes::create(&engine, &one).unwrap();
    let bad_volume_filter = volumes::ListOptions {
        filters: vec!["colour=blue".into()],
    };
    assert_eq!(
        kind_of(volumes::list(&engine, &bad_volume_filter)),
        InvalidArgument
    );

    // None of the failures left anything behind.
    assert_eq!(all_containers(&engine), [first.id.as_str()]);
    containers::remove(&engine, &first.id, &RemoveOptions::default()).unwrap();
    assert_eq!(all_containers(&engine), Vec::<String>::new());
}

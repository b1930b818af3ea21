use super::*;

const DOCKER: &str = r#"{"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"ExposedPorts":{"80/tcp":{}},"Tty":false,"Env":["PATH=/bin"],"Cmd":["sh"],"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Custom":1},"ArgsEscaped":true,"Image":"sha256:aa","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":["RUN x"],"Labels":{"b":"2","a":"1"},"Shell":["/bin/bash","-c"]},"container":"abc","created":"2024-01-01T00:00:00Z","docker_version":"20.10.7","history":[{"created":"2024-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","empty_layer":true,"x-extra":[1,2.5]}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]},"moby.custom":{"k":null}}"#;

#[test]
fn docker_config_round_trips_byte_for_byte() {
    let c = Ordered::<ImageConfig>::parse(DOCKER.as_bytes()).unwrap();
    assert_eq!(String::from_utf8(c.to_bytes().unwrap()).unwrap(), DOCKER);
}

#[test]
fn docker_only_and_unknown_fields_are_typed_or_kept() {
    let c = Ordered::<ImageConfig>::parse(DOCKER.as_bytes()).unwrap();
    let r = c.run_config();
    assert_eq!(r.shell(), ["/bin/bash", "-c"]);
    assert_eq!(r.on_build(), ["RUN x"]);
    assert_eq!(r.args_escaped, Some(true));
    let h = r.healthcheck.as_ref().unwrap();
    assert_eq!(h.interval, Some(30_000_000_000));
    assert_eq!(h.extra["Custom"], 1);
    assert_eq!(r.extra["Image"], "sha256:aa");
    assert_eq!(r.labels.as_ref().unwrap()["a"], "1");
    assert!(r.entrypoint.is_none() && r.entrypoint().is_empty());
    assert_eq!(c.docker_version.as_deref(), Some("20.10.7"));
    assert_eq!(c.extra["container"], "abc");
    assert_eq!(c.history()[0].extra["x-extra"][1], 2.5);
    assert_eq!(c.rootfs.as_ref().unwrap().diff_ids.len(), 1);
}

#[test]
fn setters_keep_places_and_append_new_keys_in_order() {
    let mut c = Ordered::<ImageConfig>::parse(DOCKER.as_bytes()).unwrap();
    let r = c.run_config_mut();
    r.set_user("u".into());
    r.set_stop_signal("SIGINT".into());
    r.set_entrypoint(Some(vec!["e".into()]));
    r.volumes_mut().insert("/v".into(), serde_json::json!({}));
    let v: Value = serde_json::to_value(&c).unwrap();
    let keys: Vec<&str> = v["config"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys[2], "User");
    assert_eq!(*keys.last().unwrap(), "StopSignal");
    assert_eq!(v["config"]["Volumes"], serde_json::json!({"/v": {}}));
    assert_eq!(v["config"]["Entrypoint"], serde_json::json!(["e"]));
}

#[test]
fn removal_moves_the_last_key_as_serde_json_map_did() {
    let src = r#"{"config":{"Cmd":["a"],"Env":[],"User":"x"}}"#;
    let mut typed = Ordered::<ImageConfig>::parse(src.as_bytes()).unwrap();
    typed.run_config_mut().remove_cmd();
    let mut untyped: Value = serde_json::from_str(src).unwrap();
    untyped["config"]
        .as_object_mut()
        .unwrap()
        .swap_remove("Cmd");
    assert_eq!(
        String::from_utf8(typed.to_bytes().unwrap()).unwrap(),
        untyped.to_string()
    );
}

#[test]
fn null_and_absent_stay_apart() {
    let src = r#"{"config":{"Cmd":null,"Labels":null},"author":null}"#;
    let mut c = Ordered::<ImageConfig>::parse(src.as_bytes()).unwrap();
    assert_eq!(String::from_utf8(c.to_bytes().unwrap()).unwrap(), src);
    assert_eq!(c.author_json(), "null");
    c.run_config_mut()
        .labels_mut()
        .insert("a".into(), "b".into());
    c.run_config_mut().set_entrypoint(None);
    assert_eq!(
        String::from_utf8(c.to_bytes().unwrap()).unwrap(),
        r#"{"config":{"Cmd":null,"Labels":{"a":"b"},"Entrypoint":null},"author":null}"#
    );
}

#[test]
fn scratch_has_todays_shape() {
    let c = Ordered::<ImageConfig>::scratch("amd64", "linux");
    assert_eq!(
        String::from_utf8(c.to_bytes().unwrap()).unwrap(),
        r#"{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]},"history":[]}"#
    );
    assert_eq!(c.author_json(), "");
}

#[test]
fn state_json_drops_history_created_and_rootfs() {
    let c = Ordered::<ImageConfig>::parse(DOCKER.as_bytes()).unwrap();
    let s = c.state_json();
    assert!(!s.contains("\"history\"") && !s.contains("\"rootfs\"") && !s.contains("\"created\""));
    assert!(s.contains("\"moby.custom\""));
}

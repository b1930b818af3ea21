//! Every instruction and its forms, flags and errors.

use super::*;
use crate::dockerfile::ast::Healthcheck;

#[test]
fn from_forms() {
    let d = ok(
        "FROM alpine:3.19\nFROM --platform=linux/arm64 busybox AS Build\nfrom scratch as x.y-z_1\n",
    );
    assert_eq!(d.stages.len(), 3);
    assert_eq!(d.stages[0].base, "alpine:3.19");
    assert_eq!(d.stages[0].name, None);
    assert_eq!(d.stages[0].line, 1);
    assert_eq!(d.stages[1].name.as_deref(), Some("build"));
    assert_eq!(d.stages[1].platform.as_deref(), Some("linux/arm64"));
    assert_eq!(d.stages[2].name.as_deref(), Some("x.y-z_1"));
    assert_eq!(d.stages[2].line, 3);
    assert_eq!(d.escape, '\\');
}

#[test]
fn from_errors() {
    assert_eq!(fail("FROM\n").kind, ParseErrorKind::FromArguments);
    assert_eq!(fail("FROM a b\n").kind, ParseErrorKind::FromArguments);
    assert_eq!(fail("FROM a AS b c\n").kind, ParseErrorKind::FromArguments);
    assert_eq!(
        fail("FROM a AS 1x\n").kind,
        ParseErrorKind::StageName("1x".into())
    );
    assert!(matches!(
        fail("FROM --plat=x a\n").kind,
        ParseErrorKind::UnknownFlag {
            instruction: "FROM",
            ..
        }
    ));
}

#[test]
fn meta_args_before_from() {
    let d = ok("# comment\nARG TAG=3.19\nARG BASE\nFROM alpine:${TAG}\nARG TAG\nRUN echo $TAG\n");
    assert_eq!(d.meta_args.len(), 2);
    assert_eq!(
        d.meta_args[0].kind,
        Kind::Arg(vec![("TAG".into(), Some("3.19".into()))])
    );
    assert_eq!(d.meta_args[1].kind, Kind::Arg(vec![("BASE".into(), None)]));
    assert_eq!(d.meta_args[0].line, 2);
    assert_eq!(d.stages[0].base, "alpine:${TAG}");
    assert_eq!(
        d.stages[0].instructions[0].kind,
        Kind::Arg(vec![("TAG".into(), None)])
    );
}

#[test]
fn arg_forms() {
    assert_eq!(
        one(r#"ARG a b=1 c="x y" d="#),
        Kind::Arg(vec![
            ("a".into(), None),
            ("b".into(), Some("1".into())),
            ("c".into(), Some(r#""x y""#.into())),
            ("d".into(), Some(String::new())),
        ])
    );
    assert_eq!(
        fail_body("ARG").kind,
        ParseErrorKind::AtLeastOneArgument("ARG")
    );
    assert_eq!(fail_body("ARG =x").kind, ParseErrorKind::BlankName("ARG"));
}

#[test]
fn run_shell_and_exec() {
    let Kind::Run(r) = one("RUN apk add curl && echo 'hi there'") else {
        panic!()
    };
    assert_eq!(
        r.command,
        CommandForm::Shell("apk add curl && echo 'hi there'".into())
    );
    assert!(r.heredocs.is_empty());
    let Kind::Run(r) = one(r#"RUN ["echo", "a b", "\u00e9\n"]"#) else {
        panic!()
    };
    assert_eq!(r.command, CommandForm::Exec(strs(&["echo", "a b", "é\n"])));
}

#[test]
fn run_flags() {
    let Kind::Run(r) = one(
        "RUN --mount=type=cache,target=/root/.cache --mount=type=tmpfs,target=/t --network=none --security=sandbox make",
    ) else {
        panic!()
    };
    assert_eq!(
        r.mounts,
        strs(&["type=cache,target=/root/.cache", "type=tmpfs,target=/t"])
    );
    assert_eq!(r.network.as_deref(), Some("none"));
    assert_eq!(r.security.as_deref(), Some("sandbox"));
    assert_eq!(r.command, CommandForm::Shell("make".into()));
    assert!(matches!(
        fail_body("RUN --foo=bar make").kind,
        ParseErrorKind::UnknownFlag { instruction: "RUN", ref flag } if flag == "foo"
    ));
    assert_eq!(
        fail_body("RUN --network=a --network=b x").kind,
        ParseErrorKind::DuplicateFlag("network".into())
    );
    assert_eq!(
        fail_body("RUN --network x").kind,
        ParseErrorKind::FlagValue("network".into())
    );
    assert_eq!(
        fail_body("RUN").kind,
        ParseErrorKind::AtLeastOneArgument("RUN")
    );
}

#[test]
fn invalid_json_falls_back_to_shell() {
    assert_eq!(
        one("CMD [\"echo\", 'hi']"),
        Kind::Cmd(CommandForm::Shell("[\"echo\", 'hi']".into()))
    );
    assert_eq!(
        one("CMD [\"a\"] trailing"),
        Kind::Cmd(CommandForm::Shell("[\"a\"] trailing".into()))
    );
    assert_eq!(
        one("ENTRYPOINT [oops"),
        Kind::Entrypoint(CommandForm::Shell("[oops".into()))
    );
    // A valid array with a non-string is an error, as in Docker.
    assert_eq!(
        fail_body("CMD [\"a\", 1]").kind,
        ParseErrorKind::JsonNotStrings
    );
}

#[test]
fn cmd_and_entrypoint() {
    assert_eq!(
        one("CMD [\"/bin/sh\", \"-c\", \"echo hi\"]"),
        Kind::Cmd(CommandForm::Exec(strs(&["/bin/sh", "-c", "echo hi"])))
    );
    assert_eq!(
        one("CMD echo $HOME"),
        Kind::Cmd(CommandForm::Shell("echo $HOME".into()))
    );
    assert_eq!(
        one("ENTRYPOINT []"),
        Kind::Entrypoint(CommandForm::Exec(vec![]))
    );
    assert_eq!(
        one("ENTRYPOINT top -b"),
        Kind::Entrypoint(CommandForm::Shell("top -b".into()))
    );
}

#[test]
fn copy_and_add_flags() {
    let Kind::Copy(c) =
        one("COPY --from=build --chown=1000:1000 --chmod=0755 --link --exclude=*.md --exclude=x a b /dst/")
    else {
        panic!()
    };
    assert_eq!(c.sources, strs(&["a", "b"]));
    assert_eq!(c.dest, "/dst/");
    assert_eq!(c.from.as_deref(), Some("build"));
    assert_eq!(c.chown.as_deref(), Some("1000:1000"));
    assert_eq!(c.chmod.as_deref(), Some("0755"));
    assert!(c.link);
    assert_eq!(c.excludes, strs(&["*.md", "x"]));
    let Kind::Add(a) =
        one("ADD --checksum=sha256:abc --keep-git-dir --link=false https://x/y.tar.gz /opt/")
    else {
        panic!()
    };
    assert_eq!(a.checksum.as_deref(), Some("sha256:abc"));
    assert!(a.keep_git_dir);
    assert!(!a.link);
    assert_eq!(a.sources, strs(&["https://x/y.tar.gz"]));
    // ADD has no --from in Docker.
    assert!(matches!(
        fail_body("ADD --from=x a b").kind,
        ParseErrorKind::UnknownFlag {
            instruction: "ADD",
            ..
        }
    ));
    assert!(matches!(
        fail_body("COPY --link=maybe a b").kind,
        ParseErrorKind::FlagBool { .. }
    ));
}

#[test]
fn copy_json_form_and_errors() {
    let Kind::Copy(c) = one(r#"COPY ["a b", "c", "/d e/"]"#) else {
        panic!()
    };
    assert_eq!(c.sources, strs(&["a b", "c"]));
    assert_eq!(c.dest, "/d e/");
    assert_eq!(
        fail_body("COPY onlyone").kind,
        ParseErrorKind::NoDestination("COPY")
    );
    assert_eq!(fail_body("ADD").kind, ParseErrorKind::NoDestination("ADD"));
}

#[test]
fn env_both_syntaxes() {
    assert_eq!(
        one(r#"ENV A=1 B="two words" C=a\ b D="#),
        Kind::Env(pairs(&[
            ("A", "1"),
            ("B", r#""two words""#),
            ("C", r"a\ b"),
            ("D", "")
        ]))
    );
    assert_eq!(
        one("ENV PATH /usr/local/bin:$PATH  extra words"),
        Kind::Env(pairs(&[("PATH", "/usr/local/bin:$PATH  extra words")]))
    );
}

#[test]
fn env_and_label_errors() {
    assert_eq!(
        fail_body("ENV").kind,
        ParseErrorKind::AtLeastOneArgument("ENV")
    );
    assert_eq!(
        fail_body("ENV ONLY").kind,
        ParseErrorKind::KeyValueLegacy("ENV")
    );
    assert_eq!(
        fail_body("ENV A=1 B").kind,
        ParseErrorKind::KeyValue {
            instruction: "ENV",
            word: "B".into()
        }
    );
    assert_eq!(
        fail_body("LABEL =x").kind,
        ParseErrorKind::BlankName("LABEL")
    );
    assert!(matches!(
        fail_body("LABEL --x=1 a=b").kind,
        ParseErrorKind::UnknownFlag { .. }
    ));
}

#[test]
fn label_both_syntaxes() {
    assert_eq!(
        one(r#"LABEL org.opencontainers.image.title="My App" version=1.0"#),
        Kind::Label(pairs(&[
            ("org.opencontainers.image.title", r#""My App""#),
            ("version", "1.0")
        ]))
    );
    assert_eq!(
        one("LABEL maintainer someone@example.com"),
        Kind::Label(pairs(&[("maintainer", "someone@example.com")]))
    );
}

#[test]
fn workdir_user_stopsignal_maintainer() {
    assert_eq!(
        one("WORKDIR /app/$NAME"),
        Kind::Workdir("/app/$NAME".into())
    );
    assert_eq!(one("USER 1000:1000"), Kind::User("1000:1000".into()));
    assert_eq!(
        one("STOPSIGNAL SIGTERM"),
        Kind::StopSignal("SIGTERM".into())
    );
    assert_eq!(
        one("MAINTAINER Jane Doe <jane@example.com>"),
        Kind::Maintainer("Jane Doe <jane@example.com>".into())
    );
    assert_eq!(
        fail_body("WORKDIR").kind,
        ParseErrorKind::ExactlyOneArgument("WORKDIR")
    );
    assert_eq!(
        fail_body("USER").kind,
        ParseErrorKind::ExactlyOneArgument("USER")
    );
}

#[test]
fn expose_and_volume() {
    assert_eq!(
        one("EXPOSE 80/tcp 443 ${PORT}/udp"),
        Kind::Expose(strs(&["80/tcp", "443", "${PORT}/udp"]))
    );
    assert_eq!(
        one("VOLUME /data /logs"),
        Kind::Volume(strs(&["/data", "/logs"]))
    );
    assert_eq!(
        one(r#"VOLUME ["/a b", "/c"]"#),
        Kind::Volume(strs(&["/a b", "/c"]))
    );
    assert_eq!(
        fail_body("EXPOSE").kind,
        ParseErrorKind::AtLeastOneArgument("EXPOSE")
    );
    assert_eq!(
        fail_body(r#"VOLUME [" "]"#).kind,
        ParseErrorKind::EmptyVolume
    );
    assert_eq!(
        fail_body("VOLUME").kind,
        ParseErrorKind::AtLeastOneArgument("VOLUME")
    );
}

#[test]
fn shell_instruction() {
    assert_eq!(
        one(r#"SHELL ["/bin/bash", "-o", "pipefail", "-c"]"#),
        Kind::Shell(strs(&["/bin/bash", "-o", "pipefail", "-c"]))
    );
    assert_eq!(
        fail_body("SHELL /bin/bash -c").kind,
        ParseErrorKind::NotJson("SHELL")
    );
    assert_eq!(
        fail_body("SHELL []").kind,
        ParseErrorKind::AtLeastOneArgument("SHELL")
    );
}

#[test]
fn healthcheck_forms() {
    assert_eq!(
        one("HEALTHCHECK NONE"),
        Kind::Healthcheck(Healthcheck::None)
    );
    assert_eq!(
        one("HEALTHCHECK --interval=30s --timeout=5s --start-period=1m --start-interval=2s --retries=3 CMD curl -f http://localhost/ || exit 1"),
        Kind::Healthcheck(Healthcheck::Check {
            command: CommandForm::Shell("curl -f http://localhost/ || exit 1".into()),
            interval: Some("30s".into()),
            timeout: Some("5s".into()),
            start_period: Some("1m".into()),
            start_interval: Some("2s".into()),
            retries: Some("3".into()),
        })
    );
    assert_eq!(
        one(r#"healthcheck cmd ["/bin/check", "-q"]"#),
        Kind::Healthcheck(Healthcheck::Check {
            command: CommandForm::Exec(strs(&["/bin/check", "-q"])),
            interval: None,
            timeout: None,
            start_period: None,
            start_interval: None,
            retries: None,
        })
    );
}

#[test]
fn healthcheck_errors() {
    for bad in [
        "HEALTHCHECK",
        "HEALTHCHECK NONE x",
        "HEALTHCHECK CMD",
        "HEALTHCHECK PING x",
        "HEALTHCHECK --interval=10 CMD x",
        "HEALTHCHECK --retries=-1 CMD x",
        "HEALTHCHECK --interval=1us CMD x",
        "HEALTHCHECK --bogus=1 CMD x",
    ] {
        let e = fail_body(bad);
        assert_eq!(e.line, 2, "{bad}");
    }
    assert_eq!(
        fail_body("HEALTHCHECK --interval=10 CMD x").kind,
        ParseErrorKind::BadDuration("10".into())
    );
}

#[test]
fn onbuild_triggers() {
    assert_eq!(
        one("ONBUILD RUN echo hi"),
        Kind::Onbuild("RUN echo hi".into())
    );
    assert_eq!(
        one("onbuild  COPY --from=x a /b"),
        Kind::Onbuild("COPY --from=x a /b".into())
    );
    assert_eq!(
        fail_body("ONBUILD ONBUILD RUN x").kind,
        ParseErrorKind::OnbuildChain
    );
    assert_eq!(
        fail_body("ONBUILD FROM x").kind,
        ParseErrorKind::OnbuildTrigger("FROM".into())
    );
    assert_eq!(
        fail_body("ONBUILD maintainer x").kind,
        ParseErrorKind::OnbuildTrigger("MAINTAINER".into())
    );
    assert_eq!(
        fail_body("ONBUILD FORM x").kind,
        ParseErrorKind::UnknownInstruction("FORM".into())
    );
    assert_eq!(
        fail_body("ONBUILD").kind,
        ParseErrorKind::AtLeastOneArgument("ONBUILD")
    );
}

#[test]
fn onbuild_heredoc_and_parse_trigger() {
    let Kind::Onbuild(t) = one("ONBUILD RUN <<EOF\necho one\nEOF") else {
        panic!()
    };
    assert_eq!(t, "RUN <<EOF\necho one\nEOF");
    let ins = parse_trigger(&t, 7).unwrap();
    assert_eq!(ins.line, 7);
    let Kind::Run(r) = ins.kind else { panic!() };
    assert_eq!(r.heredocs[0].content, "echo one\n");
    assert_eq!(
        parse_trigger("ENV A=1", 3).unwrap().kind,
        Kind::Env(pairs(&[("A", "1")]))
    );
    assert_eq!(
        parse_trigger("FROM x", 3).unwrap_err(),
        err(3, ParseErrorKind::OnbuildTrigger("FROM".into()))
    );
    assert_eq!(
        parse_trigger("ONBUILD RUN x", 3).unwrap_err().kind,
        ParseErrorKind::OnbuildChain
    );
    assert_eq!(parse_trigger("ENV X", 5).unwrap_err().line, 5);
}

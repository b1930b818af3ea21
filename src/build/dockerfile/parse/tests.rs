//! Parser tests: every instruction and form, directives, continuations,
//! heredocs, and errors.

use super::*;
use crate::build::dockerfile::ast::{CommandForm, Healthcheck};

fn ok(text: &str) -> Dockerfile {
    match parse(text) {
        Ok(d) => d,
        Err(e) => panic!("parse failed: {e}\n{text}"),
    }
}

/// The kinds of the first stage's instructions.
fn kinds(text: &str) -> Vec<Kind> {
    ok(text).stages[0]
        .instructions
        .iter()
        .map(|i| i.kind.clone())
        .collect()
}

fn one(body: &str) -> Kind {
    let mut k = kinds(&format!("FROM scratch\n{body}\n"));
    assert_eq!(k.len(), 1, "{body}: {k:?}");
    k.remove(0)
}

fn fail(text: &str) -> ParseError {
    match parse(text) {
        Ok(d) => panic!("expected an error for {text:?}, got {d:?}"),
        Err(e) => e,
    }
}

fn fail_body(body: &str) -> ParseError {
    fail(&format!("FROM scratch\n{body}\n"))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

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

#[test]
fn instructions_in_any_case() {
    let k = kinds("from scratch\nRuN echo\nworkDir /x\ncOpY a b\n");
    assert!(matches!(k[0], Kind::Run(_)));
    assert_eq!(k[1], Kind::Workdir("/x".into()));
    assert!(matches!(k[2], Kind::Copy(_)));
}

#[test]
fn comments_and_blank_lines() {
    let d = ok(
        "\n# a comment\n   # indented comment\nFROM scratch\n\n# another\nRUN a # not a comment\n",
    );
    let i = &d.stages[0].instructions[0];
    assert_eq!(i.kind, one("RUN a # not a comment"));
    assert_eq!(i.line, 7);
    assert_eq!(d.stages[0].line, 4);
}

#[test]
fn line_continuations() {
    let d = ok("FROM scratch\nRUN apk add \\\n    curl \\  \n\tgit\nUSER x\n");
    let ins = &d.stages[0].instructions;
    assert_eq!(ins[0].kind, one("RUN apk add     curl \tgit"));
    assert_eq!(ins[0].original, "RUN apk add     curl \tgit");
    assert_eq!(ins[0].line, 2);
    assert_eq!(ins[1].line, 5);
}

#[test]
fn continuation_with_comments_and_empty_lines() {
    let d = ok("FROM scratch\nRUN a \\\n# inside comment\n\n   \n  b \\\n  # more\n  c\nUSER x\n");
    let ins = &d.stages[0].instructions;
    assert_eq!(ins[0].kind, one("RUN a   b   c"));
    assert_eq!(ins[1].line, 9);
}

#[test]
fn escaped_escape_does_not_continue() {
    let d = ok("FROM scratch\nRUN echo \\\\\nUSER x\n");
    let ins = &d.stages[0].instructions;
    assert_eq!(ins.len(), 2);
    assert_eq!(ins[0].original, "RUN echo \\\\");
    // A line holding only the escape character continues.
    let d = ok("FROM scratch\nRUN a \\\n\\\nb\n");
    assert_eq!(d.stages[0].instructions[0].original, "RUN a b");
}

#[test]
fn continuation_at_end_of_file() {
    assert_eq!(kinds("FROM scratch\nRUN echo \\")[0], one("RUN echo "));
}

#[test]
fn escape_directive_backtick() {
    let d = ok("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\nCOPY a\\b c:\\dst\\\n");
    assert_eq!(d.escape, '`');
    let ins = &d.stages[0].instructions;
    assert_eq!(ins[0].kind, one("RUN dir c:\\   /w"));
    // `\` is an ordinary character (no continuation) with the backtick escape.
    let Kind::Copy(c) = &ins[1].kind else {
        panic!()
    };
    assert_eq!(c.dest, "c:\\dst\\");
}

#[test]
fn directives_syntax_and_rules() {
    let d = ok("# syntax=docker/dockerfile:1\n#escape = \\\nFROM scratch\n");
    assert_eq!(d.escape, '\\');
    let d = ok("# check=skip=JSONArgsRecommended\n# syntax = docker/dockerfile:1.7\n# escape=`\nFROM scratch\n");
    assert_eq!(d.escape, '`');
    // After a non-directive comment, `# escape=` is only a comment.
    let d = ok("# hello\n# escape=`\nFROM scratch\nRUN a \\\n b\n");
    assert_eq!(d.escape, '\\');
    assert_eq!(d.stages[0].instructions[0].kind, one("RUN a  b"));
    // An unknown directive ends the directive section.
    let d = ok("# foo=bar\n# escape=`\nFROM scratch\n");
    assert_eq!(d.escape, '\\');
    assert_eq!(
        fail("# escape=x\nFROM scratch\n"),
        err(1, ParseErrorKind::BadEscape("x".into()))
    );
    assert_eq!(
        fail("# escape=`\n# escape=\\\nFROM scratch\n"),
        err(2, ParseErrorKind::DuplicateDirective("escape".into()))
    );
}

#[test]
fn bom_and_crlf() {
    let d = ok("\u{feff}FROM scratch\r\nRUN a \\\r\n b\r\n");
    assert_eq!(d.stages[0].instructions[0].kind, one("RUN a  b"));
}

#[test]
fn heredoc_run() {
    let d = ok("FROM scratch\nRUN <<EOF\napk add curl\n  echo $HOME\nEOF\nUSER x\n");
    let ins = &d.stages[0].instructions;
    let Kind::Run(r) = &ins[0].kind else { panic!() };
    assert_eq!(r.command, CommandForm::Shell("<<EOF".into()));
    assert_eq!(
        r.heredocs,
        vec![Heredoc {
            name: "EOF".into(),
            content: "apk add curl\n  echo $HOME\n".into(),
            expand: true
        }]
    );
    assert_eq!(ins[0].original, "RUN <<EOF");
    assert_eq!(ins[1].line, 6);
}

#[test]
fn heredoc_quoted_chomp_and_multiple() {
    let d = ok("FROM scratch\nRUN <<-'A' cat <<\"B\" > /x\n\t\tone\n\tA\nraw $X\nB\n");
    let Kind::Run(r) = &d.stages[0].instructions[0].kind else {
        panic!()
    };
    assert_eq!(r.heredocs.len(), 2);
    assert_eq!(r.heredocs[0].name, "A");
    assert_eq!(r.heredocs[0].content, "one\n");
    assert!(!r.heredocs[0].expand);
    assert_eq!(r.heredocs[1].name, "B");
    assert_eq!(r.heredocs[1].content, "raw $X\n");
    assert!(!r.heredocs[1].expand);
}

#[test]
fn heredoc_copy() {
    let d = ok("FROM scratch\nCOPY --chmod=0644 <<EOF /etc/motd\nhello\n\nEOF\nCOPY <<a <<b /dir/\n1\na\n2\nb\n");
    let ins = &d.stages[0].instructions;
    let Kind::Copy(c) = &ins[0].kind else {
        panic!()
    };
    assert_eq!(c.sources, strs(&["<<EOF"]));
    assert_eq!(c.dest, "/etc/motd");
    assert_eq!(c.chmod.as_deref(), Some("0644"));
    assert_eq!(c.heredocs[0].content, "hello\n\n");
    let Kind::Copy(c) = &ins[1].kind else {
        panic!()
    };
    assert_eq!(c.sources, strs(&["<<a", "<<b"]));
    assert_eq!(c.heredocs[1].content, "2\n");
    assert_eq!(
        fail_body("COPY a <<EOF\nx\nEOF").kind,
        ParseErrorKind::HeredocDestination("COPY")
    );
}

#[test]
fn heredoc_not_in_json_or_other_instructions() {
    let Kind::Run(r) = one(r#"RUN ["cat", "<<EOF"]"#) else {
        panic!()
    };
    assert!(r.heredocs.is_empty());
    assert_eq!(one("ENV A=<<EOF"), Kind::Env(pairs(&[("A", "<<EOF")])));
    // A quoted `<<` is not a heredoc.
    let Kind::Run(r) = one("RUN echo '<<EOF'") else {
        panic!()
    };
    assert!(r.heredocs.is_empty());
}

#[test]
fn heredoc_unterminated() {
    assert_eq!(
        fail("FROM scratch\nRUN <<EOF\necho\nEOF \n"),
        err(2, ParseErrorKind::UnterminatedHeredoc("EOF".into()))
    );
}

#[test]
fn flag_extraction_stops_at_arguments() {
    let Kind::Run(r) = one("RUN echo --mount=x") else {
        panic!()
    };
    assert!(r.mounts.is_empty());
    assert_eq!(r.command, CommandForm::Shell("echo --mount=x".into()));
    assert_eq!(
        fail_body("CMD --help").kind,
        ParseErrorKind::UnknownFlag {
            instruction: "CMD",
            flag: "help".into()
        }
    );
}

#[test]
fn structural_errors() {
    assert_eq!(fail(""), err(1, ParseErrorKind::Empty));
    assert_eq!(
        fail("# only\n\n# comments\n"),
        err(3, ParseErrorKind::Empty)
    );
    assert_eq!(fail("ARG A\nARG B\n"), err(2, ParseErrorKind::NoFrom));
    assert_eq!(
        fail("ARG A\nRUN x\nFROM scratch\n"),
        err(2, ParseErrorKind::BeforeFrom("RUN".into()))
    );
    assert_eq!(
        fail("FROM scratch\n\nFORM x\n"),
        err(3, ParseErrorKind::UnknownInstruction("FORM".into()))
    );
}

#[test]
fn error_display() {
    assert_eq!(
        fail("FROM scratch\n\nFORM x\n").to_string(),
        "line 3: unknown instruction \"FORM\""
    );
    assert_eq!(
        fail_body("RUN --foo x").to_string(),
        "line 2: unknown flag --foo for RUN"
    );
    assert_eq!(
        fail_body("COPY a").to_string(),
        "line 2: COPY requires at least two arguments: one or more sources and a destination"
    );
}

#[test]
fn multi_stage_assignment() {
    let d = ok("FROM a AS one\nRUN x\nFROM one\nCOPY --from=one /a /b\nRUN y\n");
    assert_eq!(d.stages[0].instructions.len(), 1);
    assert_eq!(d.stages[1].instructions.len(), 2);
    assert_eq!(d.stages[1].base, "one");
}

/// buildkit's `TestParseExtractsHeredoc` (bodies of `<<-` already chomped here).
#[test]
fn buildkit_heredoc_cases() {
    let text = "
FROM alpine:3.6

ENV NAME=me

RUN ls

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN \"<<NOHEREDOC\"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<EOF /quotes
\"foo\"
'bar'
EOF

COPY <<X <<Y /dest
Y
X
X
Y

RUN <<COMPLEX python3
print('hello world')
COMPLEX

COPY <<file.txt /dest
hello world
file.txt

RUN <<eo'f'
echo foo
eof

RUN <<eo\\'f
echo foo
eo'f

RUN <<'e'o\\'f
echo foo
eo'f

RUN <<'one two'
echo bar
one two

RUN <<$EOF
$EOF

RUN <<  EOF
EOF

RUN <<  EOF  > foo
EOF

COPY << SPACED /dst
x
SPACED

RUN <<'EOF
";
    let d = ok(text);
    let docs: Vec<Vec<(String, String, bool)>> = d.stages[0]
        .instructions
        .iter()
        .map(|i| {
            let hs = match &i.kind {
                Kind::Run(r) => r.heredocs.clone(),
                Kind::Copy(c) => c.heredocs.clone(),
                _ => vec![],
            };
            hs.into_iter()
                .map(|h| (h.name, h.content, h.expand))
                .collect()
        })
        .collect();
    let h = |n: &str, c: &str, e: bool| (n.to_string(), c.to_string(), e);
    let want = vec![
        vec![],
        vec![],
        vec![h("EMPTY", "", true)],
        vec![h("EMPTY2", "", true)],
        vec![],
        vec![h("INDENT", "\tfoo\n\tbar\n", true)],
        vec![h("UNINDENT", "baz\nquux\n", true)],
        vec![h("UNINDENT2", "baz\nquux\n", true)],
        vec![h("EXPAND", "expand $NAME\n", true)],
        vec![h("NOEXPAND", "don't expand $NAME\n", false)],
        vec![h(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
            true,
        )],
        vec![h("MOUNT", "echo hello\n", true)],
        vec![
            h("FILE1", "content 1\n", true),
            h("FILE2", "content 2\n", true),
        ],
        vec![h("EOF", "\"foo\"\n'bar'\n", true)],
        vec![h("X", "Y\n", true), h("Y", "X\n", true)],
        vec![h("COMPLEX", "print('hello world')\n", true)],
        vec![h("file.txt", "hello world\n", true)],
        vec![h("eof", "echo foo\n", false)],
        vec![h("eo'f", "echo foo\n", true)],
        vec![h("eo'f", "echo foo\n", false)],
        vec![h("one two", "echo bar\n", false)],
        vec![h("$EOF", "", true)],
        vec![h("EOF", "", true)],
        vec![h("EOF", "", true)],
        vec![h("SPACED", "x\n", true)],
        // An unterminated quote on the line: no heredoc, as buildkit.
        vec![],
    ];
    assert_eq!(docs.len(), want.len());
    for (i, (got, want)) in docs.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "instruction {i}");
    }
    let Kind::Copy(c) = &d.stages[0].instructions[24].kind else {
        panic!()
    };
    assert_eq!(c.sources, strs(&["<<SPACED"]));
    assert_eq!(c.dest, "/dst");
}

/// buildkit's `TestParseJSONHeredoc`.
#[test]
fn buildkit_json_heredoc_cases() {
    let d = ok("FROM alpine:3.6\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n");
    for i in &d.stages[0].instructions {
        let Kind::Run(r) = &i.kind else { panic!() };
        assert!(r.heredocs.is_empty());
        assert!(matches!(r.command, CommandForm::Exec(_)));
    }
}

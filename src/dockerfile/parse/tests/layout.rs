//! The layout of a Dockerfile: case, comments, continuations, directives,
//! BOM/CRLF, heredocs, flag extraction, structural errors and their display.

use super::*;

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

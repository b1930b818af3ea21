//! buildkit's own heredoc test cases.

use super::*;

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

//! Expansion tests, mirroring buildkit's `shell/envVarTest`, `wordsTest` and
//! `TestProcessWithMatches` cases.

use super::*;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| {
        map.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// (input, environment, expected result).
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// buildkit's envVarTest environment.
const ENV: &[(&str, &str)] = &[
    ("PWD", "/home"),
    ("SHELL", "bash"),
    ("KOREAN", "한국어"),
    ("NULL", ""),
];

fn word(s: &str) -> Result<String, ExpandError> {
    expand_word(s, '\\', &env_of(ENV))
}

#[test]
fn env_var_test_cases() {
    let cases: &[(&str, Option<&str>)] = &[
        ("hello", Some("hello")),
        ("he'll'o", Some("hello")),
        ("he'llo", None),
        (r"he\'llo", Some("he'llo")),
        (r"he\\'llo", None),
        (r"abc\tdef", Some("abctdef")),
        (r#""abc\tdef""#, Some(r"abc\tdef")),
        (r#""abc\\tdef""#, Some(r"abc\tdef")),
        (r"'abc\tdef'", Some(r"abc\tdef")),
        ("hello\\", Some("hello")),
        (r"hello\\", Some(r"hello\")),
        (r#""hello"#, None),
        (r#""hello\""#, None),
        (r#""hel'lo""#, Some("hel'lo")),
        ("'hello", None),
        (r"'hello\'", Some(r"hello\")),
        (r"'hello\there'", Some(r"hello\there")),
        (r"'hello\\there'", Some(r"hello\\there")),
        (r#""''""#, Some("''")),
        ("$.", Some("$.")),
        ("he$1x", Some("hex")),
        ("he$.x", Some("he$.x")),
        ("he$pwd.", Some("he.")),
        ("he$PWD", Some("he/home")),
        (r"he\$PWD", Some("he$PWD")),
        (r"he\\$PWD", Some(r"he\/home")),
        (r#""he\$PWD""#, Some("he$PWD")),
        (r#""he\\$PWD""#, Some(r"he\/home")),
        (r"\${}", Some("${}")),
        (r"\${}aaa", Some("${}aaa")),
        (r"he\${}", Some("he${}")),
        (r"he\${}xx", Some("he${}xx")),
        ("${}", None),
        ("${}aaa", None),
        ("he${}", None),
        ("he${}xx", None),
        ("he${hi}", Some("he")),
        ("he${hi}xx", Some("hexx")),
        ("he${PWD}", Some("he/home")),
        ("he${.}", None),
        ("he${XXX:-000}xx", Some("he000xx")),
        ("he${PWD:-000}xx", Some("he/homexx")),
        ("he${XXX:-$PWD}xx", Some("he/homexx")),
        ("he${XXX:-${PWD:-yyy}}xx", Some("he/homexx")),
        ("he${XXX:-${YYY:-yyy}}xx", Some("heyyyxx")),
        ("he${XXX:YYY}", None),
        ("he${XXX?}", None),
        ("he${XXX:?}", None),
        ("he${PWD?}", Some("he/home")),
        ("he${PWD:?}", Some("he/home")),
        ("he${NULL?}", Some("he")),
        ("he${NULL:?}", None),
        ("he${XXX:+${PWD}}xx", Some("hexx")),
        ("he${PWD:+${XXX}}xx", Some("hexx")),
        ("he${PWD:+${SHELL}}xx", Some("hebashxx")),
        ("he${XXX:+000}xx", Some("hexx")),
        ("he${PWD:+000}xx", Some("he000xx")),
        ("'he${XX}'", Some("he${XX}")),
        (r#""he${PWD}""#, Some("he/home")),
        (r#""he'$PWD'""#, Some("he'/home'")),
        (r#""$PWD""#, Some("/home")),
        ("'$PWD'", Some("$PWD")),
        (r"'\$PWD'", Some(r"\$PWD")),
        (r#"'"hello"'"#, Some(r#""hello""#)),
        (r"'he\$PWD'", Some(r"he\$PWD")),
        ("he${PWD", None),
        ("he${PWD:=000}xx", None),
        ("he${PWD:+${PWD}:}xx", Some("he/home:xx")),
        (r"he${XXX:-\$PWD:}xx", Some("he$PWD:xx")),
        (r"he${XXX:-\${PWD}z}xx", Some("he${PWDz}xx")),
        ("안녕하세요", Some("안녕하세요")),
        ("안'녕'하세요", Some("안녕하세요")),
        ("안'녕하세요", None),
        (r"안녕\'하세요", Some("안녕'하세요")),
        (r"안\\'녕하세요", None),
        (r"안녕\t하세요", Some("안녕t하세요")),
        (r#""안녕\t하세요""#, Some(r"안녕\t하세요")),
        ("안녕하세요\\", Some("안녕하세요")),
        (r#""안녕하세요\""#, None),
        ("$KOREAN", Some("한국어")),
        ("안녕$KOREAN", Some("안녕한국어")),
        ("안녕${KOREAN:-abc}", Some("안녕한국어")),
        ("안녕${XXX:-abc}", Some("안녕abc")),
        ("안녕${XXX:-${KOREAN}}", Some("안녕한국어")),
        ("${#}", Some("")),
        ("$#", Some("")),
        ("$$", Some("")),
        ("${PWD#/}", Some("home")),
        ("${PWD%me}", Some("/ho")),
        ("$", Some("$")),
        ("a $ b", Some("a $ b")),
    ];
    for (input, want) in cases {
        let got = word(input);
        match want {
            Some(w) => assert_eq!(got.as_deref(), Ok(*w), "input {input:?}"),
            None => assert!(got.is_err(), "input {input:?} gave {got:?}"),
        }
    }
}

#[test]
fn unset_versus_empty() {
    let env = env_of(&[("FOO", "xxx"), ("BAR", "")]);
    let e = |s: &str| expand_word(s, '\\', &env);
    assert_eq!(e("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}").unwrap(), "xxx  ccc");
    assert_eq!(
        e("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}").unwrap(),
        "xxx bbb ccc"
    );
    assert_eq!(e("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}").unwrap(), "aaa bbb ");
    assert_eq!(e("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}").unwrap(), "aaa  ");
    assert_eq!(e("${FOO:-}").unwrap(), "xxx");
    assert_eq!(e("${FOO?aaa}").unwrap(), "xxx");
    assert_eq!(e("${BAR?bbb}").unwrap(), "");
    assert!(e("${BAZ?ccc}").is_err());
    assert_eq!(e("${FOO:?aaa}").unwrap(), "xxx");
    assert!(e("${BAR:?bbb}").is_err());
    assert!(e("${BAZ:?}").is_err());
    for bad in ["${FOO=aaa}", "${FOO=:aaa}", "${FOO=}"] {
        assert!(e(bad).is_err(), "{bad}");
    }
}

#[test]
fn mandatory_messages() {
    let set = env_of(&[("VAR", "plain"), ("ARG", "x")]);
    let empty = env_of(&[("VAR", ""), ("ARG", "x")]);
    let unset = env_of(&[("ARG", "x")]);
    let no_empty = "${VAR:?message here$ARG}";
    let no_unset = "${VAR?message here$ARG}";
    assert_eq!(expand_word(no_empty, '\\', &set).unwrap(), "plain");
    let e = expand_word(no_empty, '\\', &empty).unwrap_err();
    assert_eq!(
        e.kind,
        ExpandErrorKind::Required {
            name: "VAR".into(),
            message: "message herex".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "failed to process \"${VAR:?message here$ARG}\": VAR: message herex"
    );
    assert!(expand_word(no_empty, '\\', &unset).is_err());
    assert_eq!(expand_word(no_unset, '\\', &empty).unwrap(), "");
    assert!(expand_word(no_unset, '\\', &unset).is_err());
    assert_eq!(
        expand_word("${X:?}", '\\', &unset).unwrap_err().kind,
        ExpandErrorKind::Required {
            name: "X".into(),
            message: "is not allowed to be unset".into()
        }
    );
}

#[test]
fn prefix_and_suffix_patterns() {
    let cases: &[Case] = &[
        (
            r"${FOO#()[]{\}^$.\*\?|\\}",
            &[("FOO", r"()[]{}^$.*?|\x")],
            "x",
        ),
        (r"${FOO%%\**}", &[("FOO", "xx**")], "xx"),
        ("${FOO#*x*y}", &[("FOO", "xxyy")], "y"),
        ("${FOO#*}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], "xyy"),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy"),
        ("${FOO#}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO##*x}", &[("FOO", "xxyy")], "yy"),
        ("${FOO##}", &[("FOO", "xxyy")], "xxyy"),
        (r"${FOO#?\?}", &[("FOO", "???y")], "?y"),
        ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], ".xxyy."),
        (r"${FOO%%\**\*}", &[("FOO", "a***yy*")], "a"),
        ("${FOO%}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy"),
        ("${FOO%.*}", &[("FOO", "a.tar.gz")], "a.tar"),
        ("${FOO%%.*}", &[("FOO", "a.tar.gz")], "a"),
    ];
    for (input, env, want) in cases {
        assert_eq!(
            expand_word(input, '\\', &env_of(env)).as_deref(),
            Ok(*want),
            "{input}"
        );
    }
    assert!(matches!(
        expand_word(r"${FOO#\x}", '\\', &env_of(&[("FOO", "x")]))
            .unwrap_err()
            .kind,
        ExpandErrorKind::BadPattern { .. }
    ));
}

#[test]
fn replacement_patterns() {
    let cases: &[Case] = &[
        (
            "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")],
            "/foo.*/*.txt - /foo..*.txt",
        ),
        (
            "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
            "/tmp/bar.txt - /bar.txt",
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "/a/foo/b/c.txt"),
                ("NEEDLE", "/?/"),
                ("REPLACEMENT", "/"),
            ],
            "/foo/b/c.txt - /foo/c.txt",
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "http://google.de"),
                ("NEEDLE", "http://"),
                ("REPLACEMENT", "https://"),
            ],
            "https://google.de",
        ),
        (
            r"${FOO//\//\/}",
            &[("FOO", "/tmp/foo.txt")],
            r"\/tmp\/foo.txt",
        ),
        ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], "wwxxyy"),
        ("${FOO///}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO///}", &[], ""),
    ];
    for (input, env, want) in cases {
        assert_eq!(
            expand_word(input, '\\', &env_of(env)).as_deref(),
            Ok(*want),
            "{input}"
        );
    }
    let env = env_of(&[("FOO", "xxyy")]);
    assert!(expand_word("${FOO//ww}", '\\', &env).is_err());
    assert!(expand_word("${FOO//}", '\\', &env).is_err());
}

#[test]
fn platform_style_names() {
    let env = env_of(&[
        ("VERSION", "v1.2.3"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "arm"),
        ("TARGETVARIANT", "v7"),
    ]);
    let s =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    assert_eq!(
        expand_word(s, '\\', &env).unwrap(),
        "something-v1.2.3.linux-arm-v7.tar.gz"
    );
}

/// buildkit's wordsTest.
#[test]
fn words_test_cases() {
    let env = env_of(&[
        ("hi", "hi"),
        ("space", "abc  def"),
        ("leading", "  ab c"),
        ("trailing", "ab c   "),
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("hello", &["hello"]),
        ("hello${hi}bye", &["hellohibye"]),
        ("hello${space}bye", &["helloabc", "defbye"]),
        (r#"hello"${space}"bye"#, &["helloabc  defbye"]),
        (r#"hello "${space}"bye"#, &["hello", "abc  defbye"]),
        ("hello${leading}def", &["hello", "ab", "cdef"]),
        (r#"hello"${leading}" def"#, &["hello  ab c", "def"]),
        (r#"hello"${leading}""#, &["hello  ab c"]),
        ("hello${leading}", &["hello", "ab", "c"]),
        ("hello${trailing}", &["helloab", "c"]),
        ("hello${trailing}d", &["helloab", "c", "d"]),
        (r#"hello"${trailing}"d"#, &["helloab c   d"]),
        (r#"hel"lo${trailing}""#, &["helloab c   "]),
        (r#"hello" there  ""#, &["hello there  "]),
        ("hello there     ", &["hello", "there"]),
        (r"hello\ there", &["hello there"]),
        (r#"hello\" there"#, &["hello\"", "there"]),
        (r#"hello"\\there""#, &[r"hello\there"]),
        (r#"hello"\there""#, &[r"hello\there"]),
        (r"hello'\\there'", &[r"hello\\there"]),
        (r"hello'\there'", &[r"hello\there"]),
        ("hello'$there'", &["hello$there"]),
        ("a \"\" b", &["a", "b"]),
        ("/src/* ${hi}/dst", &["/src/*", "hi/dst"]),
    ];
    for (input, want) in cases {
        let got = expand_words(input, '\\', &env).unwrap();
        assert_eq!(&got, want, "{input:?}");
    }
    assert!(expand_words(r#"hello" there"#, '\\', &env).is_err());
}

#[test]
fn backtick_escape() {
    let env = env_of(ENV);
    assert_eq!(
        expand_word(r"c:\dir\$PWD", '`', &env).unwrap(),
        r"c:\dir\/home"
    );
    assert_eq!(expand_word("`$PWD", '`', &env).unwrap(), "$PWD");
    assert_eq!(expand_word("\"a`\"b\"", '`', &env).unwrap(), "a\"b");
    assert_eq!(
        expand_words("a` b c", '`', &env).unwrap(),
        vec!["a b".to_string(), "c".to_string()]
    );
}

#[test]
fn error_kinds() {
    assert_eq!(word("${").unwrap_err().kind, ExpandErrorKind::MissingBrace);
    assert_eq!(
        word("${PWD:-x").unwrap_err().kind,
        ExpandErrorKind::MissingBrace
    );
    assert_eq!(
        word("${:x}").unwrap_err().kind,
        ExpandErrorKind::BadSubstitution
    );
    assert_eq!(
        word("${PWD!}").unwrap_err().kind,
        ExpandErrorKind::Unsupported("!".into())
    );
    assert_eq!(
        word("'abc").unwrap_err().kind,
        ExpandErrorKind::UnterminatedSingleQuote
    );
    assert_eq!(
        word("\"abc").unwrap_err().kind,
        ExpandErrorKind::UnterminatedDoubleQuote
    );
    assert_eq!(
        word("${A/x").unwrap_err().kind,
        ExpandErrorKind::MissingSlash
    );
}

#[test]
fn heredoc_bodies() {
    let env = env_of(&[("NAME", "world"), ("EMPTY", "")]);
    let body = "echo \"hello $NAME\" 'and ${NAME}'\nprice: \\$5 ${EMPTY:-none}\n";
    assert_eq!(
        expand_heredoc(body, &env).unwrap(),
        "echo \"hello world\" 'and world'\nprice: $5 none\n"
    );
    // Unbalanced quotes are fine: they are not processed.
    assert_eq!(
        expand_heredoc("it's $NAME\n", &env).unwrap(),
        "it's world\n"
    );
    assert!(expand_heredoc("${NAME", &env).is_err());
}

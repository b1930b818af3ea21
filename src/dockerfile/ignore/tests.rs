//! `.dockerignore` tests, after moby/patternmatcher's and ignorefile's.

use super::*;

fn rules(text: &str) -> IgnoreRules {
    IgnoreRules::parse(text).unwrap()
}

/// patternmatcher's `TestMatches` single-pattern cases (pattern, path, match),
/// through the parent-matching rule as Docker applies them.
#[test]
fn single_pattern_matches() {
    let cases: &[(&str, &str, bool)] = &[
        ("**", "file", true),
        ("**", "file/", true),
        ("**/", "file", true),
        ("**/", "file/", true),
        ("**", "dir/file", true),
        ("**/", "dir/file", true),
        ("**", "dir/file/", true),
        ("**/", "dir/file/", true),
        ("**/**", "dir/file", true),
        ("**/**", "dir/file/", true),
        ("dir/**", "dir/file", true),
        ("dir/**", "dir/file/", true),
        ("dir/**", "dir/dir2/file", true),
        ("dir/**", "dir/dir2/file/", true),
        ("**/dir", "dir", true),
        ("**/dir", "dir/file", true),
        ("**/dir2/*", "dir/dir2/file", true),
        ("**/dir2/*", "dir/dir2/file/", true),
        ("**/dir2/**", "dir/dir2/dir3/file", true),
        ("**/dir2/**", "dir/dir2/dir3/file/", true),
        ("**file", "file", true),
        ("**file", "dir/file", true),
        ("**/file", "dir/file", true),
        ("**file", "dir/dir/file", true),
        ("**/file", "dir/dir/file", true),
        ("**/file*", "dir/dir/file", true),
        ("**/file*", "dir/dir/file.txt", true),
        ("**/file*txt", "dir/dir/file.txt", true),
        ("**/file*.txt", "dir/dir/file.txt", true),
        ("**/file*.txt*", "dir/dir/file.txt", true),
        ("**/**/*.txt", "dir/dir/file.txt", true),
        ("**/**/*.txt2", "dir/dir/file.txt", false),
        ("**/*.txt", "file.txt", true),
        ("**/**/*.txt", "file.txt", true),
        ("a**/*.txt", "a/file.txt", true),
        ("a**/*.txt", "a/dir/file.txt", true),
        ("a**/*.txt", "a/dir/dir/file.txt", true),
        ("a/*.txt", "a/dir/file.txt", false),
        ("a/*.txt", "a/file.txt", true),
        ("a/*.txt**", "a/file.txt", true),
        ("a[b-d]e", "ae", false),
        ("a[b-d]e", "ace", true),
        ("a[b-d]e", "aae", false),
        ("a[^b-d]e", "aze", true),
        (".*", ".foo", true),
        (".*", "foo", false),
        ("abc.def", "abcdef", false),
        ("abc.def", "abc.def", true),
        ("abc.def", "abcZdef", false),
        ("abc?def", "abcZdef", true),
        ("abc?def", "abcdef", false),
        ("a\\\\", "a\\", true),
        ("**/foo/bar", "foo/bar", true),
        ("**/foo/bar", "dir/foo/bar", true),
        ("**/foo/bar", "dir/dir2/foo/bar", true),
        ("abc/**", "abc", false),
        ("abc/**", "abc/def", true),
        ("abc/**", "abc/def/ghi", true),
        ("**/.foo", ".foo", true),
        ("**/.foo", "bar.foo", false),
        ("a(b)c/def", "a(b)c/def", true),
        ("a(b)c/def", "a(b)c/xyz", false),
        ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        (
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            true,
        ),
        (
            "dist/*.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            true,
        ),
        ("*", "a/b", true),
        ("a*", "a/b", true),
        ("*.go", "dir/x.go", false),
    ];
    for &(pattern, path, want) in cases {
        let r = IgnoreRules::from_patterns(&[pattern]).unwrap();
        assert_eq!(
            r.is_excluded(path),
            want,
            "pattern {pattern:?} path {path:?}"
        );
    }
}

#[test]
fn parent_directories_and_exceptions() {
    let r = rules("docs\n*.md\n!README.md\n");
    assert!(r.is_excluded("docs"));
    assert!(r.is_excluded("docs/a/b.txt"));
    assert!(r.is_excluded("CHANGES.md"));
    assert!(!r.is_excluded("README.md"));
    assert!(!r.is_excluded("src/main.rs"));
    // `*.md` only matches at the top level.
    assert!(!r.is_excluded("src/x.md"));

    // The last matching rule wins.
    let r = rules("!keep\nkeep\n");
    assert!(r.is_excluded("keep"));
    let r = rules("*\n!src\n");
    assert!(!r.is_excluded("src"));
    assert!(!r.is_excluded("src/a/b.rs"));
    assert!(r.is_excluded("target/x"));
    // An exception inside an excluded dir re-includes the file.
    let r = rules("vendor\n!vendor/keep.txt\n");
    assert!(r.is_excluded("vendor/other"));
    assert!(!r.is_excluded("vendor/keep.txt"));
    // A later rule excluding the parent again wins.
    let r = rules("a\n!a/b\na\n");
    assert!(r.is_excluded("a/b"));
}

#[test]
fn comments_whitespace_and_cleaning() {
    let r = rules("\u{feff}# comment\n\n   \n  ./foo/../bar  \n/abs\n//dbl//x/\n!  ./bar/keep\n #notcomment\n");
    assert!(r.is_excluded("bar"));
    assert!(r.is_excluded("bar/x"));
    assert!(!r.is_excluded("bar/keep"));
    assert!(r.is_excluded("abs"));
    assert!(r.is_excluded("dbl/x"));
    assert!(r.is_excluded("#notcomment"));
    assert!(!r.is_excluded("comment"));
    assert!(!r.is_excluded("# comment"));
    // Paths given to is_excluded are cleaned too.
    assert!(r.is_excluded("./abs/"));
    assert!(r.is_excluded("/abs/y"));
    // The context root itself is never excluded.
    assert!(!rules("*\n").is_excluded("."));
    assert!(!rules("**\n").is_excluded(""));
}

#[test]
fn globs() {
    let r = rules("**/*.log\ntmp?\n[abc].txt\nesc\\*\n");
    assert!(r.is_excluded("x.log"));
    assert!(r.is_excluded("a/b/c.log"));
    assert!(r.is_excluded("tmp1"));
    assert!(!r.is_excluded("tmp12"));
    assert!(r.is_excluded("b.txt"));
    assert!(!r.is_excluded("d.txt"));
    assert!(r.is_excluded("esc*"));
    assert!(!r.is_excluded("escX"));
    let r = rules("**/node_modules\n");
    assert!(r.is_excluded("node_modules"));
    assert!(r.is_excluded("web/node_modules/x/y.js"));
}

#[test]
fn errors() {
    assert_eq!(
        IgnoreRules::parse("a\n!\n").unwrap_err(),
        IgnoreError::IllegalExclusion { line: 2 }
    );
    assert_eq!(
        IgnoreRules::parse("ok\n[abc\n").unwrap_err(),
        IgnoreError::BadPattern {
            line: 2,
            pattern: "[abc".into()
        }
    );
    assert!(IgnoreRules::parse("a\\").is_err());
    assert!(IgnoreRules::parse("[]").is_err());
    assert!(IgnoreRules::parse("[z-a]").is_err());
    assert_eq!(
        IgnoreRules::parse("!").unwrap_err().to_string(),
        "line 1: illegal exclusion pattern: \"!\""
    );
}

#[test]
fn included_children() {
    let r = rules("vendor\nbuild\n!build/keep\n!**/*.go\n");
    assert!(r.may_have_included_children("vendor")); // `!**/*.go` could match inside
    let r = rules("vendor\nbuild\n!build/keep\n!docs/*.md\n");
    assert!(!r.may_have_included_children("vendor"));
    assert!(r.may_have_included_children("build"));
    assert!(!r.may_have_included_children("buildx"));
    assert!(r.may_have_included_children("docs"));
    assert!(!r.may_have_included_children("docs/sub/deeper"));
    // An exception on the directory itself or a parent counts.
    let r = rules("a/b\n!a\n");
    assert!(r.may_have_included_children("a/b"));
    let r = rules("x\n!x/y/**\n");
    assert!(r.may_have_included_children("x"));
    assert!(r.may_have_included_children("x/y"));
    assert!(r.may_have_included_children("x/y/z"));
    assert!(!r.may_have_included_children("x/q"));
    // No exceptions at all: never.
    let r = rules("*\n");
    assert!(!r.may_have_included_children("anything"));
    assert!(!rules("").may_have_included_children("a"));
    let r = rules("a\n!*/keep\n");
    assert!(r.may_have_included_children("a"));
    assert!(!r.may_have_included_children("a/b"));
}

#[test]
fn clean_like_go() {
    for (input, want) in [
        ("", "."),
        (".", "."),
        ("./a", "a"),
        ("a//b/", "a/b"),
        ("/a/../../b", "/b"),
        ("a/../..", ".."),
        ("../a/./b", "../a/b"),
        ("/", "/"),
    ] {
        assert_eq!(clean(input), want, "{input}");
    }
}

/// patternmatcher's `matchTests` (Go's `filepath.Match` cases):
/// (pattern, path, excluded), or `None` when the pattern is malformed.
#[test]
fn filepath_match_cases() {
    let cases: &[(&str, &str, Option<bool>)] = &[
        ("abc", "abc", Some(true)),
        ("*", "abc", Some(true)),
        ("*c", "abc", Some(true)),
        ("a*", "a", Some(true)),
        ("a*", "abc", Some(true)),
        ("a*", "ab/c", Some(true)),
        ("a*/b", "abc/b", Some(true)),
        ("a*/b", "a/c/b", Some(false)),
        ("a*b*c*d*e*/f", "axbxcxdxe/f", Some(true)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Some(true)),
        ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Some(false)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Some(false)),
        ("a*b?c*x", "abxbbxdbxebxczzx", Some(true)),
        ("a*b?c*x", "abxbbxdbxebxczzy", Some(false)),
        ("ab[c]", "abc", Some(true)),
        ("ab[b-d]", "abc", Some(true)),
        ("ab[e-g]", "abc", Some(false)),
        ("ab[^c]", "abc", Some(false)),
        ("ab[^b-d]", "abc", Some(false)),
        ("ab[^e-g]", "abc", Some(true)),
        ("a\\*b", "a*b", Some(true)),
        ("a\\*b", "ab", Some(false)),
        ("a?b", "a☺b", Some(true)),
        ("a[^a]b", "a☺b", Some(true)),
        ("a???b", "a☺b", Some(false)),
        ("a[^a][^a][^a]b", "a☺b", Some(false)),
        ("[a-ζ]*", "α", Some(true)),
        ("*[a-ζ]", "A", Some(false)),
        ("a?b", "a/b", Some(false)),
        ("a*b", "a/b", Some(false)),
        ("[\\]a]", "]", Some(true)),
        ("[\\-]", "-", Some(true)),
        ("[x\\-]", "x", Some(true)),
        ("[x\\-]", "-", Some(true)),
        ("[x\\-]", "z", Some(false)),
        ("[\\-x]", "x", Some(true)),
        ("[\\-x]", "-", Some(true)),
        ("[\\-x]", "a", Some(false)),
        ("[]a]", "]", None),
        ("[-]", "-", None),
        ("[x-]", "x", None),
        ("[-x]", "x", None),
        ("\\", "a", None),
        ("[a-b-c]", "a", None),
        ("[", "a", None),
        ("[^", "a", None),
        ("[^bc", "a", None),
        ("a[", "a", None),
        ("*x", "xxx", Some(true)),
    ];
    for &(pattern, path, want) in cases {
        let got = IgnoreRules::from_patterns(&[pattern]).map(|r| r.is_excluded(path));
        match want {
            Some(w) => assert_eq!(got, Ok(w), "pattern {pattern:?} path {path:?}"),
            None => assert!(got.is_err(), "pattern {pattern:?} should be rejected"),
        }
    }
}

/// patternmatcher's multi-pattern and exception tests.
#[test]
fn multi_pattern_cases() {
    let cases: &[(&[&str], &str, bool)] = &[
        (&["**", "!util/docker/web"], "util/docker/web/foo", false),
        (
            &["**", "!util/docker/web", "util/docker/web/foo"],
            "util/docker/web/foo",
            true,
        ),
        (
            &["**", "!dist/*.whl"],
            "dist/proxy.py-2.4.0rc3-py3-none-any.whl",
            false,
        ),
        (&["!fileutils.go", "*.go"], "fileutils.go", true),
        (&["docs", "!docs/README.md"], "docs/README.md", false),
        (&["docs/", "!docs/README.md"], "docs/README.md", false),
        (&["docs/*", "!docs/README.md"], "docs/README.md", false),
        (&["*.go", "!fileutils.go"], "fileutils.go", false),
        (&[], "/any/path/there", false),
    ];
    for &(patterns, path, want) in cases {
        let r = IgnoreRules::from_patterns(patterns).unwrap();
        assert_eq!(r.is_excluded(path), want, "{patterns:?} {path:?}");
    }
    assert!(IgnoreRules::from_patterns(&["docs", "", "  "])
        .unwrap()
        .is_excluded("docs"));
    assert!(IgnoreRules::from_patterns(&["!"]).is_err());
}

//! No-panic checks: the parser, the expander and the ignore rules on many
//! generated inputs made of the characters and words they treat specially.

use super::{parse, parse_trigger};
use crate::dockerfile::expand;
use crate::dockerfile::ignore::IgnoreRules;

const PIECES: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    "CMD ",
    "EXPOSE ",
    "VOLUME ",
    "a",
    "b=c",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\\",
    "`",
    "'",
    "\"",
    "$",
    "${",
    "}",
    ":",
    "-",
    "+",
    "?",
    "#",
    "%",
    "/",
    "*",
    "**",
    "[",
    "]",
    "^",
    "!",
    "<<",
    "<<-",
    "EOF",
    "--",
    "--from=x",
    "=",
    "é",
    "[\"a\"]",
    "\u{feff}",
    "0",
    ".",
    "..",
];

/// A small deterministic generator (64-bit LCG).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn text(&mut self) -> String {
        let n = self.next() % 24;
        (0..n).map(|_| PIECES[self.next() % PIECES.len()]).collect()
    }
}

#[test]
fn generated_inputs_do_not_panic() {
    let mut g = Gen(42);
    let lookup = |name: &str| name.len().is_multiple_of(2).then(|| format!("v {name}"));
    for _ in 0..3000 {
        let t = g.text();
        let _ = parse(&t);
        let _ = parse(&format!("FROM x\n{t}"));
        let _ = parse_trigger(&t, 3);
        let _ = expand::expand_word(&t, '\\', &lookup);
        let _ = expand::expand_words(&t, '`', &lookup);
        let _ = expand::expand_heredoc(&t, &lookup);
        if let Ok(r) = IgnoreRules::parse(&t) {
            let p = g.text();
            let _ = r.is_excluded(&p);
            let _ = r.may_have_included_children(&p);
        }
    }
}

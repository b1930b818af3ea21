//! `printf`: Go's `fmt.Sprintf` for JSON-shaped values, covering the verbs
//! templates use (`%s %d %v %q %x %X %f %e %g %t %c %b %o %%`), flags
//! (`- + 0 space`), width and precision (also `*`).
//!
//! Invariants: never fails; like Go, a mismatch is written into the output
//! (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`). One deliberate
//! leniency: `%s` prints any value as `%v` would.

use super::eval::{fmt_float, go_fmt, go_type};
use serde_json::Value;
use std::iter::Peekable;
use std::str::Chars;

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Format `args` according to `format`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let spec = parse_spec(&mut chars, args, &mut next);
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(next) {
            Some(arg) => out.push_str(&format_one(&spec, verb, arg)),
            None => out.push_str(&format!("%!{verb}(MISSING)")),
        }
        next += 1;
    }
    if next < args.len() {
        let extra: Vec<_> = args[next..]
            .iter()
            .map(|a| format!("{}={}", go_type(a), go_fmt(a)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn parse_spec(chars: &mut Peekable<Chars>, args: &[Value], next: &mut usize) -> Spec {
    let mut spec = Spec::default();
    while let Some(&c) = chars.peek() {
        match c {
            '-' => spec.minus = true,
            '+' => spec.plus = true,
            '0' => spec.zero = true,
            ' ' => spec.space = true,
            '#' => {}
            _ => break,
        }
        chars.next();
    }
    spec.width = number(chars, args, next);
    if chars.peek() == Some(&'.') {
        chars.next();
        spec.prec = Some(number(chars, args, next).unwrap_or(0));
    }
    spec
}

/// Digits or `*` (taking the width from the next argument).
fn number(chars: &mut Peekable<Chars>, args: &[Value], next: &mut usize) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        let n = args.get(*next).and_then(Value::as_u64);
        *next += 1;
        return n.and_then(|n| usize::try_from(n).ok());
    }
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
        chars.next();
    }
    n
}

/// An integral value of a number, if it has one.
fn as_int(v: &Value) -> Option<i128> {
    let n = v.as_number()?;
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e18)
                .map(|f| f as i128)
        })
}

fn format_one(spec: &Spec, verb: char, arg: &Value) -> String {
    let numeric = arg.is_number();
    let body = match (verb, arg) {
        ('v' | 's', Value::String(s)) => match spec.prec {
            Some(p) => s.chars().take(p).collect(),
            None => s.clone(),
        },
        ('v' | 's', v) => signed(spec, go_fmt(v), numeric),
        ('t', Value::Bool(b)) => b.to_string(),
        ('q', Value::String(s)) => quote(s),
        ('x' | 'X', Value::String(s)) => hex_bytes(s, verb == 'X'),
        ('d' | 'x' | 'X' | 'o' | 'b' | 'c' | 'q', v) if as_int(v).is_some() => {
            int_verb(spec, verb, as_int(v).unwrap_or(0))
        }
        ('f' | 'F' | 'e' | 'g', Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(0.0);
            signed(spec, float_verb(verb, f, spec.prec), true)
        }
        (v, a) => return format!("%!{v}({}={})", go_type(a), go_fmt(a)),
    };
    pad(spec, body, numeric)
}

fn int_verb(spec: &Spec, verb: char, i: i128) -> String {
    let (neg, abs) = (i < 0, i.unsigned_abs());
    let digits = match verb {
        'x' => format!("{abs:x}"),
        'X' => format!("{abs:X}"),
        'o' => format!("{abs:o}"),
        'b' => format!("{abs:b}"),
        'c' | 'q' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            return if verb == 'c' {
                c.to_string()
            } else {
                format!("{c:?}")
            };
        }
        _ => abs.to_string(),
    };
    signed(spec, if neg { format!("-{digits}") } else { digits }, true)
}

fn float_verb(verb: char, f: f64, prec: Option<usize>) -> String {
    match (verb, prec) {
        ('e', p) => {
            let s = format!("{f:.*e}", p.unwrap_or(6));
            let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
            let exp: i32 = exp.parse().unwrap_or(0);
            format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
        }
        ('g', None) => fmt_float(f),
        ('g', Some(p)) => format!("{f:.p$}"),
        (_, p) => format!("{f:.*}", p.unwrap_or(6)),
    }
}

/// Apply the `+` and space flags to a formatted number.
fn signed(spec: &Spec, s: String, numeric: bool) -> String {
    if !numeric || s.starts_with('-') {
        return s;
    }
    match (spec.plus, spec.space) {
        (true, _) => format!("+{s}"),
        (false, true) => format!(" {s}"),
        _ => s,
    }
}

fn pad(spec: &Spec, body: String, numeric: bool) -> String {
    let len = body.chars().count();
    let Some(width) = spec.width.filter(|&w| w > len) else {
        return body;
    };
    let fill = width - len;
    if spec.minus {
        return format!("{body}{}", " ".repeat(fill));
    }
    if spec.zero && numeric {
        let sign_len = usize::from(body.starts_with(['-', '+', ' ']));
        let (sign, digits) = body.split_at(sign_len);
        return format!("{sign}{}{digits}", "0".repeat(fill));
    }
    format!("{}{body}", " ".repeat(fill))
}

/// Go's strconv.Quote.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hex_bytes(s: &str, upper: bool) -> String {
    s.bytes()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(format: &str, args: Value) -> String {
        sprintf(format, args.as_array().unwrap())
    }

    #[test]
    fn verbs_flags_width() {
        assert_eq!(f("%s-%d", json!(["a", 5])), "a-5");
        assert_eq!(
            f("[%-10s][%10s][%.2s]", json!(["ab", "cd", "xyz"])),
            "[ab        ][        cd][xy]"
        );
        assert_eq!(
            f(
                "%05d %+d %x %X %o %b %c",
                json!([42, 3, 255, 255, 8, 5, 65])
            ),
            "00042 +3 ff FF 10 101 A"
        );
        assert_eq!(
            f("%v %v %v", json!([[1, "a"], {"b": null}, null])),
            "[1 a] map[b:<nil>] <nil>"
        );
        assert_eq!(
            f("%q %q %x", json!(["a\"b\n", 97, "hi"])),
            "\"a\\\"b\\n\" 'a' 6869"
        );
        assert_eq!(
            f("%.2f %f %e %g %t", json!([1.23456, 1, 1234.5, 0.5, true])),
            "1.23 1.000000 1.234500e+03 0.5 true"
        );
        assert_eq!(f("%*d|%-*d|", json!([4, 7, 3, 1])), "   7|1  |");
        assert_eq!(f("100%%", json!([])), "100%");
    }

    #[test]
    fn mismatches_are_written_like_go() {
        assert_eq!(f("%d", json!(["x"])), "%!d(string=x)");
        assert_eq!(f("%s %s", json!(["x"])), "x %!s(MISSING)");
        assert_eq!(f("%s", json!(["x", 1])), "x%!(EXTRA int=1)");
        assert_eq!(f("%", json!([])), "%!(NOVERB)");
    }
}

//! The template function table: Go's builtins (`index`, `len`, `eq`…,
//! `print*`) and Docker/Podman's additions (`json`, `join`, `upper`, `pad`…).
//!
//! Invariants: functions are pure; each checks its argument count and types
//! and returns a one-line message (Go's wording where Go has one). `and` and
//! `or` are listed here but evaluated lazily by the evaluator.

use super::eval::{go_fmt, go_type, truth};
use super::printf::sprintf;
use serde_json::Value;
use std::cmp::Ordering;

const FUNCS: &[&str] = &[
    "and", "contains", "eq", "ge", "gt", "index", "join", "json", "le", "len", "lower", "lt", "ne",
    "not", "or", "pad", "print", "printf", "println", "split", "title", "trim", "truncate",
    "upper",
];

/// Whether `name` is a template function.
pub(crate) fn is_known(name: &str) -> bool {
    FUNCS.contains(&name)
}

type Res = Result<Value, String>;

/// Call function `name`; errors read like Go's ("error calling len: …").
pub(crate) fn call(name: &str, args: &[Value]) -> Res {
    let arity = |n: usize| want(name, args, n);
    let s = Value::String;
    match name {
        "json" => arity(1).and_then(|()| {
            serde_json::to_string(&args[0])
                .map(s)
                .map_err(|e| e.to_string())
        }),
        "index" => index(args),
        "len" => arity(1).and_then(|()| len(&args[0])),
        "eq" => eq(args).map(Value::Bool),
        "ne" => arity(2)
            .and_then(|()| equal(&args[0], &args[1]))
            .map(|b| Value::Bool(!b)),
        "lt" | "le" | "gt" | "ge" => arity(2).and_then(|()| compare(name, &args[0], &args[1])),
        "not" => arity(1).map(|()| Value::Bool(!truth(&args[0]))),
        "and" | "or" => Ok(args
            .iter()
            .find(|a| truth(a) != (name == "and"))
            .or(args.last())
            .cloned()
            .unwrap_or_default()),
        "print" => Ok(s(sprint(args))),
        "println" => Ok(s(
            args.iter().map(go_fmt).collect::<Vec<_>>().join(" ") + "\n"
        )),
        "printf" => match args.split_first() {
            Some((Value::String(f), rest)) => Ok(s(sprintf(f, rest))),
            Some((other, _)) => Err(type_err("string", other)),
            None => Err("wrong number of args for printf: want at least 1 got 0".to_string()),
        },
        _ => strings(name, args),
    }
    .map_err(|e| {
        if e.starts_with("wrong number") {
            e
        } else {
            format!("error calling {name}: {e}")
        }
    })
}

/// The string helpers Docker and Podman add.
fn strings(name: &str, args: &[Value]) -> Res {
    let one = |f: fn(&str) -> String| {
        want(name, args, 1).and_then(|()| Ok(Value::String(f(&string(&args[0])?))))
    };
    match name {
        "upper" => one(str::to_uppercase),
        "lower" => one(str::to_lowercase),
        "title" => one(title),
        "trim" => one(|s| s.trim().to_string()),
        "join" => {
            want(name, args, 2)?;
            let sep = string(&args[1])?;
            match &args[0] {
                Value::Array(a) => Ok(Value::String(
                    a.iter().map(go_fmt).collect::<Vec<_>>().join(&sep),
                )),
                Value::String(one) => Ok(Value::String(one.clone())),
                other => Err(type_err("[]string", other)),
            }
        }
        "split" => {
            want(name, args, 2)?;
            let (text, sep) = (string(&args[0])?, string(&args[1])?);
            let parts: Vec<Value> = if sep.is_empty() {
                text.chars().map(|c| Value::String(c.to_string())).collect()
            } else {
                text.split(sep.as_str())
                    .map(|p| Value::String(p.to_string()))
                    .collect()
            };
            Ok(Value::Array(parts))
        }
        "truncate" => {
            want(name, args, 2)?;
            let (text, n) = (string(&args[0])?, non_negative(&args[1])?);
            Ok(Value::String(text.chars().take(n).collect()))
        }
        "pad" => {
            want(name, args, 3)?;
            let (l, r) = (non_negative(&args[1])?, non_negative(&args[2])?);
            Ok(Value::String(format!(
                "{}{}{}",
                " ".repeat(l),
                string(&args[0])?,
                " ".repeat(r)
            )))
        }
        "contains" => {
            want(name, args, 2)?;
            Ok(Value::Bool(
                string(&args[0])?.contains(string(&args[1])?.as_str()),
            ))
        }
        _ => Err(format!("function {name:?} not defined")),
    }
}

fn want(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ))
    }
}

fn type_err(want: &str, got: &Value) -> String {
    match got {
        Value::Null => format!("invalid value; expected {want}"),
        other => format!(
            "wrong type for value; expected {want}; got {}",
            go_type(other)
        ),
    }
}

fn string(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(type_err("string", other)),
    }
}

fn int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| format!("cannot index or count with {n}")),
        other => Err(type_err("int", other)),
    }
}

fn non_negative(v: &Value) -> Result<usize, String> {
    let n = int(v)?;
    usize::try_from(n).map_err(|_| format!("negative count {n}"))
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            out.push(' ');
        }
        out.push_str(&go_fmt(a));
    }
    out
}

/// `title`: upper-case the first letter of each word (Go's strings.Title).
fn title(s: &str) -> String {
    let mut prev_sep = true;
    s.chars()
        .map(|c| {
            let sep = if c.is_ascii() {
                !(c.is_ascii_alphanumeric() || c == '_')
            } else {
                c.is_whitespace()
            };
            let out = if prev_sep {
                c.to_uppercase().collect::<String>()
            } else {
                c.to_string()
            };
            prev_sep = sep;
            out
        })
        .collect()
}

fn index(args: &[Value]) -> Res {
    let Some((item, keys)) = args.split_first() else {
        return Err("wrong number of args for index: want at least 1 got 0".to_string());
    };
    let mut cur = item.clone();
    for key in keys {
        cur = match (&cur, key) {
            (Value::Array(a), k) => {
                let i = int(k)?;
                let got = usize::try_from(i).ok().and_then(|u| a.get(u));
                got.cloned()
                    .ok_or_else(|| format!("index out of range: {i}"))?
            }
            (Value::String(s), k) => {
                let i = int(k)?;
                let got = usize::try_from(i).ok().and_then(|u| s.as_bytes().get(u));
                got.map(|b| Value::from(*b))
                    .ok_or_else(|| format!("index out of range: {i}"))?
            }
            (Value::Object(m), Value::String(k)) => m.get(k).cloned().unwrap_or(Value::Null),
            (Value::Object(_), other) => return Err(type_err("string", other)),
            (Value::Null, _) => return Err("index of untyped nil".to_string()),
            (other, _) => return Err(format!("can't index item of type {}", go_type(other))),
        };
    }
    Ok(cur)
}

fn len(v: &Value) -> Res {
    match v {
        Value::String(s) => Ok(Value::from(s.len())),
        Value::Array(a) => Ok(Value::from(a.len())),
        Value::Object(m) => Ok(Value::from(m.len())),
        Value::Null => Err("len of nil pointer".to_string()),
        other => Err(format!("len of type {}", go_type(other))),
    }
}

fn eq(args: &[Value]) -> Result<bool, String> {
    let Some((first, rest)) = args.split_first().filter(|(_, r)| !r.is_empty()) else {
        return Err("missing argument for comparison".to_string());
    };
    for other in rest {
        if equal(first, other)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn equal(a: &Value, b: &Value) -> Result<bool, String> {
    match (a, b) {
        (Value::Null, x) | (x, Value::Null) => Ok(x.is_null()),
        (Value::Number(_), Value::Number(_)) => Ok(num_cmp(a, b) == Some(Ordering::Equal)),
        (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Object(_), Value::Object(_)) => Ok(a == b),
        _ => Err("incompatible types for comparison".to_string()),
    }
}

fn num_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn compare(name: &str, a: &Value, b: &Value) -> Res {
    let ord = match (a, b) {
        (Value::Number(_), Value::Number(_)) => num_cmp(a, b),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Number(_) | Value::String(_), Value::Number(_) | Value::String(_)) => {
            return Err("incompatible types for comparison".to_string())
        }
        _ => return Err("invalid type for comparison".to_string()),
    };
    let Some(ord) = ord else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(match name {
        "lt" => ord.is_lt(),
        "le" => ord.is_le(),
        "gt" => ord.is_gt(),
        _ => ord.is_ge(),
    }))
}

#[cfg(test)]
mod tests {
    use crate::cli::format::Template;
    use serde_json::json;

    fn r(src: &str) -> String {
        let data = json!({"S": "Hello World", "L": ["a", "b", "c"], "M": {"k": {"x": 5}}, "N": 3, "F": 2.5, "B": true});
        Template::parse(src).unwrap().render(&data).unwrap()
    }

    fn fails(src: &str) -> String {
        Template::parse(src)
            .unwrap()
            .render(&json!({"S": "s", "L": [1]}))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn json_index_len() {
        assert_eq!(
            r("{{json .L}} {{json .M}} {{.M | json}} {{json .Nope}}"),
            r#"["a","b","c"] {"k":{"x":5}} {"k":{"x":5}} null"#
        );
        assert_eq!(
            r("{{index .L 1}} {{index .M \"k\" \"x\"}} {{index .M \"zz\"}} {{index .S 0}}"),
            "b 5 <no value> 72"
        );
        assert_eq!(
            r("{{len .L}} {{len .M}} {{len .S}} {{len \"é\"}}"),
            "3 1 11 2"
        );
        assert!(fails("{{index .L 5}}").ends_with("error calling index: index out of range: 5"));
        assert!(fails("{{len .N}}").ends_with("error calling len: len of nil pointer"));
        assert!(fails("{{len 1 2}}").ends_with("wrong number of args for len: want 1 got 2"));
    }

    #[test]
    fn comparisons_and_logic() {
        assert_eq!(r("{{eq .N 3}} {{eq .N 1 2 3}} {{eq .S \"x\"}} {{eq .F 2.5}} {{eq .Nope nil}} {{eq 3 3.0}}"), "true true false true true true");
        assert_eq!(
            r("{{ne .N 3}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2}}"),
            "false true true true false"
        );
        assert_eq!(
            r("{{not .B}} {{not 0}} {{and 1 0 2}} {{or 0 \"\" .S}} {{and .B .N}}"),
            "false true 0 Hello World 3"
        );
        assert!(
            fails("{{eq .S 1}}").ends_with("error calling eq: incompatible types for comparison")
        );
        assert!(fails("{{lt .L .L}}").ends_with("error calling lt: invalid type for comparison"));
        assert!(fails("{{eq 1}}").ends_with("missing argument for comparison"));
    }

    #[test]
    fn printing() {
        assert_eq!(r("{{print .S 1 2 \"x\" .B}}"), "Hello World1 2xtrue");
        assert_eq!(r("{{println .N .S}}"), "3 Hello World\n");
        assert_eq!(
            r("{{printf \"%s-%d|%-6s|%5s|%v|%q|%x|%%\" .S .N \"ab\" \"cd\" .L \"q\" 255}}"),
            "Hello World-3|ab    |   cd|[a b c]|\"q\"|ff|%"
        );
    }

    #[test]
    fn string_helpers() {
        assert_eq!(
            r("{{join .L \", \"}} {{split \"a:b\" \":\"}} {{len (split .S \" \")}}"),
            "a, b, c [a b] 2"
        );
        assert_eq!(
            r("{{upper .S}} {{lower .S}} {{title \"hello big-world\"}} {{.S | upper}}"),
            "HELLO WORLD hello world Hello Big-World HELLO WORLD"
        );
        assert_eq!(
            r("{{truncate .S 5}}|{{truncate \"ab\" 5}}|{{pad \"x\" 2 1}}|{{trim \"  t \\n\"}}"),
            "Hello|ab|  x |t"
        );
        assert_eq!(r("{{contains .S \"World\"}} {{contains .S \"world\"}} {{if contains .S \"lo\"}}y{{end}}"), "true false y");
        assert!(fails("{{upper .L}}").ends_with(
            "error calling upper: wrong type for value; expected string; got []interface {}"
        ));
        assert!(fails("{{upper .Nope}}")
            .ends_with("error calling upper: invalid value; expected string"));
    }
}

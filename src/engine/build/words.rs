//! The builder's one door to Dockerfile word expansion (`$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR:+alt}`, quote removal, the escape character).
//! Expansion itself lives in `crate::build::dockerfile::expand` when the parser
//! provides it; until then this module carries the subset the builder needs.

/// Expand one word with `lookup`.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut single = false;
    let mut double = false;
    while i < chars.len() {
        let c = chars[i];
        if single {
            if c == '\'' {
                single = false;
            } else {
                out.push(c);
            }
            i += 1;
            continue;
        }
        if c == escape && i + 1 < chars.len() {
            let next = chars[i + 1];
            if double && !matches!(next, '"' | '$' | '\\') && next != escape {
                out.push(c);
            }
            out.push(next);
            i += 2;
            continue;
        }
        match c {
            '\'' if !double => single = true,
            '"' => double = !double,
            '$' => {
                let (text, used) = variable(&chars[i + 1..], escape, lookup)?;
                out.push_str(&text);
                i += used;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if single || double {
        return Err(format!("unterminated quote in {word:?}"));
    }
    Ok(out)
}

/// A `$…` reference after the `$`: its value and how many chars it used.
fn variable(
    rest: &[char],
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, usize), String> {
    if rest.first() == Some(&'{') {
        let Some(end) = closing_brace(rest) else {
            return Err("missing '}' in variable reference".into());
        };
        let inner: String = rest[1..end].iter().collect();
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (name, modifier) = inner.split_at(name_len);
        if name.is_empty() {
            return Err(format!("bad substitution ${{{inner}}}"));
        }
        let value = lookup(name);
        let text = match modifier {
            "" => value.unwrap_or_default(),
            m if m.starts_with(":-") || m.starts_with('-') => {
                let word = m.trim_start_matches(':')[1..].to_string();
                let unset = if m.starts_with(':') {
                    value.as_deref().is_none_or(str::is_empty)
                } else {
                    value.is_none()
                };
                if unset {
                    expand(&word, escape, lookup)?
                } else {
                    value.unwrap_or_default()
                }
            }
            m if m.starts_with(":+") || m.starts_with('+') => {
                let word = m.trim_start_matches(':')[1..].to_string();
                let set = if m.starts_with(':') {
                    value.as_deref().is_some_and(|v| !v.is_empty())
                } else {
                    value.is_some()
                };
                if set {
                    expand(&word, escape, lookup)?
                } else {
                    String::new()
                }
            }
            m if m.starts_with(":?") || m.starts_with('?') => match value {
                Some(v) if !v.is_empty() => v,
                _ => {
                    let msg = m.trim_start_matches(':')[1..].to_string();
                    return Err(format!(
                        "{name}: {}",
                        if msg.is_empty() {
                            "is not allowed to be empty"
                        } else {
                            &msg
                        }
                    ));
                }
            },
            m => return Err(format!("unsupported modifier ({m}) in substitution")),
        };
        return Ok((text, end + 1));
    }
    let len = rest
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        .unwrap_or(rest.len());
    if len == 0 {
        return Ok(("$".into(), 0));
    }
    let name: String = rest[..len].iter().collect();
    Ok((lookup(&name).unwrap_or_default(), len))
}

fn closing_brace(rest: &[char]) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in rest.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(n: &str) -> Option<String> {
        match n {
            "A" => Some("1".into()),
            "E" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn expands_like_docker() {
        let x = |w: &str| expand(w, '\\', &env).unwrap();
        assert_eq!(x("$A"), "1");
        assert_eq!(x("${A}b"), "1b");
        assert_eq!(x("'$A'"), "$A");
        assert_eq!(x("\"$A x\""), "1 x");
        assert_eq!(x("${B:-def}"), "def");
        assert_eq!(x("${E:-def}"), "def");
        assert_eq!(x("${E-def}"), "");
        assert_eq!(x("${A:+alt}"), "alt");
        assert_eq!(x("\\$A"), "$A");
        assert_eq!(x("a$"), "a$");
        assert!(expand("${B:?must}", '\\', &env).is_err());
    }
}

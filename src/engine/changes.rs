//! `--change` instructions (`import -c`): the Dockerfile instructions that only
//! change an image config, as `docker import --change` accepts them: CMD,
//! ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME and WORKDIR, in JSON or shell
//! form, written `INSTR args` or (as Podman also takes them) `INSTR=args`.
//! A deliberately small parser; Dockerfiles are parsed in `build/`.

use serde_json::{json, Map, Value};

use super::EngineError;

const ACCEPTED: &str = "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR";

fn bad(change: &str, why: &str) -> EngineError {
    EngineError::BadOption(format!("--change {change:?}: {why}"))
}

/// Apply one `--change` to `config` (the image config's `config` object).
pub fn apply(config: &mut Map<String, Value>, change: &str) -> Result<(), EngineError> {
    let text = change.trim();
    let end = text
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(text.len());
    let keyword = text[..end].to_ascii_uppercase();
    let rest = text[end..].strip_prefix('=').unwrap_or(&text[end..]).trim();
    if rest.is_empty() {
        return Err(bad(change, "the instruction has no arguments"));
    }
    match keyword.as_str() {
        "CMD" => {
            config.insert("Cmd".into(), json!(command(rest)));
        }
        "ENTRYPOINT" => {
            config.insert("Entrypoint".into(), json!(command(rest)));
        }
        "ENV" => {
            let env = config.entry("Env").or_insert_with(|| json!([]));
            for (k, v) in pairs(change, rest)? {
                set_env(env, &k, &v);
            }
        }
        "LABEL" => {
            let labels = object(config, "Labels");
            for (k, v) in pairs(change, rest)? {
                labels.insert(k, json!(v));
            }
        }
        "EXPOSE" => {
            let ports = object(config, "ExposedPorts");
            for p in words(change, rest)? {
                let p = if p.contains('/') {
                    p
                } else {
                    format!("{p}/tcp")
                };
                ports.insert(p, json!({}));
            }
        }
        "VOLUME" => {
            let list = json_list(rest).map_or_else(|| words(change, rest), Ok)?;
            let vols = object(config, "Volumes");
            for v in list {
                vols.insert(v, json!({}));
            }
        }
        "USER" => {
            config.insert("User".into(), json!(rest));
        }
        "WORKDIR" => {
            config.insert("WorkingDir".into(), json!(rest));
        }
        _ => {
            return Err(bad(
                change,
                &format!("not an instruction --change accepts ({ACCEPTED})"),
            ))
        }
    }
    Ok(())
}

/// The object at `key`, created (or replacing a non-object) when needed.
fn object<'a>(config: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = config.entry(key).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object just above"),
    }
}

/// JSON form (`["a","b"]`) or shell form (`/bin/sh -c TEXT`).
fn command(rest: &str) -> Vec<String> {
    json_list(rest)
        .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string(), rest.to_string()])
}

fn json_list(rest: &str) -> Option<Vec<String>> {
    if !rest.starts_with('[') {
        return None;
    }
    serde_json::from_str(rest).ok()
}

/// Replace or add `key=value` in an Env list.
fn set_env(env: &mut Value, key: &str, value: &str) {
    if !env.is_array() {
        *env = json!([]);
    }
    if let Value::Array(list) = env {
        let prefix = format!("{key}=");
        list.retain(|e| !e.as_str().is_some_and(|s| s.starts_with(&prefix)));
        list.push(json!(format!("{key}={value}")));
    }
}

/// `k=v k2="v 2"`, or the old `k v w` form (key, then the rest as the value).
fn pairs(change: &str, rest: &str) -> Result<Vec<(String, String)>, EngineError> {
    let ws = words(change, rest)?;
    let first_has_eq = ws.first().is_some_and(|w| w.contains('='));
    if !first_has_eq {
        let (k, v) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad(change, "expected KEY=VALUE or KEY VALUE"))?;
        let v = words(change, v.trim())?.join(" ");
        return Ok(vec![(k.to_string(), v)]);
    }
    ws.into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(bad(change, "expected KEY=VALUE")),
        })
        .collect()
}

/// Split on white space, honouring "double" and 'single' quotes and backslashes.
fn words(change: &str, s: &str) -> Result<Vec<String>, EngineError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(bad(change, "unterminated quote"));
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(changes: &[&str]) -> Value {
        let mut c = Map::new();
        for ch in changes {
            apply(&mut c, ch).unwrap();
        }
        Value::Object(c)
    }

    #[test]
    fn json_and_shell_forms() {
        let c = applied(&[r#"CMD ["/bin/echo","hi"]"#, "ENTRYPOINT /bin/sh -x"]);
        assert_eq!(c["Cmd"], json!(["/bin/echo", "hi"]));
        assert_eq!(c["Entrypoint"], json!(["/bin/sh", "-c", "/bin/sh -x"]));
        let c = applied(&["CMD=/bin/true"]);
        assert_eq!(c["Cmd"], json!(["/bin/sh", "-c", "/bin/true"]));
    }

    #[test]
    fn env_label_expose_volume() {
        let c = applied(&[
            "ENV A=1 B=\"two words\"",
            "ENV A 3 4",
            "LABEL org.x=y",
            "EXPOSE 80 53/udp",
            r#"VOLUME ["/data"]"#,
            "VOLUME /a /b",
            "USER 1000:1000",
            "WORKDIR /srv",
        ]);
        assert_eq!(c["Env"], json!(["B=two words", "A=3 4"]));
        assert_eq!(c["Labels"], json!({"org.x": "y"}));
        assert_eq!(c["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(c["Volumes"], json!({"/data": {}, "/a": {}, "/b": {}}));
        assert_eq!(c["User"], json!("1000:1000"));
        assert_eq!(c["WorkingDir"], json!("/srv"));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        let mut c = Map::new();
        assert!(apply(&mut c, "RUN rm -rf /").is_err());
        assert!(apply(&mut c, "CMD").is_err());
        assert!(apply(&mut c, "ENV A=\"x").is_err());
    }
}

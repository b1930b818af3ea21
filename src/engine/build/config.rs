//! Config-only instructions (ENV, LABEL, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE,
//! VOLUME, SHELL, HEALTHCHECK, STOPSIGNAL, ONBUILD, MAINTAINER) applied to an image
//! config: shared by the builder and `commit --change`. Values arrive expanded
//! through `ex`, which the caller binds to the stage's ARG/ENV scope.

use serde_json::{json, Map, Value};

use crate::build::dockerfile::ast::{CommandForm, Healthcheck, Kind};
use crate::engine::commit::Draft;

/// Expands one word (quotes removed, variables substituted).
pub type Expand<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// The default shell for shell-form commands.
pub fn shell_of(cfg: &Map<String, Value>) -> Vec<String> {
    let s = strings(cfg.get("Shell"));
    if s.is_empty() {
        vec!["/bin/sh".into(), "-c".into()]
    } else {
        s
    }
}

/// A JSON string array as strings (non-strings skipped).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The argv of a CMD/ENTRYPOINT/RUN command in the config's shell.
pub fn argv(cfg: &Map<String, Value>, form: &CommandForm) -> Vec<String> {
    match form {
        CommandForm::Exec(a) => a.clone(),
        CommandForm::Shell(s) => {
            let mut v = shell_of(cfg);
            v.push(s.clone());
            v
        }
    }
}

/// Set `KEY=value` in an env list, replacing an earlier value.
pub fn set_env(env: &mut Vec<String>, key: &str, value: &str) {
    env.retain(|e| e.split_once('=').map_or(e.as_str(), |(k, _)| k) != key);
    env.push(format!("{key}={value}"));
}

/// The value of `key` in an env list.
pub fn get_env<'a>(env: &'a [String], key: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find_map(|e| e.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

fn object<'a>(cfg: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = cfg.entry(key).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    match v.as_object_mut() {
        Some(m) => m,
        None => unreachable!("made an object above"),
    }
}

/// Apply one config-only instruction. Returns false for instructions that are
/// not config-only (RUN, COPY, ADD, ARG), which the caller handles.
pub fn apply(draft: &mut Draft, kind: &Kind, ex: Expand<'_>) -> Result<bool, String> {
    let cfg = draft.run_config();
    match kind {
        Kind::Env(pairs) => {
            let mut env = strings(cfg.get("Env"));
            for (k, v) in pairs {
                let (k, v) = (ex(k)?, ex(v)?);
                set_env(&mut env, &k, &v);
            }
            cfg.insert("Env".into(), json!(env));
        }
        Kind::Label(pairs) => {
            let mut out = Vec::new();
            for (k, v) in pairs {
                out.push((ex(k)?, ex(v)?));
            }
            let labels = object(cfg, "Labels");
            for (k, v) in out {
                labels.insert(k, json!(v));
            }
        }
        Kind::Cmd(form) => {
            let a = argv(cfg, form);
            cfg.insert("Cmd".into(), json!(a));
        }
        Kind::Entrypoint(form) => {
            let a = argv(cfg, form);
            cfg.insert("Entrypoint".into(), json!(a));
            // Docker: ENTRYPOINT resets a CMD inherited from the base image (the
            // builder puts back a CMD its own stage set earlier).
            cfg.remove("Cmd");
        }
        Kind::Workdir(dir) => {
            let dir = ex(dir)?;
            let cur = cfg.get("WorkingDir").and_then(Value::as_str).unwrap_or("/");
            let joined = if dir.starts_with('/') {
                dir
            } else {
                format!("{}/{dir}", cur.trim_end_matches('/'))
            };
            cfg.insert("WorkingDir".into(), json!(clean_abs(&joined)));
        }
        Kind::User(u) => {
            let u = ex(u)?;
            cfg.insert("User".into(), json!(u));
        }
        Kind::Expose(ports) => {
            let mut out = Vec::new();
            for p in ports {
                for p in ex(p)?.split_whitespace() {
                    out.push(if p.contains('/') {
                        p.to_string()
                    } else {
                        format!("{p}/tcp")
                    });
                }
            }
            let ports = object(cfg, "ExposedPorts");
            for p in out {
                ports.insert(p, json!({}));
            }
        }
        Kind::Volume(paths) => {
            let mut out = Vec::new();
            for p in paths {
                out.push(ex(p)?);
            }
            let vols = object(cfg, "Volumes");
            for p in out.into_iter().filter(|p| !p.is_empty()) {
                vols.insert(p, json!({}));
            }
        }
        Kind::Shell(s) => {
            cfg.insert("Shell".into(), json!(s));
        }
        Kind::StopSignal(s) => {
            let s = ex(s)?;
            cfg.insert("StopSignal".into(), json!(s));
        }
        Kind::Healthcheck(h) => {
            let v = healthcheck(h)?;
            cfg.insert("Healthcheck".into(), v);
        }
        Kind::Onbuild(t) => {
            let mut list = strings(cfg.get("OnBuild"));
            list.push(t.clone());
            cfg.insert("OnBuild".into(), json!(list));
        }
        Kind::Maintainer(m) => {
            let m = ex(m)?;
            draft.config["author"] = json!(m);
        }
        Kind::Run(_) | Kind::Copy(_) | Kind::Add(_) | Kind::Arg(_) => return Ok(false),
    }
    Ok(true)
}

fn healthcheck(h: &Healthcheck) -> Result<Value, String> {
    let Healthcheck::Check {
        command,
        interval,
        timeout,
        start_period,
        start_interval,
        retries,
    } = h
    else {
        return Ok(json!({ "Test": ["NONE"] }));
    };
    let test: Vec<String> = match command {
        CommandForm::Exec(a) => std::iter::once("CMD".to_string())
            .chain(a.iter().cloned())
            .collect(),
        CommandForm::Shell(s) => vec!["CMD-SHELL".into(), s.clone()],
    };
    let mut v = json!({ "Test": test });
    for (key, val) in [
        ("Interval", interval),
        ("Timeout", timeout),
        ("StartPeriod", start_period),
        ("StartInterval", start_interval),
    ] {
        if let Some(s) = val {
            let d = crate::build::dockerfile::parse_duration(s)
                .map_err(|e| format!("HEALTHCHECK: invalid duration {s:?}: {e:?}"))?;
            v[key] = json!(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        }
    }
    if let Some(r) = retries {
        let n: u64 = r
            .parse()
            .map_err(|_| format!("HEALTHCHECK: invalid retries {r:?}"))?;
        v["Retries"] = json!(n);
    }
    Ok(v)
}

/// An absolute path with `.`/`..`/empty parts resolved.
pub fn clean_abs(p: &str) -> String {
    format!("/{}", super::context::normalize(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Result<String, String> {
        Ok(s.trim_matches('"').to_string())
    }

    #[test]
    fn env_workdir_cmd_entrypoint() {
        let mut d = Draft::scratch();
        apply(&mut d, &Kind::Env(vec![("A".into(), "\"1\"".into())]), &id).unwrap();
        apply(&mut d, &Kind::Env(vec![("A".into(), "2".into())]), &id).unwrap();
        apply(&mut d, &Kind::Workdir("/a".into()), &id).unwrap();
        apply(&mut d, &Kind::Workdir("b/../c".into()), &id).unwrap();
        apply(
            &mut d,
            &Kind::Cmd(CommandForm::Shell("echo hi".into())),
            &id,
        )
        .unwrap();
        let c = d.run_config();
        assert_eq!(c["Env"], json!(["A=2"]));
        assert_eq!(c["WorkingDir"], json!("/a/c"));
        assert_eq!(c["Cmd"], json!(["/bin/sh", "-c", "echo hi"]));
        apply(
            &mut d,
            &Kind::Entrypoint(CommandForm::Exec(vec!["x".into()])),
            &id,
        )
        .unwrap();
        assert!(d.run_config().get("Cmd").is_none());
    }

    #[test]
    fn expose_and_labels() {
        let mut d = Draft::scratch();
        apply(
            &mut d,
            &Kind::Expose(vec!["80".into(), "53/udp".into()]),
            &id,
        )
        .unwrap();
        apply(&mut d, &Kind::Label(vec![("a".into(), "b".into())]), &id).unwrap();
        let c = d.run_config();
        assert_eq!(c["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(c["Labels"], json!({"a": "b"}));
    }
}

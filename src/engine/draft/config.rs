//! Config-only instructions (ENV, LABEL, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE,
//! VOLUME, SHELL, HEALTHCHECK, STOPSIGNAL, ONBUILD, MAINTAINER) applied to an image
//! config: shared by the builder and the `--change` of `commit` and `import`.
//! Values arrive expanded through `ex`, which the caller binds to the stage's
//! ARG/ENV scope (or the image's Env). Also Docker's lexical path cleaning
//! ([`normalize`]), for WORKDIR here and for context paths in the builder.

use crate::dockerfile::ast::{CommandForm, Healthcheck, Kind};
use crate::engine::draft::Draft;
use crate::oci::config::Healthcheck as HealthcheckConfig;
use crate::oci::{ContainerConfig, Ordered};

/// Expands one word (quotes removed, variables substituted).
pub type Expand<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// The default shell for shell-form commands.
fn shell_of(cfg: &ContainerConfig) -> Vec<String> {
    let s = cfg.shell();
    if s.is_empty() {
        vec!["/bin/sh".into(), "-c".into()]
    } else {
        s.to_vec()
    }
}

/// The argv of a CMD/ENTRYPOINT/RUN command in the config's shell.
pub fn argv(cfg: &ContainerConfig, form: &CommandForm) -> Vec<String> {
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

/// Apply one config-only instruction. Returns false for instructions that are
/// not config-only (RUN, COPY, ADD, ARG), which the caller handles.
pub fn apply(draft: &mut Draft, kind: &Kind, ex: Expand<'_>) -> Result<bool, String> {
    let cfg = draft.run_config();
    match kind {
        Kind::Env(pairs) => {
            let mut env = cfg.env().to_vec();
            for (k, v) in pairs {
                let (k, v) = (ex(k)?, ex(v)?);
                set_env(&mut env, &k, &v);
            }
            cfg.set_env(env);
        }
        Kind::Label(pairs) => {
            let mut out = Vec::new();
            for (k, v) in pairs {
                out.push((ex(k)?, ex(v)?));
            }
            cfg.labels_mut().extend(out);
        }
        Kind::Cmd(form) => {
            let a = argv(cfg, form);
            cfg.set_cmd(Some(a));
        }
        Kind::Entrypoint(form) => {
            let a = argv(cfg, form);
            cfg.set_entrypoint(Some(a));
            // Docker: ENTRYPOINT resets a CMD inherited from the base image (the
            // builder puts back a CMD its own stage set earlier).
            cfg.remove_cmd();
        }
        Kind::Workdir(dir) => {
            let dir = ex(dir)?;
            let cur = cfg.working_dir.as_deref().unwrap_or("/");
            let joined = if dir.starts_with('/') {
                dir
            } else {
                format!("{}/{dir}", cur.trim_end_matches('/'))
            };
            cfg.set_working_dir(clean_abs(&joined));
        }
        Kind::User(u) => {
            let u = ex(u)?;
            cfg.set_user(u);
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
            let ports = cfg.exposed_ports_mut();
            for p in out {
                ports.insert(p, serde_json::json!({}));
            }
        }
        Kind::Volume(paths) => {
            let mut out = Vec::new();
            for p in paths {
                out.push(ex(p)?);
            }
            let vols = cfg.volumes_mut();
            for p in out.into_iter().filter(|p| !p.is_empty()) {
                vols.insert(p, serde_json::json!({}));
            }
        }
        Kind::Shell(s) => cfg.set_shell(s.clone()),
        Kind::StopSignal(s) => {
            let s = ex(s)?;
            cfg.set_stop_signal(s);
        }
        Kind::Healthcheck(h) => {
            let v = healthcheck(h)?;
            cfg.set_healthcheck(v);
        }
        Kind::Onbuild(t) => {
            let mut list = cfg.on_build().to_vec();
            list.push(t.clone());
            cfg.set_on_build(list);
        }
        Kind::Maintainer(m) => {
            let m = ex(m)?;
            draft.config.set_author(&m);
        }
        Kind::Run(_) | Kind::Copy(_) | Kind::Add(_) | Kind::Arg(_) => return Ok(false),
    }
    Ok(true)
}

fn healthcheck(h: &Healthcheck) -> Result<Ordered<HealthcheckConfig>, String> {
    let Healthcheck::Check {
        command,
        interval,
        timeout,
        start_period,
        start_interval,
        retries,
    } = h
    else {
        return Ok(Ordered::<HealthcheckConfig>::with_test(vec!["NONE".into()]));
    };
    let test: Vec<String> = match command {
        CommandForm::Exec(a) => std::iter::once("CMD".to_string())
            .chain(a.iter().cloned())
            .collect(),
        CommandForm::Shell(s) => vec!["CMD-SHELL".into(), s.clone()],
    };
    let mut v = Ordered::<HealthcheckConfig>::with_test(test);
    type Setter = fn(&mut Ordered<HealthcheckConfig>, u64);
    let durations: [(&Option<String>, Setter); 4] = [
        (interval, Ordered::<HealthcheckConfig>::set_interval),
        (timeout, Ordered::<HealthcheckConfig>::set_timeout),
        (start_period, Ordered::<HealthcheckConfig>::set_start_period),
        (
            start_interval,
            Ordered::<HealthcheckConfig>::set_start_interval,
        ),
    ];
    for (val, set) in durations {
        if let Some(s) = val {
            let d = crate::dockerfile::parse_duration(s)
                .map_err(|e| format!("HEALTHCHECK: invalid duration {s:?}: {e:?}"))?;
            set(&mut v, u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        }
    }
    if let Some(r) = retries {
        let n: u64 = r
            .parse()
            .map_err(|_| format!("HEALTHCHECK: invalid retries {r:?}"))?;
        v.set_retries(n);
    }
    Ok(v)
}

/// An absolute path with `.`/`..`/empty parts resolved.
fn clean_abs(p: &str) -> String {
    format!("/{}", normalize(p))
}

/// A context-relative path: no leading `/`, no `.` or empty parts, `..` clamped at
/// the context root (as Docker does).
pub fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Result<String, String> {
        Ok(s.trim_matches('"').to_string())
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("/a/./b/"), "a/b");
        assert_eq!(normalize("../../a"), "a");
        assert_eq!(normalize("."), "");
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
        assert_eq!(c.env(), ["A=2"]);
        assert_eq!(c.working_dir.as_deref(), Some("/a/c"));
        assert_eq!(c.cmd(), ["/bin/sh", "-c", "echo hi"]);
        apply(
            &mut d,
            &Kind::Entrypoint(CommandForm::Exec(vec!["x".into()])),
            &id,
        )
        .unwrap();
        assert!(d.run_config().cmd.is_none());
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
        let ports: Vec<&String> = c.exposed_ports.as_ref().unwrap().keys().collect();
        assert_eq!(ports, ["80/tcp", "53/udp"]);
        assert_eq!(c.labels.as_ref().unwrap()["a"], "b");
    }
}

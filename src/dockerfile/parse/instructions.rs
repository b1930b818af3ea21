//! Instruction dispatch: builder flags per instruction and the argument forms
//! of each instruction (buildkit's `line_parsers.go` and `instructions/parse.go`).

use std::collections::HashMap;

use super::lexer::{self, parse_json, parse_words, split_ws, Json};
use super::{check_trigger_name, err, parse_duration, parse_trigger, Logical, RawHeredoc};
use super::{ParseError, ParseErrorKind};
use crate::dockerfile::ast::{CommandForm, Copy, Healthcheck, Instruction, Kind, Run, Stage};

pub(super) enum Parsed {
    From(Stage),
    Instruction(Instruction),
}

#[derive(Clone, Copy, PartialEq)]
enum FlagType {
    Bool,
    Str,
    Strs,
}

/// Flag values by name (booleans as `true`/`false`).
struct Flags(HashMap<&'static str, Vec<String>>);

impl Flags {
    fn one(&self, name: &str) -> Option<String> {
        self.0.get(name).and_then(|v| v.last().cloned())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }
    fn bool(&self, name: &str) -> bool {
        self.one(name).is_some_and(|v| v == "true")
    }
}

/// buildkit's `BFlags.Parse` against the flags `spec` allows.
fn parse_flags(
    instruction: &'static str,
    raw: &[String],
    spec: &[(&'static str, FlagType)],
) -> Result<Flags, ParseErrorKind> {
    let mut out: HashMap<&'static str, Vec<String>> = HashMap::new();
    for arg in raw {
        if arg == "--" {
            break;
        }
        let body = arg.strip_prefix("--").unwrap_or(arg);
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let Some(&(key, ty)) = spec.iter().find(|(n, _)| *n == name) else {
            return Err(ParseErrorKind::UnknownFlag {
                instruction,
                flag: name.to_string(),
            });
        };
        if ty != FlagType::Strs && out.contains_key(key) {
            return Err(ParseErrorKind::DuplicateFlag(name.to_string()));
        }
        let value = match (ty, value) {
            (FlagType::Bool, None) => "true".to_string(),
            (FlagType::Bool, Some(v)) => match v.to_lowercase().as_str() {
                "true" => "true".to_string(),
                "false" => "false".to_string(),
                "" => return Err(ParseErrorKind::FlagValue(name.to_string())),
                _ => {
                    return Err(ParseErrorKind::FlagBool {
                        flag: name.to_string(),
                        value: v.to_string(),
                    })
                }
            },
            (_, None) => return Err(ParseErrorKind::FlagValue(name.to_string())),
            (_, Some(v)) => v.to_string(),
        };
        out.entry(key).or_default().push(value);
    }
    Ok(Flags(out))
}

/// buildkit's `parseMaybeJSON`.
fn command_form(args: &str) -> Result<CommandForm, ParseErrorKind> {
    Ok(match parse_json(args)? {
        Json::Strings(v) => CommandForm::Exec(v),
        Json::NotJson => CommandForm::Shell(args.to_string()),
    })
}

/// buildkit's `parseMaybeJSONToList`.
fn json_or_words(args: &str) -> Result<Vec<String>, ParseErrorKind> {
    Ok(match parse_json(args)? {
        Json::Strings(v) => v,
        Json::NotJson => split_ws(args),
    })
}

/// ENV and LABEL: `name=value ...` or the legacy `name value`.
fn key_values(
    instruction: &'static str,
    args: &str,
    escape: char,
) -> Result<Vec<(String, String)>, ParseErrorKind> {
    let words = parse_words(args, escape);
    if words.is_empty() {
        return Err(ParseErrorKind::AtLeastOneArgument(instruction));
    }
    let pairs = if !words[0].contains('=') {
        let (key, value) = lexer::split_first_ws(args);
        if value.is_empty() {
            return Err(ParseErrorKind::KeyValueLegacy(instruction));
        }
        vec![(key.to_string(), value.to_string())]
    } else {
        let mut pairs = Vec::new();
        for word in words {
            let Some((k, v)) = word.split_once('=') else {
                return Err(ParseErrorKind::KeyValue { instruction, word });
            };
            pairs.push((k.to_string(), v.to_string()));
        }
        pairs
    };
    if pairs.iter().any(|(k, _)| k.is_empty()) {
        return Err(ParseErrorKind::BlankName(instruction));
    }
    Ok(pairs)
}

/// `COPY << EOF /dst` splits into `<<` and `EOF`: joins them back so the
/// source is recognised as the heredoc read for the line.
fn join_spaced_heredocs(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut pending: Option<String> = None;
    for w in words {
        if let Some(p) = pending.take() {
            out.push(p + &w);
            continue;
        }
        let digits = w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if matches!(&w[digits..], "<<" | "<<-") {
            pending = Some(w);
        } else {
            out.push(w);
        }
    }
    out.extend(pending);
    out
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// Builds the instruction (or stage) for one logical line.
pub(super) fn build(l: &Logical, escape: char) -> Result<Parsed, ParseError> {
    build_kind(l, escape).map_err(|kind| err(l.start, kind))
}

fn build_kind(l: &Logical, escape: char) -> Result<Parsed, ParseErrorKind> {
    use FlagType::{Bool, Str, Strs};
    let args = l.args.as_str();
    let none: &[(&'static str, FlagType)] = &[];
    let upper = l.command.to_uppercase();
    let kind = match upper.as_str() {
        "FROM" => {
            let flags = parse_flags("FROM", &l.flags, &[("platform", Str)])?;
            let words = split_ws(args);
            let name = match words.len() {
                1 => None,
                3 if words[1].eq_ignore_ascii_case("as") => {
                    let name = words[2].to_lowercase();
                    if !valid_stage_name(&name) {
                        return Err(ParseErrorKind::StageName(words[2].clone()));
                    }
                    Some(name)
                }
                _ => return Err(ParseErrorKind::FromArguments),
            };
            return Ok(Parsed::From(Stage {
                line: l.start,
                base: words[0].clone(),
                name,
                platform: flags.one("platform"),
                instructions: Vec::new(),
            }));
        }
        "RUN" => {
            let flags = parse_flags(
                "RUN",
                &l.flags,
                &[("mount", Strs), ("network", Str), ("security", Str)],
            )?;
            if args.is_empty() {
                return Err(ParseErrorKind::AtLeastOneArgument("RUN"));
            }
            Kind::Run(Run {
                mounts: flags.all("mount"),
                network: flags.one("network"),
                security: flags.one("security"),
                command: command_form(args)?,
                heredocs: l.heredocs.iter().map(RawHeredoc::to_ast).collect(),
            })
        }
        "CMD" => {
            parse_flags("CMD", &l.flags, none)?;
            Kind::Cmd(command_form(args)?)
        }
        "ENTRYPOINT" => {
            parse_flags("ENTRYPOINT", &l.flags, none)?;
            Kind::Entrypoint(command_form(args)?)
        }
        "COPY" | "ADD" => {
            let is_copy = upper == "COPY";
            let name = if is_copy { "COPY" } else { "ADD" };
            let spec: &[(&'static str, FlagType)] = if is_copy {
                &[
                    ("from", Str),
                    ("chown", Str),
                    ("chmod", Str),
                    ("link", Bool),
                    ("exclude", Strs),
                ]
            } else {
                &[
                    ("chown", Str),
                    ("chmod", Str),
                    ("link", Bool),
                    ("keep-git-dir", Bool),
                    ("checksum", Str),
                    ("exclude", Strs),
                ]
            };
            let mut words = json_or_words(args)?;
            if !l.heredocs.is_empty() {
                words = join_spaced_heredocs(words);
            }
            if words.len() < 2 {
                return Err(ParseErrorKind::NoDestination(name));
            }
            let flags = parse_flags(name, &l.flags, spec)?;
            let dest = words.pop().unwrap_or_default();
            if lexer::parse_heredoc_word(&dest).is_some() {
                return Err(ParseErrorKind::HeredocDestination(name));
            }
            let sources = words
                .into_iter()
                .map(|w| match lexer::parse_heredoc_word(&w) {
                    Some(h) if !l.heredocs.is_empty() => format!("<<{}", h.name),
                    _ => w,
                })
                .collect();
            let copy = Copy {
                sources,
                dest,
                from: flags.one("from"),
                chown: flags.one("chown"),
                chmod: flags.one("chmod"),
                link: flags.bool("link"),
                checksum: flags.one("checksum"),
                keep_git_dir: flags.bool("keep-git-dir"),
                excludes: flags.all("exclude"),
                heredocs: l.heredocs.iter().map(RawHeredoc::to_ast).collect(),
            };
            if is_copy {
                Kind::Copy(copy)
            } else {
                Kind::Add(copy)
            }
        }
        "ENV" => {
            parse_flags("ENV", &l.flags, none)?;
            Kind::Env(key_values("ENV", args, escape)?)
        }
        "LABEL" => {
            parse_flags("LABEL", &l.flags, none)?;
            Kind::Label(key_values("LABEL", args, escape)?)
        }
        "ARG" => {
            parse_flags("ARG", &l.flags, none)?;
            let words = parse_words(args, escape);
            if words.is_empty() {
                return Err(ParseErrorKind::AtLeastOneArgument("ARG"));
            }
            let mut pairs = Vec::new();
            for w in words {
                let (k, v) = match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w, None),
                };
                if k.is_empty() {
                    return Err(ParseErrorKind::BlankName("ARG"));
                }
                pairs.push((k, v));
            }
            Kind::Arg(pairs)
        }
        "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER" => {
            let name: &'static str = match upper.as_str() {
                "WORKDIR" => "WORKDIR",
                "USER" => "USER",
                "STOPSIGNAL" => "STOPSIGNAL",
                _ => "MAINTAINER",
            };
            parse_flags(name, &l.flags, none)?;
            if args.is_empty() {
                return Err(ParseErrorKind::ExactlyOneArgument(name));
            }
            let v = args.to_string();
            match name {
                "WORKDIR" => Kind::Workdir(v),
                "USER" => Kind::User(v),
                "STOPSIGNAL" => Kind::StopSignal(v),
                _ => Kind::Maintainer(v),
            }
        }
        "EXPOSE" => {
            parse_flags("EXPOSE", &l.flags, none)?;
            let ports = split_ws(args);
            if ports.is_empty() {
                return Err(ParseErrorKind::AtLeastOneArgument("EXPOSE"));
            }
            Kind::Expose(ports)
        }
        "VOLUME" => {
            parse_flags("VOLUME", &l.flags, none)?;
            let vols = json_or_words(args)?;
            if vols.is_empty() {
                return Err(ParseErrorKind::AtLeastOneArgument("VOLUME"));
            }
            let mut out = Vec::new();
            for v in vols {
                let v = v.trim();
                if v.is_empty() {
                    return Err(ParseErrorKind::EmptyVolume);
                }
                out.push(v.to_string());
            }
            Kind::Volume(out)
        }
        "SHELL" => {
            parse_flags("SHELL", &l.flags, none)?;
            match command_form(args)? {
                CommandForm::Exec(v) if v.is_empty() => {
                    return Err(ParseErrorKind::AtLeastOneArgument("SHELL"))
                }
                CommandForm::Exec(v) => Kind::Shell(v),
                CommandForm::Shell(s) if s.is_empty() => {
                    return Err(ParseErrorKind::AtLeastOneArgument("SHELL"))
                }
                CommandForm::Shell(_) => return Err(ParseErrorKind::NotJson("SHELL")),
            }
        }
        "HEALTHCHECK" => Kind::Healthcheck(healthcheck(l, args)?),
        "ONBUILD" => {
            parse_flags("ONBUILD", &l.flags, none)?;
            if args.is_empty() {
                return Err(ParseErrorKind::AtLeastOneArgument("ONBUILD"));
            }
            let (sub, _) = lexer::split_first_ws(args);
            if let Err(e) = check_trigger_name(sub, l.start) {
                return Err(e.kind);
            }
            // The line without the leading ONBUILD, then each heredoc body and
            // its terminator, as buildkit stores the trigger.
            let mut trigger = lexer::split_first_ws(&l.line).1.to_string();
            for h in &l.heredocs {
                trigger.push('\n');
                trigger.push_str(&h.content);
                trigger.push_str(&h.name);
            }
            parse_trigger(&trigger, l.start).map_err(|e| e.kind)?;
            Kind::Onbuild(trigger)
        }
        _ => return Err(ParseErrorKind::UnknownInstruction(l.command.clone())),
    };
    Ok(Parsed::Instruction(Instruction {
        line: l.start,
        original: l.line.clone(),
        kind,
    }))
}

fn healthcheck(l: &Logical, args: &str) -> Result<Healthcheck, ParseErrorKind> {
    use FlagType::Str;
    let flags = parse_flags(
        "HEALTHCHECK",
        &l.flags,
        &[
            ("interval", Str),
            ("timeout", Str),
            ("start-period", Str),
            ("start-interval", Str),
            ("retries", Str),
        ],
    )?;
    let (typ, rest) = lexer::split_first_ws(args);
    if typ.is_empty() {
        return Err(ParseErrorKind::AtLeastOneArgument("HEALTHCHECK"));
    }
    match typ.to_uppercase().as_str() {
        "NONE" => {
            if !rest.is_empty() {
                return Err(ParseErrorKind::Healthcheck(
                    "HEALTHCHECK NONE takes no arguments".into(),
                ));
            }
            Ok(Healthcheck::None)
        }
        "CMD" => {
            let command = command_form(rest)?;
            let empty = match &command {
                CommandForm::Exec(v) => v.is_empty(),
                CommandForm::Shell(s) => s.is_empty(),
            };
            if empty {
                return Err(ParseErrorKind::Healthcheck(
                    "missing command after HEALTHCHECK CMD".into(),
                ));
            }
            for name in ["interval", "timeout", "start-period", "start-interval"] {
                if let Some(v) = flags.one(name) {
                    let d = parse_duration(&v)?;
                    if !d.is_zero() && d < std::time::Duration::from_millis(1) {
                        return Err(ParseErrorKind::Healthcheck(format!(
                            "HEALTHCHECK --{name} cannot be less than 1ms"
                        )));
                    }
                }
            }
            let retries = flags.one("retries");
            if let Some(r) = &retries {
                match r.parse::<i32>() {
                    Ok(n) if n >= 0 => {}
                    _ => {
                        return Err(ParseErrorKind::Healthcheck(format!(
                            "HEALTHCHECK --retries must be a non-negative integer, not \"{r}\""
                        )))
                    }
                }
            }
            Ok(Healthcheck::Check {
                command,
                interval: flags.one("interval"),
                timeout: flags.one("timeout"),
                start_period: flags.one("start-period"),
                start_interval: flags.one("start-interval"),
                retries,
            })
        }
        _ => Err(ParseErrorKind::Healthcheck(format!(
            "unknown type \"{typ}\" in HEALTHCHECK (try CMD or NONE)"
        ))),
    }
}

//! The parsed Dockerfile: what the parser produces and the builder consumes.
//!
//! Values are kept *unexpanded* (as written, quotes included) wherever Docker
//! expands them at build time with the stage's ARG/ENV values: the builder calls
//! [`super::expand`] on them. Only the parser directives and the structure
//! (stages, flags, JSON vs shell form, heredoc bodies) are decided here.

/// A whole Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The escape character (`# escape=` directive; `\` by default).
    pub escape: char,
    /// `ARG` instructions before the first `FROM` (usable in `FROM` lines only,
    /// and in a stage after a bare `ARG NAME` redeclares them).
    pub meta_args: Vec<Instruction>,
    /// The stages, in file order; at least one.
    pub stages: Vec<Stage>,
}

/// One `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Line of the `FROM` (1-based).
    pub line: usize,
    /// The base image, unexpanded (`scratch`, `busybox:${TAG}`, or an earlier stage name).
    pub base: String,
    /// `AS name`, lower-cased as Docker does.
    pub name: Option<String>,
    /// `--platform=…`, unexpanded.
    pub platform: Option<String>,
    /// Instructions after the `FROM`.
    pub instructions: Vec<Instruction>,
}

/// One instruction with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line where the instruction starts.
    pub line: usize,
    /// The instruction as written on one line (continuations joined), for history
    /// and cache keys: e.g. `RUN apk add curl`.
    pub original: String,
    pub kind: Kind,
}

/// A command in exec (JSON array) or shell form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    /// `["a", "b"]`: JSON strings already decoded; not expanded further.
    Exec(Vec<String>),
    /// Shell form: the rest of the line, continuations joined, unexpanded.
    Shell(String),
}

/// A heredoc body (`<<EOF`, `<<-EOF`, `<<"EOF"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word without quotes, e.g. `EOF`.
    pub name: String,
    /// The body, lines joined with `\n`, ending with `\n`; leading tabs already
    /// stripped for `<<-`.
    pub content: String,
    /// False when the delimiter was quoted: the body must not be expanded.
    pub expand: bool,
}

/// `COPY` and `ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Copy {
    /// Sources, unexpanded; a heredoc source appears as `<<NAME`, with its body in
    /// `heredocs`.
    pub sources: Vec<String>,
    /// Destination, unexpanded.
    pub dest: String,
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    /// `ADD --checksum=sha256:…`.
    pub checksum: Option<String>,
    /// `ADD --keep-git-dir` (accepted).
    pub keep_git_dir: bool,
    /// `--exclude=PATTERN`, repeated (accepted, applied like .dockerignore).
    pub excludes: Vec<String>,
    pub heredocs: Vec<Heredoc>,
}

/// `RUN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// `--mount=…` values as written (`type=cache,target=/root/.cache`).
    pub mounts: Vec<String>,
    /// `--network=default|none|host`.
    pub network: Option<String>,
    /// `--security=insecure|sandbox` (accepted).
    pub security: Option<String>,
    /// The command. With heredocs in shell form, the heredoc bodies follow in
    /// `heredocs` (Docker runs `RUN <<EOF` bodies as the script).
    pub command: CommandForm,
    pub heredocs: Vec<Heredoc>,
}

/// `HEALTHCHECK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`.
    None,
    Check {
        /// `CMD` in exec or shell form.
        command: CommandForm,
        /// Flag values as written (`30s`), `None` when not given.
        interval: Option<String>,
        timeout: Option<String>,
        start_period: Option<String>,
        start_interval: Option<String>,
        retries: Option<String>,
    },
}

/// Every instruction after `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Run(Run),
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    Copy(Copy),
    Add(Copy),
    /// Key/value pairs, both unexpanded (quotes kept); `ENV a b c` (legacy form)
    /// gives one pair `("a", "b c")`.
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    /// `ARG name[=default]`, one or more; name and default unexpanded.
    Arg(Vec<(String, Option<String>)>),
    Workdir(String),
    User(String),
    /// Ports as written (`80/tcp`, `${PORT}`).
    Expose(Vec<String>),
    /// Paths (JSON or space-separated form).
    Volume(Vec<String>),
    /// Always JSON form.
    Shell(Vec<String>),
    Healthcheck(Healthcheck),
    StopSignal(String),
    /// The trigger instruction as written (e.g. `RUN echo hi`), run in the child build.
    Onbuild(String),
    Maintainer(String),
}

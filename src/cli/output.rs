//! Shared output: JSON printed as Podman prints it (4-space indent), and listings
//! rendered through `--format` (json, table, or a Go template) in one place.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use super::format::{render_table, Format, Template};

/// Pretty JSON with Podman's 4-space indent.
pub fn json_string(v: &impl Serialize) -> Result<String> {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    v.serialize(&mut ser)?;
    Ok(String::from_utf8(buf)?)
}

/// Write text to stdout; a closed pipe (`| head`) is not an error.
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A listing: per-row template data, the JSON form, and the default table.
pub struct Listing<'a> {
    pub rows: &'a [Value],
    pub json: &'a Value,
    pub default_table: &'a str,
    pub headers: &'a dyn Fn(&str) -> Option<String>,
    pub no_heading: bool,
}

/// Render a listing as `--format` asks.
pub fn print_listing(format: &Format, l: &Listing<'_>) -> Result<()> {
    let text = match format {
        Format::Json => json_string(l.json)? + "\n",
        Format::Default | Format::Table(None) => {
            let t = Template::parse(l.default_table)?;
            render_table(&t, l.rows, l.headers, !l.no_heading)?
        }
        Format::Table(Some(t)) => render_table(t, l.rows, l.headers, !l.no_heading)?,
        Format::Template(t) => rows_through(t, l.rows)?,
    };
    emit(&text)
}

/// Each row through the template, one per line.
pub fn rows_through(t: &Template, rows: &[Value]) -> Result<String> {
    let mut out = String::new();
    for r in rows {
        out.push_str(&t.render(r)?);
        out.push('\n');
    }
    Ok(out)
}

/// Print inspect output: a JSON array by default, else each item through the template.
pub fn print_inspect(format: &Format, items: &[Value]) -> Result<()> {
    match format {
        Format::Default | Format::Json | Format::Table(None) => {
            emit(&(json_string(&items)? + "\n"))
        }
        Format::Table(Some(t)) | Format::Template(t) => emit(&rows_through(t, items)?),
    }
}

//! Table output: a header row derived from the row template, and column
//! alignment that matches Go's text/tabwriter with podman's settings
//! (minwidth 12, padding 2, pad char ' ').
//!
//! Invariants: alignment works on chars, not bytes; like tabwriter, a column
//! is aligned over a block of consecutive lines that all have that column, and
//! the last cell of a line (not followed by a tab) is never padded.

use super::parse::{Node, Operand, Pipeline};
use super::{FormatError, Template};
use serde_json::Value;

const MIN_WIDTH: usize = 12;
const PADDING: usize = 2;

/// Render rows as an aligned table. `template` is the row template (cells
/// separated by tabs); the header row is made from each cell's first field
/// reference (`{{.ID}}` -> `header_of("ID")`). When `header_of` returns
/// `None`, the header is the field name in upper case with CamelCase split by
/// spaces (`CreatedSince` -> `CREATED SINCE`). A cell without a field
/// reference keeps its literal text as header.
pub fn render_table(
    template: &Template,
    rows: &[Value],
    header_of: &dyn Fn(&str) -> Option<String>,
    with_header: bool,
) -> Result<String, FormatError> {
    let mut lines = Vec::with_capacity(rows.len() + 1);
    if with_header {
        lines.push(header_line(&template.nodes, header_of));
    }
    for row in rows {
        lines.push(template.render(row)?);
    }
    Ok(align_columns(&lines))
}

/// The header line for a row template: the template's own text with every field
/// action replaced by its header, as Docker renders headers
/// (`{{.Repository}} {{.Tag}}` -> `REPOSITORY TAG`).
fn header_line(nodes: &[Node], header_of: &dyn Fn(&str) -> Option<String>) -> String {
    split_cells(nodes)
        .iter()
        .map(|cell| {
            cell.iter()
                .filter_map(|n| match n {
                    Node::Text(t) => Some(t.clone()),
                    other => first_field(std::slice::from_ref(other))
                        .map(|field| header_of(&field).unwrap_or_else(|| default_header(&field))),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// Split top-level nodes into cells at the tabs in their text.
fn split_cells(nodes: &[Node]) -> Vec<Vec<Node>> {
    let mut cells = vec![Vec::new()];
    for node in nodes {
        let Node::Text(text) = node else {
            if let Some(cell) = cells.last_mut() {
                cell.push(node.clone());
            }
            continue;
        };
        for (i, part) in text.split('\t').enumerate() {
            if i > 0 {
                cells.push(Vec::new());
            }
            if let (false, Some(cell)) = (part.is_empty(), cells.last_mut()) {
                cell.push(Node::Text(part.to_string()));
            }
        }
    }
    cells
}

/// The first field reference in `nodes` (dotted chain), for table headers.
pub(crate) fn first_field(nodes: &[Node]) -> Option<String> {
    nodes.iter().find_map(|n| match n {
        Node::Text(_) | Node::Break | Node::Continue => None,
        Node::Action(p) => pipe_field(p),
        Node::If(c) | Node::With(c) | Node::Range(c) => pipe_field(&c.pipe)
            .or_else(|| first_field(&c.body))
            .or_else(|| first_field(&c.else_body)),
    })
}

fn pipe_field(p: &Pipeline) -> Option<String> {
    p.cmds.iter().flat_map(|c| &c.args).find_map(|a| match a {
        Operand::Field(f) => Some(f.join(".")),
        Operand::Var(v, f) if v.is_empty() && !f.is_empty() => Some(f.join(".")),
        Operand::Sub(p, _) => pipe_field(p),
        _ => None,
    })
}

/// `CreatedSince` -> `CREATED SINCE`, `IPAddress` -> `IP ADDRESS`,
/// `Config.Image` -> `CONFIG IMAGE`.
pub fn default_header(field: &str) -> String {
    let chars: Vec<char> = field.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '.' | '_' | '-' | ' ') {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                _ => false,
            };
        if boundary && !out.ends_with(' ') {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

/// Align tab-separated lines like Go's text/tabwriter with podman's settings
/// (minwidth 12, padding 2, pad char ' '): each column but the last is padded
/// to max(widest cell + 2, 12). Width counts chars, not bytes. Every output
/// line ends with a newline.
pub fn align_columns(lines: &[String]) -> String {
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| l.split('\t').collect())
        .collect();
    let mut widths = vec![Vec::new(); rows.len()];
    column_blocks(&rows, 0, rows.len(), &mut Vec::new(), &mut widths);
    let mut out = String::new();
    for (cells, widths) in rows.iter().zip(&widths) {
        for (j, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if let (true, Some(w)) = (j + 1 < cells.len(), widths.get(j)) {
                let fill = w.saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', fill));
            }
        }
        out.push('\n');
    }
    out
}

/// Number of tab-terminated cells in a line.
fn terminated(row: &[&str]) -> usize {
    row.len().saturating_sub(1)
}

/// tabwriter's `format`: find blocks of lines sharing column `stack.len()`,
/// size that column per block, and recurse into the columns to its right.
fn column_blocks(
    rows: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    stack: &mut Vec<usize>,
    out: &mut [Vec<usize>],
) {
    let column = stack.len();
    let mut this = line0;
    while this < line1 {
        if column >= terminated(&rows[this]) {
            this += 1;
            continue;
        }
        for w in &mut out[line0..this] {
            w.clone_from(stack);
        }
        line0 = this;
        let mut width = MIN_WIDTH;
        while this < line1 && column < terminated(&rows[this]) {
            width = width.max(rows[this][column].chars().count() + PADDING);
            this += 1;
        }
        stack.push(width);
        column_blocks(rows, line0, this, stack, out);
        stack.pop();
        line0 = this;
    }
    for w in &mut out[line0..line1] {
        w.clone_from(stack);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::format::Format;
    use serde_json::json;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn table_with_header_and_rows() {
        let Format::Table(Some(t)) =
            Format::parse(Some(r"table {{.ID}}\t{{.Repository}}\t{{.CreatedSince}}")).unwrap()
        else {
            panic!("not a table")
        };
        let rows = [
            json!({"ID": "3f57d9401f8d", "Repository": "docker.io/library/alpine", "CreatedSince": "2 weeks ago"}),
            json!({"ID": "ab12", "Repository": "busybox", "CreatedSince": "1 day ago"}),
        ];
        let header_of = |f: &str| (f == "ID").then(|| "IMAGE ID".to_string());
        let out = render_table(&t, &rows, &header_of, true).unwrap();
        assert_eq!(
            out,
            "IMAGE ID      REPOSITORY                CREATED SINCE\n\
             3f57d9401f8d  docker.io/library/alpine  2 weeks ago\n\
             ab12          busybox                   1 day ago\n"
        );
        let bare = render_table(&t, &rows[1..], &header_of, false).unwrap();
        assert_eq!(bare, "ab12        busybox     1 day ago\n");
    }

    #[test]
    fn header_examples() {
        let t = Template::parse("{{.ID}}\t{{.Repository}}").unwrap();
        let out = render_table(
            &t,
            &[json!({"ID": "0123456789ab", "Repository": "r"})],
            &|f| (f == "ID").then(|| "IMAGE ID".into()),
            true,
        )
        .unwrap();
        assert!(out.starts_with("IMAGE ID      REPOSITORY\n"), "{out}");
        let t = Template::parse("{{.Names}}\tlit\t{{upper .Config.Image}}\t{{if .X}}{{.Y}}{{end}}")
            .unwrap();
        assert_eq!(
            header_line(&t.nodes, &|_| None),
            "NAMES\tlit\tCONFIG IMAGE\tX"
        );
    }

    #[test]
    fn default_headers() {
        assert_eq!(default_header("CreatedSince"), "CREATED SINCE");
        assert_eq!(default_header("ID"), "ID");
        assert_eq!(default_header("IPAddress"), "IP ADDRESS");
        assert_eq!(default_header("RepoTags"), "REPO TAGS");
        assert_eq!(default_header("Config.Image"), "CONFIG IMAGE");
    }

    #[test]
    fn alignment_like_tabwriter() {
        assert_eq!(
            align_columns(&lines(&["a\tb\tc", "long-cell-value\tx\ty"])),
            "a                b           c\nlong-cell-value  x           y\n"
        );
        // Widths count chars: "é" is one column wide.
        assert_eq!(
            align_columns(&lines(&["é\tz", "e\tz"])),
            "é           z\ne           z\n"
        );
        // A line without tabs ends the column block, as in tabwriter.
        assert_eq!(
            align_columns(&lines(&["aaaaaaaaaaaaaaa\tb", "plain", "c\td"])),
            "aaaaaaaaaaaaaaa  b\nplain\nc           d\n"
        );
        assert_eq!(align_columns(&[]), "");
    }

    #[test]
    fn first_field_for_headers() {
        assert_eq!(
            first_field(
                &crate::cli::format::parse::parse("x{{printf \"%s\" .A.B}}{{.C}}").unwrap()
            ),
            Some("A.B".into())
        );
        assert_eq!(
            first_field(&crate::cli::format::parse::parse("{{if $.X}}{{.Y}}{{end}}").unwrap()),
            Some("X".into())
        );
        assert_eq!(
            first_field(&crate::cli::format::parse::parse("plain").unwrap()),
            None
        );
    }
}

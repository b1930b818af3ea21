//! Line-level lexing helpers, ported from buildkit's `parser` package: builder
//! flags (`--from=x`), `parseWords` (quote-aware words, quotes kept), the
//! whitespace split, JSON arrays, heredoc words, and Go durations.

use std::time::Duration;

use super::ParseErrorKind;

/// Docker's `reWhitespace`: `[\t\v\f\r ]+`.
pub(super) fn is_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ')
}

/// Splits on runs of [`is_ws`], dropping empty pieces (the input is trimmed).
pub(super) fn split_ws(s: &str) -> Vec<String> {
    s.split(is_ws)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits `s` at the first run of whitespace: `(first, rest)`, rest trimmed at
/// the start.
pub(super) fn split_first_ws(s: &str) -> (&str, &str) {
    match s.find(is_ws) {
        Some(i) => (&s[..i], s[i..].trim_start_matches(is_ws)),
        None => (s, ""),
    }
}

/// buildkit's `extractBuilderFlags`: leading `--flag[=value]` words (quotes
/// and `\` processed inside them) and the rest of the line.
pub(super) fn extract_flags(line: &str) -> (String, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let chars: Vec<char> = line.chars().collect();
    let byte_at: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= chars.len() {
        let at_end = pos == chars.len();
        let ch = if at_end { '\0' } else { chars[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            if ch != '-' || pos + 1 == chars.len() || chars[pos + 1] != '-' {
                return (line[byte_at[pos]..].to_string(), words);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (line[byte_at[pos]..].to_string(), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if c == '\\' {
                if pos + 1 == chars.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = chars[pos];
            }
            word.push(c);
            pos += 1;
            continue;
        }
        // Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if c == '\\' {
            if pos + 1 == chars.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = chars[pos];
        }
        word.push(c);
        pos += 1;
    }
    (String::new(), words)
}

/// buildkit's `parseWords`: words split on unquoted whitespace, quotes and
/// escapes kept (they are removed at expansion time).
pub(super) fn parse_words(rest: &str, escape: char) -> Vec<String> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut pos = 0;
    while pos <= chars.len() {
        let at_end = pos == chars.len();
        let mut ch = if at_end { '\0' } else { chars[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if at_end {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + 1 == chars.len() {
                    pos += 1;
                    continue;
                }
                word.push(ch);
                pos += 1;
                ch = chars[pos];
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Quote
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + 1 == chars.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            word.push(ch);
            ch = chars[pos];
        }
        word.push(ch);
        pos += 1;
    }
    words
}

/// The outcome of buildkit's `parseJSON` on an argument string.
pub(super) enum Json {
    /// A JSON array of strings.
    Strings(Vec<String>),
    /// Not a JSON array (or invalid JSON): the shell form applies.
    NotJson,
}

/// buildkit's `parseJSON`: a JSON array of strings, or not JSON at all; a valid
/// array with a non-string element is an error.
pub(super) fn parse_json(rest: &str) -> Result<Json, ParseErrorKind> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(Json::NotJson);
    }
    let value: serde_json::Value = match serde_json::from_str(rest) {
        Ok(v) => v,
        Err(_) => return Ok(Json::NotJson),
    };
    let serde_json::Value::Array(items) = value else {
        return Ok(Json::NotJson);
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            serde_json::Value::String(s) => out.push(s),
            _ => return Err(ParseErrorKind::JsonNotStrings),
        }
    }
    Ok(Json::Strings(out))
}

/// A heredoc named on an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeredocWord {
    pub name: String,
    pub chomp: bool,
    pub expand: bool,
}

/// Words of a line as buildkit's heredoc detection sees them: split on unquoted
/// whitespace, quotes and escapes kept; `<<` (and `<<-`) keep the whitespace
/// after them, so `<< EOF` is one word. `None` when a quote is unterminated
/// (buildkit then finds no heredoc on the line).
fn raw_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                word.push(c);
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '<' if chars.peek() == Some(&'<') => {
                chars.next();
                in_word = true;
                word.push_str("<<");
                if chars.peek() == Some(&'-') {
                    chars.next();
                    word.push('-');
                }
                while let Some(&w) = chars.peek().filter(|w| w.is_whitespace()) {
                    chars.next();
                    word.push(w);
                }
            }
            '\'' => {
                in_word = true;
                word.push(c);
                loop {
                    let n = chars.next()?;
                    word.push(n);
                    if n == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                in_word = true;
                word.push(c);
                loop {
                    let n = chars.next()?;
                    word.push(n);
                    if n == '\\' {
                        word.push(chars.next()?);
                    } else if n == '"' {
                        break;
                    }
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Removes quotes and `\` escapes as the shell lexer does (no expansion).
/// `None` when the text is more than one word or a quote is unterminated.
fn unquote_single_word(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => return None,
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    n => out.push(n),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' if matches!(chars.peek(), Some('"' | '$' | '\\')) => {
                        out.push(chars.next()?);
                    }
                    n => out.push(n),
                }
            },
            _ => out.push(c),
        }
    }
    Some(out)
}

fn quote_count(s: &str) -> usize {
    s.chars().filter(|&c| c == '\'' || c == '"').count()
}

/// buildkit's `reHeredoc` (`^(\d*)<<(-?)\s*([^<]*)$`) and `heredocFromMatch`:
/// a non-empty single word; not expanded when any part of it is quoted.
pub(super) fn parse_heredoc_word(src: &str) -> Option<HeredocWord> {
    let digits = src.len() - src.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = src[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start();
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name = unquote_single_word(rest)?;
    if name.is_empty() {
        return None;
    }
    let expand = quote_count(&name) == quote_count(rest);
    Some(HeredocWord {
        name,
        chomp,
        expand,
    })
}

/// Every heredoc named on `line`, in order.
pub(super) fn heredocs_from_line(line: &str) -> Vec<HeredocWord> {
    raw_words(line)
        .unwrap_or_default()
        .iter()
        .filter_map(|w| parse_heredoc_word(w))
        .collect()
}

/// Parses a Go duration (`1m30s`, `500ms`, `1.5h`, `0`), as `time.ParseDuration`
/// does; negative durations are rejected.
pub fn parse_duration(s: &str) -> Result<Duration, ParseErrorKind> {
    let bad = || ParseErrorKind::BadDuration(s.to_string());
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if let Some(neg) = rest.strip_prefix('-') {
        if !neg.is_empty() && neg.chars().all(|c| c == '0') {
            return Ok(Duration::ZERO);
        }
        return Err(bad());
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(r) = rest.strip_prefix('.') {
            let frac_len = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            frac_part = &r[..frac_len];
            rest = &r[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit: u128 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        let int: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let mut value = int.checked_mul(unit).ok_or_else(bad)?;
        let mut scale = unit;
        for d in frac_part.chars() {
            scale /= 10;
            if scale == 0 {
                break;
            }
            value += u128::from(d.to_digit(10).unwrap_or(0)) * scale;
        }
        total = total.checked_add(value).ok_or_else(bad)?;
    }
    let secs = u64::try_from(total / 1_000_000_000).map_err(|_| bad())?;
    // The remainder is below 1e9, so it fits in u32.
    let nanos = (total % 1_000_000_000) as u32;
    Ok(Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_extracted_with_quotes() {
        let (rest, flags) = extract_flags("--from=build --chown=\"a b\" src dst");
        assert_eq!(flags, vec!["--from=build", "--chown=a b"]);
        assert_eq!(rest, "src dst");
        let (rest, flags) = extract_flags("-- --not-a-flag x");
        assert!(flags.is_empty());
        assert_eq!(rest, " --not-a-flag x");
        let (rest, flags) = extract_flags("--link");
        assert_eq!(flags, vec!["--link"]);
        assert_eq!(rest, "");
    }

    #[test]
    fn words_keep_quotes() {
        assert_eq!(
            parse_words(r#"a="b c" d='e f' g\ h"#, '\\'),
            vec![r#"a="b c""#, "d='e f'", r"g\ h"]
        );
        assert_eq!(parse_words(r#"a="" b"#, '\\'), vec![r#"a="""#, "b"]);
    }

    #[test]
    fn heredoc_words() {
        let h = parse_heredoc_word("<<EOF").unwrap();
        assert_eq!((h.name.as_str(), h.chomp, h.expand), ("EOF", false, true));
        let h = parse_heredoc_word("<<-\"EOT\"").unwrap();
        assert_eq!((h.name.as_str(), h.chomp, h.expand), ("EOT", true, false));
        let h = parse_heredoc_word("2<<'X'").unwrap();
        assert_eq!((h.name.as_str(), h.expand), ("X", false));
        assert!(parse_heredoc_word("<<").is_none());
        assert!(parse_heredoc_word("a<<EOF").is_none());
        assert!(parse_heredoc_word("<<<EOF").is_none());
        let all = heredocs_from_line("RUN cat <<A > /a && echo \"<<B\" && cat <<'C'");
        let names: Vec<_> = all.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, vec!["A", "C"]);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1.5h").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("10us").unwrap(), Duration::from_micros(10));
        assert_eq!(parse_duration(".5s").unwrap(), Duration::from_millis(500));
        for bad in ["", "5", "1x", "s", "-1s", "1..5s", "."] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}

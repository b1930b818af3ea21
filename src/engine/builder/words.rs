//! The builder's door to Dockerfile word expansion
//! ([`crate::dockerfile::expand`]), with errors as one-line messages.

use crate::dockerfile::expand;

/// Expand one word with `lookup` (quotes removed, variables substituted).
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    expand::expand_word(word, escape, lookup).map_err(|e| e.to_string())
}

/// Expand a COPY/ADD heredoc body (unquoted delimiter).
pub fn expand_heredoc(
    body: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    expand::expand_heredoc(body, lookup).map_err(|e| e.to_string())
}

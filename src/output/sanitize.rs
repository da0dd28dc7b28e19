//! Making article text safe for a terminal: no escape sequences, C0/C1 controls or bidi overrides from
//! an article may reach it (they could move the cursor, hide text or reorder what is shown).

/// Replaces control and bidi-control characters: tab and newlines become a space, the rest U+FFFD.
pub fn sanitize_for_terminal(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_are_replaced() {
        let dirty = "a\x1b[31mred\x07\u{9b}b\u{202E}evil\u{2066}x\ty";
        let clean = sanitize_for_terminal(dirty);
        assert!(!clean.chars().any(|c| c.is_control()));
        assert!(!clean.contains('\u{202E}') && !clean.contains('\u{2066}'));
        assert_eq!(
            clean,
            "a\u{FFFD}[31mred\u{FFFD}\u{FFFD}b\u{FFFD}evil\u{FFFD}x y"
        );
    }
}

//! Articles as every input format gives them: an id, a date, a headline and paragraphs; and the
//! reasons a file or folder is not indexed.

use std::fmt;

use time::Date;

use super::read::MAX_FILE_BYTES;
use crate::text::passage::sentences;

/// A headline longer than this many characters is cut at a word boundary.
pub const HEADLINE_MAX_CHARS: usize = 200;

/// A parsed article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Path relative to the corpus root with `/` separators, prefixed with `LABEL:` for a secondary root.
    pub id: String,
    /// Publication date, `None` when undated.
    pub date: Option<Date>,
    /// The first sentence of the first paragraph, cut at about 200 characters.
    pub headline: String,
    /// Paragraphs with their whitespace folded to single spaces; never empty.
    pub paragraphs: Vec<String>,
}

/// An article and the warnings raised while reading it (it is indexed all the same).
#[derive(Debug, Clone)]
pub struct ParsedArticle {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The file has no bytes.
    Empty,
    /// The file has no text once the header and whitespace are removed.
    NoText,
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// The file or folder could not be read; the cause as the system gave it.
    Unreadable(String),
    /// A symbolic link that leads back to one of its own parent folders.
    LinkLoop,
    /// A FIFO, socket or device (never opened: opening a FIFO would block).
    NotRegularFile,
    /// A name whose extension is no article format (`.pdf`, `.md`, images, ...; see
    /// [`crate::ingest::format`]).
    NotArticleFormat,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Empty => write!(f, "empty file"),
            SkipReason::NoText => write!(f, "no text besides the date header"),
            SkipReason::Binary => write!(f, "binary file (NUL byte in the first 8 KiB)"),
            SkipReason::TooLarge(n) => write!(
                f,
                "file too large ({} MiB, limit {} MiB)",
                n / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            SkipReason::Unreadable(why) => write!(f, "unreadable: {why}"),
            SkipReason::LinkLoop => write!(f, "symbolic link loop"),
            SkipReason::NotRegularFile => write!(f, "not a regular file"),
            SkipReason::NotArticleFormat => write!(f, "not an article format"),
        }
    }
}

/// The first sentence of a paragraph, cut at a word boundary near [`HEADLINE_MAX_CHARS`].
pub fn headline_of(paragraph: &str) -> String {
    let first = sentences(paragraph).into_iter().next().unwrap_or(paragraph);
    if first.chars().count() <= HEADLINE_MAX_CHARS {
        return first.to_string();
    }
    let cut = first
        .char_indices()
        .nth(HEADLINE_MAX_CHARS)
        .map(|(i, _)| i)
        .unwrap_or(first.len());
    let head = &first[..cut];
    let head = match head.rfind(' ') {
        Some(i) if i > HEADLINE_MAX_CHARS / 2 => &head[..i],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        let sentence = format!("{} end.", "word ".repeat(80));
        let h = headline_of(&sentence);
        assert!(h.ends_with('…'));
        assert!(h.chars().count() <= HEADLINE_MAX_CHARS + 1);
        assert!(h.trim_end_matches('…').ends_with("word"));
    }
}

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
    /// What the source says of the article besides its text (none of it for the text format).
    pub meta: ArticleMeta,
}

/// An article's title, address, source and authors, when its format gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// The title as given (the headline is then the title).
    pub title: Option<String>,
    pub url: Option<String>,
    /// The publisher's name or domain (`reuters.com`), else the url's host without `www.`.
    pub source: Option<String>,
    pub authors: Vec<String>,
}

impl ArticleMeta {
    /// Fills `source` from the url's host when no source was given.
    pub fn with_source_from_url(mut self) -> ArticleMeta {
        if self.source.is_none() {
            self.source = self.url.as_deref().and_then(host_of);
        }
        self
    }
}

/// The host of an `http(s)://` url, lowercased, without `www.` and port: `https://www.Reuters.com:443/x`
/// gives `reuters.com`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// Whitespace folded to single spaces; `None` when nothing is left.
pub fn folded(value: &str) -> Option<String> {
    let s = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
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
    /// The file has no article text: a text file with nothing besides its date header, a dump without a
    /// record with text, a page without main text.
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
            SkipReason::NoText => write!(
                f,
                "no text (a date header alone, no record with text, or a page without main text)"
            ),
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
    fn hosts_of_urls() {
        assert_eq!(
            host_of("https://www.Reuters.com:443/article/x?y#z").as_deref(),
            Some("reuters.com")
        );
        assert_eq!(
            host_of("http://user@news.bbc.co.uk").as_deref(),
            Some("news.bbc.co.uk")
        );
        assert_eq!(host_of("not a url"), None);
        assert_eq!(host_of("https:///path"), None);
    }

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        let sentence = format!("{} end.", "word ".repeat(80));
        let h = headline_of(&sentence);
        assert!(h.ends_with('…'));
        assert!(h.chars().count() <= HEADLINE_MAX_CHARS + 1);
        assert!(h.trim_end_matches('…').ends_with("word"));
    }
}

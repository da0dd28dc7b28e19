//! Which reader a file goes to, by its name: the article text format for `.txt` and names without an
//! extension, the container formats by theirs (`.jsonl`, `.ndjson`, `.json`; `.html`, `.htm`; `.warc`,
//! `.warc.gz`); any other extension (`.pdf`, `.docx`, images, `.md`, ...) is not an article format, and the
//! file is skipped with that reason rather than indexed as text.

use std::path::Path;

/// The formats dateline knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// `date YYYY-MM-DD` then paragraphs (see [`crate::ingest::text_format`]).
    Text,
    /// JSON Lines: one article per object.
    Jsonl,
    /// A saved web page.
    Html,
    /// A web archive.
    Warc,
}

/// The format a file's name says, or `None` for a name that is no article format.
pub fn format_of(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Some(InputFormat::Warc);
    }
    // A leading dot starts a hidden name, not an extension (`.profile`).
    let extension = match name.trim_start_matches('.').rsplit_once('.') {
        None => return Some(InputFormat::Text),
        Some((_, ext)) => ext.to_string(),
    };
    match extension.as_str() {
        "txt" | "text" => Some(InputFormat::Text),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        "html" | "htm" => Some(InputFormat::Html),
        "warc" => Some(InputFormat::Warc),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_choose_the_reader() {
        let of = |name: &str| format_of(Path::new(name));
        assert_eq!(of("1987-03/965.txt"), Some(InputFormat::Text));
        assert_eq!(of("story"), Some(InputFormat::Text));
        assert_eq!(of("a/.hidden"), Some(InputFormat::Text));
        assert_eq!(of("dump.JSONL"), Some(InputFormat::Jsonl));
        assert_eq!(of("page.htm"), Some(InputFormat::Html));
        assert_eq!(of("CC-NEWS-0001.warc.gz"), Some(InputFormat::Warc));
        for other in [
            "README.md",
            "scan.pdf",
            "photo.jpg",
            "notes.docx",
            "a.tar.gz",
            "x.bin",
        ] {
            assert_eq!(of(other), None, "{other}");
        }
    }
}

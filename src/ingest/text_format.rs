//! The article text format: parsing one file of it into an [`Article`].
//!
//! The format: an optional UTF-8 byte-order mark and leading whitespace, a header `date YYYY-MM-DD` (or
//! `date: YYYY-MM-DD`, any case), then the first paragraph on the same line or on the lines below;
//! paragraphs are separated by blank lines. CRLF and lone CR line ends are read as LF. Without a header the
//! date comes from the article's path when it holds one, otherwise the article is undated. The header
//! may carry a time and zone (`2023-07-28T23:30:00-05:00`): the date is taken as written, never shifted
//! to another day; a date the index cannot hold (before 1678, after 2261), an impossible one or a
//! two-digit year leaves the article undated with a warning. Bytes that are not UTF-8 are decoded lossily
//! (U+FFFD) with a warning rather than losing the article; a file with a UTF-16 byte-order mark is
//! transcoded; a NUL byte in the first 8 KiB marks a binary file (skipped), later ones become spaces.

use std::sync::LazyLock;

use regex::Regex;
use time::Date;

use super::article::{headline_of, Article, ArticleMeta, ParsedArticle, SkipReason};
use crate::text::dates::{date_of_timestamp, make_date, DateProblem};

/// How many leading bytes are checked for NUL to detect binary files.
const BINARY_PROBE_BYTES: usize = 8 * 1024;

/// Parses the bytes of one article file.
///
/// `id` becomes the article id; `rel_path` (the path below the corpus root) is where a date is looked for
/// when the file has no date header.
pub fn parse_article(id: &str, rel_path: &str, bytes: &[u8]) -> Result<ParsedArticle, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut warnings = Vec::new();
    if let Some((decoded, warning)) = decode_utf16(bytes) {
        warnings.push(warning);
        return parse_text(id, rel_path, &decoded, warnings);
    }
    if bytes[..bytes.len().min(BINARY_PROBE_BYTES)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            let replaced = lossy.matches('\u{FFFD}').count();
            warnings.push(format!(
                "not valid UTF-8: decoded lossily, {replaced} invalid sequence(s) replaced by U+FFFD"
            ));
            lossy
        }
    };
    parse_text(id, rel_path, &text, warnings)
}

/// Decodes a file that starts with a UTF-16 byte-order mark (little or big endian); `None` for any
/// other file. Unpaired surrogates and an odd last byte become U+FFFD, with the warning saying so.
fn decode_utf16(bytes: &[u8]) -> Option<(String, String)> {
    let (little, name) = match bytes {
        [0xFF, 0xFE, ..] => (true, "UTF-16LE"),
        [0xFE, 0xFF, ..] => (false, "UTF-16BE"),
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut replaced = usize::from(bytes.len() % 2 == 1);
    let mut text: String = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                replaced += 1;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    let mut warning = format!("decoded from {name} (byte-order mark)");
    if replaced > 0 {
        warning.push_str(&format!(
            ", {replaced} invalid sequence(s) replaced by U+FFFD"
        ));
    }
    Some((text, warning))
}

fn parse_text(
    id: &str,
    rel_path: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<ParsedArticle, SkipReason> {
    if text.as_bytes()[..text.len().min(BINARY_PROBE_BYTES)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    // A stray NUL further in is not worth losing the article for.
    let nuls = text.bytes().filter(|&b| b == 0).count();
    let cleaned;
    let text = if nuls > 0 {
        warnings.push(format!("{nuls} NUL byte(s) replaced by spaces"));
        cleaned = text.replace('\0', " ");
        cleaned.as_str()
    } else {
        text
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = text.trim_start();

    let (header, body) = split_header(text);
    let date = match header {
        Header::Date(d) => Some(d),
        Header::Invalid(token, why) => {
            warnings.push(format!("date header '{token}' {why}: indexed as undated"));
            None
        }
        Header::Absent => match date_from_path(rel_path) {
            PathDate::Date(d) => Some(d),
            PathDate::Invalid(token) => {
                warnings.push(format!(
                    "date '{token}' in the path does not exist: indexed as undated"
                ));
                None
            }
            PathDate::Absent => None,
        },
    };

    let paragraphs = split_paragraphs(body);
    if paragraphs.is_empty() {
        return Err(SkipReason::NoText);
    }
    let headline = headline_of(&paragraphs[0]);
    Ok(ParsedArticle {
        article: Article {
            id: id.to_string(),
            date,
            headline,
            paragraphs,
            meta: ArticleMeta::default(),
        },
        warnings,
    })
}

enum Header {
    Date(Date),
    Invalid(String, &'static str),
    Absent,
}

/// Splits off a `date YYYY-MM-DD` / `date: YYYY-MM-DD` header; returns the body after it.
fn split_header(text: &str) -> (Header, &str) {
    let Some(prefix) = text.get(..4) else {
        return (Header::Absent, text);
    };
    if !prefix.eq_ignore_ascii_case("date") {
        return (Header::Absent, text);
    }
    let after_word = &text[4..];
    let rest = match after_word.strip_prefix(':') {
        Some(r) => r,
        // Without a colon the header needs a space: "dated ..." or "date2023" are body text.
        None if after_word.starts_with([' ', '\t']) => after_word,
        None => return (Header::Absent, text),
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = &rest[..token_end];
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        return (Header::Absent, text);
    }
    let body = &rest[token_end..];
    let token = date_of_timestamp(token).unwrap_or(token);
    match parse_ymd(token) {
        Some(Ok(d)) => (Header::Date(d), body),
        Some(Err(why)) => (Header::Invalid(token.to_string(), why.as_str()), body),
        None => (
            Header::Invalid(token.to_string(), "is not a YYYY-MM-DD date"),
            body,
        ),
    }
}

/// Parses exactly `YYYY-MM-DD`: `None` when the shape is wrong, `Some(Err)` when the date does not exist
/// or lies outside what the index can store.
pub(crate) fn parse_ymd(token: &str) -> Option<Result<Date, DateProblem>> {
    let b = token.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = token.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    Some(make_date(y as i32, m, d))
}

pub(crate) enum PathDate {
    Date(Date),
    Invalid(String),
    Absent,
}

static PATH_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((\d{4})[-/_.](\d{2})[-/_.](\d{2}))(?:[^0-9]|$)").expect("valid regex")
});
static PATH_YM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((\d{4})[-/_](\d{2}))(?:[^0-9]|$)").expect("valid regex")
});

/// A date in a path: `2023/07/28/x.txt`, `2023-07-28-x.txt`, or a month `2023-07/x.txt` (the 1st).
pub(crate) fn date_from_path(rel_path: &str) -> PathDate {
    if let Some(c) = PATH_YMD.captures(rel_path) {
        let num = |i: usize| {
            c.get(i)
                .and_then(|m| m.as_str().parse::<u32>().ok())
                .unwrap_or(0)
        };
        return match make_date(num(2) as i32, num(3), num(4)) {
            Ok(d) => PathDate::Date(d),
            Err(_) => PathDate::Invalid(c[1].to_string()),
        };
    }
    if let Some(c) = PATH_YM.captures(rel_path) {
        let num = |i: usize| {
            c.get(i)
                .and_then(|m| m.as_str().parse::<u32>().ok())
                .unwrap_or(0)
        };
        return match make_date(num(2) as i32, num(3), 1) {
            Ok(d) => PathDate::Date(d),
            Err(_) => PathDate::Invalid(c[1].to_string()),
        };
    }
    PathDate::Absent
}

/// Paragraphs are runs of non-blank lines; ASCII whitespace inside a paragraph is folded to single spaces.
pub(crate) fn split_paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.split('\n') {
        // Any Unicode white space (vertical tab, no-break and ideographic spaces, U+2028) folds.
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        // ASCII whitespace only: other spaces (no-break, line separator) are kept as written.
        for word in line.split_whitespace() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::article::HEADLINE_MAX_CHARS;
    use time::macros::date;

    const SEED: &[u8] = include_bytes!("../../corpus/000_f0500d7e2cbed4d9.txt");

    fn parse(id: &str, text: &str) -> Result<ParsedArticle, SkipReason> {
        parse_article(id, id, text.as_bytes())
    }

    #[test]
    fn seed_article() {
        let p = parse_article("seed.txt", "seed.txt", SEED).map_err(|e| e.to_string());
        let a = p
            .map(|p| p.article)
            .unwrap_or_else(|e| panic!("seed rejected: {e}"));
        assert_eq!(a.date, Some(date!(2023 - 07 - 28)));
        assert_eq!(a.paragraphs.len(), 23);
        assert!(a.paragraphs[0].starts_with("The general who led a coup"));
        assert!(a
            .headline
            .starts_with("The general who led a coup in Niger"));
        assert!(a.headline.chars().count() <= HEADLINE_MAX_CHARS + 1);
        assert!(a.paragraphs.iter().any(|p| p.contains("Niger’s")));
    }

    #[test]
    fn header_variants() {
        let cases = [
            "date 2023-07-28 First para.\n\nSecond.",
            " \n\tdate 2023-07-28 First para.\n\nSecond.",
            "\u{FEFF}date 2023-07-28 First para.\n\nSecond.",
            "date: 2023-07-28 First para.\n\nSecond.",
            "Date:2023-07-28 First para.\n\nSecond.",
            "date 2023-07-28\nFirst para.\n\nSecond.",
            "date 2023-07-28\r\nFirst\r\npara.\r\n\r\nSecond.\r\n",
            "date 2023-07-28 First para.\n \n\n\t\nSecond.",
        ];
        for text in cases {
            let a = parse("x.txt", text).map(|p| p.article);
            let a = a.unwrap_or_else(|e| panic!("{text:?} rejected: {e}"));
            assert_eq!(a.date, Some(date!(2023 - 07 - 28)), "{text:?}");
            assert_eq!(a.paragraphs, vec!["First para.", "Second."], "{text:?}");
        }
    }

    #[test]
    fn unicode_white_space_folds_like_spaces() {
        // Found by the article fuzzer: a paragraph of vertical tabs was kept, and with leading ones.
        let p = parse_article(
            "x",
            "x",
            b"date 2023-07-28 \x0b\x0bOne\xc2\xa0two\n\xe3\x80\x80\x0b\n\xe2\x80\xa8three",
        )
        .map(|p| p.article.paragraphs);
        assert_eq!(
            p.ok(),
            Some(vec!["One two".to_string(), "three".to_string()])
        );
    }

    #[test]
    fn whitespace_inside_a_paragraph_is_folded() {
        let a = parse("x.txt", "date 2023-07-28   One\n  two\t three  \n\nfour")
            .map(|p| p.article.paragraphs);
        assert_eq!(
            a.ok(),
            Some(vec!["One two three".to_string(), "four".to_string()])
        );
    }

    #[test]
    fn dates_from_paths() {
        let d = |path: &str| {
            parse_article(path, path, b"Text.")
                .ok()
                .and_then(|p| p.article.date)
        };
        assert_eq!(d("2023/07/28/x.txt"), Some(date!(2023 - 07 - 28)));
        assert_eq!(d("news/2023-07-28-x.txt"), Some(date!(2023 - 07 - 28)));
        assert_eq!(d("2023-07/x.txt"), Some(date!(2023 - 07 - 01)));
        assert_eq!(d("misc/x.txt"), None);
        assert_eq!(d("id-12345678.txt"), None);
        // The header wins over the path.
        let p = parse_article("2020-01/x.txt", "2020-01/x.txt", b"date 2023-07-28 Text.");
        assert_eq!(
            p.ok().and_then(|p| p.article.date),
            Some(date!(2023 - 07 - 28))
        );
    }

    #[test]
    fn impossible_dates_warn_and_leave_the_article_undated() {
        for text in [
            "date 2023-02-30 Text.",
            "date 1500-01-01 Text.",
            "date 2023-7-1 Text.",
            "date 87-10-19 Text.",
            "date 2262-04-12 Text.",
            "date 0001-01-01 Text.",
            "date 2023-02-30T10:00:00Z Text.",
            "date 2023-07-28T99 Text.",
        ] {
            let p = parse("x.txt", text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.article.date, None, "{text}");
            assert_eq!(p.warnings.len(), 1, "{text}");
            assert_eq!(p.article.paragraphs, vec!["Text."]);
        }
        let p = parse_article("2023/02/30/x.txt", "2023/02/30/x.txt", b"Text.").ok();
        assert_eq!(
            p.map(|p| (p.article.date, p.warnings.len())),
            Some((None, 1))
        );
    }

    #[test]
    fn text_starting_with_the_word_date_is_not_a_header() {
        let p = parse("x.txt", "dated letters were found.").map(|p| p.article);
        assert_eq!(
            p.map(|a| (a.date, a.paragraphs)).ok(),
            Some((None, vec!["dated letters were found.".to_string()]))
        );
        let p = parse("x.txt", "Date night is back.").map(|p| p.article.paragraphs);
        assert_eq!(p.ok(), Some(vec!["Date night is back.".to_string()]));
    }

    #[test]
    fn a_header_time_and_zone_keep_the_date_as_written() {
        for text in [
            "date 2023-07-28T23:30:00-05:00 Text.",
            "date 2023-07-28T00:30:00+14:00 Text.",
            "date: 2023-07-28T12:00Z Text.",
        ] {
            let p = parse("x.txt", text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.article.date, Some(date!(2023 - 07 - 28)), "{text}");
            assert_eq!(p.article.paragraphs, vec!["Text."], "{text}");
            assert!(p.warnings.is_empty(), "{text}: {:?}", p.warnings);
        }
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_transcoded() {
        let text = "date 2023-07-28 Café in Niamey.\r\n\r\nSecond 𝄞.";
        let units: Vec<u16> = text.encode_utf16().collect();
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(units.iter().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(units.iter().flat_map(|u| u.to_be_bytes()))
            .collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let p = parse_article("x", "x", &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.article.date, Some(date!(2023 - 07 - 28)));
            assert_eq!(p.article.paragraphs, vec!["Café in Niamey.", "Second 𝄞."]);
            assert_eq!(p.warnings.len(), 1);
            assert!(p.warnings[0].contains(name), "{:?}", p.warnings);
        }
        // An odd byte count and a lone surrogate are replaced, not fatal.
        let p = parse_article("x", "x", &[0xFF, 0xFE, b'A', 0, 0x00, 0xD8, b'B', 0, b'C']).ok();
        assert_eq!(
            p.map(|p| p.article.paragraphs),
            Some(vec!["A\u{FFFD}B\u{FFFD}".to_string()])
        );
    }

    #[test]
    fn a_nul_after_the_binary_probe_becomes_a_space() {
        let mut bytes = b"date 2023-07-28 ".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', BINARY_PROBE_BYTES));
        bytes.extend(b"\0tail.");
        let p = parse_article("x", "x", &bytes).ok();
        let p = p.unwrap_or_else(|| panic!("late NUL rejected"));
        assert!(p.article.paragraphs[0].ends_with("a tail."));
        assert_eq!(p.warnings, vec!["1 NUL byte(s) replaced by spaces"]);
    }

    #[test]
    fn skip_reasons() {
        assert_eq!(parse_article("x", "x", b"").err(), Some(SkipReason::Empty));
        assert_eq!(
            parse_article("x", "x", b"date 2023-07-28 \n\n  \n").err(),
            Some(SkipReason::NoText)
        );
        assert_eq!(
            parse_article("x", "x", b"  \n\n").err(),
            Some(SkipReason::NoText)
        );
        assert_eq!(
            parse_article("x", "x", b"abc\0def").err(),
            Some(SkipReason::Binary)
        );
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_warning() {
        let p = parse_article("x", "x", b"date 2023-07-28 Caf\xe9 in Niamey.").ok();
        let p = p.unwrap_or_else(|| panic!("latin-1 file rejected"));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.article.paragraphs, vec!["Caf\u{FFFD} in Niamey."]);
    }
}

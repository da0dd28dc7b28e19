//! Saved web pages (`.html`, `.htm`, and the HTML responses of WARC files): the main text of the page,
//! as a reader view finds it (dom_smoothie, a port of Mozilla's Readability), without navigation,
//! footers, cookie notices, related links or scripts.
//!
//! The title from `og:title`, else the first `<h1>`, else `<title>`; the date from
//! `article:published_time`, JSON-LD `datePublished`, `<time datetime>` or `itemprop="datePublished"`,
//! else the path; the url from the canonical link or `og:url`; the source from `og:site_name`, else the
//! url's host; authors from `<meta name="author">` or the byline. The charset from a byte-order mark,
//! then the `<meta charset>` (or `http-equiv`) in the first 1024 bytes, then UTF-8; bytes that are not
//! UTF-8 in a page that declares nothing are read as Windows-1252 (what browsers do), with a warning.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, Selection};
use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::Encoding;

use super::article::{folded, headline_of, Article, ArticleMeta, ParsedArticle, SkipReason};
use super::jsonl::record_date;
use super::text_format::{date_from_path, split_paragraphs, PathDate};

/// Pages nested deeper than this are cut there: the parser's tree and its walks would use deep
/// recursion (a page 100,000 levels deep), and no real page comes near it.
pub const MAX_DEPTH: usize = 512;

/// The elements the page's facts are read from.
#[derive(Clone, Copy)]
enum Sel {
    OgTitle,
    H1,
    Title,
    Canonical,
    OgUrl,
    SiteName,
    Author,
    PublishedTime,
    Time,
    ItemDate,
    JsonLd,
    Ads,
}

/// The selectors of [`Sel`], in its order.
const SELECTORS: [&str; 12] = [
    "meta[property='og:title']",
    "h1",
    "title",
    "link[rel='canonical']",
    "meta[property='og:url']",
    "meta[property='og:site_name']",
    "meta[name='author']",
    "meta[property='article:published_time']",
    "time[datetime]",
    "[itemprop='datePublished']",
    "script[type='application/ld+json']",
    // Advertising slots inside the article (Readability keeps a one-line "Advertisement" between two
    // paragraphs); marked by a whole class or id word.
    "[class~='ad'], [class~='ads'], [class~='advert'], [class~='advertisement'], [class~='sponsored'], \
     [id^='ad-'], [id^='ad_'], [id~='advertisement'], aside[class~='promo'], [aria-label='advertisement']",
];

/// The selectors compiled once (compiling them for every page cost more than matching them).
static MATCHERS: LazyLock<Vec<Option<Matcher>>> =
    LazyLock::new(|| SELECTORS.iter().map(|s| Matcher::new(s).ok()).collect());

/// The elements of `document` that `which` names; `None` when there are none.
fn select(document: &Document, which: Sel) -> Option<Selection<'_>> {
    let matcher = MATCHERS.get(which as usize)?.as_ref()?;
    Some(document.select_matcher(matcher)).filter(|s| s.exists())
}

/// What a page gives besides its path.
#[derive(Debug, Clone, Default)]
pub struct PageHints<'a> {
    /// The address the page was fetched from (a WARC record's `WARC-Target-URI`).
    pub url: Option<&'a str>,
    /// The `charset` of an HTTP `Content-Type` header.
    pub charset: Option<&'a str>,
}

/// Parses a saved page; `file_id` is its id when the page names no url, `rel_path` is searched for a
/// date when the page gives none.
pub fn parse_html(
    file_id: &str,
    rel_path: &str,
    bytes: &[u8],
) -> Result<ParsedArticle, SkipReason> {
    parse_page(file_id, rel_path, bytes, &PageHints::default())
}

/// [`parse_html`] with what the page's container knows of it.
pub fn parse_page(
    file_id: &str,
    rel_path: &str,
    bytes: &[u8],
    hints: &PageHints<'_>,
) -> Result<ParsedArticle, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut warnings = Vec::new();
    let html = decode(bytes, hints.charset, &mut warnings);
    let html = flatten_deep(&html, &mut warnings);
    let document = Document::from(html.as_ref());

    let meta_content = |which: Sel| {
        select(&document, which)
            .and_then(|s| s.first().attr("content"))
            .and_then(|v| folded(&v))
    };
    let element_text =
        |which: Sel| select(&document, which).and_then(|s| folded(&s.first().text()));
    let title = meta_content(Sel::OgTitle)
        .or_else(|| element_text(Sel::H1))
        .or_else(|| element_text(Sel::Title));
    let url = select(&document, Sel::Canonical)
        .and_then(|s| s.first().attr("href"))
        .and_then(|v| folded(&v))
        .filter(|u| u.contains("://"))
        .or_else(|| meta_content(Sel::OgUrl))
        .or_else(|| hints.url.and_then(folded));
    let source = meta_content(Sel::SiteName);
    let mut authors: Vec<String> = select(&document, Sel::Author)
        .map(|s| {
            s.iter()
                .filter_map(|m| m.attr("content").and_then(|v| folded(&v)))
                .collect()
        })
        .unwrap_or_default();
    let page_date = meta_content(Sel::PublishedTime)
        .or_else(|| json_ld_date(&document))
        .or_else(|| {
            select(&document, Sel::Time)
                .and_then(|s| s.first().attr("datetime"))
                .and_then(|v| folded(&v))
        })
        .or_else(|| {
            select(&document, Sel::ItemDate).and_then(|s| {
                let first = s.first();
                first
                    .attr("content")
                    .or_else(|| first.attr("datetime"))
                    .and_then(|v| folded(&v))
                    .or_else(|| folded(&first.text()))
            })
        });

    if let Some(ads) = select(&document, Sel::Ads) {
        ads.remove();
    }
    let config = Config {
        text_mode: TextMode::Formatted,
        // News items can be a line long ("Shr 19 cts vs 13 cts"): with the usual 500 characters, a
        // short story's page was read again without removing the unlikely parts, and its navigation
        // and cookie notice came back as text (455 of 10,051 Reuters pages).
        char_threshold: 0,
        ..Config::default()
    };
    let extracted = Readability::with_document(document, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let (text, byline) = match extracted {
        Some(a) => (a.text_content.to_string(), a.byline),
        None => (String::new(), None),
    };
    if authors.is_empty() {
        authors.extend(byline.as_deref().and_then(folded));
    }
    let paragraphs = split_paragraphs(&text);
    if paragraphs.is_empty() {
        return Err(SkipReason::NoText);
    }

    let date = match page_date {
        Some(value) => match record_date(&value) {
            Some(d) => Some(d),
            None => {
                warnings.push(format!(
                    "the page's date '{value}' is not YYYY-MM-DD (with or without a time); undated"
                ));
                None
            }
        },
        None => match date_from_path(rel_path) {
            PathDate::Date(d) => Some(d),
            _ => None,
        },
    };
    let headline = title.clone().unwrap_or_else(|| headline_of(&paragraphs[0]));
    let meta = ArticleMeta {
        title,
        url: url.clone(),
        source,
        authors,
    }
    .with_source_from_url();
    Ok(ParsedArticle {
        article: Article {
            id: url.unwrap_or_else(|| file_id.to_string()),
            date,
            headline,
            paragraphs,
            meta,
        },
        warnings,
    })
}

/// `datePublished` of the page's JSON-LD blocks (an object, an array, or an `@graph`).
fn json_ld_date(document: &Document) -> Option<String> {
    let scripts = select(document, Sel::JsonLd)?;
    for script in scripts.iter() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&script.text()) else {
            continue;
        };
        if let Some(d) = find_date_published(&value, 0) {
            return Some(d);
        }
    }
    None
}

fn find_date_published(value: &serde_json::Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match value {
        serde_json::Value::Object(o) => o
            .get("datePublished")
            .and_then(|d| d.as_str())
            .and_then(folded)
            .or_else(|| {
                o.get("@graph")
                    .and_then(|g| find_date_published(g, depth + 1))
            }),
        serde_json::Value::Array(items) => {
            items.iter().find_map(|v| find_date_published(v, depth + 1))
        }
        _ => None,
    }
}

/// The page's text in the charset its bytes say (see the module's notes).
fn decode(bytes: &[u8], header_charset: Option<&str>, warnings: &mut Vec<String>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let declared = header_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(1024)]));
    if let Some(encoding) = declared {
        // A page declaring UTF-16 in ASCII bytes is not UTF-16 (the HTML standard reads it as UTF-8).
        let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            encoding
        };
        let (text, _, bad) = encoding.decode(bytes);
        if bad {
            warnings.push(format!("bytes that are not {} replaced", encoding.name()));
        }
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            warnings.push("no charset declared and not UTF-8: read as Windows-1252".to_string());
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
        }
    }
}

/// The encoding of `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...;
/// charset=...">` in the first bytes of a page.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(i) = tag.find("charset") {
            let value = tag[i + 7..]
                .trim_start()
                .strip_prefix('=')
                .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                .unwrap_or("");
            let label: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(e) = Encoding::for_label(label.as_bytes()) {
                return Some(e);
            }
        }
    }
    None
}

/// A page whose elements nest deeper than [`MAX_DEPTH`] loses the tags past that depth (their text is
/// kept), counted by a quick scan of the tags; other pages are returned as they are.
fn flatten_deep<'a>(html: &'a str, warnings: &mut Vec<String>) -> std::borrow::Cow<'a, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        match bytes.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = bytes[i..].iter().position(|&b| b == b'>').map(|p| i + p);
                let self_closing = end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
                if !self_closing && !is_void(&bytes[i..]) {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    if deepest <= MAX_DEPTH {
        return std::borrow::Cow::Borrowed(html);
    }
    warnings.push(format!(
        "elements nested {deepest} deep: the tags past {MAX_DEPTH} levels are dropped"
    ));
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let b = tag.as_bytes();
        let keep = match b.get(1) {
            Some(b'/') => {
                let keep = depth <= MAX_DEPTH;
                depth = depth.saturating_sub(1);
                keep
            }
            Some(c) if c.is_ascii_alphabetic() => {
                if tag.ends_with("/>") || is_void(&b[1..]) {
                    depth < MAX_DEPTH
                } else {
                    depth += 1;
                    depth <= MAX_DEPTH
                }
            }
            _ => true,
        };
        if keep {
            out.push_str(tag);
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Whether a tag name (at the start of `after_lt`) is a void element, which has no end tag.
fn is_void(after_lt: &[u8]) -> bool {
    const VOID: [&[u8]; 14] = [
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"param", b"source", b"track", b"wbr",
    ];
    let name_len = after_lt
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &after_lt[..name_len];
    VOID.iter().any(|v| v.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<meta charset="utf-8"><title>Zinc rises | Example News</title>
<meta property="og:title" content="Zinc rises on strike fears">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-07-28T14:05:00+02:00">
<link rel="canonical" href="https://www.example.org/2023/07/28/zinc">
<meta name="author" content="Ann Writer">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/markets">Markets</a></li><li><a href="/about">Navigationword</a></li></ul></nav>
<div class="cookie-banner">We use cookies. Accept cookiesword.</div>
<article><h1>Zinc rises on strike fears</h1>
<p>Zinc prices rose sharply on Friday as miners in the north threatened a strike that could cut supply for weeks, traders said.</p>
<div class="ad advertisement">Advertisement adslotword</div>
<p>The metal gained four percent in London, its biggest daily rise this year, while copper and lead were little changed in thin trade.</p>
<p>Union leaders said talks with the mine owners had broken down over pay and that a walkout would begin on Monday unless a deal was reached.</p>
<p>The mines produce about a tenth of the world's zinc, and smelters in Europe and Asia hold only a few weeks of stocks, analysts at two banks said in notes to clients.</p>
<p>A spokesman for the owners said the company had made a fair offer and remained open to further talks, but would not raise it while the threat of a strike stood.</p>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/x">Relatedword story one</a></li><li><a href="/y">Relatedword story two</a></li></ul></aside>
<footer>Copyright Example News. Footerword. All rights reserved.</footer>
<script>var trackerword = 1;</script>
</body></html>"#;

    #[test]
    fn the_main_text_and_the_page_facts() {
        let parsed = parse_html("p.html", "p.html", PAGE.as_bytes()).expect("parsed");
        let a = &parsed.article;
        assert_eq!(a.id, "https://www.example.org/2023/07/28/zinc");
        assert_eq!(a.headline, "Zinc rises on strike fears");
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2023-07-28"));
        assert_eq!(a.meta.source.as_deref(), Some("Example News"));
        assert_eq!(a.meta.authors, ["Ann Writer"]);
        let all = a.paragraphs.join("\n");
        assert!(all.contains("Zinc prices rose sharply"), "{all}");
        assert!(all.contains("Union leaders said"), "{all}");
        for boilerplate in [
            "Navigationword",
            "cookiesword",
            "Relatedword",
            "Footerword",
            "trackerword",
        ] {
            assert!(!all.contains(boilerplate), "{boilerplate} in {all}");
        }
        assert!(a.paragraphs.len() >= 3, "{:?}", a.paragraphs);
    }

    #[test]
    fn charsets_from_the_meta_tag_a_bom_or_a_guess() {
        let latin = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>Caf\xe9 prices in S\xe3o Paulo rose again this week as growers held back their beans, dealers said on Tuesday in a long report.</p></body></html>";
        let parsed = parse_html("l.html", "l.html", latin).expect("latin");
        assert!(
            parsed.article.paragraphs[0].contains("Café"),
            "{:?}",
            parsed.article.paragraphs
        );
        assert!(parsed.article.paragraphs[0].contains("São Paulo"));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let undeclared = b"<html><body><p>Caf\xe9 owners in the old town said trade was slow in the summer months and that prices had risen.</p></body></html>";
        let parsed = parse_html("u.html", "u.html", undeclared).expect("guessed");
        assert!(parsed.article.paragraphs[0].contains("Café"));
        assert!(
            parsed.warnings[0].contains("Windows-1252"),
            "{:?}",
            parsed.warnings
        );
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "<html><body><p>Zinc rose in a sixteen-bit page that was saved by an old editor on a Windows machine.</p></body></html>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let parsed = parse_html("w.html", "w.html", &utf16).expect("utf-16");
        assert!(parsed.article.paragraphs[0].starts_with("Zinc rose"));
    }

    #[test]
    fn dates_from_json_ld_time_or_the_path() {
        let ld = r#"<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2021-03-04T08:00:00Z"}]}</script></head><body><p>Lead prices fell on Thursday as stocks in warehouses rose for the third week running, traders said.</p></body></html>"#;
        let a = parse_html("a.html", "a.html", ld.as_bytes())
            .expect("ld")
            .article;
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2021-03-04"));
        let time = r#"<html><body><time datetime="2020-01-02">Jan 2</time><p>Tin prices fell on Thursday as stocks in warehouses rose for the third week running, traders said.</p></body></html>"#;
        let a = parse_html("t.html", "t.html", time.as_bytes())
            .expect("time")
            .article;
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2020-01-02"));
        let none = r#"<html><body><p>Nickel prices fell on Thursday as stocks in warehouses rose for the third week running.</p></body></html>"#;
        let a = parse_html("x.html", "2019/05/06/x.html", none.as_bytes())
            .expect("path")
            .article;
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2019-05-06"));
        assert_eq!(a.id, "x.html");
        assert_eq!(a.meta.title, None);
    }

    #[test]
    fn a_page_nested_100000_deep_is_read() {
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(100_000));
        page.push_str("<p>Deep zinc text sits at the bottom of a very deep page that nobody would write by hand.</p>");
        page.push_str(&"</div>".repeat(100_000));
        page.push_str("</body></html>");
        let parsed = parse_html("d.html", "d.html", page.as_bytes()).expect("deep");
        assert!(parsed.article.paragraphs.join(" ").contains("Deep zinc"));
        assert!(
            parsed.warnings.iter().any(|w| w.contains("nested")),
            "{:?}",
            parsed.warnings
        );
    }

    #[test]
    fn pages_without_text_are_skipped() {
        assert_eq!(
            parse_html("e.html", "e.html", b"").err(),
            Some(SkipReason::Empty)
        );
        assert_eq!(
            parse_html(
                "n.html",
                "n.html",
                b"<html><body><script>var x = 1;</script></body></html>"
            )
            .err(),
            Some(SkipReason::NoText)
        );
    }
}

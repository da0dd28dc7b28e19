//! Converts a folder of articles in the text format into the other archive formats, as scrapers and
//! crawlers write them: one JSON Lines dump (news-please's field names), one saved web page per
//! article (with navigation, a cookie notice, related links, a footer and scripts around the text),
//! or one gzipped web archive of those pages (a request and a response record per page, as Common
//! Crawl writes them). Every article gets the url [`URL_PREFIX`] + its id, so ids map back.
//! Shared by the tests and `examples/convert.rs` (the benchmark's converter).

use std::io::{BufWriter, Write};
use std::path::Path;

use dateline::ingest::warc::{gzip_member, record_bytes};
use dateline::ingest::{parse_article, Article};

/// Articles' urls are this prefix and their id in the text folder.
pub const URL_PREFIX: &str = "https://archive.example/";

/// Words that stand only in the pages' boilerplate: none may be found once indexed.
pub const BOILERPLATE_WORDS: [&str; 5] = [
    "navigationonly",
    "cookieconsentonly",
    "relatedlinksonly",
    "footeronly",
    "scriptonly",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Jsonl,
    Html,
    Warc,
}

/// The articles of a text folder, in path order.
pub fn articles(src: &Path) -> Vec<Article> {
    let mut paths: Vec<_> = walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(src)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&p).ok()?;
            parse_article(&rel, &rel, &bytes).ok().map(|a| a.article)
        })
        .collect()
}

/// Writes the articles of `src` into `dst` (a folder) in the `target` format; returns how many.
pub fn convert(src: &Path, dst: &Path, target: Target) -> std::io::Result<usize> {
    std::fs::create_dir_all(dst)?;
    let articles = articles(src);
    match target {
        Target::Jsonl => {
            let mut out = BufWriter::new(std::fs::File::create(dst.join("archive.jsonl"))?);
            for a in &articles {
                let record = serde_json::json!({
                    "url": format!("{URL_PREFIX}{}", a.id),
                    "title": a.headline,
                    "maintext": a.paragraphs.join("\n\n"),
                    "date_publish": a.date.map(|d| format!("{d} 12:00:00")),
                    "source_domain": "archive.example",
                    "authors": ["Staff Writer"],
                });
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
        Target::Html => {
            for a in &articles {
                let path = dst.join(format!("{}.html", a.id.trim_end_matches(".txt")));
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, page(a))?;
            }
        }
        Target::Warc => {
            let mut out = BufWriter::new(std::fs::File::create(dst.join("archive.warc.gz"))?);
            for (i, a) in articles.iter().enumerate() {
                let url = format!("{URL_PREFIX}{}", a.id);
                let when = "2024-01-01T00:00:00Z";
                let request = format!("GET /{} HTTP/1.1\r\nHost: archive.example\r\n\r\n", a.id);
                let id = |n: usize| format!("urn:uuid:00000000-0000-0000-0000-{n:012}");
                out.write_all(&gzip_member(&record_bytes(
                    "request",
                    &url,
                    when,
                    &id(i * 2),
                    request.as_bytes(),
                )))?;
                let body = page(a);
                let mut response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                response.extend_from_slice(body.as_bytes());
                out.write_all(&gzip_member(&record_bytes(
                    "response",
                    &url,
                    when,
                    &id(i * 2 + 1),
                    &response,
                )))?;
            }
            out.flush()?;
        }
    }
    Ok(articles.len())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A news page around the article: the text in `<article>`, boilerplate around it.
pub fn page(a: &Article) -> String {
    let title = escape(&a.headline);
    let url = format!("{URL_PREFIX}{}", a.id);
    let date = a
        .date
        .map(|d| format!("<meta property=\"article:published_time\" content=\"{d}T12:00:00Z\">"))
        .unwrap_or_default();
    let paragraphs: String = a
        .paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>{title} | Archive</title>\n\
<meta property=\"og:title\" content=\"{title}\">\n<meta property=\"og:site_name\" content=\"archive.example\">\n{date}\n\
<link rel=\"canonical\" href=\"{url}\">\n<script>window.scriptonly = 1;</script><style>.x{{}}</style></head>\n\
<body><header><nav class=\"menu\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
<li><a href=\"/business\">Business navigationonly</a></li><li><a href=\"/markets\">Markets</a></li></ul></nav></header>\n\
<div class=\"cookie-consent\" id=\"gdpr\">We use cookies cookieconsentonly. <button>Accept</button></div>\n\
<main><article class=\"story\">\n{paragraphs}</article>\n\
<aside class=\"related\"><h2>Related</h2><ul><li><a href=\"/a\">More relatedlinksonly stories</a></li>\
<li><a href=\"/b\">Most read</a></li></ul></aside></main>\n\
<footer class=\"footer\"><p>© Archive. footeronly All rights reserved. <a href=\"/terms\">Terms</a></p></footer>\n\
</body></html>\n"
    )
}

//! Web archives (`.warc`, and `.warc.gz` with each record gzipped apart, as Common Crawl writes them):
//! every `response` record holding an HTML page goes through the HTML reader, its HTTP headers taken
//! off and its body decoded (chunked transfer, gzip or deflate content); other records are passed over
//! and counted. The record's `WARC-Target-URI` is the article's url and id; its date is the page's own,
//! else the record's `WARC-Date` (counted).
//!
//! Damage is local: a record longer than [`MAX_RECORD_BYTES`] is passed over with a warning; a record
//! whose length field does not end where the next record starts is read as far as it goes, and the
//! reader looks for the next `WARC/` line; a truncated file keeps the records before the break.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::{GzDecoder, MultiGzDecoder};

use super::html::{parse_page, PageHints};
use super::jsonl::RecordEvent;
use crate::text::dates::date_of_timestamp;

/// Longest record block read; a longer one is passed over (read through, not held).
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
/// Longest header line of a record or of its HTTP response.
const MAX_HEADER_LINE: usize = 64 * 1024;

/// Counts for the file's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarcStats {
    /// Records read.
    pub records: u64,
    /// Records that are not an HTML response (requests, metadata, images, ...).
    pub passed_over: u64,
    /// Pages dated by their record's `WARC-Date` because they give no date of their own.
    pub dated_by_record: u64,
}

/// Reads a WARC file (gzipped or not, told by its first bytes) from `input`, handing each page's
/// article or a warning to `on` in order; `on` returns `false` to stop. An error is a read error of
/// the file (a truncated gzip stream among them); the records before it have been handed on.
pub fn read_warc<R: BufRead>(
    mut input: R,
    file_id: &str,
    on: &mut dyn FnMut(RecordEvent) -> bool,
) -> io::Result<WarcStats> {
    let gzipped = input.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    if gzipped {
        let inflated = BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(input));
        read_records(inflated, file_id, on)
    } else {
        read_records(input, file_id, on)
    }
}

fn read_records<R: BufRead>(
    mut input: R,
    file_id: &str,
    on: &mut dyn FnMut(RecordEvent) -> bool,
) -> io::Result<WarcStats> {
    let mut stats = WarcStats::default();
    let mut line = Vec::new();
    let mut n = 0u64;
    // Hands on a warning; returns from the reading when the receiver asks to stop.
    macro_rules! warn {
        ($($message:tt)*) => {
            if !on(RecordEvent::Warning(format!($($message)*))) {
                return Ok(stats);
            }
        };
    }
    // Whether the reader is looking for the next record's first line (after damage).
    let mut searching = false;
    loop {
        // The version line, past blank lines.
        line.clear();
        if read_line(&mut input, &mut line)? == 0 {
            return Ok(stats);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if !text.starts_with("WARC/") {
            if !searching {
                searching = true;
                warn!("after record {n}: a line that does not start a WARC record; looking for the next record");
            }
            continue;
        }
        n += 1;
        searching = false;
        stats.records += 1;
        let headers = read_headers(&mut input)?;
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(length) = header("Content-Length").and_then(|v| v.trim().parse::<u64>().ok())
        else {
            searching = true;
            warn!("record {n}: no Content-Length; looking for the next record");
            continue;
        };
        let kind = header("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let is_http_response = kind == "response"
            && header("Content-Type").is_none_or(|t| t.to_ascii_lowercase().contains("http"));
        if !is_http_response {
            stats.passed_over += 1;
            skip(&mut input, length)?;
            if !record_ends(&mut input)? {
                searching = true;
                warn!("record {n}: its length does not match its content; looking for the next record");
            }
        } else if length > MAX_RECORD_BYTES {
            stats.passed_over += 1;
            skip(&mut input, length)?;
            warn!(
                "record {n}: {} MiB, longer than the {} MiB a record may have; passed over",
                length / (1024 * 1024),
                MAX_RECORD_BYTES / (1024 * 1024)
            );
        } else {
            let mut block = Vec::with_capacity(length as usize);
            (&mut input).take(length).read_to_end(&mut block)?;
            let url =
                header("WARC-Target-URI").map(|u| u.trim().trim_matches(['<', '>']).to_string());
            let record_date = header("WARC-Date").map(str::to_string);
            if block.len() as u64 != length {
                warn!("record {n}: the file ends inside it");
                return Ok(stats);
            }
            if !record_ends(&mut input)? {
                searching = true;
                warn!("record {n}: its length does not match its content; left out, looking for the next record");
                continue;
            }
            let place = format!("{file_id}#{n}");
            match page_of(&block) {
                Ok(Some((body, charset))) => {
                    let hints = PageHints {
                        url: url.as_deref(),
                        charset: charset.as_deref(),
                    };
                    match parse_page(&place, "", &body, &hints) {
                        Ok(parsed) => {
                            let mut article = parsed.article;
                            if let Some(u) = &url {
                                article.id = u.clone();
                                article.meta.url = Some(u.clone());
                                if article.meta.source.is_none() {
                                    article.meta =
                                        std::mem::take(&mut article.meta).with_source_from_url();
                                }
                            }
                            if article.date.is_none() {
                                let fallback = record_date
                                    .as_deref()
                                    .map(str::trim)
                                    .and_then(|d| date_of_timestamp(d).or(Some(d)))
                                    .and_then(|d| super::text_format::parse_ymd(d)?.ok());
                                if fallback.is_some() {
                                    stats.dated_by_record += 1;
                                    article.date = fallback;
                                }
                            }
                            for w in parsed.warnings {
                                warn!("record {n}: {w}");
                            }
                            if !on(RecordEvent::Article(n as usize, article)) {
                                return Ok(stats);
                            }
                        }
                        Err(reason) => {
                            warn!("record {n}: {reason}; left out");
                        }
                    }
                }
                Ok(None) => stats.passed_over += 1,
                Err(why) => {
                    warn!("record {n}: {why}; left out");
                }
            }
        }
    }
}

/// Whether the input goes on with the two line breaks that end a record (or ends): anything else
/// means the record's length field lied. The line breaks are read.
fn record_ends<R: BufRead>(input: &mut R) -> io::Result<bool> {
    let mut got = 0;
    loop {
        let b = input.fill_buf()?;
        if b.is_empty() {
            return Ok(true);
        }
        if !matches!(b[0], b'\r' | b'\n') {
            return Ok(got >= 2);
        }
        input.consume(1);
        got += 1;
        if got == 4 {
            return Ok(true);
        }
    }
}

/// The bytes of one WARC/1.0 record (for converters and tests): the named headers, the block, and the
/// two line breaks that end a record.
pub fn record_bytes(kind: &str, target_uri: &str, date: &str, id: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{id}>\r\nWARC-Target-URI: {target_uri}\r\n\
         WARC-Date: {date}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// `bytes` as one gzip member (a `.warc.gz` file is such members one after another).
pub fn gzip_member(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// An HTML body and the charset its response names.
type Page = (Vec<u8>, Option<String>);

/// The HTML body of an HTTP response block and the charset its headers name; `None` when the response
/// holds no HTML page; an error when the body cannot be decoded.
fn page_of(block: &[u8]) -> Result<Option<Page>, String> {
    let split = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = split else {
        return Err("an HTTP response without the end of its headers".to_string());
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    if !status.starts_with("HTTP/") {
        return Err("not an HTTP response".to_string());
    }
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        return Ok(None);
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
        match k.as_str() {
            "content-type" => content_type = Some(v),
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-encoding" => encoding = Some(v),
            _ => {}
        }
    }
    let mut body = block[body_start..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    match encoding.as_deref() {
        None | Some("identity") | Some("") => {}
        Some("gzip") | Some("x-gzip") => body = inflate(GzDecoder::new(&body[..]))?,
        Some("deflate") => {
            body = inflate(flate2::bufread::ZlibDecoder::new(&body[..]))
                .or_else(|_| inflate(flate2::bufread::DeflateDecoder::new(&body[..])))?
        }
        Some(other) => return Err(format!("content encoded as '{other}', which is not read")),
    }
    let is_html = match &content_type {
        Some(t) => t.contains("html"),
        None => {
            let start = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            start.contains("<html") || start.contains("<!doctype html")
        }
    };
    if !is_html {
        return Ok(None);
    }
    let charset = content_type
        .as_deref()
        .and_then(|t| t.split(';').find_map(|p| p.trim().strip_prefix("charset=")))
        .map(|c| c.trim_matches(['"', '\'']).to_string());
    Ok(Some((body, charset)))
}

/// A compressed body inflated, at most [`MAX_RECORD_BYTES`].
fn inflate(decoder: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("its compressed body cannot be read ({e})"))?;
    if out.len() as u64 > MAX_RECORD_BYTES {
        return Err(format!(
            "its body inflates past {} MiB",
            MAX_RECORD_BYTES / (1024 * 1024)
        ));
    }
    Ok(out)
}

/// A body sent in chunks (`Transfer-Encoding: chunked`) put back together.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let Some(eol) = find(body, b"\n") else {
            // A chunked body cut short: what came is kept.
            return Ok(out);
        };
        let size_line = String::from_utf8_lossy(&body[..eol]);
        let size_hex = size_line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| {
            format!(
                "a chunk size '{}' that is not hexadecimal",
                size_hex.chars().take(20).collect::<String>()
            )
        })?;
        body = &body[eol + 1..];
        if size == 0 {
            return Ok(out);
        }
        let take = size.min(body.len());
        out.extend_from_slice(&body[..take]);
        body = &body[take..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one line (with its end) into `line`, keeping at most [`MAX_HEADER_LINE`] bytes of it.
fn read_line<R: BufRead>(input: &mut R, line: &mut Vec<u8>) -> io::Result<usize> {
    let mut consumed = 0;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        consumed += n;
        input.consume(n);
        if done {
            return Ok(consumed);
        }
    }
}

/// The named header lines up to the blank line that ends them (at most 256 lines).
fn read_headers<R: BufRead>(input: &mut R) -> io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    let mut line = Vec::new();
    for _ in 0..256 {
        line.clear();
        if read_line(input, &mut line)? == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(headers)
}

/// Reads and drops `n` bytes (or up to the end).
fn skip<R: BufRead>(input: &mut R, n: u64) -> io::Result<()> {
    io::copy(&mut input.take(n), &mut io::sink())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Article;

    fn page(words: &str) -> String {
        format!(
            "<html><head><title>{words}</title></head><body><nav>Menuword</nav><article><p>{words} rose sharply on Friday as miners threatened a strike that could cut supply for weeks, traders said in London.</p><p>The metal gained four percent, its biggest daily rise this year, while copper was little changed.</p></article></body></html>"
        )
    }

    fn record(kind: &str, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
        record_bytes(kind, uri, date, "urn:uuid:1", block)
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        gzip_member(bytes)
    }

    fn http(body: &[u8], extra: &str) -> Vec<u8> {
        let mut r =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{extra}\r\n")
                .into_bytes();
        r.extend_from_slice(body);
        r
    }

    fn read(bytes: &[u8]) -> (Vec<Article>, Vec<String>, io::Result<WarcStats>) {
        let (mut articles, mut warnings) = (Vec::new(), Vec::new());
        let stats = read_warc(bytes, "cc.warc.gz", &mut |e| {
            match e {
                RecordEvent::Article(_, a) => articles.push(a),
                RecordEvent::Warning(w) => warnings.push(w),
                RecordEvent::Id(..) => {}
            }
            true
        });
        (articles, warnings, stats)
    }

    fn archive() -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(gz(&record(
            "warcinfo",
            "",
            "2023-07-28T00:00:00Z",
            b"software: test\r\n",
        )));
        out.extend(gz(&record(
            "request",
            "https://a.example/1",
            "2023-07-28T10:00:00Z",
            b"GET /1 HTTP/1.1\r\n\r\n",
        )));
        out.extend(gz(&record(
            "response",
            "https://a.example/1",
            "2023-07-28T10:00:00Z",
            &http(page("Zinc").as_bytes(), ""),
        )));
        // Chunked transfer and a gzipped body.
        let zipped = gz(page("Lead").as_bytes());
        let mut chunked = format!("{:x}\r\n", 10).into_bytes();
        chunked.extend_from_slice(&zipped[..10]);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", zipped.len() - 10).as_bytes());
        chunked.extend_from_slice(&zipped[10..]);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        out.extend(gz(&record(
            "response",
            "https://b.example/2",
            "2023-07-29T10:00:00Z",
            &http(
                &chunked,
                "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            ),
        )));
        // An image.
        out.extend(gz(&record(
            "response",
            "https://b.example/x.png",
            "2023-07-29T10:00:00Z",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        )));
        out
    }

    #[test]
    fn html_responses_become_articles_and_the_rest_is_counted() {
        let (articles, warnings, stats) = read(&archive());
        let stats = stats.expect("read");
        assert!(warnings.is_empty(), "{warnings:?}");
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["https://a.example/1", "https://b.example/2"]);
        assert_eq!(articles[1].headline, "Lead");
        assert!(articles[1].paragraphs[0].starts_with("Lead rose"));
        assert!(!articles[0].paragraphs.join(" ").contains("Menuword"));
        assert_eq!(
            articles[0].date.map(|d| d.to_string()).as_deref(),
            Some("2023-07-28")
        );
        assert_eq!(articles[0].meta.source.as_deref(), Some("a.example"));
        assert_eq!(stats.records, 5);
        assert_eq!(stats.passed_over, 3);
        assert_eq!(stats.dated_by_record, 2);
        // Not gzipped: the same.
        let plain = record(
            "response",
            "https://c.example/3",
            "2023-07-30T10:00:00Z",
            &http(page("Tin").as_bytes(), ""),
        );
        let (articles, _, stats) = read(&plain);
        assert_eq!(articles.len(), 1);
        assert_eq!(stats.expect("plain").records, 1);
    }

    #[test]
    fn a_truncated_file_keeps_the_records_before_the_break() {
        let whole = archive();
        let (articles, _, stats) = read(&whole[..whole.len() - 30]);
        assert_eq!(articles.len(), 2, "the last record, an image, is cut");
        assert!(stats.is_err());
        let cut_in_third = {
            let first_three: usize = archive()
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == &[0x1f, 0x8b])
                .map(|(i, _)| i)
                .nth(3)
                .expect("members");
            whole[..first_three - 5].to_vec()
        };
        let (articles, _, stats) = read(&cut_in_third);
        assert_eq!(articles.len(), 1);
        assert!(stats.is_err());
    }

    #[test]
    fn a_lying_length_and_an_oversized_record_are_passed_over() {
        let good = record(
            "response",
            "https://a.example/1",
            "2023-07-28T10:00:00Z",
            &http(page("Zinc").as_bytes(), ""),
        );
        let mut lying = record(
            "response",
            "https://a.example/2",
            "2023-07-28T10:00:00Z",
            &http(page("Lead").as_bytes(), ""),
        );
        let text = String::from_utf8(lying.clone()).expect("text");
        let real = http(page("Lead").as_bytes(), "").len();
        lying = text
            .replace(
                &format!("Content-Length: {real}"),
                &format!("Content-Length: {}", real / 2),
            )
            .into_bytes();
        let huge = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999999999\r\n\r\nshort"
            .to_vec();
        let mut bytes = good.clone();
        bytes.extend(lying);
        bytes.extend(record(
            "response",
            "https://a.example/3",
            "2023-07-28T10:00:00Z",
            &http(page("Tin").as_bytes(), ""),
        ));
        bytes.extend(huge);
        let (articles, warnings, stats) = read(&bytes);
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert!(
            ids.contains(&"https://a.example/1") && ids.contains(&"https://a.example/3"),
            "{ids:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("record 2: its length does not match")),
            "{warnings:?}"
        );
        assert!(
            !ids.contains(&"https://a.example/2"),
            "a record cut short is left out"
        );
        assert!(
            warnings.iter().any(|w| w.contains("passed over")),
            "{warnings:?}"
        );
        assert!(stats.is_ok());
    }

    #[test]
    fn a_gzipped_body_inflating_past_the_limit_is_left_out() {
        let bomb = gz(&vec![b'a'; (MAX_RECORD_BYTES + 10) as usize]);
        let block = http(&bomb, "Content-Encoding: gzip\r\n");
        let mut bytes = gz(&record(
            "response",
            "https://a.example/bomb",
            "2023-07-28T10:00:00Z",
            &block,
        ));
        bytes.extend(gz(&record(
            "response",
            "https://a.example/1",
            "2023-07-28T10:00:00Z",
            &http(page("Zinc").as_bytes(), ""),
        )));
        let (articles, warnings, _) = read(&bytes);
        assert_eq!(articles.len(), 1);
        assert!(
            warnings.iter().any(|w| w.contains("inflates past")),
            "{warnings:?}"
        );
    }
}

//! JSON Lines dumps (as scrapers such as news-please write them): one article per object, one object per
//! line (`.jsonl`, `.ndjson`); a `.json` file may also hold one object or an array of them.
//!
//! Fields, the first present of each list: text from `text`, `maintext`, `body`, `content`; the headline
//! from `title` (else the first sentence, as for text files); the date from `date`, `date_publish`,
//! `published`, `published_at`, `pubDate` (`YYYY-MM-DD`, with or without a time and zone, or
//! news-please's `2023-07-28 14:05:00`: the day as written); the id from `id`, else `url`, else
//! `FILE#N` (record N of the file). Paragraphs are split at blank lines, or at single line breaks when the
//! text has no blank line. A line that is not a JSON object, or a record without text, is a warning naming
//! the line; the other records are indexed. Two records of a file with one id: the later is kept, with a
//! warning naming both.

use std::io::{BufRead, Read};

use serde_json::{Map, Value};
use time::Date;

use super::article::{folded, headline_of, Article, ArticleMeta, SkipReason};
use super::text_format::{parse_ymd, split_paragraphs};
use crate::text::dates::date_of_timestamp;

const TEXT: [&str; 4] = ["text", "maintext", "body", "content"];
const SOURCE: [&str; 4] = ["source", "source_domain", "domain", "publisher"];
const DATE: [&str; 5] = [
    "date",
    "date_publish",
    "published",
    "published_at",
    "pubDate",
];

/// Fields named for the parts of an article (`--field text=article_body`), looked for before the usual
/// names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldNames {
    pub text: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub authors: Option<String>,
}

impl FieldNames {
    /// The parts a field can be named for.
    pub const PARTS: [&'static str; 7] =
        ["text", "title", "date", "id", "url", "source", "authors"];

    /// Sets the field for `part` (one of [`FieldNames::PARTS`]); `false` for another part.
    pub fn set(&mut self, part: &str, name: &str) -> bool {
        let slot = match part {
            "text" => &mut self.text,
            "title" => &mut self.title,
            "date" => &mut self.date,
            "id" => &mut self.id,
            "url" => &mut self.url,
            "source" => &mut self.source,
            "authors" => &mut self.authors,
            _ => return false,
        };
        *slot = Some(name.to_string());
        true
    }
}

/// The names to look for: the one given, then the usual ones.
fn names<'a>(given: &'a Option<String>, usual: &[&'a str]) -> Vec<&'a str> {
    given
        .iter()
        .map(String::as_str)
        .chain(usual.iter().copied())
        .collect()
}

/// Longest line (one record) read; a longer one is left out with a warning.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// What a reader finds in a container file, in order.
#[derive(Debug, Clone)]
pub enum RecordEvent {
    /// Record `n` (line `n`, or item `n` of a JSON array) and its article.
    Article(usize, Article),
    /// A record left out or read with a problem.
    Warning(String),
    /// Record `n` would be an article with this id (from [`read_jsonl_ids`] only).
    Id(usize, String),
}

/// The articles of one JSON Lines file, and a warning for each record left out or read with a problem.
#[derive(Debug, Clone)]
pub struct ParsedRecords {
    pub articles: Vec<Article>,
    pub warnings: Vec<String>,
}

/// Parses the bytes of one JSON Lines (or JSON) file held in memory; `file_id` names records without
/// an id or url. Two records with one id: the later is kept, with a warning naming both.
pub fn parse_jsonl(
    file_id: &str,
    bytes: &[u8],
    fields: &FieldNames,
) -> Result<ParsedRecords, SkipReason> {
    let mut articles: Vec<(usize, Article)> = Vec::new();
    let mut warnings = Vec::new();
    read_jsonl(bytes, file_id, fields, &mut |event| {
        match event {
            RecordEvent::Article(n, a) => {
                if let Some(at) = articles.iter().position(|(_, b)| b.id == a.id) {
                    let (earlier, _) = articles.remove(at);
                    warnings.push(format!(
                        "record {n} has the id '{}' of record {earlier}: the later one is kept",
                        a.id
                    ));
                }
                articles.push((n, a));
            }
            RecordEvent::Warning(w) => warnings.push(w),
            RecordEvent::Id(..) => {}
        }
        true
    })
    .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if articles.is_empty() {
        return Err(if bytes.is_empty() {
            SkipReason::Empty
        } else {
            SkipReason::NoText
        });
    }
    let articles = articles.into_iter().map(|(_, a)| a).collect();
    Ok(ParsedRecords { articles, warnings })
}

/// Reads JSON Lines (or a JSON value, an array of them, or values one after another) from `input`,
/// handing each record's article or warning to `on` in order; `on` returns `false` to stop. Memory
/// is bounded by the longest record, whatever the size of the file. An error is a read error of
/// `input`.
pub fn read_jsonl<R: BufRead>(
    input: R,
    file_id: &str,
    fields: &FieldNames,
    on: &mut dyn FnMut(RecordEvent) -> bool,
) -> std::io::Result<()> {
    read_records(input, file_id, fields, on, false)
}

/// As [`read_jsonl`], handing on only the id of each record that would be an article
/// ([`RecordEvent::Id`]), without warnings: a first pass that finds which records of a file share an
/// id, so that the earlier ones are never indexed.
pub fn read_jsonl_ids<R: BufRead>(
    input: R,
    file_id: &str,
    fields: &FieldNames,
    on: &mut dyn FnMut(RecordEvent) -> bool,
) -> std::io::Result<()> {
    read_records(input, file_id, fields, on, true)
}

fn read_records<R: BufRead>(
    mut input: R,
    file_id: &str,
    fields: &FieldNames,
    on: &mut dyn FnMut(RecordEvent) -> bool,
    ids_only: bool,
) -> std::io::Result<()> {
    let mut reader = Records {
        file_id,
        fields,
        on,
        stopped: false,
        ids_only,
    };
    // The first character says the layout: `[` an array; otherwise a value per line.
    let first = loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if skip < buf.len() {
            let at = &buf[skip..];
            if at.starts_with(b"\xef\xbb\xbf") {
                input.consume(skip + 3);
                continue;
            }
            let first = at[0];
            input.consume(skip);
            break first;
        }
        let n = buf.len();
        input.consume(n);
    };
    if first == b'[' {
        return reader.array(input);
    }
    let mut line: Vec<u8> = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        let (read, complete) = read_line_bounded(&mut input, &mut line, MAX_RECORD_BYTES)?;
        if read == 0 {
            return Ok(());
        }
        n += 1;
        if !complete {
            reader.warn(format!(
                "record {n}: longer than {} MiB; left out",
                MAX_RECORD_BYTES / (1024 * 1024)
            ));
            if reader.stopped {
                return Ok(());
            }
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        if matches!(text, std::borrow::Cow::Owned(_)) {
            reader.warn(format!(
                "record {n}: not valid UTF-8: invalid bytes replaced"
            ));
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => reader.record(n, value),
            // The first line opens a value that goes on over more lines (a pretty-printed `.json`
            // file): the file is read as values one after another.
            Err(e) if n == 1 && e.is_eof() => {
                let rest = std::io::Cursor::new(line.clone()).chain(input);
                return reader.values(rest);
            }
            Err(e) => reader.warn(format!("record {n}: not JSON ({e}); left out")),
        }
        if reader.stopped {
            return Ok(());
        }
    }
}

/// Reads one line into `line` (without its end), keeping at most `max` bytes; returns the bytes
/// consumed and whether the line fit.
fn read_line_bounded<R: BufRead>(
    input: &mut R,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut fits = true;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok((consumed, fits));
        }
        let (chunk, done) = match memchr_newline(buf) {
            Some(i) => (&buf[..i], i + 1),
            None => (buf, 0),
        };
        if fits && line.len() + chunk.len() <= max {
            line.extend_from_slice(chunk);
        } else {
            fits = false;
            line.clear();
        }
        if done > 0 {
            consumed += done;
            input.consume(done);
            return Ok((consumed, fits));
        }
        let n = chunk.len();
        consumed += n;
        input.consume(n);
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

/// The state of one reading: where records go, and whether the receiver asked to stop.
struct Records<'a> {
    file_id: &'a str,
    fields: &'a FieldNames,
    on: &'a mut dyn FnMut(RecordEvent) -> bool,
    stopped: bool,
    /// Only ids are handed on (see [`read_jsonl_ids`]).
    ids_only: bool,
}

impl Records<'_> {
    fn warn(&mut self, message: String) {
        if self.ids_only {
            return;
        }
        if !self.stopped && !(self.on)(RecordEvent::Warning(message)) {
            self.stopped = true;
        }
    }

    fn record(&mut self, n: usize, value: Value) {
        let object = match value {
            Value::Object(o) => o,
            _ => return self.warn(format!("record {n}: not a JSON object; left out")),
        };
        if self.ids_only {
            if string_of(&object, &names(&self.fields.text, &TEXT)).is_some() {
                let id = id_of(&object, self.file_id, n, self.fields);
                if !(self.on)(RecordEvent::Id(n, id)) {
                    self.stopped = true;
                }
            }
            return;
        }
        let mut warnings = Vec::new();
        let article = article_of(&object, self.file_id, n, self.fields, &mut warnings);
        for w in warnings {
            self.warn(w);
        }
        match article {
            Some(a) => {
                if !self.stopped && !(self.on)(RecordEvent::Article(n, a)) {
                    self.stopped = true;
                }
            }
            None => self.warn(format!(
                "record {n}: no text (none of {}); left out",
                names(&self.fields.text, &TEXT).join(", ")
            )),
        }
    }

    /// Values one after another (pretty-printed objects); a value that is not JSON ends the file.
    fn values<R: Read>(&mut self, input: R) -> std::io::Result<()> {
        let stream = serde_json::Deserializer::from_reader(input).into_iter::<Value>();
        for (i, value) in stream.enumerate() {
            match value {
                Ok(Value::Array(items)) if i == 0 => {
                    for (j, v) in items.into_iter().enumerate() {
                        self.record(j + 1, v);
                    }
                }
                Ok(v) => self.record(i + 1, v),
                Err(e) if e.is_io() => return Err(e.into()),
                Err(e) => {
                    self.warn(format!(
                        "record {}: not JSON ({e}); the rest of the file is left out",
                        i + 1
                    ));
                    return Ok(());
                }
            }
            if self.stopped {
                break;
            }
        }
        Ok(())
    }

    /// A JSON array, item by item (an array of any length is never held whole).
    fn array<R: Read>(&mut self, input: R) -> std::io::Result<()> {
        let mut de = serde_json::Deserializer::from_reader(input);
        let result = serde::Deserializer::deserialize_seq(&mut de, ItemsVisitor { records: self });
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.is_io() => Err(e.into()),
            Err(e) => {
                self.warn(format!(
                    "the JSON array breaks off ({e}); the records after it are left out"
                ));
                Ok(())
            }
        }
    }
}

/// Hands each item of a JSON array to [`Records::record`] as it is read.
struct ItemsVisitor<'r, 'a> {
    records: &'r mut Records<'a>,
}

impl<'de> serde::de::Visitor<'de> for ItemsVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of JSON objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            n += 1;
            self.records.record(n, value);
            if self.records.stopped {
                // The rest is not read; the array is left unfinished on purpose.
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn string_of<'a>(object: &'a Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .filter_map(|n| object.get(*n))
        .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))
}

/// The article of one record; `None` when it has no text.
fn article_of(
    object: &Map<String, Value>,
    file_id: &str,
    n: usize,
    fields: &FieldNames,
    warnings: &mut Vec<String>,
) -> Option<Article> {
    let body = string_of(object, &names(&fields.text, &TEXT))?;
    let paragraphs = if body.replace("\r\n", "\n").contains("\n\n") {
        split_paragraphs(body)
    } else {
        body.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    };
    if paragraphs.is_empty() {
        return None;
    }
    let id = id_of(object, file_id, n, fields);
    let date =
        string_of(object, &names(&fields.date, &DATE)).and_then(|value| match record_date(value) {
            Some(d) => Some(d),
            None => {
                warnings.push(format!(
                "record {n}: date '{value}' is not YYYY-MM-DD (with or without a time); undated"
            ));
                None
            }
        });
    let title = string_of(object, &names(&fields.title, &["title"])).and_then(folded);
    let headline = title.clone().unwrap_or_else(|| headline_of(&paragraphs[0]));
    let meta = ArticleMeta {
        title,
        url: string_of(object, &names(&fields.url, &["url"])).and_then(folded),
        source: string_of(object, &names(&fields.source, &SOURCE)).and_then(folded),
        authors: authors_of(object, &names(&fields.authors, &["authors", "author"])),
    }
    .with_source_from_url();
    Some(Article {
        id,
        date,
        headline,
        paragraphs,
        meta,
    })
}

/// Authors as a list of names, or one string (names separated by `,`, `;` or ` and ` are kept whole:
/// a name may hold a comma, "Smith, John").
fn authors_of(object: &Map<String, Value>, names: &[&str]) -> Vec<String> {
    for name in names {
        match object.get(*name) {
            Some(Value::Array(items)) => {
                let list: Vec<String> = items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => folded(s),
                        Value::Object(o) => o.get("name").and_then(|n| n.as_str()).and_then(folded),
                        _ => None,
                    })
                    .collect();
                if !list.is_empty() {
                    return list;
                }
            }
            Some(Value::String(s)) => {
                if let Some(one) = folded(s) {
                    return vec![one];
                }
            }
            Some(Value::Object(o)) => {
                if let Some(one) = o.get("name").and_then(|n| n.as_str()).and_then(folded) {
                    return vec![one];
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

/// A record's id: its `id` (a string or number), else its `url`, else `FILE#N`.
fn id_of(object: &Map<String, Value>, file_id: &str, n: usize, fields: &FieldNames) -> String {
    let id_field = names(&fields.id, &["id"])
        .into_iter()
        .find_map(|name| object.get(name).filter(|v| !v.is_null()));
    match id_field {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(x)) => x.to_string(),
        _ => match string_of(object, &names(&fields.url, &["url"])) {
            Some(url) => url.trim().to_string(),
            None => format!("{file_id}#{n}"),
        },
    }
}

/// The day of a record's date as written: `2023-07-28`, `2023-07-28T14:05:00Z`, `2023-07-28 14:05:00`.
pub(crate) fn record_date(value: &str) -> Option<Date> {
    let value = value.trim();
    let day = date_of_timestamp(value)
        .or_else(|| {
            let (day, time) = value.split_once(' ')?;
            let time_ok = time.len() >= 5 && time.as_bytes()[2] == b':';
            time_ok.then_some(day)
        })
        .unwrap_or(value);
    parse_ymd(day)?.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_articles_with_ids_dates_and_titles() {
        let dump = concat!(
            r#"{"url": "https://example.org/a", "title": "Zinc rises", "maintext": "Zinc rose.\n\nTraders cheered.", "date_publish": "2023-07-28 14:05:00"}"#,
            "\n",
            r#"{"id": 7, "text": "Line one.\nLine two.", "date": "2023-07-29T23:30:00-05:00"}"#,
            "\n\n",
            r#"{"body": "No id here.", "published": "2023-13-01"}"#,
            "\n",
            "not json\n",
            r#"["an", "array"]"#,
            "\n",
            r#"{"title": "Only a title"}"#,
            "\n",
        );
        let parsed =
            parse_jsonl("dump.jsonl", dump.as_bytes(), &FieldNames::default()).expect("parsed");
        let a = &parsed.articles;
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].id, "https://example.org/a");
        assert_eq!(a[0].headline, "Zinc rises");
        assert_eq!(a[0].paragraphs, ["Zinc rose.", "Traders cheered."]);
        assert_eq!(
            a[0].date.map(|d| d.to_string()),
            Some("2023-07-28".to_string())
        );
        assert_eq!(a[1].id, "7");
        assert_eq!(a[1].paragraphs, ["Line one.", "Line two."]);
        assert_eq!(
            a[1].date.map(|d| d.to_string()),
            Some("2023-07-29".to_string())
        );
        assert_eq!(a[2].id, "dump.jsonl#4");
        assert_eq!(a[2].date, None);
        let w = parsed.warnings.join("\n");
        assert!(w.contains("record 4: date '2023-13-01'"), "{w}");
        assert!(w.contains("record 5: not JSON"), "{w}");
        assert!(w.contains("record 6: not a JSON object"), "{w}");
        assert!(w.contains("record 7: no text"), "{w}");
    }

    #[test]
    fn a_json_file_may_hold_one_object_or_an_array() {
        let one = "{\n  \"title\": \"T\",\n  \"text\": \"Zinc.\"\n}\n";
        let parsed = parse_jsonl("one.json", one.as_bytes(), &FieldNames::default()).expect("one");
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.articles[0].id, "one.json#1");
        let array = r#"[{"text": "A."}, {"text": "B."}]"#;
        let parsed =
            parse_jsonl("many.json", array.as_bytes(), &FieldNames::default()).expect("array");
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["many.json#1", "many.json#2"]);
        let twice = "{\"id\": \"x\", \"text\": \"Old.\"}\n{\"id\": \"y\", \"text\": \"Y.\"}\n{\"id\": \"x\", \"text\": \"New.\"}";
        let parsed =
            parse_jsonl("twice.jsonl", twice.as_bytes(), &FieldNames::default()).expect("twice");
        let kept: Vec<(&str, &str)> = parsed
            .articles
            .iter()
            .map(|a| (a.id.as_str(), a.paragraphs[0].as_str()))
            .collect();
        assert_eq!(kept, [("y", "Y."), ("x", "New.")]);
        assert!(parsed.warnings[0].contains("record 3 has the id 'x' of record 1"));
        assert_eq!(
            parse_jsonl("e.jsonl", b"", &FieldNames::default()).err(),
            Some(SkipReason::Empty)
        );
        assert_eq!(
            parse_jsonl("x.jsonl", b"nope\n", &FieldNames::default()).err(),
            Some(SkipReason::NoText)
        );
    }

    #[test]
    fn named_fields_come_first() {
        let mut fields = FieldNames::default();
        assert!(fields.set("text", "article_body"));
        assert!(fields.set("id", "guid"));
        assert!(!fields.set("colour", "x"));
        let dump = r#"{"guid": "g-1", "article_body": "Zinc.", "text": "Not this."}"#;
        let parsed = parse_jsonl("d.jsonl", dump.as_bytes(), &fields).expect("parsed");
        assert_eq!(parsed.articles[0].id, "g-1");
        assert_eq!(parsed.articles[0].paragraphs, ["Zinc."]);
    }
}

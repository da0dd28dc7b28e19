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

use serde_json::{Map, Value};
use time::Date;

use super::article::{headline_of, Article, SkipReason};
use super::text_format::{parse_ymd, split_paragraphs};
use crate::text::dates::date_of_timestamp;

const TEXT: [&str; 4] = ["text", "maintext", "body", "content"];
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
}

impl FieldNames {
    /// Sets the field for `part` (`text`, `title`, `date`, `id` or `url`); `false` for another part.
    pub fn set(&mut self, part: &str, name: &str) -> bool {
        let slot = match part {
            "text" => &mut self.text,
            "title" => &mut self.title,
            "date" => &mut self.date,
            "id" => &mut self.id,
            "url" => &mut self.url,
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

/// The articles of one JSON Lines file, and a warning for each record left out or read with a problem.
#[derive(Debug, Clone)]
pub struct ParsedRecords {
    pub articles: Vec<Article>,
    pub warnings: Vec<String>,
}

/// Parses the bytes of one JSON Lines (or JSON) file; `file_id` names records without an id or url.
pub fn parse_jsonl(
    file_id: &str,
    bytes: &[u8],
    fields: &FieldNames,
) -> Result<ParsedRecords, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut warnings = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            warnings.push("not valid UTF-8: invalid bytes replaced".to_string());
            String::from_utf8_lossy(bytes)
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    // A file that is one JSON value (a `.json` file of one object, perhaps over many lines, or an
    // array of them): its records are numbered from 1. Otherwise one value per line.
    let records: Vec<(usize, Result<Value, String>)> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i + 1, Ok(v)))
            .collect(),
        Ok(v @ Value::Object(_)) => vec![(1, Ok(v))],
        _ => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                (
                    i + 1,
                    serde_json::from_str::<Value>(l).map_err(|e| e.to_string()),
                )
            })
            .collect(),
    };
    let mut articles: Vec<(usize, Article)> = Vec::new();
    for (n, record) in records {
        let object = match record {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                warnings.push(format!("record {n}: not a JSON object; left out"));
                continue;
            }
            Err(e) => {
                warnings.push(format!("record {n}: not JSON ({e}); left out"));
                continue;
            }
        };
        match article_of(&object, file_id, n, fields, &mut warnings) {
            Some(a) => {
                // Two records with one id: the later one is kept.
                if let Some(at) = articles
                    .iter()
                    .position(|(_, b): &(usize, Article)| b.id == a.id)
                {
                    let (earlier, _) = articles.remove(at);
                    warnings.push(format!(
                        "record {n} has the id '{}' of record {earlier}: the later one is kept",
                        a.id
                    ));
                }
                articles.push((n, a));
            }
            None => warnings.push(format!(
                "record {n}: no text (none of {}); left out",
                names(&fields.text, &TEXT).join(", ")
            )),
        }
    }
    if articles.is_empty() {
        return Err(SkipReason::NoText);
    }
    let articles = articles.into_iter().map(|(_, a)| a).collect();
    Ok(ParsedRecords { articles, warnings })
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
    let id_field = names(&fields.id, &["id"])
        .into_iter()
        .find_map(|name| object.get(name).filter(|v| !v.is_null()));
    let id = match id_field {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(x)) => x.to_string(),
        _ => match string_of(object, &names(&fields.url, &["url"])) {
            Some(url) => url.trim().to_string(),
            None => format!("{file_id}#{n}"),
        },
    };
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
    let headline = match string_of(object, &names(&fields.title, &["title"])) {
        Some(title) => title.split_whitespace().collect::<Vec<_>>().join(" "),
        None => headline_of(&paragraphs[0]),
    };
    Some(Article {
        id,
        date,
        headline,
        paragraphs,
    })
}

/// The day of a record's date as written: `2023-07-28`, `2023-07-28T14:05:00Z`, `2023-07-28 14:05:00`.
fn record_date(value: &str) -> Option<Date> {
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

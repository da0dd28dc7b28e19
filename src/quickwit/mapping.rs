//! What a dateline index looks like in Quickwit: the index config (doc mapping) and the documents.
//!
//! Quickwit has neither dateline's analyzer nor ASCII folding, so dateline sends its own analysed
//! tokens: each text is sent as space-joined stems and exact forms into fields with Quickwit's
//! `whitespace` tokenizer (positions recorded), and the original text in a stored field that is not
//! indexed. A hyphenated pair (`al-Qaida`) gives dateline a joined token (`alqaida`) at the first
//! word's place, which a whitespace field cannot hold beside the word: the joined tokens go to a
//! second field (`stem_j`) where each takes its first word's place, so phrases match there as they
//! do in the local index.
//!
//! Three kinds of documents share the index (`kind`): a passage (`p`), an article (`a`: all its
//! passages' tokens, with [`GAP`] filler tokens between passages so that no phrase spans two of
//! them, for queries that hold for whole articles) and a push manifest (`m`, see
//! [`super::push`]). Every document carries its push generation (`gen`) and `av`, its article and
//! generation, which searches filter on while Quickwit has not yet applied the deletes of older
//! versions.
//!
//! The timestamp is required by Quickwit: an undated article carries the epoch (1970-01-01) with
//! `dated: 0`, and every date filter and timeline also asks for `dated:1`.

use serde_json::{json, Map, Value};
use tantivy::tokenizer::TextAnalyzer;

use crate::index::schema::{exact_analyzer, stem_analyzer};
use crate::search::parse::MAX_SLOP;

/// Filler tokens between two passages of an article document: more than the largest phrase slop, so
/// that no phrase or proximity matches across passages.
pub const GAP: usize = MAX_SLOP as usize + 1;

/// The filler token (dateline's analyzer never gives it: it keeps letters and digits only).
pub const FILLER: &str = "|";

/// Version of the doc mapping: a push to an index of another version is refused.
pub const MAPPING_VERSION: u64 = 1;

/// Field names in Quickwit.
pub mod fields {
    pub const KIND: &str = "kind";
    pub const ARTICLE: &str = "article";
    pub const AV: &str = "av";
    pub const GEN: &str = "gen";
    pub const KEY: &str = "key";
    pub const PASSAGE: &str = "passage";
    pub const PARAGRAPH: &str = "paragraph";
    pub const TIMESTAMP: &str = "timestamp";
    pub const DATED: &str = "dated";
    pub const HEADLINE: &str = "headline";
    pub const TITLE: &str = "title";
    pub const URL: &str = "url";
    pub const SOURCE: &str = "source";
    pub const SOURCE_KEY: &str = "source_key";
    pub const AUTHORS: &str = "authors";
    pub const STORY: &str = "story";
    pub const TEXT: &str = "text";
    pub const PASSAGES: &str = "passages";
    pub const MANIFEST: &str = "manifest";
    pub const MAPPING: &str = "dateline_mapping";
    /// The analysed text groups: each is a field and its `_j` twin (see the module docs).
    pub const STEM: &str = "stem";
    pub const EXACT: &str = "exact";
    pub const HEAD_STEM: &str = "head_stem";
    pub const HEAD_EXACT: &str = "head_exact";
    pub const LEDE_STEM: &str = "lede_stem";
    pub const LEDE_EXACT: &str = "lede_exact";
    pub const GROUPS: [&str; 6] = [STEM, EXACT, HEAD_STEM, HEAD_EXACT, LEDE_STEM, LEDE_EXACT];
}

/// Document kinds.
pub const PASSAGE_KIND: &str = "p";
pub const ARTICLE_KIND: &str = "a";
pub const MANIFEST_KIND: &str = "m";

/// The Quickwit index config for `index_id`.
pub fn index_config(index_id: &str) -> Value {
    let raw = |name: &str, stored: bool, fast: bool| {
        json!({"name": name, "type": "text", "tokenizer": "raw", "record": "basic",
               "stored": stored, "fast": fast})
    };
    let number = |name: &str, stored: bool, fast: bool| json!({"name": name, "type": "u64", "indexed": true, "stored": stored, "fast": fast});
    let stored_text =
        |name: &str| json!({"name": name, "type": "text", "indexed": false, "stored": true});
    let mut mappings = vec![
        raw(fields::KIND, true, false),
        // Fast: distinct articles are counted by a terms aggregation on the id.
        raw(fields::ARTICLE, true, true),
        raw(fields::AV, false, false),
        number(fields::GEN, true, true),
        number(fields::KEY, false, true),
        number(fields::PASSAGE, true, true),
        json!({"name": fields::PARAGRAPH, "type": "u64", "indexed": false, "stored": true}),
        json!({"name": fields::TIMESTAMP, "type": "datetime", "input_formats": ["rfc3339"],
               "output_format": "unix_timestamp_secs", "fast_precision": "seconds",
               "indexed": true, "stored": true, "fast": true}),
        number(fields::DATED, true, true),
        stored_text(fields::HEADLINE),
        stored_text(fields::TITLE),
        stored_text(fields::URL),
        stored_text(fields::SOURCE),
        raw(fields::SOURCE_KEY, false, false),
        json!({"name": fields::AUTHORS, "type": "array<text>", "indexed": false, "stored": true}),
        json!({"name": fields::STORY, "type": "text", "tokenizer": "raw", "record": "basic",
               "stored": true, "fast": true}),
        stored_text(fields::TEXT),
        json!({"name": fields::PASSAGES, "type": "u64", "indexed": false, "stored": true}),
        stored_text(fields::MANIFEST),
        json!({"name": fields::MAPPING, "type": "u64", "indexed": true, "stored": true}),
    ];
    for group in fields::GROUPS {
        for name in [group.to_string(), format!("{group}_j")] {
            mappings.push(
                json!({"name": name, "type": "text", "tokenizer": "whitespace",
                                 "record": "position", "fieldnorms": true, "stored": false}),
            );
        }
    }
    json!({
        "version": "0.8",
        "index_id": index_id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": mappings,
            "timestamp_field": fields::TIMESTAMP,
        },
        "search_settings": {"default_search_fields": [fields::STEM]},
        "indexing_settings": {"commit_timeout_secs": 5},
    })
}

/// Whether an index config (as Quickwit answers it) is one that dateline made, of this version.
pub fn is_dateline_mapping(config: &Value) -> bool {
    let mappings = config
        .pointer("/index_config/doc_mapping/field_mappings")
        .or_else(|| config.pointer("/doc_mapping/field_mappings"))
        .and_then(Value::as_array);
    let names: Vec<&str> = mappings
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("name").and_then(Value::as_str))
        .collect();
    [
        fields::KIND,
        fields::AV,
        fields::GEN,
        fields::MAPPING,
        "stem_j",
    ]
    .iter()
    .all(|n| names.contains(n))
}

/// A text's tokens as whitespace-tokenized strings: the words in order, and (when the text has
/// hyphenated pairs) the same with each pair's first word replaced by the joined word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streams {
    pub words: Vec<String>,
    pub joined: Option<Vec<String>>,
}

/// The analyzers whose tokens are sent.
pub struct Analyzers {
    stem: TextAnalyzer,
    exact: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Analyzers {
        Analyzers {
            stem: stem_analyzer(),
            exact: exact_analyzer(),
        }
    }
}

impl Analyzers {
    /// The stemmed and the exact streams of `text`.
    pub fn streams(&mut self, text: &str) -> (Streams, Streams) {
        (
            streams_of(&mut self.stem, text),
            streams_of(&mut self.exact, text),
        )
    }
}

fn streams_of(analyzer: &mut TextAnalyzer, text: &str) -> Streams {
    let mut words: Vec<String> = Vec::new();
    let mut joins: Vec<(usize, String)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(tok) = stream.next() {
        if tok.position_length > 1 {
            joins.push((tok.position, tok.text.clone()));
        } else {
            words.push(tok.text.clone());
        }
    }
    let joined = (!joins.is_empty()).then(|| {
        let mut j = words.clone();
        for (pos, text) in joins {
            if let Some(slot) = j.get_mut(pos) {
                *slot = text;
            }
        }
        j
    });
    Streams { words, joined }
}

/// Streams of several passages joined into one, [`GAP`] fillers between them. The joined-word stream
/// holds only the passages that have hyphenated pairs (its positions need not follow the words':
/// a phrase is looked up in one field at a time).
pub fn join_streams(parts: &[&Streams]) -> Streams {
    let gap: Vec<String> = vec![FILLER.to_string(); GAP];
    let mut words = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            words.extend(gap.iter().cloned());
        }
        words.extend(p.words.iter().cloned());
    }
    let mut joined: Vec<String> = Vec::new();
    for j in parts.iter().filter_map(|p| p.joined.as_ref()) {
        if !joined.is_empty() {
            joined.extend(gap.iter().cloned());
        }
        joined.extend(j.iter().cloned());
    }
    Streams {
        words,
        joined: (!joined.is_empty()).then_some(joined),
    }
}

/// Puts a group's two fields into a document (nothing for an empty text).
pub fn put_group(doc: &mut Map<String, Value>, group: &str, s: &Streams) {
    if s.words.is_empty() {
        return;
    }
    doc.insert(group.to_string(), Value::String(s.words.join(" ")));
    if let Some(j) = &s.joined {
        doc.insert(format!("{group}_j"), Value::String(j.join(" ")));
    }
}

/// The timestamp and `dated` of a day (seconds since the epoch), or of an undated article.
pub fn timestamp_of(day_secs: Option<i64>) -> (String, u64) {
    match day_secs.and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok()) {
        Some(t) => (rfc3339(t), 1),
        None => ("1970-01-01T00:00:00Z".to_string(), 0),
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `article@gen`: what a search filters stale versions by.
pub fn av(article: &str, gen: u64) -> String {
    format!("{article}@{gen}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_pairs_keep_word_positions_in_both_streams() {
        let mut a = Analyzers::default();
        let (stem, exact) = a.streams("The al-Qaida leaders spoke.");
        assert_eq!(exact.words, vec!["the", "al", "qaida", "leaders", "spoke"]);
        assert_eq!(
            exact.joined,
            Some(
                vec!["the", "alqaida", "qaida", "leaders", "spoke"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        assert_eq!(stem.words[3], "leader");
        let (plain, _) = a.streams("No pairs here");
        assert_eq!(plain.joined, None);
    }

    #[test]
    fn passages_of_an_article_are_kept_apart_by_more_than_any_slop() {
        let one = Streams {
            words: vec!["a".into()],
            joined: None,
        };
        let two = Streams {
            words: vec!["b".into(), "c".into()],
            joined: Some(vec!["bc".into(), "c".into()]),
        };
        let s = join_streams(&[&one, &two, &two]);
        assert_eq!(s.words.len(), 5 + 2 * GAP);
        assert_eq!(s.words.iter().position(|w| w == "b"), Some(GAP + 1));
        // The joined words of the passages that have some, apart.
        let j = s.joined.expect("joined");
        assert_eq!(j.len(), 4 + GAP);
        assert_eq!((j[0].as_str(), j[GAP + 2].as_str()), ("bc", "bc"));
    }

    #[test]
    fn undated_articles_carry_the_epoch_and_dated_zero() {
        assert_eq!(timestamp_of(None), ("1970-01-01T00:00:00Z".to_string(), 0));
        assert_eq!(
            timestamp_of(Some(544_665_600)),
            ("1987-04-06T00:00:00Z".to_string(), 1)
        );
        assert_eq!(timestamp_of(Some(-2_208_988_800)).0, "1900-01-01T00:00:00Z");
    }

    #[test]
    fn the_config_is_recognised_as_dateline_s() {
        let config = index_config("news");
        assert!(is_dateline_mapping(&config));
        assert!(!is_dateline_mapping(
            &json!({"doc_mapping": {"field_mappings": []}})
        ));
    }
}

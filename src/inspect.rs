//! Reading whole articles back from the index (`show`) and describing an index (`info`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::Term;

use crate::error::{Error, Result};
use crate::schema::{names, CorpusRoot, SCHEMA_VERSION};
use crate::search::{format_day, Engine};

/// An article rebuilt from its passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredArticle {
    pub article: String,
    pub date: Option<String>,
    pub headline: String,
    /// Paragraphs as in the file, whitespace folded.
    pub paragraphs: Vec<String>,
}

/// What `info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    pub index: String,
    pub articles: u64,
    pub passages: u64,
    pub undated_articles: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub size_bytes: u64,
    pub segments: usize,
    pub schema_version: u32,
    pub roots: Vec<CorpusRoot>,
    pub last_indexed: Option<String>,
    /// Problems seen without reading the whole index (`dateline verify` reads it all).
    pub problems: Vec<String>,
}

impl Engine {
    /// Rebuilds an article from the index; an unknown id is an error carrying the closest ids.
    pub fn article(&self, id: &str) -> Result<StoredArticle> {
        let fields = *self.fields();
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_text(fields.article, id),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        if addresses.is_empty() {
            return Err(Error::UnknownArticle {
                id: id.to_string(),
                suggestions: self.closest_ids(id, 3)?,
            });
        }
        let mut passages: Vec<(u64, u64, String, TantivyDocument)> =
            Vec::with_capacity(addresses.len());
        for addr in addresses {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let num = |f| doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0);
            let (passage, paragraph) = (num(fields.passage), num(fields.paragraph));
            let text = doc
                .get_first(fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            passages.push((passage, paragraph, text, doc));
        }
        passages.sort_by_key(|p| p.0);
        let first = &passages[0].3;
        let headline = first
            .get_first(fields.headline)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let date = first
            .get_first(fields.date)
            .and_then(|v| v.as_datetime())
            .and_then(|d| format_day(d.into_timestamp_secs()));
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current = None;
        for (_, paragraph, text, _) in passages {
            match paragraphs.last_mut() {
                Some(last) if current == Some(paragraph) => {
                    last.push(' ');
                    last.push_str(&text);
                }
                _ => paragraphs.push(text),
            }
            current = Some(paragraph);
        }
        Ok(StoredArticle {
            article: id.to_string(),
            date,
            headline,
            paragraphs,
        })
    }

    /// Up to `n` article ids close to `id`: ids ending with it, then ids holding its file name, then
    /// ids within a few edits.
    pub fn closest_ids(&self, id: &str, n: usize) -> Result<Vec<String>> {
        if id.trim().is_empty() {
            return Ok(Vec::new());
        }
        let field = self.fields().article;
        let name = id.rsplit('/').next().unwrap_or(id);
        let stem = name.split('.').next().unwrap_or(name).to_lowercase();
        let max_edits = 4.max(id.len() / 3);
        let mut scored: BTreeMap<(usize, String), ()> = BTreeMap::new();
        for segment in self.searcher().segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let rank = if candidate.ends_with(id) {
                    0
                } else if stem.len() >= 3 && candidate.to_lowercase().contains(&stem) {
                    1
                } else {
                    let d = strsim::levenshtein(candidate, id);
                    if d > max_edits {
                        continue;
                    }
                    2 + d
                };
                scored.insert((rank, candidate.to_string()), ());
                if scored.len() > n {
                    scored.pop_last();
                }
            }
        }
        Ok(scored.into_keys().map(|(_, s)| s).collect())
    }

    /// Counts and facts about the index.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.searcher();
        let (mut articles, mut undated) = (0u64, 0u64);
        let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let dates = ff.date(names::DATE)?;
            let passages = ff.u64(names::PASSAGE)?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let date = dates.first(doc).map(|d| d.into_timestamp_secs());
                if passages.first(doc) == Some(1) {
                    articles += 1;
                    undated += u64::from(date.is_none());
                }
                if let Some(d) = date {
                    first = Some(first.map_or(d, |f| f.min(d)));
                    last = Some(last.map_or(d, |l| l.max(d)));
                }
            }
        }
        let meta = &self.handle.meta;
        Ok(IndexStats {
            index: self.handle.path.display().to_string(),
            articles,
            passages: searcher.num_docs(),
            undated_articles: undated,
            first_date: first.and_then(format_day),
            last_date: last.and_then(format_day),
            size_bytes: dir_size(&self.handle.path),
            segments: searcher.segment_readers().len(),
            schema_version: SCHEMA_VERSION,
            roots: meta.roots.clone(),
            last_indexed: meta.last_indexed.clone(),
            problems: crate::verify::quick_problems(&self.handle),
        })
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

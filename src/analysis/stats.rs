//! Counts and facts about an index, for `info`: articles, passages, undated articles, first and last
//! dates, size on disk, segments, corpus roots, and the problems visible without reading it all.

use std::path::Path;

use crate::error::Result;
use crate::index::reader::Reader;
use crate::index::schema::{names, SCHEMA_VERSION};
use crate::index::verify::quick_problems;
use crate::index::CorpusRoot;
use crate::text::dates::format_day;

/// What `info` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// How many sources the articles name.
    pub sources: u64,
    /// The sources with most articles (at most [`TOP_SOURCES`]), with their article counts.
    pub top_sources: Vec<(String, u64)>,
    /// Stories: articles with their copies counted once.
    pub stories: u64,
    /// Articles that are copies of another article's story (`articles - stories`).
    pub copies: u64,
}

/// Sources listed by `info`.
pub const TOP_SOURCES: usize = 10;

/// Counts and facts about the index.
pub fn stats(reader: &Reader) -> Result<IndexStats> {
    let searcher = reader.searcher();
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
    let meta = &reader.handle.meta;
    let mut top_sources = reader.source_counts()?;
    let sources = top_sources.len() as u64;
    top_sources.truncate(TOP_SOURCES);
    let groups = reader.stories();
    let copies = (groups.grouped_articles() as u64).saturating_sub(groups.shared().len() as u64);
    Ok(IndexStats {
        index: reader.handle.path.display().to_string(),
        articles,
        passages: searcher.num_docs(),
        undated_articles: undated,
        first_date: first.and_then(format_day),
        last_date: last.and_then(format_day),
        size_bytes: dir_size(&reader.handle.path),
        segments: searcher.segment_readers().len(),
        schema_version: SCHEMA_VERSION,
        roots: meta.roots.clone(),
        last_indexed: meta.last_indexed.clone(),
        problems: quick_problems(&reader.handle),
        sources,
        top_sources,
        stories: articles.saturating_sub(copies),
        copies,
    })
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

//! Searching: a [`SearchRequest`] becomes a tantivy query with the date filter inside it; every match is
//! collected as a small record (score, date, article, passage, address), ranked and grouped by article,
//! and the texts of the hits to print are read from the index one at a time.
//!
//! The steps, one module each: [`parse`] the query language, [`compile`](mod@compile) it for tantivy, filter by
//! [`date_filter`], gather matches with the collectors, order them by [`ranking`], and mark the
//! words found with [`highlight`]; when nothing is found, [`suggest`] names the words the index lacks.

mod collectors;
pub mod compile;
pub mod date_filter;
pub mod highlight;
pub mod parse;
pub mod ranking;
pub mod suggest;

use std::collections::HashSet;

use tantivy::schema::{TantivyDocument, Value};
use tantivy::Searcher;

use self::collectors::{AllMatches, HitRef, Totals};
pub use self::compile::{compile, CompiledQuery, MatchMode, QueryOptions};
use self::date_filter::within_dates;
use self::highlight::{expand_terms, Highlighter};
use self::ranking::{rank, top_refs};
pub use self::ranking::{Ranking, SortOrder};
use crate::error::Result;
use crate::index::reader::Reader;
use crate::index::schema::Fields;
use crate::text::dates::{format_day, DateRange};

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub dates: DateRange,
    /// Most hits to return; `None` for all.
    pub limit: Option<usize>,
    /// Most passages per article; 0 for no limit (passages are then ranked on their own).
    pub per_article: usize,
    pub sort: SortOrder,
    /// Whether all words or any word must match.
    pub match_mode: MatchMode,
    /// Weights of the ranking signals.
    pub ranking: Ranking,
    /// Every unquoted word is fuzzy (`word~`).
    pub fuzzy: bool,
    /// Count every match for [`SearchResults::counts`]. Counting visits every matching passage, which
    /// costs more than finding the top few: leave it off when the totals are not shown.
    pub count: bool,
}

impl SearchRequest {
    /// A request for the top 10 passages of `query`, one per article, by relevance.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            dates: DateRange::default(),
            limit: Some(10),
            per_article: 1,
            sort: SortOrder::Relevance,
            match_mode: MatchMode::All,
            ranking: Ranking::default(),
            fuzzy: false,
            count: true,
        }
    }
}

/// One hit: a passage, its article's facts, and its snippet with the matches marked (byte ranges).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article: String,
    pub date: Option<String>,
    pub passage: u64,
    pub headline: String,
    pub text: String,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Runs a search. Hit texts are read lazily by [`SearchResults::hits`].
pub fn search(reader: &Reader, request: &SearchRequest) -> Result<SearchResults> {
    let fields = *reader.fields();
    let options = QueryOptions {
        match_mode: request.match_mode,
        ranking: request.ranking,
        fuzzy: request.fuzzy,
    };
    let compiled = compile(&request.query, &fields, options)?;
    let searcher = reader.searcher();
    let query = within_dates(
        compiled.query,
        &fields,
        reader.date_bounds(),
        &request.dates,
    );
    let top_only = request.sort == SortOrder::Relevance && request.per_article <= 1;
    let (refs, counts) = match request.limit {
        Some(n) if top_only => {
            // Two cheap passes beat one expensive one: counting needs no scores, and the top-N
            // collector can skip blocks that cannot make the cut.
            let counts = if request.count {
                let (passages, articles) = searcher.search(query.as_ref(), &Totals)?;
                Some(MatchCounts { passages, articles })
            } else {
                None
            };
            let refs = top_refs(reader, query.as_ref(), n, compiled.lede_boost, request)?;
            (refs, counts)
        }
        _ => {
            let collector = AllMatches {
                reader,
                lede_boost: compiled.lede_boost,
            };
            let all = searcher.search(query.as_ref(), &collector)?;
            let counts = MatchCounts {
                passages: all.len() as u64,
                articles: all.iter().map(|h| &h.article).collect::<HashSet<_>>().len() as u64,
            };
            (rank(all, request), Some(counts))
        }
    };
    let highlight = expand_terms(&searcher, &fields, compiled.highlight)?;
    Ok(SearchResults {
        searcher,
        fields,
        refs,
        counts,
        highlighter: Highlighter::new(highlight),
    })
}

/// How many passages and articles match a search (within its date range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchCounts {
    /// Every matching passage.
    pub passages: u64,
    /// Every article with a matching passage.
    pub articles: u64,
}

/// The outcome of a search: totals, and the ranked hits to read.
pub struct SearchResults {
    searcher: Searcher,
    fields: Fields,
    refs: Vec<HitRef>,
    /// How many passages and articles match, when counted (see [`SearchRequest::count`]).
    pub counts: Option<MatchCounts>,
    highlighter: Highlighter,
}

impl SearchResults {
    /// How many hits [`SearchResults::hits`] yields.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    /// Article ids of the hits in order, without reading any stored text.
    pub fn articles(&self) -> impl Iterator<Item = &str> + '_ {
        self.refs.iter().map(|r| r.article.as_ref())
    }

    /// The hits in order, each read from the index when asked for.
    pub fn hits(&self) -> impl Iterator<Item = Result<Hit>> + '_ {
        let mut highlighter = self.highlighter.clone();
        self.refs.iter().enumerate().map(move |(i, r)| {
            let doc: TantivyDocument = self.searcher.doc(r.address)?;
            let text = doc
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let headline = doc
                .get_first(self.fields.headline)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let snippet = highlighter.snippet(&text);
            Ok(Hit {
                rank: i + 1,
                score: r.score,
                article: r.article.to_string(),
                date: r.date.and_then(format_day),
                passage: r.passage,
                headline,
                text,
                snippet: snippet.text,
                highlights: snippet.highlights,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::documents::article_documents;
    use crate::index::DatelineIndex;
    use crate::ingest::parse_article;

    /// The seed article in an in-memory index.
    fn seed_reader() -> Reader {
        let handle = DatelineIndex::create_in_ram();
        let bytes = include_bytes!("../../corpus/000_f0500d7e2cbed4d9.txt");
        let parsed = parse_article("seed.txt", "seed.txt", bytes).expect("seed parses");
        let mut writer: tantivy::IndexWriter = handle
            .index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for doc in article_documents(&parsed.article, &handle.fields) {
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        Reader::from_handle(handle).expect("reader")
    }

    #[test]
    fn curly_apostrophe_possessive_is_found_by_the_bare_name() {
        let reader = seed_reader();
        let mut request = SearchRequest::new("Niger");
        request.limit = None;
        request.per_article = 0;
        let results = search(&reader, &request).expect("search");
        let hits: Vec<Hit> = results.hits().collect::<Result<_>>().expect("hits");
        let possessive = hits
            .iter()
            .find(|h| h.text.starts_with("Various factions of Niger’s military"))
            .expect("the Niger’s passage is found");
        let marked: Vec<&str> = possessive
            .highlights
            .iter()
            .map(|&(a, b)| &possessive.snippet[a..b])
            .collect();
        assert_eq!(marked, vec!["Niger"]);
        let counts = results.counts.expect("counted");
        assert_eq!(counts.articles, 1);
        assert_eq!(hits.len() as u64, counts.passages);
    }

    #[test]
    fn date_filter_is_inclusive_of_the_article_day() {
        let reader = seed_reader();
        let count = |since: &str, until: &str| {
            let mut request = SearchRequest::new("Niger");
            request.dates =
                crate::text::dates::parse_range(Some(since), Some(until), None).expect("range");
            let counts = search(&reader, &request).expect("search").counts;
            counts.map_or(0, |c| c.passages)
        };
        assert!(count("2023-07-28", "2023-07-28") > 0);
        assert_eq!(count("2023-07-29", "2023-08"), 0);
        assert_eq!(count("2023-01", "2023-07-27"), 0);
    }
}

//! Searching: a [`SearchRequest`] becomes a tantivy query with the date filter inside it; every match is
//! collected as a small record (score, date, article, passage, address), ranked and grouped by article,
//! and the texts of the hits to print are read from the index one at a time.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::{FuzzyTermQuery, Query};
use tantivy::schema::{TantivyDocument, Value};
use tantivy::{
    DateTime, DocAddress, DocId, IndexReader, ReloadPolicy, Score, Searcher, SegmentOrdinal,
    SegmentReader, Term,
};
use time::Date;

use crate::date_filter::within_dates;
use crate::dates::DateRange;
use crate::error::Result;
use crate::query::{compile, HighlightTerms, MatchMode, QueryOptions, Ranking};
use crate::schema::{names, DatelineIndex, Fields};
use crate::snippet::Highlighter;

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Best score first.
    #[default]
    Relevance,
    /// Latest date first (undated last).
    Newest,
    /// Earliest date first (undated last).
    Oldest,
}

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

/// One hit, as printed (and as read back from `--format json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The small record kept for every match.
#[derive(Debug, Clone)]
struct HitRef {
    score: Score,
    /// Seconds since the epoch, `None` when undated.
    date: Option<i64>,
    article: Arc<str>,
    passage: u64,
    address: DocAddress,
}

/// An open index ready to search.
pub struct Engine {
    pub handle: DatelineIndex,
    /// The searcher of the opened commit (the reader is never reloaded).
    searcher: Searcher,
    /// Fast-field columns of each segment, opened on first use (opening them for every search was
    /// a sixth of a top-10 search).
    columns: Vec<OnceLock<Arc<SegmentColumns>>>,
    /// Earliest and latest dates in the index.
    date_bounds: OnceLock<Option<(Date, Date)>>,
}

/// The fast-field columns a search reads for each match.
struct SegmentColumns {
    dates: Column<DateTime>,
    passages: Column<u64>,
    articles: Option<StrColumn>,
}

impl SegmentColumns {
    fn open(reader: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let ff = reader.fast_fields();
        Ok(SegmentColumns {
            dates: ff.date(names::DATE)?,
            passages: ff.u64(names::PASSAGE)?,
            articles: ff.str(names::ARTICLE)?,
        })
    }
}

impl Engine {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<Engine> {
        Self::from_handle(DatelineIndex::open(dir)?)
    }

    /// Wraps an already opened index.
    pub fn from_handle(handle: DatelineIndex) -> Result<Engine> {
        let reader: IndexReader = handle
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|_| OnceLock::new())
            .collect();
        Ok(Engine {
            handle,
            searcher,
            columns,
            date_bounds: OnceLock::new(),
        })
    }

    /// The columns of segment `ord`, opened once.
    fn segment_columns(&self, ord: SegmentOrdinal) -> tantivy::Result<Arc<SegmentColumns>> {
        let slot = self
            .columns
            .get(ord as usize)
            .ok_or_else(|| tantivy::TantivyError::InternalError(format!("no segment {ord}")))?;
        if let Some(c) = slot.get() {
            return Ok(c.clone());
        }
        let opened = Arc::new(SegmentColumns::open(self.searcher.segment_reader(ord))?);
        Ok(slot.get_or_init(|| opened).clone())
    }

    /// The earliest and latest dates in the index, `None` when nothing is dated.
    pub fn date_bounds(&self) -> Option<(Date, Date)> {
        *self.date_bounds.get_or_init(|| {
            let mut bounds: Option<(DateTime, DateTime)> = None;
            for ord in 0..self.columns.len() {
                let Ok(cols) = self.segment_columns(ord as SegmentOrdinal) else {
                    continue;
                };
                if cols.dates.values.num_vals() == 0 {
                    continue;
                }
                let (lo, hi) = (cols.dates.min_value(), cols.dates.max_value());
                bounds = Some(match bounds {
                    Some((a, b)) => (a.min(lo), b.max(hi)),
                    None => (lo, hi),
                });
            }
            let day = |d: DateTime| {
                time::OffsetDateTime::from_unix_timestamp(d.into_timestamp_secs())
                    .ok()
                    .map(|t| t.date())
            };
            bounds.and_then(|(lo, hi)| Some((day(lo)?, day(hi)?)))
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.handle.fields
    }

    pub fn searcher(&self) -> Searcher {
        self.searcher.clone()
    }

    /// Runs a search. Every match is counted; hit texts are read lazily by [`SearchResults::hits`].
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let fields = self.handle.fields;
        let options = QueryOptions {
            match_mode: request.match_mode,
            ranking: request.ranking,
            fuzzy: request.fuzzy,
        };
        let compiled = compile(&request.query, &fields, options)?;
        let searcher = self.searcher();
        let query = within_dates(compiled.query, &fields, self.date_bounds(), &request.dates);
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
                let refs = self.top_refs(query.as_ref(), n, compiled.lede_boost, request)?;
                (refs, counts)
            }
            _ => {
                let collector = AllMatches {
                    engine: self,
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
}

/// Most words one fuzzy word or prefix adds to the highlighted terms.
const MAX_EXPANSIONS: usize = 512;

/// Adds to the exact highlight terms the words of the index that fuzzy words and prefixes matched:
/// tantivy's snippets do not highlight them, so they are looked up in the exact field's dictionary.
fn expand_terms(
    searcher: &Searcher,
    fields: &Fields,
    mut terms: HighlightTerms,
) -> Result<HighlightTerms> {
    if terms.fuzzy.is_empty() && terms.prefixes.is_empty() {
        return Ok(terms);
    }
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.exact)?;
        for (word, distance) in &terms.fuzzy {
            let query =
                FuzzyTermQuery::new(Term::from_field_text(fields.exact, word), *distance, true);
            let mut stream = inverted
                .terms()
                .search(query.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            let mut n = 0;
            while n < MAX_EXPANSIONS && stream.advance() {
                found.push(String::from_utf8_lossy(stream.key()).into_owned());
                n += 1;
            }
        }
        for prefix in &terms.prefixes {
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            let mut n = 0;
            while n < MAX_EXPANSIONS
                && stream.advance()
                && stream.key().starts_with(prefix.as_bytes())
            {
                found.push(String::from_utf8_lossy(stream.key()).into_owned());
                n += 1;
            }
        }
    }
    terms.exact.extend(found);
    Ok(terms)
}

impl Engine {
    /// The best `n` hits by relevance with at most one passage per article (or no per-article limit),
    /// reading only as many top documents as needed: the window grows until the ranked hits are
    /// complete and no unread document could tie the last one kept.
    fn top_refs(
        &self,
        query: &dyn Query,
        n: usize,
        lede_boost: f32,
        request: &SearchRequest,
    ) -> Result<Vec<HitRef>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        // The columns of every segment: the collector ranks by (score with the lede boost, date), the
        // first two keys of the final order, so that passages of equal score (copies of one story)
        // are cut at the same place as in the full ranking and the window rarely has to grow.
        let columns: Arc<HashMap<SegmentId, Arc<SegmentColumns>>> = Arc::new(
            self.searcher
                .segment_readers()
                .iter()
                .enumerate()
                .map(|(ord, r)| Ok((r.segment_id(), self.segment_columns(ord as SegmentOrdinal)?)))
                .collect::<tantivy::Result<_>>()?,
        );
        let mut window = n.saturating_mul(2).max(16);
        loop {
            let columns = columns.clone();
            let collector =
                TopDocs::with_limit(window).tweak_score(move |reader: &SegmentReader| {
                    let columns = columns.get(&reader.segment_id()).cloned();
                    move |doc: DocId, score: Score| -> (Score, i64) {
                        let Some(c) = &columns else {
                            return (score, i64::MIN);
                        };
                        let score = if lede_boost > 0.0 && c.passages.first(doc) == Some(1) {
                            score + lede_boost
                        } else {
                            score
                        };
                        let date = c
                            .dates
                            .first(doc)
                            .map_or(i64::MIN, |d| d.into_timestamp_secs());
                        (score, date)
                    }
                });
            let top = self.searcher.search(query, &collector)?;
            let exhausted = top.len() < window;
            let floor = top.last().map(|(key, _)| *key);
            let scored: Vec<(Score, DocAddress)> =
                top.into_iter().map(|((s, _), a)| (s, a)).collect();
            let refs = self.hit_refs(&scored)?;
            let ranked = rank(refs, request);
            let complete = ranked.len() == n
                && ranked
                    .last()
                    .map(|h| (h.score, h.date.unwrap_or(i64::MIN)))
                    .zip(floor)
                    .is_some_and(|(last, floor)| last > floor);
            if exhausted || complete {
                return Ok(ranked);
            }
            window = window.saturating_mul(4);
        }
    }

    /// Reads the small per-hit record of each scored address from the fast fields.
    fn hit_refs(&self, top: &[(Score, DocAddress)]) -> Result<Vec<HitRef>> {
        let mut columns: HashMap<SegmentOrdinal, SegmentMatches> = HashMap::new();
        for &(score, address) in top {
            let seg = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    // The scores of `top` already hold the lede boost.
                    e.insert(SegmentMatches::new(address.segment_ord, self, 0.0)?)
                }
            };
            seg.collect(address.doc_id, score);
        }
        Ok(columns
            .into_values()
            .flat_map(SegmentCollector::harvest)
            .collect())
    }
}

/// Orders the matches and applies the per-article and total limits.
fn rank(mut all: Vec<HitRef>, request: &SearchRequest) -> Vec<HitRef> {
    // Ties: newer first, then article id, then passage; undated after dated.
    let tie = |a: &HitRef, b: &HitRef| {
        b.date
            .unwrap_or(i64::MIN)
            .cmp(&a.date.unwrap_or(i64::MIN))
            .then_with(|| a.article.cmp(&b.article))
            .then_with(|| a.passage.cmp(&b.passage))
    };
    let by_score = |a: &HitRef, b: &HitRef| b.score.total_cmp(&a.score).then_with(|| tie(a, b));
    let limit = request.limit.unwrap_or(usize::MAX);

    if request.per_article > 0 {
        // Keep the K best passages of each article.
        all.sort_by(by_score);
        let mut kept: HashMap<Arc<str>, usize> = HashMap::new();
        all.retain(|h| {
            let n = kept.entry(h.article.clone()).or_insert(0);
            *n += 1;
            *n <= request.per_article
        });
    }
    match request.sort {
        SortOrder::Relevance if request.per_article > 0 => {
            // Articles by their best passage (the first seen, as `all` is sorted by score), each
            // followed by its other kept passages.
            let mut order: HashMap<Arc<str>, usize> = HashMap::new();
            for h in &all {
                let next = order.len();
                order.entry(h.article.clone()).or_insert(next);
            }
            all.sort_by(|a, b| {
                order[&a.article]
                    .cmp(&order[&b.article])
                    .then_with(|| by_score(a, b))
            });
        }
        SortOrder::Relevance => all.sort_by(by_score),
        SortOrder::Newest | SortOrder::Oldest => {
            let newest = request.sort == SortOrder::Newest;
            all.sort_by(|a, b| {
                let by_date = match (a.date, b.date) {
                    (Some(x), Some(y)) if newest => y.cmp(&x),
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                };
                by_date
                    .then_with(|| a.article.cmp(&b.article))
                    .then_with(|| a.passage.cmp(&b.passage))
            });
        }
    }
    all.truncate(limit);
    all
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

/// Formats seconds since the epoch as `YYYY-MM-DD`.
pub fn format_day(secs: i64) -> Option<String> {
    let dt = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some(dt.date().to_string())
}

/// Collects a [`HitRef`] for every match.
struct AllMatches<'a> {
    engine: &'a Engine,
    /// Added to the score of first passages (see [`crate::query::CompiledQuery::lede_boost`]).
    lede_boost: f32,
}

struct SegmentMatches {
    segment: SegmentOrdinal,
    columns: Arc<SegmentColumns>,
    lede_boost: f32,
    raw: Vec<(Score, DocId, Option<i64>, u64, u64)>,
}

impl SegmentMatches {
    fn new(
        segment: SegmentOrdinal,
        engine: &Engine,
        lede_boost: f32,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            columns: engine.segment_columns(segment)?,
            lede_boost,
            raw: Vec::new(),
        })
    }
}

impl Collector for AllMatches<'_> {
    type Fruit = Vec<HitRef>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        SegmentMatches::new(segment, self.engine, self.lede_boost)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<HitRef>>) -> tantivy::Result<Vec<HitRef>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<HitRef>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let cols = &self.columns;
        let date = cols.dates.first(doc).map(|d| d.into_timestamp_secs());
        let passage = cols.passages.first(doc).unwrap_or(0);
        let score = if passage == 1 {
            score + self.lede_boost
        } else {
            score
        };
        let ord = cols
            .articles
            .as_ref()
            .and_then(|a| a.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        self.raw.push((score, doc, date, passage, ord));
    }

    fn harvest(self) -> Vec<HitRef> {
        // Resolve each distinct article ordinal of the segment to its id once.
        let mut ids: HashMap<u64, Arc<str>> = HashMap::new();
        let mut buf = String::new();
        let mut out = Vec::with_capacity(self.raw.len());
        for (score, doc, date, passage, ord) in self.raw {
            let article = ids
                .entry(ord)
                .or_insert_with(|| {
                    buf.clear();
                    if let Some(col) = &self.columns.articles {
                        let _ = col.ord_to_str(ord, &mut buf);
                    }
                    Arc::from(buf.as_str())
                })
                .clone();
            out.push(HitRef {
                score,
                date,
                article,
                passage,
                address: DocAddress::new(self.segment, doc),
            });
        }
        out
    }
}

/// Counts matching passages and distinct articles without scoring.
///
/// Articles are counted per segment: the indexer writes each article's passages as one `run` group,
/// which tantivy flushes into a single segment (and merges keep whole segments), so an article never
/// spans two segments and the per-segment counts add up.
struct Totals;

struct SegmentTotals {
    articles: Option<StrColumn>,
    passages: u64,
    ords: HashSet<u64>,
}

impl Collector for Totals {
    type Fruit = (u64, u64);
    type Child = SegmentTotals;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTotals> {
        Ok(SegmentTotals {
            articles: reader.fast_fields().str(names::ARTICLE)?,
            passages: 0,
            ords: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u64, u64)>) -> tantivy::Result<(u64, u64)> {
        Ok(fruits
            .into_iter()
            .fold((0, 0), |acc, f| (acc.0 + f.0, acc.1 + f.1)))
    }
}

impl SegmentCollector for SegmentTotals {
    type Fruit = (u64, u64);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        if let Some(ord) = self.articles.as_ref().and_then(|a| a.term_ords(doc).next()) {
            self.ords.insert(ord);
        }
    }

    fn harvest(self) -> (u64, u64) {
        (self.passages, self.ords.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::parse_article;
    use crate::indexer::article_documents;

    /// The seed article in an in-memory index.
    fn seed_engine() -> Engine {
        let handle = DatelineIndex::create_in_ram();
        let bytes = include_bytes!("../corpus/000_f0500d7e2cbed4d9.txt");
        let parsed = parse_article("seed.txt", "seed.txt", bytes).expect("seed parses");
        let mut writer: tantivy::IndexWriter = handle
            .index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for doc in article_documents(&parsed.article, &handle.fields) {
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        Engine::from_handle(handle).expect("engine")
    }

    #[test]
    fn curly_apostrophe_possessive_is_found_by_the_bare_name() {
        let engine = seed_engine();
        let mut request = SearchRequest::new("Niger");
        request.limit = None;
        request.per_article = 0;
        let results = engine.search(&request).expect("search");
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
        let engine = seed_engine();
        let count = |since: &str, until: &str| {
            let mut request = SearchRequest::new("Niger");
            request.dates =
                crate::dates::parse_range(Some(since), Some(until), None).expect("range");
            let counts = engine.search(&request).expect("search").counts;
            counts.map_or(0, |c| c.passages)
        };
        assert!(count("2023-07-28", "2023-07-28") > 0);
        assert_eq!(count("2023-07-29", "2023-08"), 0);
        assert_eq!(count("2023-01", "2023-07-27"), 0);
    }
}

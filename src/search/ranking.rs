//! Ranking: the weights of the signals added to BM25, the order of the hits (by score, or by date) with
//! the per-article limit, and finding the top N without ranking every match.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{SegmentCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::collectors::{HitRef, SegmentMatches};
use super::SearchRequest;
use crate::error::Result;
use crate::index::reader::{Reader, SegmentColumns};

/// Ranking signals added to BM25, with weights chosen on the dev sets (see README, "Relevance").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Weight of the exact-field clause of an unquoted word (the stemmed clause weighs 1).
    pub exact_boost: f32,
    /// Weight of a sloppy phrase of the query's words (0 turns it off).
    pub proximity_boost: f32,
    /// Slop of that phrase.
    pub proximity_slop: u32,
    /// Passages: score added to an article's first passage when it matches (0 turns it off).
    pub lede_boost: f32,
    /// Articles: score a first passage gains, shared among the query's words and phrases (each one it
    /// holds adds its share).
    pub article_lede_boost: f32,
    /// Articles: weight of a word's score in the headline (first passages only).
    pub headline_boost: f32,
    /// Articles: weight of the best score elsewhere of each word or phrase the best passage lacks (the
    /// evidence of words spread over passages).
    pub spread_weight: f32,
    /// Articles: weight of the best score in another passage of each word or phrase the best passage
    /// holds (an article about a word names it again).
    pub repeat_weight: f32,
}

impl Ranking {
    /// Plain BM25 over both fields: the starting point the signals are measured against.
    pub const PLAIN: Ranking = Ranking {
        exact_boost: 1.0,
        proximity_boost: 0.0,
        proximity_slop: 0,
        lede_boost: 0.0,
        article_lede_boost: 0.0,
        headline_boost: 0.0,
        spread_weight: 0.0,
        repeat_weight: 0.0,
    };
}

impl Default for Ranking {
    /// The weights measured best on the dev sets (README, "Relevance"): for passages, the lede signal
    /// carries most of the gain; proximity pairs lowered both sets and stay off. For articles, the
    /// lede share, the headline, and the evidence of the other passages.
    fn default() -> Ranking {
        Ranking {
            exact_boost: 0.5,
            proximity_boost: 0.0,
            proximity_slop: 1,
            lede_boost: 4.0,
            article_lede_boost: 8.0,
            headline_boost: 0.5,
            spread_weight: 0.25,
            repeat_weight: 0.25,
        }
    }
}

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best score first.
    #[default]
    Relevance,
    /// Latest date first (undated last).
    Newest,
    /// Earliest date first (undated last).
    Oldest,
}

/// The best `n` hits by relevance with at most one passage per article (or no per-article limit),
/// reading only as many top documents as needed: the window grows until the ranked hits are
/// complete and no unread document could tie the last one kept.
pub(super) fn top_refs(
    reader: &Reader,
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
        reader
            .searcher()
            .segment_readers()
            .iter()
            .enumerate()
            .map(|(ord, r)| {
                Ok((
                    r.segment_id(),
                    reader.segment_columns(ord as SegmentOrdinal)?,
                ))
            })
            .collect::<tantivy::Result<_>>()?,
    );
    let mut window = n.saturating_mul(2).max(16);
    loop {
        let columns = columns.clone();
        let collector = TopDocs::with_limit(window).tweak_score(move |reader: &SegmentReader| {
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
        let top = reader.searcher().search(query, &collector)?;
        let exhausted = top.len() < window;
        let floor = top.last().map(|(key, _)| *key);
        let scored: Vec<(Score, DocAddress)> = top.into_iter().map(|((s, _), a)| (s, a)).collect();
        let refs = hit_refs(reader, &scored)?;
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
fn hit_refs(reader: &Reader, top: &[(Score, DocAddress)]) -> Result<Vec<HitRef>> {
    let mut columns: HashMap<SegmentOrdinal, SegmentMatches> = HashMap::new();
    for &(score, address) in top {
        let seg = match columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                // The scores of `top` already hold the lede boost.
                e.insert(SegmentMatches::new(address.segment_ord, reader, 0.0)?)
            }
        };
        seg.collect(address.doc_id, score);
    }
    Ok(columns
        .into_values()
        .flat_map(SegmentCollector::harvest)
        .collect())
}

/// Orders the matches and applies the per-article and total limits.
pub(super) fn rank(mut all: Vec<HitRef>, request: &SearchRequest) -> Vec<HitRef> {
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
            // Within a day, the better article first (by its best passage), its passages in order.
            let mut best: HashMap<Arc<str>, Score> = HashMap::new();
            for h in &all {
                let b = best.entry(h.article.clone()).or_insert(h.score);
                *b = b.max(h.score);
            }
            let best_of = |h: &HitRef| best.get(&h.article).copied().unwrap_or(h.score);
            all.sort_by(|a, b| {
                let by_date = match (a.date, b.date) {
                    (Some(x), Some(y)) if newest => y.cmp(&x),
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                };
                by_date
                    .then_with(|| best_of(b).total_cmp(&best_of(a)))
                    .then_with(|| a.article.cmp(&b.article))
                    .then_with(|| a.passage.cmp(&b.passage))
            });
        }
    }
    all.truncate(limit);
    all
}

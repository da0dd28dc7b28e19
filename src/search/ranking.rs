//! Ranking: the weights of the signals added to BM25, the order of the hits (by score, or by date) with
//! the per-article limit, and finding the top N without ranking every match.

use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::SegmentCollector;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Score, SegmentOrdinal};

use super::collectors::{HitRef, SegmentMatches};
use super::SearchRequest;
use crate::error::Result;
use crate::index::reader::Reader;

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
///
/// The first window holds `first_window` passages (at least 16).
///
/// With `collapse`, the window's hits go through it instead of [`rank`] (it ranks them and keeps one
/// article per story, at most `n`): the window grows until `n` are kept or every match was read.
pub(super) fn top_refs(
    reader: &Reader,
    query: &dyn Query,
    n: usize,
    first_window: usize,
    lede_boost: f32,
    request: &SearchRequest,
    collapse: Option<&dyn Fn(Vec<HitRef>) -> Result<Vec<HitRef>>>,
) -> Result<Vec<HitRef>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut window = first_window.max(16);
    loop {
        let top = top_passages(reader, query, window, lede_boost)?;
        let exhausted = top.len() < window;
        let floor = top.last().map(|&(score, date, _)| (score, date));
        let scored: Vec<(Score, DocAddress)> = top.into_iter().map(|(s, _, a)| (s, a)).collect();
        let refs = hit_refs(reader, &scored)?;
        let ranked = match collapse {
            Some(collapse) => collapse(refs)?,
            None => rank(refs, request),
        };
        let complete = ranked.len() == n
            && ranked
                .last()
                .map(|h| (h.score, h.date.unwrap_or(i64::MIN)))
                .zip(floor)
                .is_some_and(|(last, floor)| {
                    last.0 > floor.0 || (last.0 == floor.0 && last.1 > floor.1)
                });
        if exhausted || complete {
            return Ok(ranked);
        }
        window = window.saturating_mul(4);
    }
}

/// A passage in the running top N: ranked by score (with the lede boost), then date (newest first),
/// then index order.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    date: i64,
    address: DocAddress,
}

impl Ranked {
    /// Whether `self` ranks before `other`.
    fn before(&self, other: &Ranked) -> bool {
        self.score
            .total_cmp(&other.score)
            .then(self.date.cmp(&other.date))
            .then_with(|| {
                (other.address.segment_ord, other.address.doc_id)
                    .cmp(&(self.address.segment_ord, self.address.doc_id))
            })
            .is_gt()
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        !self.before(other) && !other.before(self)
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    /// Greater is worse, so that a max-heap holds the worst kept passage on top.
    fn cmp(&self, other: &Ranked) -> std::cmp::Ordering {
        if self.before(other) {
            std::cmp::Ordering::Less
        } else if other.before(self) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }
}

/// The best `window` passages matching `query` by (score with the lede boost, date), best first, as
/// (score, date or `i64::MIN`, address).
///
/// The segments are read in turn with tantivy's pruning loop: once `window` passages are kept, a
/// passage is only looked at when its score could reach the worst kept one, allowing for the lede
/// boost, so that a union of words skips whole blocks of postings (block-max WAND) and most passages
/// cost no column read.
fn top_passages(
    reader: &Reader,
    query: &dyn Query,
    window: usize,
    lede_boost: f32,
) -> Result<Vec<(Score, i64, DocAddress)>> {
    let searcher = reader.searcher();
    let weight = query.weight(EnableScoring::enabled_from_searcher(&searcher))?;
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(window + 1);
    let threshold = |heap: &BinaryHeap<Ranked>| -> Score {
        match heap.peek() {
            Some(worst) if heap.len() >= window => {
                // Below this, not even the lede boost lifts a passage to the worst kept (with a
                // margin for rounding: a tie may still win on its date).
                let t = worst.score - lede_boost;
                t - t.abs().max(1.0) * 1e-4
            }
            _ => Score::NEG_INFINITY,
        }
    };
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let columns = reader.segment_columns(ord)?;
        let alive = segment.alive_bitset();
        weight.for_each_pruning(threshold(&heap), segment, &mut |doc, score| {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                return threshold(&heap);
            }
            let score = if lede_boost > 0.0 && columns.passages.first(doc) == Some(1) {
                score + lede_boost
            } else {
                score
            };
            if heap.len() >= window && heap.peek().is_some_and(|w| score < w.score) {
                return threshold(&heap);
            }
            let candidate = Ranked {
                score,
                date: columns
                    .dates
                    .first(doc)
                    .map_or(i64::MIN, |d| d.into_timestamp_secs()),
                address: DocAddress::new(ord, doc),
            };
            if heap.len() < window {
                heap.push(candidate);
            } else if heap.peek().is_some_and(|w| candidate.before(w)) {
                heap.pop();
                heap.push(candidate);
            }
            threshold(&heap)
        })?;
    }
    Ok(heap
        .into_sorted_vec()
        .into_iter()
        .map(|r| (r.score, r.date, r.address))
        .collect())
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

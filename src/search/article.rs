//! Matching whole articles while scoring passages.
//!
//! The index holds one document per passage, and the indexer writes each article's passages as one
//! group: they are neighbours in one segment, in order, so the article of a passage starts at its
//! document number minus its passage number plus one. An article matches a query when the query's
//! plan (see [`Plan`]) holds over its passages: each leaf (a word, a phrase, a `lede:` group) is looked up
//! in the passages, and the leaves' cursors leap from article to article (as a conjunction of posting
//! lists leaps from document to document) without reading the passages of articles that cannot match.
//!
//! For each matching article, the passages holding a scoring leaf are scored (the sum of their
//! leaves' BM25 scores, and the lede boost for the first passage); the article scores as its best
//! passage plus the evidence of the others: each scoring leaf that the best passage lacks adds its best
//! score elsewhere, times [`Ranking::article_evidence`](super::Ranking::article_evidence).

use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

use super::compile::{ArticleQuery, Plan};
use super::date_filter::date_filter;
use super::ranking::Ranking;
use crate::error::Result;
use crate::index::reader::Reader;
use crate::text::dates::DateRange;

/// What [`scan`] reports for each matching article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArticleMatch {
    pub segment: SegmentOrdinal,
    /// The article's first document (its passage 1) in its segment.
    pub start: DocId,
    /// Seconds since the epoch, `None` when undated.
    pub date: Option<i64>,
    /// The best passage's score plus what the other passages add.
    pub score: Score,
    /// Passages of the article holding a query term.
    pub term_passages: u32,
}

/// A scored passage of an article (see [`details`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScoredPassage {
    pub passage: u64,
    pub doc: DocId,
    /// The passage's score plus what the article's other passages add (so the best passage scores as
    /// its article).
    pub score: Score,
}

/// The passages of one matching article, and where each `also` leaf is found.
#[derive(Debug, Clone)]
pub(crate) struct ArticleDetail {
    /// Every passage holding a query term, best first (ties: earlier passage first).
    pub passages: Vec<ScoredPassage>,
    /// (leaf, passage offsets holding it, the offset where it scores best), for the leaves that
    /// `also` names.
    leaves: Vec<(usize, Vec<u32>, u32)>,
    start: DocId,
}

impl ArticleDetail {
    /// For each `also` leaf that none of `shown` (passage offsets from the article's start) holds, the
    /// passage where it is best found: (passage number, document), in passage order, each once.
    pub fn also(&self, shown: &[u32]) -> Vec<(u64, DocId)> {
        let mut out: Vec<u32> = self
            .leaves
            .iter()
            .filter(|(_, offsets, _)| !offsets.iter().any(|o| shown.contains(o)))
            .map(|&(_, _, best)| best)
            .collect();
        out.sort_unstable();
        out.dedup();
        out.into_iter()
            .map(|o| (u64::from(o) + 1, self.start + o))
            .collect()
    }

    pub fn offset(&self, doc: DocId) -> u32 {
        doc - self.start
    }
}

/// The weights of a query's leaves for one search (and the date filter, a leaf of its own).
pub(crate) struct Prepared<'q> {
    query: &'q ArticleQuery,
    weights: Vec<Box<dyn Weight>>,
    /// The plan with the date filter as one more required leaf.
    plan: Plan,
    /// Indices of the scoring leaves.
    scoring: Vec<usize>,
    /// The ranking weights, all 0 when nothing is scored.
    ranking: Ranking,
    /// How many leaves share the lede boost (the scoring ones but bonus clauses).
    shares: usize,
}

impl<'q> Prepared<'q> {
    /// Prepares `query` for `searcher` within `dates`; without `scores`, every score is a constant
    /// (for counting).
    pub fn new(
        reader: &Reader,
        query: &'q ArticleQuery,
        dates: &DateRange,
        scores: bool,
    ) -> Result<Prepared<'q>> {
        let searcher: Searcher = reader.searcher();
        let enable = if scores {
            EnableScoring::enabled_from_searcher(&searcher)
        } else {
            EnableScoring::disabled_from_searcher(&searcher)
        };
        let mut weights = query
            .leaves
            .iter()
            .map(|leaf| leaf.query.weight(enable))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut plan = query.plan.clone();
        if let Some(filter) = date_filter(reader.fields(), reader.date_bounds(), dates) {
            weights.push(filter.weight(EnableScoring::disabled_from_searcher(&searcher))?);
            plan = Plan::Bool {
                must: vec![plan, Plan::Leaf(weights.len() - 1)],
                should: Vec::new(),
                not: Vec::new(),
            };
        }
        let scoring: Vec<usize> = query
            .leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| l.scoring)
            .map(|(i, _)| i)
            .collect();
        Ok(Prepared {
            query,
            weights,
            plan,
            shares: query
                .leaves
                .iter()
                .filter(|l| l.scoring && !l.bonus)
                .count()
                .max(1),
            scoring,
            ranking: if scores {
                query.ranking
            } else {
                Ranking::PLAIN
            },
        })
    }
}

/// The cursors of a query's leaves in one segment.
struct Cursors<'a> {
    passages: &'a Column<u64>,
    /// By leaf index; `None` for leaves not opened.
    leaves: Vec<Option<Cursor>>,
    /// Second cursors for scoring the leaves under a NOT (see [`super::compile::Leaf::negated`]).
    scoring: Vec<Option<Cursor>>,
}

/// A leaf's scorer, and the article its current document belongs to (read once per document: the
/// passage column is the costliest read of a search).
struct Cursor {
    scorer: Box<dyn Scorer>,
    /// The first document of the current document's article, or `TERMINATED`.
    article: DocId,
}

/// The first document of the article holding `doc` (its passages are neighbours, numbered from 1).
fn start_of(passages: &Column<u64>, doc: DocId) -> DocId {
    if doc == TERMINATED {
        return TERMINATED;
    }
    let behind = passages.first(doc).unwrap_or(1).saturating_sub(1);
    doc.saturating_sub(u32::try_from(behind).unwrap_or(u32::MAX))
}

impl Cursor {
    fn new(scorer: Box<dyn Scorer>, passages: &Column<u64>) -> Cursor {
        let article = start_of(passages, scorer.doc());
        Cursor { scorer, article }
    }

    fn advance(&mut self, passages: &Column<u64>) {
        let doc = self.scorer.advance();
        self.article = start_of(passages, doc);
    }

    /// Moves to the first article starting at or after `target` that the leaf matches. (`target` need
    /// not start an article: one past an article's start asks for the articles after it.)
    fn seek(&mut self, target: DocId, passages: &Column<u64>) -> DocId {
        if self.article >= target {
            return self.article;
        }
        if self.scorer.doc() < target {
            let doc = self.scorer.seek(target);
            self.article = start_of(passages, doc);
        }
        // Documents at or after `target` may still belong to the article before it.
        while self.article < target {
            self.advance(passages);
        }
        self.article
    }
}

impl Cursors<'_> {
    fn seek_leaf(&mut self, leaf: usize, target: DocId) -> DocId {
        match self.leaves.get_mut(leaf) {
            Some(Some(c)) => c.seek(target, self.passages),
            _ => TERMINATED,
        }
    }

    /// The first article at or after `target` for which `plan` holds.
    fn seek(&mut self, plan: &Plan, target: DocId) -> DocId {
        match plan {
            Plan::Leaf(i) => self.seek_leaf(*i, target),
            Plan::Bool { must, should, not } => {
                let mut target = target;
                loop {
                    let candidate = if must.is_empty() {
                        should
                            .iter()
                            .map(|p| self.seek(p, target))
                            .min()
                            .unwrap_or(TERMINATED)
                    } else {
                        self.leapfrog(must, target)
                    };
                    if candidate == TERMINATED {
                        return TERMINATED;
                    }
                    if not.iter().any(|p| self.seek(p, candidate) == candidate) {
                        target = candidate + 1;
                        continue;
                    }
                    return candidate;
                }
            }
        }
    }

    /// The first article at or after `target` that every plan of `all` holds for.
    fn leapfrog(&mut self, all: &[Plan], target: DocId) -> DocId {
        let mut candidate = target;
        loop {
            let mut agreed = true;
            for p in all {
                let at = self.seek(p, candidate);
                if at == TERMINATED {
                    return TERMINATED;
                }
                if at > candidate {
                    candidate = at;
                    agreed = false;
                }
            }
            if agreed {
                return candidate;
            }
        }
    }

    /// The scores of `leaves` in the passages of the article starting at `start`, as (passage offset,
    /// leaf, score), grouped by leaf. Moves those leaves past the article.
    fn collect(&mut self, leaves: &[usize], start: DocId, out: &mut Vec<(u32, usize, Score)>) {
        out.clear();
        let passages = self.passages;
        for &leaf in leaves {
            let own = self.scoring.get_mut(leaf).and_then(Option::as_mut);
            let Some(c) = own.or(self.leaves.get_mut(leaf).and_then(Option::as_mut)) else {
                continue;
            };
            if c.seek(start, passages) != start {
                continue;
            }
            while c.article == start {
                out.push((c.scorer.doc() - start, leaf, c.scorer.score()));
                c.advance(passages);
            }
        }
    }
}

/// Opens the cursors of the leaves `which` selects in one segment (and the scoring cursors of negated
/// leaves when `matching`).
fn open<'a>(
    prepared: &Prepared<'_>,
    reader: &SegmentReader,
    passages: &'a Column<u64>,
    matching: bool,
) -> tantivy::Result<Cursors<'a>> {
    let leaves = &prepared.query.leaves;
    let cursor = |w: &dyn Weight| -> tantivy::Result<Cursor> {
        Ok(Cursor::new(w.scorer(reader, 1.0)?, passages))
    };
    let mut matchers = Vec::with_capacity(prepared.weights.len());
    let mut scoring = Vec::with_capacity(prepared.weights.len());
    for (i, w) in prepared.weights.iter().enumerate() {
        let leaf = leaves.get(i);
        let scores = leaf.is_some_and(|l| l.scoring);
        matchers.push(if matching || scores {
            Some(cursor(w.as_ref())?)
        } else {
            None
        });
        scoring.push(if matching && scores && leaf.is_some_and(|l| l.negated) {
            Some(cursor(w.as_ref())?)
        } else {
            None
        });
    }
    Ok(Cursors {
        passages,
        leaves: matchers,
        scoring,
    })
}

/// Scratch space to score one article's passages, reused from article to article without clearing:
/// a passage's sum counts only when its stamp is the current article's.
#[derive(Default)]
struct Tally {
    sums: Vec<Score>,
    stamps: Vec<u32>,
    stamp: u32,
    /// Offsets of the passages holding a query term, in the order first seen.
    held: Vec<u32>,
}

/// An article's score from the scores of its passages' leaves.
struct ArticleScore {
    best: u32,
    /// What the passages other than the best add to every passage's score.
    extra: Score,
}

impl Tally {
    fn holds(&self, offset: u32) -> bool {
        self.stamps.get(offset as usize) == Some(&self.stamp)
    }

    /// The own score of a passage the article holds (after [`Tally::score`]).
    fn sum(&self, offset: u32) -> Score {
        self.sums.get(offset as usize).copied().unwrap_or(0.0)
    }

    /// Scores an article from its leaves' scores in its passages, `entries` as [`Cursors::collect`]
    /// gives them (grouped by leaf).
    fn score(&mut self, entries: &[(u32, usize, Score)], prepared: &Prepared<'_>) -> ArticleScore {
        let ranking = &prepared.ranking;
        let leaves = &prepared.query.leaves;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.fill(0);
            self.stamp = 1;
        }
        self.held.clear();
        let lede_share = ranking.article_lede_boost / prepared.shares as Score;
        for &(offset, leaf, score) in entries {
            if leaves.get(leaf).is_some_and(|l| l.bonus) {
                continue;
            }
            let at = offset as usize;
            if at >= self.sums.len() {
                self.sums.resize(at + 1, 0.0);
                self.stamps.resize(at + 1, 0);
            }
            if self.stamps[at] != self.stamp {
                self.stamps[at] = self.stamp;
                self.sums[at] = 0.0;
                self.held.push(offset);
            }
            self.sums[at] += score;
            if offset == 0 {
                // The lede, shared among the words it holds.
                self.sums[0] += lede_share;
            }
        }
        // An article matched without any of the query's words (`niger OR -mali`: neither) is shown by
        // the passages its bonus leaves hold (there, every passage).
        let none_held = self.held.is_empty();
        for &(offset, leaf, score) in entries {
            if !leaves.get(leaf).is_some_and(|l| l.bonus) {
                continue;
            }
            let at = offset as usize;
            if none_held && !self.holds(offset) {
                if at >= self.sums.len() {
                    self.sums.resize(at + 1, 0.0);
                    self.stamps.resize(at + 1, 0);
                }
                self.stamps[at] = self.stamp;
                self.sums[at] = 0.0;
                self.held.push(offset);
            }
            if self.holds(offset) {
                self.sums[at] += score;
            }
        }
        let mut best = 0u32;
        let mut best_score = Score::NEG_INFINITY;
        for &offset in &self.held {
            let sum = self.sums[offset as usize];
            if sum > best_score || (sum == best_score && offset < best) {
                best = offset;
                best_score = sum;
            }
        }
        // What the other passages add: for each leaf, its best score elsewhere, as spread evidence
        // when the best passage lacks it, as repetition when it holds it.
        let mut extra = 0.0;
        let mut i = 0;
        while i < entries.len() {
            let leaf = entries[i].1;
            let (mut in_best, mut elsewhere) = (false, 0.0 as Score);
            while i < entries.len() && entries[i].1 == leaf {
                let (offset, _, score) = entries[i];
                if offset == best {
                    in_best = true;
                } else {
                    elsewhere = elsewhere.max(score);
                }
                i += 1;
            }
            if leaves.get(leaf).is_some_and(|l| l.bonus) {
                continue;
            }
            extra += elsewhere
                * if in_best {
                    ranking.repeat_weight
                } else {
                    ranking.spread_weight
                };
        }
        ArticleScore { best, extra }
    }
}

/// Visits every article matching the prepared query, in index order; their dates are read when
/// `with_dates` (otherwise see [`read_dates`]).
pub(crate) fn scan(
    reader: &Reader,
    prepared: &Prepared<'_>,
    with_dates: bool,
    mut visit: impl FnMut(ArticleMatch),
) -> Result<()> {
    let searcher = reader.searcher();
    let mut entries = Vec::new();
    let mut tally = Tally::default();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let columns = reader.segment_columns(ord)?;
        let mut cursors = open(prepared, segment, &columns.passages, true)?;
        let alive = segment.alive_bitset();
        let mut target = 0;
        loop {
            let start = cursors.seek(&prepared.plan, target);
            if start == TERMINATED {
                break;
            }
            target = start + 1;
            if alive.is_some_and(|a| !a.is_alive(start)) {
                // A removed article: all of its passages are removed with it.
                continue;
            }
            cursors.collect(&prepared.scoring, start, &mut entries);
            let score = tally.score(&entries, prepared);
            visit(ArticleMatch {
                segment: ord,
                start,
                date: if with_dates {
                    columns.dates.first(start).map(|d| d.into_timestamp_secs())
                } else {
                    None
                },
                score: tally.sum(score.best) + score.extra,
                term_passages: tally.held.len() as u32,
            });
        }
    }
    Ok(())
}

/// The scored passages of the articles `wanted` (as found by [`scan`]), in the order given.
pub(crate) fn details(
    reader: &Reader,
    prepared: &Prepared<'_>,
    wanted: &[ArticleMatch],
) -> Result<Vec<ArticleDetail>> {
    let searcher = reader.searcher();
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| (wanted[i].segment, wanted[i].start));
    let mut out: Vec<Option<ArticleDetail>> = vec![None; wanted.len()];
    let mut entries = Vec::new();
    let mut tally = Tally::default();
    let mut at = 0;
    while at < order.len() {
        let ord = wanted[order[at]].segment;
        let columns = reader.segment_columns(ord)?;
        let mut cursors = open(
            prepared,
            searcher.segment_reader(ord),
            &columns.passages,
            false,
        )?;
        while at < order.len() && wanted[order[at]].segment == ord {
            let i = order[at];
            at += 1;
            let start = wanted[i].start;
            cursors.collect(&prepared.scoring, start, &mut entries);
            let score = tally.score(&entries, prepared);
            let mut passages: Vec<ScoredPassage> = tally
                .held
                .iter()
                .map(|&offset| ScoredPassage {
                    passage: u64::from(offset) + 1,
                    doc: start + offset,
                    score: tally.sum(offset) + score.extra,
                })
                .collect();
            passages.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| a.passage.cmp(&b.passage))
            });
            let mut leaves: Vec<(usize, Vec<u32>, u32)> = Vec::new();
            for &(offset, leaf, score) in &entries {
                if !prepared.query.leaves[leaf].also {
                    continue;
                }
                match leaves.last_mut() {
                    Some((l, offsets, best)) if *l == leaf => {
                        offsets.push(offset);
                        let best_score = entries
                            .iter()
                            .find(|e| e.1 == leaf && e.0 == *best)
                            .map_or(Score::NEG_INFINITY, |e| e.2);
                        if score > best_score {
                            *best = offset;
                        }
                    }
                    _ => leaves.push((leaf, vec![offset], offset)),
                }
            }
            out[i] = Some(ArticleDetail {
                passages,
                leaves,
                start,
            });
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// Reads the dates of articles found by a [`scan`] without them.
pub(crate) fn read_dates(reader: &Reader, matches: &mut [ArticleMatch]) -> Result<()> {
    for m in matches {
        let columns = reader.segment_columns(m.segment)?;
        m.date = columns
            .dates
            .first(m.start)
            .map(|d| d.into_timestamp_secs());
    }
    Ok(())
}

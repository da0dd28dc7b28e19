//! The collectors of a search: a small record of every match (score, date, article, passage, address)
//! read from the fast fields, and totals of matching passages and articles counted without scores.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::reader::{Reader, SegmentColumns};
use crate::index::stories::{Stories, StoryRef};

/// The small record kept for every match.
#[derive(Debug, Clone)]
pub(crate) struct HitRef {
    pub score: Score,
    /// Seconds since the epoch, `None` when undated.
    pub date: Option<i64>,
    pub article: Arc<str>,
    pub passage: u64,
    pub address: DocAddress,
    /// Passages holding query words the hit lacks, when matching whole articles: (passage, address).
    pub also: Vec<(u64, DocAddress)>,
    /// Other matching articles of the hit's story, hidden under it (ids), on its first hit.
    pub copies: Vec<Arc<str>>,
}

/// Collects a [`HitRef`] for every match.
pub(super) struct AllMatches<'a> {
    pub reader: &'a Reader,
    /// Added to the score of first passages (see [`super::CompiledQuery::lede_boost`]).
    pub lede_boost: f32,
}

pub(super) struct SegmentMatches {
    segment: SegmentOrdinal,
    columns: Arc<SegmentColumns>,
    lede_boost: f32,
    raw: Vec<(Score, DocId, Option<i64>, u64)>,
}

impl SegmentMatches {
    pub(super) fn new(
        segment: SegmentOrdinal,
        reader: &Reader,
        lede_boost: f32,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            columns: reader.segment_columns(segment)?,
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
        SegmentMatches::new(segment, self.reader, self.lede_boost)
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
        self.raw.push((score, doc, date, passage));
    }

    fn harvest(self) -> Vec<HitRef> {
        let docs: Vec<DocId> = self.raw.iter().map(|r| r.1).collect();
        let ids = self.columns.article_ids(&docs);
        self.raw
            .into_iter()
            .zip(ids)
            .map(|((score, doc, date, passage), article)| HitRef {
                score,
                date,
                article,
                passage,
                address: DocAddress::new(self.segment, doc),
                also: Vec::new(),
                copies: Vec::new(),
            })
            .collect()
    }
}

/// Counts matching passages, distinct articles and distinct stories without scoring.
///
/// Articles are counted per segment: the indexer writes each article's passages as one `run` group,
/// which tantivy flushes into a single segment (and merges keep whole segments), so an article never
/// spans two segments and the per-segment counts add up. The passages of an article are consecutive
/// documents, so its first passage (which holds its key) is `doc - (passage - 1)`.
pub(super) struct Totals<'a> {
    pub reader: &'a Reader,
}

/// What [`Totals`] counts.
pub(super) struct TotalsFruit {
    pub passages: u64,
    pub articles: u64,
    pub stories: HashSet<StoryRef>,
}

pub(super) struct SegmentTotals {
    segment: SegmentOrdinal,
    columns: Arc<SegmentColumns>,
    stories: Arc<Stories>,
    passages: u64,
    ords: HashSet<u64>,
    found: HashSet<StoryRef>,
}

impl Collector for Totals<'_> {
    type Fruit = TotalsFruit;
    type Child = SegmentTotals;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTotals> {
        Ok(SegmentTotals {
            segment,
            columns: self.reader.segment_columns(segment)?,
            stories: self.reader.stories(),
            passages: 0,
            ords: HashSet::new(),
            found: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TotalsFruit>) -> tantivy::Result<TotalsFruit> {
        let mut out = TotalsFruit {
            passages: 0,
            articles: 0,
            stories: HashSet::new(),
        };
        for f in fruits {
            out.passages += f.passages;
            out.articles += f.articles;
            out.stories.extend(f.stories);
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentTotals {
    type Fruit = TotalsFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        let cols = &self.columns;
        if let Some(ord) = cols.articles.as_ref().and_then(|a| a.term_ords(doc).next()) {
            if self.ords.insert(ord) {
                let first = cols.first_doc(doc);
                self.found
                    .insert(cols.story(self.segment, first, &self.stories));
            }
        }
    }

    fn harvest(self) -> TotalsFruit {
        TotalsFruit {
            passages: self.passages,
            articles: self.ords.len() as u64,
            stories: self.found,
        }
    }
}

/// Counts the distinct articles of the matching passages, and nothing else: the passages of an
/// article are consecutive documents and a segment's documents come in order, so an article is new
/// when its first document (`doc - (passage - 1)`) is not the last one counted.
pub(super) struct ArticleCount<'a> {
    pub reader: &'a Reader,
}

pub(super) struct SegmentArticleCount {
    columns: Arc<SegmentColumns>,
    last: Option<DocId>,
    count: u64,
}

impl Collector for ArticleCount<'_> {
    type Fruit = u64;
    type Child = SegmentArticleCount;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentArticleCount> {
        Ok(SegmentArticleCount {
            columns: self.reader.segment_columns(segment)?,
            last: None,
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<u64>) -> tantivy::Result<u64> {
        Ok(fruits.into_iter().sum())
    }
}

impl SegmentCollector for SegmentArticleCount {
    type Fruit = u64;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let first = self.columns.first_doc(doc);
        if self.last != Some(first) {
            self.last = Some(first);
            self.count += 1;
        }
    }

    fn harvest(self) -> u64 {
        self.count
    }
}

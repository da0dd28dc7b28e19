//! Reading an index: a [`Reader`] holds one commit open (its searcher, its fields, and the fast-field
//! columns of each segment, opened once), and reads whole articles back from their passages. Searching,
//! timelines and statistics build on it (see [`crate::search`] and [`crate::analysis`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use tantivy::collector::DocSetCollector;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DateTime, IndexReader, ReloadPolicy, Searcher, SegmentOrdinal, SegmentReader, Term};
use time::Date;

use super::handle::DatelineIndex;
use super::schema::{day_of_index_date, names, Fields};
use super::stories::{self, Stories, StoryRef};
use crate::error::{Error, Result};
use crate::ingest::ArticleMeta;

/// An article rebuilt from its passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub article: String,
    pub date: Option<String>,
    pub headline: String,
    /// Title, url, source and authors, when the source gave them.
    pub meta: ArticleMeta,
    /// Paragraphs as in the file, whitespace folded.
    pub paragraphs: Vec<String>,
    /// The first and last passage number of each paragraph (the numbers hits carry).
    pub passages: Vec<(u64, u64)>,
}

/// An article's paragraphs from its passages in order (passage, paragraph, text): the passages of one
/// paragraph joined with a space, and the first and last passage number of each paragraph.
pub fn join_paragraphs<'t>(
    passages: impl Iterator<Item = (u64, u64, &'t str)>,
) -> (Vec<String>, Vec<(u64, u64)>) {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut numbers: Vec<(u64, u64)> = Vec::new();
    let mut current = None;
    for (passage, paragraph, text) in passages {
        match (paragraphs.last_mut(), numbers.last_mut()) {
            (Some(last), Some(range)) if current == Some(paragraph) => {
                last.push(' ');
                last.push_str(text);
                range.1 = passage;
            }
            _ => {
                paragraphs.push(text.to_string());
                numbers.push((passage, passage));
            }
        }
        current = Some(paragraph);
    }
    (paragraphs, numbers)
}

/// The headline of a stored passage (its title when it has one) and its article's title, url, source
/// and authors.
pub fn headline_and_meta(doc: &TantivyDocument, fields: &Fields) -> (String, ArticleMeta) {
    let text = |f| {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let title = text(fields.title);
    let headline = title
        .clone()
        .or_else(|| text(fields.headline))
        .unwrap_or_default();
    let meta = ArticleMeta {
        title,
        url: text(fields.url),
        source: text(fields.source),
        authors: doc
            .get_all(fields.authors)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect(),
    };
    (headline, meta)
}

/// An open index, ready to read and search.
pub struct Reader {
    pub handle: DatelineIndex,
    /// The searcher of the opened commit (the reader is never reloaded).
    searcher: Searcher,
    /// Fast-field columns of each segment, opened on first use (opening them for every search was
    /// a sixth of a top-10 search).
    columns: Vec<OnceLock<Arc<SegmentColumns>>>,
    /// Earliest and latest dates in the index.
    date_bounds: OnceLock<Option<(Date, Date)>>,
    /// The commit's story groups, read on first use.
    stories: OnceLock<Arc<Stories>>,
}

/// The fast-field columns a search reads for each match.
pub struct SegmentColumns {
    pub dates: Column<DateTime>,
    pub passages: Column<u64>,
    /// `None` in a segment without articles.
    pub articles: Option<StrColumn>,
    /// `None` in a segment where no article has a source.
    pub sources: Option<StrColumn>,
    /// Article keys, in first passages (see [`crate::index::schema::article_key`]).
    pub keys: Option<Column<u64>>,
}

impl SegmentColumns {
    /// The first passage of the article whose passage `doc` is: an article's passages are
    /// consecutive documents of one segment.
    pub fn first_doc(&self, doc: tantivy::DocId) -> tantivy::DocId {
        let passage = self.passages.first(doc).unwrap_or(1).max(1);
        doc.saturating_sub((passage - 1) as tantivy::DocId)
    }

    /// The article ids of documents of this segment, in the order given (empty for a document
    /// without one). Their ordinals are resolved in order, in one pass over the dictionary's blocks:
    /// a lookup each decodes a block each (a fifth of a top-10 search's window).
    pub fn article_ids(&self, docs: &[tantivy::DocId]) -> Vec<Arc<str>> {
        let empty: Arc<str> = Arc::from("");
        let Some(col) = &self.articles else {
            return vec![empty; docs.len()];
        };
        let of_doc: Vec<Option<u64>> = docs.iter().map(|&d| col.term_ords(d).next()).collect();
        let mut ords: Vec<u64> = of_doc.iter().flatten().copied().collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names: Vec<Arc<str>> = Vec::with_capacity(ords.len());
        let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(Arc::from(String::from_utf8_lossy(bytes).as_ref()));
        });
        of_doc
            .iter()
            .map(|o| {
                o.and_then(|o| ords.binary_search(&o).ok())
                    .and_then(|i| names.get(i))
                    .unwrap_or(&empty)
                    .clone()
            })
            .collect()
    }

    /// The story of the article whose first passage is `first` (of segment `segment`).
    pub fn story(
        &self,
        segment: SegmentOrdinal,
        first: tantivy::DocId,
        stories: &Stories,
    ) -> StoryRef {
        match self.keys.as_ref().and_then(|k| k.first(first)) {
            Some(key) => stories.of(key),
            // Every article has a key; a document without one stands alone.
            None => StoryRef::Own((u64::from(segment) << 32) | u64::from(first)),
        }
    }

    fn open(reader: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let ff = reader.fast_fields();
        Ok(SegmentColumns {
            dates: ff.date(names::DATE)?,
            passages: ff.u64(names::PASSAGE)?,
            articles: ff.str(names::ARTICLE)?,
            sources: ff.str(names::SOURCE)?,
            keys: ff.column_opt::<u64>(names::KEY)?,
        })
    }
}

impl Reader {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<Reader> {
        Self::from_handle(DatelineIndex::open(dir)?)
    }

    /// Wraps an already opened index.
    pub fn from_handle(handle: DatelineIndex) -> Result<Reader> {
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
        Ok(Reader {
            handle,
            searcher,
            columns,
            date_bounds: OnceLock::new(),
            stories: OnceLock::new(),
        })
    }

    /// The commit's story groups (copies of one story). An index whose groups cannot be read has
    /// none: every article is its own story (`verify` names the problem).
    pub fn stories(&self) -> Arc<Stories> {
        self.stories
            .get_or_init(|| {
                let meta = &self.handle.meta;
                Arc::new(
                    meta.stories_file
                        .as_deref()
                        .and_then(|name| stories::load(&self.handle.path, name).ok())
                        .unwrap_or_default(),
                )
            })
            .clone()
    }

    /// The story of the article whose first passage is `doc` of segment `segment`.
    pub fn story_of(&self, segment: SegmentOrdinal, doc: tantivy::DocId) -> Result<StoryRef> {
        Ok(self
            .segment_columns(segment)?
            .story(segment, doc, &self.stories()))
    }

    /// The columns of segment `ord`, opened once.
    pub fn segment_columns(&self, ord: SegmentOrdinal) -> tantivy::Result<Arc<SegmentColumns>> {
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
            bounds.and_then(|(lo, hi)| Some((day_of_index_date(lo)?, day_of_index_date(hi)?)))
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.handle.fields
    }

    pub fn searcher(&self) -> Searcher {
        self.searcher.clone()
    }

    /// Whether the opened commit holds no passage at all.
    pub fn is_empty(&self) -> bool {
        self.searcher.num_docs() == 0
    }

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
        let (headline, meta) = headline_and_meta(first, &fields);
        let date = first
            .get_first(fields.date)
            .and_then(|v| v.as_datetime())
            .and_then(day_of_index_date)
            .map(|d| d.to_string());
        let (paragraphs, numbers) = join_paragraphs(
            passages
                .iter()
                .map(|(passage, paragraph, text, _)| (*passage, *paragraph, text.as_str())),
        );
        Ok(StoredArticle {
            article: id.to_string(),
            date,
            headline,
            meta,
            paragraphs,
            passages: numbers,
        })
    }

    /// Articles per source in the whole index, most first (ties by name); articles without a source
    /// are not counted.
    pub fn source_counts(&self) -> Result<Vec<(String, u64)>> {
        let searcher = self.searcher();
        let mut counts: HashMap<String, u64> = HashMap::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let columns = self.segment_columns(ord as SegmentOrdinal)?;
            let Some(sources) = &columns.sources else {
                continue;
            };
            let mut per_ord: HashMap<u64, u64> = HashMap::new();
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if columns.passages.first(doc) != Some(1) {
                    continue;
                }
                if let Some(o) = sources.term_ords(doc).next() {
                    *per_ord.entry(o).or_default() += 1;
                }
            }
            let mut name = String::new();
            for (o, n) in per_ord {
                name.clear();
                if sources
                    .ord_to_str(o, &mut name)
                    .map_err(tantivy::TantivyError::from)?
                {
                    *counts.entry(name.clone()).or_default() += n;
                }
            }
        }
        let mut list: Vec<(String, u64)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(list)
    }

    /// The source of the article whose first passage is `doc` in segment `ord`.
    pub fn source_of(&self, ord: SegmentOrdinal, doc: tantivy::DocId) -> Result<Option<String>> {
        let columns = self.segment_columns(ord)?;
        let Some(sources) = &columns.sources else {
            return Ok(None);
        };
        let Some(o) = sources.term_ords(doc).next() else {
            return Ok(None);
        };
        let mut name = String::new();
        Ok(sources
            .ord_to_str(o, &mut name)
            .map_err(tantivy::TantivyError::from)?
            .then_some(name))
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
}

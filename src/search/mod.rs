//! Searching: a [`SearchRequest`] is matched against whole articles (by default) or single passages,
//! within its dates; every match is kept as a small record (score, date, article, passage, address),
//! ranked and grouped by article, and the texts of the hits to print are read from the index one at a
//! time.
//!
//! The steps, one module each: [`parse`] the query language, [`compile`](mod@compile) it for tantivy
//! (a query per passage, or a plan of leaves for articles), filter by [`date_filter`], gather matches
//! (the article matcher leaps from article to article over the leaves' posting lists and scores the
//! passages of each match; the passage search uses collectors), order them by [`ranking`], and mark
//! the words found with [`highlight`]; when nothing is found, [`suggest`] names the words the index
//! lacks.

mod article;
mod collapse;
mod collectors;
pub mod compile;
pub mod date_filter;
pub mod highlight;
pub mod parse;
pub mod ranking;
pub mod suggest;

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::schema::{TantivyDocument, Value};
use tantivy::{DocAddress, Searcher};

use self::article::{details, read_dates, scan, ArticleMatch, Prepared};
use self::collectors::{AllMatches, ArticleCount, HitRef, Totals};
pub use self::compile::{
    compile, compile_articles, ArticleQuery, CompiledQuery, MatchMode, QueryOptions,
};
use self::date_filter::within_dates;
use self::highlight::{expand_terms, Highlighter};
use self::ranking::{rank, top_refs};
pub use self::ranking::{Ranking, SortOrder};
use crate::error::Result;
use crate::index::reader::{headline_and_meta, Reader};
use crate::index::schema::article_key;
use crate::index::schema::Fields;
use crate::index::stories::StoryRef;
use crate::ingest::ArticleMeta;
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
    /// Whether the words must be in one article or in one passage.
    pub within: Within,
    /// Weights of the ranking signals.
    pub ranking: Ranking,
    /// Every unquoted word is fuzzy (`word~`).
    pub fuzzy: bool,
    /// Only articles from these sources (any case); empty for every source.
    pub sources: Vec<String>,
    /// Count every match for [`SearchResults::counts`]. Within passages, counting visits every matching
    /// passage, which costs more than finding the top few: leave it off when the totals are not shown.
    /// Within articles every match is visited anyway, and the counts are always given.
    pub count: bool,
    /// One hit per story (copies of one story collapsed under its best-ranked copy); `false` lists
    /// every copy as its own hit.
    pub collapse: bool,
    /// Read every match's date for [`MatchCounts::first`] and [`MatchCounts::last`] (by relevance,
    /// dates are otherwise read only for the hits returned).
    pub date_span: bool,
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
            within: Within::Article,
            ranking: Ranking::default(),
            fuzzy: false,
            sources: Vec::new(),
            count: true,
            collapse: true,
            date_span: false,
        }
    }
}

/// What a query must hold within.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Within {
    /// The words of a query may stand in different passages of one article (a phrase, a proximity
    /// and a `lede:` group stay inside one passage); `-word` excludes articles naming it anywhere.
    #[default]
    Article,
    /// Every required word in one passage; `-word` excludes passages.
    Passage,
}

/// Another passage of a hit's article, holding query words the hit lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Also {
    pub passage: u64,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
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
    /// The article's title, url, source and authors, when its source gave them.
    pub meta: ArticleMeta,
    pub text: String,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
    /// When matching whole articles: for each query word or phrase that the article's shown passages
    /// lack, the passage where it is best found (each passage once, in order).
    pub also: Vec<Also>,
    /// Ids of the other matching articles of the hit's story, collapsed under it (on an article's
    /// first hit; empty when copies are listed as hits of their own).
    pub copies: Vec<String>,
    /// The id of the hit's story: its earliest copy's (by date, then id), its own when it has none.
    pub story: String,
}

/// Runs a search. Hit texts are read lazily by [`SearchResults::hits`].
pub fn search(reader: &Reader, request: &SearchRequest) -> Result<SearchResults> {
    let fields = *reader.fields();
    let options = QueryOptions {
        match_mode: request.match_mode,
        ranking: request.ranking,
        fuzzy: request.fuzzy,
    };
    let searcher = reader.searcher();
    let (refs, counts, highlight) = match request.within {
        Within::Article => {
            let query = compile_articles(&request.query, &request.sources, &fields, options)?;
            let (refs, counts) = article_hits(reader, &query, request)?;
            (refs, Some(counts), query.highlight)
        }
        Within::Passage => {
            let compiled = compile(&request.query, &request.sources, &fields, options)?;
            let (refs, counts) =
                passage_hits(reader, compiled.query, compiled.lede_boost, request)?;
            (refs, counts, compiled.highlight)
        }
    };
    let highlight = expand_terms(&searcher, &fields, highlight)?;
    Ok(SearchResults {
        stories: reader.stories(),
        searcher,
        fields,
        refs,
        counts,
        highlighter: Highlighter::new(highlight),
    })
}

/// Hits when every required word must be in one passage: passages are matched and ranked on their own.
fn passage_hits(
    reader: &Reader,
    query: Box<dyn tantivy::query::Query>,
    lede_boost: f32,
    request: &SearchRequest,
) -> Result<(Vec<HitRef>, Option<MatchCounts>)> {
    let fields = *reader.fields();
    let searcher = reader.searcher();
    let query = within_dates(query, &fields, reader.date_bounds(), &request.dates);
    // Without copies in the index there is nothing to collapse.
    let collapse = request.collapse && !reader.stories().shared().is_empty();
    let top_only = request.sort == SortOrder::Relevance && request.per_article <= 1;
    Ok(match request.limit {
        Some(n) if top_only => {
            // Two cheap passes beat one expensive one: counting needs no scores, and the top-N
            // collector can skip blocks that cannot make the cut.
            let counts = if request.count {
                let t = searcher.search(query.as_ref(), &Totals { reader })?;
                Some(MatchCounts {
                    passages: t.passages,
                    articles: t.articles,
                    stories: t.stories.len() as u64,
                    first: None,
                    last: None,
                })
            } else {
                None
            };
            let refs = if collapse {
                collapse::collapsed_top(reader, query.as_ref(), n, lede_boost, request)?
            } else {
                top_refs(
                    reader,
                    query.as_ref(),
                    n,
                    n.saturating_mul(2),
                    lede_boost,
                    request,
                    None,
                )?
            };
            (refs, counts)
        }
        _ => {
            let collector = AllMatches { reader, lede_boost };
            let all = searcher.search(query.as_ref(), &collector)?;
            let mut stories = HashSet::new();
            let mut story_of: std::collections::HashMap<Arc<str>, StoryRef> = Default::default();
            for h in &all {
                if !story_of.contains_key(&h.article) {
                    let first = h
                        .address
                        .doc_id
                        .saturating_sub(h.passage.saturating_sub(1) as u32);
                    let story = reader.story_of(h.address.segment_ord, first)?;
                    stories.insert(story);
                    story_of.insert(h.article.clone(), story);
                }
            }
            let counts = MatchCounts {
                passages: all.len() as u64,
                articles: story_of.len() as u64,
                stories: stories.len() as u64,
                first: all.iter().filter_map(|h| h.date).min(),
                last: all.iter().filter_map(|h| h.date).max(),
            };
            let refs = if collapse {
                collapse_passages(all, &story_of, request)
            } else {
                rank(all, request)
            };
            (refs, Some(counts))
        }
    })
}

/// Ranks passages with the copies of a story collapsed: the story's articles other than the one of
/// its best-ranked passage are dropped and listed under that passage.
fn collapse_passages(
    all: Vec<HitRef>,
    story_of: &std::collections::HashMap<Arc<str>, StoryRef>,
    request: &SearchRequest,
) -> Vec<HitRef> {
    let mut unlimited = request.clone();
    unlimited.limit = None;
    let ranked = rank(all, &unlimited);
    // The article shown for each story: the first one met in the ranking.
    let mut shown: std::collections::HashMap<StoryRef, Arc<str>> = Default::default();
    let mut copies: std::collections::HashMap<Arc<str>, Vec<Arc<str>>> = Default::default();
    for h in &ranked {
        let story = story_of.get(&h.article).copied();
        let Some(story) = story else { continue };
        let first = shown.entry(story).or_insert_with(|| h.article.clone());
        if *first != h.article {
            let list = copies.entry(first.clone()).or_default();
            if !list.contains(&h.article) {
                list.push(h.article.clone());
            }
        }
    }
    let mut out: Vec<HitRef> = Vec::new();
    let mut seen: HashSet<Arc<str>> = HashSet::new();
    for mut h in ranked {
        let keep = story_of
            .get(&h.article)
            .and_then(|s| shown.get(s))
            .is_none_or(|a| *a == h.article);
        if !keep {
            continue;
        }
        if seen.insert(h.article.clone()) {
            if let Some(list) = copies.get(&h.article) {
                let mut list = list.clone();
                list.sort();
                h.copies = list;
            }
        }
        out.push(h);
    }
    out.truncate(request.limit.unwrap_or(usize::MAX));
    out
}

/// Hits when the query holds for whole articles: each matching article is ranked by the evidence of
/// its passages and shown by its best passages, with the passages holding the words those lack.
fn article_hits(
    reader: &Reader,
    query: &ArticleQuery,
    request: &SearchRequest,
) -> Result<(Vec<HitRef>, MatchCounts)> {
    let prepared = Prepared::new(reader, query, &request.dates, true)?;
    let mut matches: Vec<ArticleMatch> = Vec::new();
    let mut passages = 0u64;
    // By relevance, dates are read only for the articles that make the cut (unless the span of
    // the matches' dates is asked for).
    let with_dates = request.sort != SortOrder::Relevance || request.date_span;
    scan(reader, &prepared, with_dates, |m| {
        passages += u64::from(m.term_passages);
        matches.push(m);
    })?;
    let stories = reader.stories();
    // Matches come segment by segment: each segment's columns are fetched once.
    let mut story_of = Vec::with_capacity(matches.len());
    let mut columns: Option<(u32, Arc<crate::index::reader::SegmentColumns>)> = None;
    for m in &matches {
        let c = match &columns {
            Some((segment, c)) if *segment == m.segment => c.clone(),
            _ => {
                let c = reader.segment_columns(m.segment)?;
                columns = Some((m.segment, c.clone()));
                c
            }
        };
        story_of.push(c.story(m.segment, m.start, &stories));
    }
    let mut distinct: foldhash::HashSet<StoryRef> = foldhash::HashSet::default();
    distinct.extend(story_of.iter().copied());
    let counts = MatchCounts {
        passages,
        articles: matches.len() as u64,
        stories: distinct.len() as u64,
        first: with_dates
            .then(|| matches.iter().filter_map(|m| m.date).min())
            .flatten(),
        last: with_dates
            .then(|| matches.iter().filter_map(|m| m.date).max())
            .flatten(),
    };
    // Copies of a story: all but the best-ranked are hidden under it.
    let mut hidden: std::collections::HashMap<(u32, u32), Vec<ArticleMatch>> = Default::default();
    if request.collapse && !stories.shared().is_empty() {
        let better = |a: &ArticleMatch, b: &ArticleMatch| match request.sort {
            SortOrder::Relevance => a.score > b.score,
            SortOrder::Newest => a.date.unwrap_or(i64::MIN) > b.date.unwrap_or(i64::MIN),
            SortOrder::Oldest => a.date.unwrap_or(i64::MAX) < b.date.unwrap_or(i64::MAX),
        };
        let mut best: foldhash::HashMap<StoryRef, usize> = foldhash::HashMap::default();
        for (i, story) in story_of.iter().enumerate() {
            if let StoryRef::Shared(_) = story {
                let slot = best.entry(*story).or_insert(i);
                if better(&matches[i], &matches[*slot]) {
                    *slot = i;
                }
            }
        }
        let mut kept = Vec::with_capacity(matches.len());
        for (i, m) in matches.iter().enumerate() {
            match best.get(&story_of[i]) {
                Some(&b) if b != i => {
                    let rep = &matches[b];
                    hidden.entry((rep.segment, rep.start)).or_default().push(*m);
                }
                _ => kept.push(*m),
            }
        }
        matches = kept;
    }
    let limit = request.limit.unwrap_or(usize::MAX);
    // Passages ranked on their own (no per-article limit) may come from any article.
    let article_limit = if request.per_article == 0 && request.sort == SortOrder::Relevance {
        usize::MAX
    } else {
        limit
    };
    let ranked = order_articles(reader, matches, request.sort, article_limit)?;
    let wanted: Vec<ArticleMatch> = ranked.iter().map(|(m, _)| *m).collect();
    let details = details(reader, &prepared, &wanted)?;
    let mut refs = Vec::new();
    let mut ids = ArticleIds::new(reader);
    for ((m, id), detail) in ranked.into_iter().zip(details) {
        let mut copies = Vec::new();
        for c in hidden.get(&(m.segment, m.start)).into_iter().flatten() {
            copies.push(ids.get(c.segment, c.start)?);
        }
        copies.sort();
        let keep = match request.per_article {
            0 => detail.passages.len(),
            k => k.min(detail.passages.len()),
        };
        let mut shown = detail.passages[..keep].to_vec();
        let offsets: Vec<u32> = shown.iter().map(|p| detail.offset(p.doc)).collect();
        let also: Vec<(u64, DocAddress)> = detail
            .also(&offsets)
            .into_iter()
            .map(|(passage, doc)| (passage, DocAddress::new(m.segment, doc)))
            .collect();
        if request.sort != SortOrder::Relevance {
            // By date, an article's passages read in order.
            shown.sort_by_key(|p| p.passage);
        }
        for (i, p) in shown.into_iter().enumerate() {
            refs.push(HitRef {
                score: p.score,
                date: m.date,
                article: id.clone(),
                passage: p.passage,
                address: DocAddress::new(m.segment, p.doc),
                // The article's passages that hold what the shown ones lack, under its first hit.
                also: if i == 0 { also.clone() } else { Vec::new() },
                copies: if i == 0 { copies.clone() } else { Vec::new() },
            });
        }
    }
    if request.per_article == 0 && request.sort == SortOrder::Relevance {
        refs.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.date.unwrap_or(i64::MIN).cmp(&a.date.unwrap_or(i64::MIN)))
                .then_with(|| a.article.cmp(&b.article))
                .then_with(|| a.passage.cmp(&b.passage))
        });
    }
    refs.truncate(limit);
    Ok((refs, counts))
}

/// Visits every article matching `query` within `dates` (the query holding for the whole article), with
/// its date (seconds since the epoch), how many of its passages hold a query term, and its story.
/// Nothing is scored.
pub fn count_articles(
    reader: &Reader,
    query: &str,
    sources: &[String],
    options: QueryOptions,
    dates: &DateRange,
    mut visit: impl FnMut(Option<i64>, u64, StoryRef),
) -> Result<()> {
    visit_articles(reader, query, sources, options, dates, |m| {
        visit(m.date, u64::from(m.term_passages), m.story)
    })
}

/// How many articles hold a passage matching `query` (a tantivy query over passages).
pub fn count_matching_articles(reader: &Reader, query: &dyn tantivy::query::Query) -> Result<u64> {
    Ok(reader.searcher().search(query, &ArticleCount { reader })?)
}

/// A matching article as [`visit_articles`] reports it.
#[derive(Debug, Clone, Copy)]
pub struct MatchedArticle {
    pub segment: tantivy::SegmentOrdinal,
    /// The article's first passage in its segment (its other passages follow it).
    pub start: tantivy::DocId,
    /// Seconds since the epoch, `None` when undated.
    pub date: Option<i64>,
    pub story: StoryRef,
    /// Passages of the article holding a query term.
    pub term_passages: u32,
}

/// Visits every article matching `query` within `dates` (the query holding for the whole article).
/// Nothing is scored.
pub fn visit_articles(
    reader: &Reader,
    query: &str,
    sources: &[String],
    options: QueryOptions,
    dates: &DateRange,
    mut visit: impl FnMut(MatchedArticle),
) -> Result<()> {
    let query = compile_articles(query, sources, reader.fields(), options)?;
    let prepared = Prepared::new(reader, &query, dates, false)?;
    let stories = StoryLookup::new(reader);
    let mut failure = None;
    scan(reader, &prepared, true, |m| {
        match stories.of(m.segment, m.start) {
            Ok(story) => visit(MatchedArticle {
                segment: m.segment,
                start: m.start,
                date: m.date,
                story,
                term_passages: m.term_passages,
            }),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// The story of an article by its first passage, the story groups read once.
struct StoryLookup<'a> {
    reader: &'a Reader,
    stories: Arc<crate::index::stories::Stories>,
}

impl<'a> StoryLookup<'a> {
    fn new(reader: &'a Reader) -> StoryLookup<'a> {
        StoryLookup {
            reader,
            stories: reader.stories(),
        }
    }

    fn of(
        &self,
        segment: tantivy::SegmentOrdinal,
        start: tantivy::DocId,
    ) -> tantivy::Result<StoryRef> {
        Ok(self
            .reader
            .segment_columns(segment)?
            .story(segment, start, &self.stories))
    }
}

/// As [`count_articles`], with each article's source (`None` when it has none).
pub fn count_articles_by_source(
    reader: &Reader,
    query: &str,
    options: QueryOptions,
    dates: &DateRange,
    mut visit: impl FnMut(Option<&str>, Option<i64>, u64, StoryRef),
) -> Result<()> {
    let query = compile_articles(query, &[], reader.fields(), options)?;
    let prepared = Prepared::new(reader, &query, dates, false)?;
    // Source names by segment and column ordinal, read once each.
    let mut names: std::collections::HashMap<(u32, u64), Option<String>> = Default::default();
    let mut failure = None;
    let stories = StoryLookup::new(reader);
    scan(reader, &prepared, true, |m| {
        let story = match stories.of(m.segment, m.start) {
            Ok(s) => s,
            Err(e) => {
                failure.get_or_insert(e);
                return;
            }
        };
        let columns = match reader.segment_columns(m.segment) {
            Ok(c) => c,
            Err(e) => {
                failure.get_or_insert(e);
                return;
            }
        };
        let ord = columns
            .sources
            .as_ref()
            .and_then(|s| s.term_ords(m.start).next());
        let name = match ord {
            None => None,
            Some(o) => names
                .entry((m.segment, o))
                .or_insert_with(|| {
                    let mut name = String::new();
                    columns
                        .sources
                        .as_ref()
                        .and_then(|s| s.ord_to_str(o, &mut name).ok())
                        .filter(|found| *found)
                        .map(|_| name)
                })
                .as_deref(),
        };
        visit(name, m.date, u64::from(m.term_passages), story);
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// The first `limit` matching articles in the order asked for, with their ids. Ties: newer first, then
/// by article id.
fn order_articles(
    reader: &Reader,
    mut matches: Vec<ArticleMatch>,
    sort: SortOrder,
    limit: usize,
) -> Result<Vec<(ArticleMatch, Arc<str>)>> {
    let date = |m: &ArticleMatch| m.date.unwrap_or(i64::MIN);
    let by_score = |a: &ArticleMatch, b: &ArticleMatch| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| date(b).cmp(&date(a)))
    };
    let by_date = |a: &ArticleMatch, b: &ArticleMatch| {
        let order = match (a.date, b.date) {
            (Some(x), Some(y)) if sort == SortOrder::Newest => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        order.then_with(|| b.score.total_cmp(&a.score))
    };
    let key = |a: &ArticleMatch, b: &ArticleMatch| match sort {
        SortOrder::Relevance => by_score(a, b),
        SortOrder::Newest | SortOrder::Oldest => by_date(a, b),
    };
    if limit == 0 {
        return Ok(Vec::new());
    }
    if matches.len() > limit {
        // Keep the first `limit` and whatever ties the last of them: dates (by relevance) and article
        // ids decide among those.
        let first = |a: &ArticleMatch, b: &ArticleMatch| match sort {
            SortOrder::Relevance => b.score.total_cmp(&a.score),
            SortOrder::Newest | SortOrder::Oldest => by_date(a, b),
        };
        matches.select_nth_unstable_by(limit - 1, first);
        let last = matches[limit - 1];
        matches.retain(|m| first(m, &last) != std::cmp::Ordering::Greater);
    }
    if sort == SortOrder::Relevance {
        read_dates(reader, &mut matches)?;
    }
    let mut ids = ArticleIds::new(reader);
    let mut named = matches
        .into_iter()
        .map(|m| Ok((m, ids.get(m.segment, m.start)?)))
        .collect::<Result<Vec<_>>>()?;
    named.sort_by(|(a, x), (b, y)| key(a, b).then_with(|| x.cmp(y)));
    named.truncate(limit);
    Ok(named)
}

/// Article ids read from the fast field, each segment's column opened once.
struct ArticleIds<'a> {
    reader: &'a Reader,
    buf: String,
}

impl<'a> ArticleIds<'a> {
    fn new(reader: &'a Reader) -> ArticleIds<'a> {
        ArticleIds {
            reader,
            buf: String::new(),
        }
    }

    fn get(&mut self, segment: tantivy::SegmentOrdinal, doc: tantivy::DocId) -> Result<Arc<str>> {
        let columns = self.reader.segment_columns(segment)?;
        self.buf.clear();
        if let Some(col) = &columns.articles {
            if let Some(ord) = col.term_ords(doc).next() {
                col.ord_to_str(ord, &mut self.buf)
                    .map_err(tantivy::TantivyError::from)?;
            }
        }
        Ok(Arc::from(self.buf.as_str()))
    }
}

/// How many passages, articles and stories match a search (within its date range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchCounts {
    /// Every matching passage.
    pub passages: u64,
    /// Every article with a matching passage.
    pub articles: u64,
    /// Every story with a matching article (copies of one story count once).
    pub stories: u64,
    /// The earliest and latest date of the matching articles (seconds since the epoch), when read
    /// (see [`SearchRequest::date_span`]) and some are dated.
    pub first: Option<i64>,
    pub last: Option<i64>,
}

/// The outcome of a search: totals, and the ranked hits to read.
pub struct SearchResults {
    searcher: Searcher,
    stories: Arc<crate::index::stories::Stories>,
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
            let (headline, meta) = headline_and_meta(&doc, &self.fields);
            let snippet = highlighter.snippet(&text);
            let also = r
                .also
                .iter()
                .map(|&(passage, address)| {
                    let doc: TantivyDocument = self.searcher.doc(address)?;
                    let text = doc
                        .get_first(self.fields.text)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    let snippet = highlighter.snippet(text);
                    Ok(Also {
                        passage,
                        snippet: snippet.text,
                        highlights: snippet.highlights,
                    })
                })
                .collect::<Result<Vec<Also>>>()?;
            Ok(Hit {
                rank: i + 1,
                score: r.score,
                article: r.article.to_string(),
                date: r.date.and_then(format_day),
                passage: r.passage,
                headline,
                meta,
                text,
                snippet: snippet.text,
                highlights: snippet.highlights,
                also,
                copies: r.copies.iter().map(|c| c.to_string()).collect(),
                story: match self.stories.get(self.stories.of(article_key(&r.article))) {
                    Some(story) => story.id.clone(),
                    None => r.article.to_string(),
                },
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
        for doc in article_documents(&parsed.article, "seed.txt", &handle.fields) {
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

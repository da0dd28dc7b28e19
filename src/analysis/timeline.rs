//! Timelines: how many articles and passages match a query per calendar day, ISO week, month or year.
//!
//! tantivy's date histogram only knows fixed intervals, so matches are counted per day by a collector
//! that reads the date and article fast fields (no scoring, no stored text), and days are then folded
//! into calendar buckets here. An article has one date, so it falls in exactly one bucket.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};
use time::{Date, Duration, Month};

use crate::error::{Error, Result};
use crate::index::reader::Reader;
use crate::index::schema::{names, source_key};
use crate::index::stories::StoryRef;
use crate::search::date_filter::within_dates;
use crate::search::{
    compile, count_articles, count_articles_by_source, MatchMode, QueryOptions, Ranking, Within,
};
use crate::text::dates::{day_number_to_day, secs_to_day_number, DateRange};

/// The size of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucketing {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
    Year,
}

impl Bucketing {
    /// `day`, `week`, `month` or `year`.
    pub fn name(self) -> &'static str {
        match self {
            Bucketing::Day => "day",
            Bucketing::Week => "week",
            Bucketing::Month => "month",
            Bucketing::Year => "year",
        }
    }

    /// The first day of the bucket holding `d`.
    pub fn start_of(self, d: Date) -> Date {
        match self {
            Bucketing::Day => d,
            Bucketing::Week => d - Duration::days(i64::from(d.weekday().number_days_from_monday())),
            Bucketing::Month => d.replace_day(1).unwrap_or(d),
            Bucketing::Year => Date::from_calendar_date(d.year(), Month::January, 1).unwrap_or(d),
        }
    }

    /// The first day of the bucket after the one starting at `start`; `None` past the calendar's end.
    pub fn next(self, start: Date) -> Option<Date> {
        match self {
            Bucketing::Day => start.next_day(),
            Bucketing::Week => start.checked_add(Duration::days(7)),
            Bucketing::Month => {
                let (y, m) = match start.month() {
                    Month::December => (start.year() + 1, Month::January),
                    m => (start.year(), m.next()),
                };
                Date::from_calendar_date(y, m, 1).ok()
            }
            Bucketing::Year => Date::from_calendar_date(start.year() + 1, Month::January, 1).ok(),
        }
    }

    /// The bucket's label: `YYYY-MM-DD`, `YYYY-Www` (ISO week year), `YYYY-MM` or `YYYY`.
    pub fn label(self, start: Date) -> String {
        match self {
            Bucketing::Day => start.to_string(),
            Bucketing::Week => {
                let (year, week, _) = start.to_iso_week_date();
                format!("{year:04}-W{week:02}")
            }
            Bucketing::Month => format!("{:04}-{:02}", start.year(), u8::from(start.month())),
            Bucketing::Year => format!("{:04}", start.year()),
        }
    }

    /// The finest bucketing that gives at most 60 buckets over `first..=last` (years when none does).
    pub fn for_span(first: Date, last: Date) -> Bucketing {
        for b in [Bucketing::Day, Bucketing::Week, Bucketing::Month] {
            if bucket_count(b, first, last) <= 60 {
                return b;
            }
        }
        Bucketing::Year
    }
}

fn bucket_count(b: Bucketing, first: Date, last: Date) -> usize {
    let mut n = 0;
    let mut at = Some(b.start_of(first));
    while let Some(start) = at {
        if start > last || n > 60 {
            break;
        }
        n += 1;
        at = b.next(start);
    }
    n
}

/// What to count.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    /// One series per query.
    pub queries: Vec<String>,
    pub dates: DateRange,
    /// `None`: chosen from the span.
    pub by: Option<Bucketing>,
    pub match_mode: MatchMode,
    /// Whether a query holds for whole articles or single passages.
    pub within: Within,
    /// Only articles from these sources (any case); empty for every source.
    pub sources: Vec<String>,
    /// One series per source of the matches of the (single) query: the `n` with most articles, then
    /// the rest as [`OTHER_SOURCES`]. Counts whole articles.
    pub split_sources: Option<usize>,
    /// Also count every article of each bucket (of the `sources`, when given), for shares.
    pub share: bool,
    /// What the chart and the shares count.
    pub count: Count,
}

/// What a timeline's chart and shares count: stories (copies of one story once per bucket) or
/// every article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Count {
    #[default]
    Stories,
    Articles,
}

impl Count {
    pub fn name(self) -> &'static str {
        match self {
            Count::Stories => "stories",
            Count::Articles => "articles",
        }
    }
}

/// The label of the series of the sources past the top ones (and of articles without a source).
pub const OTHER_SOURCES: &str = "other";

/// One calendar bucket of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub start: Date,
    /// Last day of the bucket (inclusive).
    pub end: Date,
    pub label: String,
    pub articles: u64,
    pub passages: u64,
    /// Stories of the matching articles (copies of one story in the bucket count once).
    pub stories: u64,
    /// The bucket reaches outside the counted days (the date range, or the span of the matches): its
    /// counts cover only part of it, so a low count there is no real drop.
    pub partial: bool,
    /// Every article of the bucket, matching or not (of the request's sources), when shares were
    /// asked for.
    pub all_articles: Option<u64>,
    /// Every story of the bucket, when shares were asked for.
    pub all_stories: Option<u64>,
}

impl Bucket {
    /// The matching stories or articles (`count`) as a share (0 to 1) of all the bucket's; `None`
    /// for a bucket without any article (empty, not 0%) or when shares were not asked for.
    pub fn share(&self, count: Count) -> Option<f64> {
        let (n, all) = match count {
            Count::Stories => (self.stories, self.all_stories),
            Count::Articles => (self.articles, self.all_articles),
        };
        all.filter(|&all| all > 0).map(|all| n as f64 / all as f64)
    }

    /// The stories or the articles of the bucket.
    pub fn counted(&self, count: Count) -> u64 {
        match count {
            Count::Stories => self.stories,
            Count::Articles => self.articles,
        }
    }
}

/// The counts of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub query: String,
    pub buckets: Vec<Bucket>,
    /// Matching articles without a date (never inside a date range).
    pub undated_articles: u64,
    pub undated_passages: u64,
    pub undated_stories: u64,
}

impl Series {
    pub fn total_articles(&self) -> u64 {
        self.buckets.iter().map(|b| b.articles).sum::<u64>() + self.undated_articles
    }
}

/// A timeline of one or more series over the same buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub by: Bucketing,
    /// Whether `by` was chosen from the span rather than asked for.
    pub by_chosen: bool,
    pub series: Vec<Series>,
    /// Whether the buckets carry every article's count, for shares (see [`Bucket::share`]).
    pub share: bool,
    /// What the chart and the shares count.
    pub count: Count,
}

/// The counts of one day.
#[derive(Debug, Clone, Default)]
struct Day {
    articles: u64,
    passages: u64,
    /// The story of each article counted (stories are counted per bucket: one story may have
    /// copies on several days).
    stories: Vec<StoryRef>,
}

/// Per-day counts of one query: day number -> counts; `None` is undated.
type DayCounts = BTreeMap<Option<i32>, Day>;

/// Counts the matches of each query per bucket.
pub fn timeline(reader: &Reader, request: &TimelineRequest) -> Result<Timeline> {
    let fields = *reader.fields();
    let searcher = reader.searcher();
    // Counting needs no scores: no ranking clauses either.
    let options = QueryOptions {
        match_mode: request.match_mode,
        ranking: Ranking::PLAIN,
        fuzzy: false,
    };
    let mut per_query: Vec<DayCounts> = Vec::with_capacity(request.queries.len());
    let mut labels: Vec<String> = request.queries.clone();
    if let Some(top) = request.split_sources {
        let (names, counts) = split_by_source(reader, request, options, top)?;
        labels = names;
        per_query = counts;
    }
    for q in request
        .queries
        .iter()
        .filter(|_| request.split_sources.is_none())
    {
        per_query.push(match request.within {
            Within::Article => {
                let mut days = DayCounts::new();
                count_articles(
                    reader,
                    q,
                    &request.sources,
                    options,
                    &request.dates,
                    |date, passages, story| {
                        let day = date.map(secs_to_day_number);
                        let e = days.entry(day).or_default();
                        e.articles += 1;
                        e.passages += passages;
                        e.stories.push(story);
                    },
                )?;
                days
            }
            Within::Passage => {
                let compiled = compile(q, &request.sources, &fields, options)?.query;
                let query = within_dates(compiled, &fields, reader.date_bounds(), &request.dates);
                searcher.search(query.as_ref(), &DayCollector { reader })?
            }
        });
    }
    let Bucketed {
        by,
        by_chosen,
        starts,
        span,
        mut series,
    } = bucketed(request, &labels, per_query);
    let first_last = span;
    if request.share {
        let by_source = articles_per_day_by_source(reader)?;
        let wanted: Vec<String> = request.sources.iter().map(|s| source_key(s)).collect();
        let mut all = DayCounts::new();
        for (source, counts) in &by_source {
            if wanted.is_empty() || source.as_ref().is_some_and(|s| wanted.contains(s)) {
                merge(&mut all, counts);
            }
        }
        let bucketed = |counts: &DayCounts| make_series("", by, &starts, first_last, counts);
        let everything = bucketed(&all);
        // Split by source: each source's share is of its own articles; "other" of the rest.
        let split = request.split_sources.is_some();
        let rest = split.then(|| {
            let named: Vec<String> = series
                .iter()
                .filter(|s| s.query != OTHER_SOURCES)
                .map(|s| source_key(&s.query))
                .collect();
            let mut rest = DayCounts::new();
            for (source, counts) in &by_source {
                let wanted_source =
                    wanted.is_empty() || source.as_ref().is_some_and(|s| wanted.contains(s));
                let is_named = source.as_ref().is_some_and(|s| named.contains(s));
                if wanted_source && !is_named {
                    merge(&mut rest, counts);
                }
            }
            bucketed(&rest)
        });
        for s in &mut series {
            let own = match (&rest, s.query == OTHER_SOURCES) {
                (Some(rest), true) => rest.clone(),
                (Some(_), false) => by_source
                    .get(&Some(source_key(&s.query)))
                    .map(bucketed)
                    .unwrap_or_else(|| bucketed(&DayCounts::new())),
                (None, _) => everything.clone(),
            };
            set_totals(s, &own);
        }
    }
    Ok(Timeline {
        by,
        by_chosen,
        series,
        share: request.share,
        count: request.count,
    })
}

/// Gives each bucket of `series` the counts of every article of the same bucket of `all`, for shares.
fn set_totals(series: &mut Series, all: &Series) {
    for (b, total) in series.buckets.iter_mut().zip(&all.buckets) {
        b.all_articles = Some(total.articles);
        b.all_stories = Some(total.stories);
    }
}

/// The series of per-day counts folded into calendar buckets.
struct Bucketed {
    by: Bucketing,
    by_chosen: bool,
    starts: Vec<Date>,
    /// The first and last day counted (the date range, else the span of the matches).
    span: Option<(Date, Date)>,
    series: Vec<Series>,
}

fn bucketed(request: &TimelineRequest, labels: &[String], per_query: Vec<DayCounts>) -> Bucketed {
    let dated = per_query.iter().flat_map(|c| c.keys().flatten().copied());
    let (lo, hi) = (dated.clone().min(), dated.max());
    let first = request.dates.since.or(lo.and_then(day_number_to_day));
    let last = request.dates.until.or(hi.and_then(day_number_to_day));
    let (by, by_chosen) = match (request.by, first, last) {
        (Some(b), _, _) => (b, false),
        (None, Some(f), Some(l)) => (Bucketing::for_span(f, l), true),
        (None, _, _) => (Bucketing::Month, true),
    };
    let starts = match (first, last) {
        (Some(f), Some(l)) => bucket_starts(by, f, l),
        _ => Vec::new(),
    };
    let series: Vec<Series> = labels
        .iter()
        .zip(per_query)
        .map(|(q, counts)| make_series(q, by, &starts, first.zip(last), &counts))
        .collect();
    Bucketed {
        by,
        by_chosen,
        starts,
        span: first.zip(last),
        series,
    }
}

/// One day's counts of one query as another engine reports them (see [`timeline_from_days`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayTally {
    /// `None` for undated matches.
    pub day: Option<Date>,
    pub articles: u64,
    pub passages: u64,
    /// A key of each matching article's story (equal keys are one story).
    pub stories: Vec<u64>,
}

/// A timeline from per-day counts made elsewhere (one list per query of the request), folded into
/// calendar buckets as a local timeline is; `all` holds every article per day, for shares. A
/// request split by source is not taken.
pub fn timeline_from_days(
    request: &TimelineRequest,
    per_query: Vec<Vec<DayTally>>,
    all: Option<Vec<DayTally>>,
) -> Result<Timeline> {
    if request.split_sources.is_some() {
        return Err(Error::QueryLimit(
            "a timeline split by source needs the local index".to_string(),
        ));
    }
    let to_days = |tallies: Vec<DayTally>| {
        let mut days = DayCounts::new();
        for t in tallies {
            let e = days
                .entry(
                    t.day
                        .map(|d| secs_to_day_number(crate::text::dates::day_to_secs(d))),
                )
                .or_default();
            e.articles += t.articles;
            e.passages += t.passages;
            e.stories.extend(t.stories.into_iter().map(StoryRef::Own));
        }
        days
    };
    let counts: Vec<DayCounts> = per_query.into_iter().map(to_days).collect();
    let Bucketed {
        by,
        by_chosen,
        starts,
        span,
        mut series,
    } = bucketed(request, &request.queries, counts);
    if let (true, Some(all)) = (request.share, all) {
        let everything = make_series("", by, &starts, span, &to_days(all));
        for s in &mut series {
            set_totals(s, &everything);
        }
    }
    Ok(Timeline {
        by,
        by_chosen,
        series,
        share: request.share,
        count: request.count,
    })
}

/// Every article of the index per day (articles, 0 passages), by source (its [`source_key`]; `None`
/// for articles without one), in one pass over the date and source columns.
fn articles_per_day_by_source(reader: &Reader) -> Result<HashMap<Option<String>, DayCounts>> {
    let searcher = reader.searcher();
    let stories = reader.stories();
    let mut out: HashMap<Option<String>, DayCounts> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let columns = reader.segment_columns(ord as SegmentOrdinal)?;
        // The segment's source names by column ordinal, read once.
        let mut names: Vec<String> = Vec::new();
        if let Some(col) = &columns.sources {
            let mut name = String::new();
            for o in 0..col.num_terms() as u64 {
                name.clear();
                col.ord_to_str(o, &mut name)
                    .map_err(tantivy::TantivyError::from)?;
                names.push(source_key(&name));
            }
        }
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) || columns.passages.first(doc) != Some(1) {
                continue;
            }
            let source = columns
                .sources
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .and_then(|o| names.get(o as usize));
            let day = columns
                .dates
                .first(doc)
                .map(|d| secs_to_day_number(d.into_timestamp_secs()));
            let days = match out.get_mut(&source.cloned()) {
                Some(d) => d,
                None => out.entry(source.cloned()).or_default(),
            };
            let e = days.entry(day).or_default();
            e.articles += 1;
            e.stories
                .push(columns.story(ord as SegmentOrdinal, doc, &stories));
        }
    }
    Ok(out)
}

/// The day counts of the query's matches per source: the `top` sources with most articles (ties by
/// name), then the others together.
fn split_by_source(
    reader: &Reader,
    request: &TimelineRequest,
    options: QueryOptions,
    top: usize,
) -> Result<(Vec<String>, Vec<DayCounts>)> {
    let [query] = request.queries.as_slice() else {
        return Err(Error::QueryLimit(
            "a timeline split by source takes one query".to_string(),
        ));
    };
    if request.within == Within::Passage {
        return Err(Error::QueryLimit(
            "a timeline split by source counts whole articles, not single passages".to_string(),
        ));
    }
    let mut by_source: HashMap<Option<String>, DayCounts> = HashMap::new();
    let wanted: Vec<String> = request.sources.iter().map(|s| source_key(s)).collect();
    count_articles_by_source(
        reader,
        query,
        options,
        &request.dates,
        |source, date, passages, story| {
            if !wanted.is_empty() && !source.is_some_and(|s| wanted.contains(&source_key(s))) {
                return;
            }
            let days = match by_source.get_mut(&source.map(str::to_string)) {
                Some(d) => d,
                None => by_source.entry(source.map(str::to_string)).or_default(),
            };
            let e = days.entry(date.map(secs_to_day_number)).or_default();
            e.articles += 1;
            e.passages += passages;
            e.stories.push(story);
        },
    )?;
    let total = |c: &DayCounts| c.values().map(|v| v.articles).sum::<u64>();
    let mut named: Vec<(String, DayCounts)> = Vec::new();
    let mut other = DayCounts::new();
    for (source, counts) in by_source {
        match source {
            Some(s) => named.push((s, counts)),
            None => merge(&mut other, &counts),
        }
    }
    named.sort_by(|a, b| total(&b.1).cmp(&total(&a.1)).then_with(|| a.0.cmp(&b.0)));
    for (_, counts) in named.drain(top.min(named.len())..) {
        merge(&mut other, &counts);
    }
    let (mut labels, mut counts): (Vec<String>, Vec<DayCounts>) = named.into_iter().unzip();
    if !other.is_empty() {
        labels.push(OTHER_SOURCES.to_string());
        counts.push(other);
    }
    Ok((labels, counts))
}

fn merge(into: &mut DayCounts, from: &DayCounts) {
    for (day, d) in from {
        let e = into.entry(*day).or_default();
        e.articles += d.articles;
        e.passages += d.passages;
        e.stories.extend_from_slice(&d.stories);
    }
}

fn bucket_starts(by: Bucketing, first: Date, last: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut at = Some(by.start_of(first));
    while let Some(start) = at {
        if start > last {
            break;
        }
        out.push(start);
        at = by.next(start);
    }
    out
}

fn make_series(
    query: &str,
    by: Bucketing,
    starts: &[Date],
    span: Option<(Date, Date)>,
    counts: &DayCounts,
) -> Series {
    let mut buckets: Vec<Bucket> = starts
        .iter()
        .map(|&start| {
            let end = by
                .next(start)
                .and_then(|n| n.previous_day())
                .unwrap_or(Date::MAX);
            Bucket {
                start,
                end,
                label: by.label(start),
                articles: 0,
                passages: 0,
                stories: 0,
                partial: span.is_some_and(|(first, last)| start < first || end > last),
                all_articles: None,
                all_stories: None,
            }
        })
        .collect();
    let index: HashMap<Date, usize> = starts.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let (mut undated_articles, mut undated_passages) = (0, 0);
    let mut undated_stories: HashSet<StoryRef> = HashSet::new();
    let mut stories: Vec<HashSet<StoryRef>> = vec![HashSet::new(); buckets.len()];
    for (day, d) in counts {
        match day.and_then(day_number_to_day) {
            Some(date) => {
                if let Some(&i) = index.get(&by.start_of(date)) {
                    buckets[i].articles += d.articles;
                    buckets[i].passages += d.passages;
                    stories[i].extend(d.stories.iter().copied());
                }
            }
            None => {
                undated_articles += d.articles;
                undated_passages += d.passages;
                undated_stories.extend(d.stories.iter().copied());
            }
        }
    }
    for (b, s) in buckets.iter_mut().zip(stories) {
        b.stories = s.len() as u64;
    }
    Series {
        query: query.to_string(),
        buckets,
        undated_articles,
        undated_passages,
        undated_stories: undated_stories.len() as u64,
    }
}

/// Counts matching passages, distinct articles and their stories per day, without scores.
struct DayCollector<'a> {
    reader: &'a Reader,
}

struct SegmentDays {
    segment: SegmentOrdinal,
    columns: std::sync::Arc<crate::index::reader::SegmentColumns>,
    stories: std::sync::Arc<crate::index::stories::Stories>,
    dates: Column<DateTime>,
    articles: Option<StrColumn>,
    /// day -> passages
    passages: HashMap<Option<i32>, u64>,
    /// article ordinal -> its day (an article has one date) and story
    article_days: HashMap<u64, (Option<i32>, StoryRef)>,
}

impl Collector for DayCollector<'_> {
    type Fruit = DayCounts;
    type Child = SegmentDays;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDays> {
        let ff = reader.fast_fields();
        Ok(SegmentDays {
            segment,
            columns: self.reader.segment_columns(segment)?,
            stories: self.reader.stories(),
            dates: ff.date(names::DATE)?,
            articles: ff.str(names::ARTICLE)?,
            passages: HashMap::new(),
            article_days: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DayCounts>) -> tantivy::Result<DayCounts> {
        // Articles never span segments (each is written as one group), so counts add up.
        let mut out = DayCounts::new();
        for fruit in fruits {
            merge(&mut out, &fruit);
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentDays {
    type Fruit = DayCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let day = self
            .dates
            .first(doc)
            .map(|d| secs_to_day_number(d.into_timestamp_secs()));
        *self.passages.entry(day).or_insert(0) += 1;
        if let Some(ord) = self.articles.as_ref().and_then(|a| a.term_ords(doc).next()) {
            if !self.article_days.contains_key(&ord) {
                // An article's passages are consecutive documents: its first holds its key.
                let first = self.columns.first_doc(doc);
                let story = self.columns.story(self.segment, first, &self.stories);
                self.article_days.insert(ord, (day, story));
            }
        }
    }

    fn harvest(self) -> DayCounts {
        let mut out = DayCounts::new();
        for (day, passages) in self.passages {
            out.entry(day).or_default().passages += passages;
        }
        for (day, story) in self.article_days.into_values() {
            let e = out.entry(day).or_default();
            e.articles += 1;
            e.stories.push(story);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn buckets_follow_the_calendar() {
        assert_eq!(
            Bucketing::Month.start_of(date!(2024 - 01 - 31)),
            date!(2024 - 01 - 01)
        );
        assert_eq!(
            Bucketing::Month.next(date!(2023 - 12 - 01)),
            Some(date!(2024 - 01 - 01))
        );
        assert_eq!(
            Bucketing::Week.start_of(date!(2024 - 01 - 07)),
            date!(2024 - 01 - 01)
        );
        // ISO week 1 of 2021 starts on Monday 2021-01-04; 2021-01-01 belongs to 2020-W53.
        let w = Bucketing::Week.start_of(date!(2021 - 01 - 01));
        assert_eq!(w, date!(2020 - 12 - 28));
        assert_eq!(Bucketing::Week.label(w), "2020-W53");
        assert_eq!(Bucketing::Year.label(date!(2023 - 05 - 06)), "2023");
        assert_eq!(Bucketing::Month.label(date!(2023 - 05 - 01)), "2023-05");
    }

    #[test]
    fn default_bucketing_keeps_the_count_small() {
        assert_eq!(
            Bucketing::for_span(date!(2023 - 07 - 01), date!(2023 - 08 - 15)),
            Bucketing::Day
        );
        assert_eq!(
            Bucketing::for_span(date!(2023 - 01 - 01), date!(2023 - 12 - 31)),
            Bucketing::Week
        );
        assert_eq!(
            Bucketing::for_span(date!(2019 - 01 - 01), date!(2023 - 12 - 31)),
            Bucketing::Month
        );
        assert_eq!(
            Bucketing::for_span(date!(1987 - 01 - 01), date!(2026 - 10 - 31)),
            Bucketing::Year
        );
    }
}

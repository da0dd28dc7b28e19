//! The wire types of the machine-readable formats: what `--format json`, `jsonl` and `csv` write, field
//! by field. Their names are a contract with the scripts that read them, kept apart from the domain
//! types so that a change inside the library cannot rename a field by accident. Serialize-only: the
//! tests decode the output with structs of their own.

use std::borrow::Cow;

use serde::Serialize;

use crate::analysis::batch::BatchRow;
use crate::analysis::related::{Related, RelatedTerm};
use crate::analysis::{IndexStats, Timeline};
use crate::index::verify::VerifyReport;
use crate::index::StoredArticle;
use crate::search::Hit;

/// One hit in `json` and `jsonl`.
#[derive(Serialize)]
pub struct HitWire<'a> {
    pub rank: usize,
    pub score: f32,
    pub article: &'a str,
    pub date: Option<&'a str>,
    pub passage: u64,
    pub headline: &'a str,
    /// The title, url, source and authors of the article (`null` / `[]` when its source has none).
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub source: Option<&'a str>,
    pub authors: &'a [String],
    pub text: &'a str,
    pub snippet: &'a str,
    /// `[start, end]` byte ranges in `snippet`.
    pub highlights: &'a [(usize, usize)],
    /// The article's passages holding query words the hit lacks (empty when it holds them all).
    pub also: Vec<AlsoWire<'a>>,
    /// Other matching copies of the hit's story collapsed under it: how many, and their ids.
    pub copies: usize,
    pub copy_ids: &'a [String],
    /// The story's id: its earliest copy's (the hit's own article when it has no copy).
    pub story: &'a str,
}

/// One passage of a hit's `also`.
#[derive(Serialize)]
pub struct AlsoWire<'a> {
    pub passage: u64,
    pub snippet: &'a str,
    pub highlights: &'a [(usize, usize)],
}

impl<'a> From<&'a Hit> for HitWire<'a> {
    fn from(hit: &'a Hit) -> HitWire<'a> {
        HitWire {
            rank: hit.rank,
            score: hit.score,
            article: &hit.article,
            date: hit.date.as_deref(),
            passage: hit.passage,
            headline: &hit.headline,
            title: hit.meta.title.as_deref(),
            url: hit.meta.url.as_deref(),
            source: hit.meta.source.as_deref(),
            authors: &hit.meta.authors,
            text: &hit.text,
            snippet: &hit.snippet,
            highlights: &hit.highlights,
            also: hit
                .also
                .iter()
                .map(|a| AlsoWire {
                    passage: a.passage,
                    snippet: &a.snippet,
                    highlights: &a.highlights,
                })
                .collect(),
            copies: hit.copies.len(),
            copy_ids: &hit.copies,
            story: &hit.story,
        }
    }
}

/// The fields before `hits` in the `json` format.
#[derive(Serialize)]
pub struct SearchHeadWire<'a> {
    pub query: &'a str,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub total_passages: Option<u64>,
    pub total_articles: Option<u64>,
    pub total_stories: Option<u64>,
}

/// One row of `csv` and `tsv`: text cells defused for spreadsheets.
#[derive(Serialize)]
pub struct HitRow<'a> {
    pub rank: usize,
    pub score: f32,
    pub article: Cow<'a, str>,
    pub date: &'a str,
    pub passage: u64,
    pub headline: Cow<'a, str>,
    /// Empty when unknown.
    pub title: Cow<'a, str>,
    pub url: Cow<'a, str>,
    pub source: Cow<'a, str>,
    /// Authors separated by `; `.
    pub authors: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub snippet: Cow<'a, str>,
    /// `start-end` byte ranges in `snippet`, separated by `;`.
    pub highlights: String,
    /// The passages of `also`, separated by `;`.
    pub also_passages: String,
    /// Copies of the hit's story collapsed under it, and their ids separated by `;`.
    pub copies: usize,
    pub copy_ids: Cow<'a, str>,
    pub story: Cow<'a, str>,
}

/// An article for `show --format json`; `highlights` (one list of ranges per paragraph) only when a
/// query was given.
#[derive(Serialize)]
pub struct ArticleWire<'a> {
    pub article: &'a str,
    pub date: Option<&'a str>,
    pub headline: &'a str,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub source: Option<&'a str>,
    pub authors: &'a [String],
    pub paragraphs: &'a [String],
    /// `[first, last]` passage number of each paragraph (hits name passages).
    pub passages: &'a [(u64, u64)],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<&'a [Vec<(usize, usize)>]>,
}

impl<'a> ArticleWire<'a> {
    pub fn new(
        article: &'a StoredArticle,
        highlights: Option<&'a [Vec<(usize, usize)>]>,
    ) -> ArticleWire<'a> {
        ArticleWire {
            article: &article.article,
            date: article.date.as_deref(),
            headline: &article.headline,
            title: article.meta.title.as_deref(),
            url: article.meta.url.as_deref(),
            source: article.meta.source.as_deref(),
            authors: &article.meta.authors,
            paragraphs: &article.paragraphs,
            passages: &article.passages,
            highlights,
        }
    }
}

/// `info --format json`.
#[derive(Serialize)]
pub struct StatsWire<'a> {
    pub index: &'a str,
    pub articles: u64,
    /// Articles with the copies of a story counted once, and the copies.
    pub stories: u64,
    pub copies: u64,
    pub passages: u64,
    pub undated_articles: u64,
    pub first_date: Option<&'a str>,
    pub last_date: Option<&'a str>,
    pub size_bytes: u64,
    pub segments: usize,
    pub schema_version: u32,
    pub roots: Vec<RootWire<'a>>,
    pub last_indexed: Option<&'a str>,
    pub problems: &'a [String],
    /// Sources the articles name, and the ones with most articles.
    pub sources: u64,
    pub top_sources: Vec<SourceWire<'a>>,
}

/// A source in `info`, with its article count.
#[derive(Serialize)]
pub struct SourceWire<'a> {
    pub source: &'a str,
    pub articles: u64,
}

/// A corpus root in `info`.
#[derive(Serialize)]
pub struct RootWire<'a> {
    pub path: &'a str,
    /// Empty for the root whose ids have no prefix.
    pub label: &'a str,
}

impl<'a> From<&'a IndexStats> for StatsWire<'a> {
    fn from(s: &'a IndexStats) -> StatsWire<'a> {
        StatsWire {
            index: &s.index,
            articles: s.articles,
            stories: s.stories,
            copies: s.copies,
            passages: s.passages,
            undated_articles: s.undated_articles,
            first_date: s.first_date.as_deref(),
            last_date: s.last_date.as_deref(),
            size_bytes: s.size_bytes,
            segments: s.segments,
            schema_version: s.schema_version,
            roots: s
                .roots
                .iter()
                .map(|r| RootWire {
                    path: &r.path,
                    label: &r.label,
                })
                .collect(),
            last_indexed: s.last_indexed.as_deref(),
            problems: &s.problems,
            sources: s.sources,
            top_sources: s
                .top_sources
                .iter()
                .map(|(source, articles)| SourceWire {
                    source,
                    articles: *articles,
                })
                .collect(),
        }
    }
}

/// `verify --format json`.
#[derive(Serialize)]
pub struct VerifyWire<'a> {
    pub index: &'a str,
    pub segments: usize,
    pub files_checked: usize,
    pub bytes_checked: u64,
    pub damaged: &'a [String],
    pub warnings: &'a [String],
}

impl<'a> From<&'a VerifyReport> for VerifyWire<'a> {
    fn from(r: &'a VerifyReport) -> VerifyWire<'a> {
        VerifyWire {
            index: &r.index,
            segments: r.segments,
            files_checked: r.files_checked,
            bytes_checked: r.bytes_checked,
            damaged: &r.damaged,
            warnings: &r.warnings,
        }
    }
}

/// `timeline --format json`.
#[derive(Serialize)]
pub struct TimelineWire<'a> {
    /// `day`, `week`, `month` or `year`.
    pub by: &'static str,
    /// What the shares count: `stories` or `articles`.
    pub count: &'static str,
    pub series: Vec<SeriesWire<'a>>,
}

/// One query's counts in `timeline --format json`.
#[derive(Serialize)]
pub struct SeriesWire<'a> {
    pub query: &'a str,
    pub buckets: Vec<BucketWire<'a>>,
    /// Undated matching articles.
    pub undated: u64,
    pub undated_passages: u64,
    pub undated_stories: u64,
}

/// One bucket in `timeline --format json`.
#[derive(Serialize)]
pub struct BucketWire<'a> {
    pub start: String,
    pub end: String,
    pub label: &'a str,
    pub articles: u64,
    pub passages: u64,
    /// Stories of the matching articles (copies of one story count once).
    pub stories: u64,
    /// The bucket reaches outside the counted days (its counts cover part of it).
    pub partial: bool,
    /// With shares: every article and story of the bucket, and the matching stories' (or
    /// articles', see `count`) share of them (0 to 1; null for a bucket without any article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_articles: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_stories: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<Option<f64>>,
}

impl<'a> From<&'a Timeline> for TimelineWire<'a> {
    fn from(t: &'a Timeline) -> TimelineWire<'a> {
        TimelineWire {
            by: t.by.name(),
            count: t.count.name(),
            series: t
                .series
                .iter()
                .map(|s| SeriesWire {
                    query: &s.query,
                    buckets: s
                        .buckets
                        .iter()
                        .map(|b| BucketWire {
                            start: b.start.to_string(),
                            end: b.end.to_string(),
                            label: &b.label,
                            articles: b.articles,
                            passages: b.passages,
                            stories: b.stories,
                            partial: b.partial,
                            all_articles: b.all_articles,
                            all_stories: b.all_stories,
                            share: b.all_articles.map(|_| b.share(t.count)),
                        })
                        .collect(),
                    undated: s.undated_articles,
                    undated_passages: s.undated_passages,
                    undated_stories: s.undated_stories,
                })
                .collect(),
        }
    }
}

/// The columns of `timeline --format csv`.
pub const TIMELINE_COLUMNS: [&str; 5] = ["bucket", "series", "articles", "passages", "stories"];

/// The columns `timeline --share --format csv` adds after [`TIMELINE_COLUMNS`]: every article of the
/// bucket, every story, and the share (of stories or articles, as counted; empty for a bucket
/// without any article).
pub const TIMELINE_SHARE_COLUMNS: [&str; 3] = ["all_articles", "all_stories", "share"];

/// One query of `batch` in `json` and `jsonl`.
#[derive(Serialize)]
pub struct BatchRowWire<'a> {
    pub query: &'a str,
    /// `null` when the query could not run (see `error`).
    pub articles: Option<u64>,
    pub passages: Option<u64>,
    pub stories: Option<u64>,
    pub first_date: Option<&'a str>,
    pub last_date: Option<&'a str>,
    pub top_article: Option<&'a str>,
    pub error: Option<&'a str>,
    /// The top hits, with `--hits N` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<HitWire<'a>>>,
}

impl<'a> BatchRowWire<'a> {
    pub fn new(row: &'a BatchRow, with_hits: bool) -> BatchRowWire<'a> {
        BatchRowWire {
            query: &row.query,
            articles: row.counts.map(|c| c.articles),
            passages: row
                .counts
                .filter(|_| !row.passages_unknown)
                .map(|c| c.passages),
            stories: row.counts.map(|c| c.stories),
            first_date: row.first_date.as_deref(),
            last_date: row.last_date.as_deref(),
            top_article: row.top_article.as_deref(),
            error: row.error.as_deref(),
            hits: with_hits.then(|| row.hits.iter().map(HitWire::from).collect()),
        }
    }
}

/// The columns of `batch --format csv`: one row per query.
pub const BATCH_COLUMNS: [&str; 8] = [
    "query",
    "articles",
    "passages",
    "stories",
    "first_date",
    "last_date",
    "top_article",
    "error",
];

/// The columns `batch --hits N --format csv` adds after [`BATCH_COLUMNS`]: one row per hit.
pub const BATCH_HIT_COLUMNS: [&str; 11] = [
    "rank", "score", "article", "date", "passage", "headline", "source", "url", "snippet",
    "copies", "story",
];

/// `related --format json`.
#[derive(Serialize)]
pub struct RelatedWire<'a> {
    pub query: &'a str,
    /// Stories matching the query, and how many of them were read (all, or a sample).
    pub stories: u64,
    pub sampled: u64,
    /// Articles of the archive (or date range) compared with.
    pub background: u64,
    pub names: Vec<RelatedTermWire<'a>>,
    pub words: Vec<RelatedTermWire<'a>>,
    /// With `--by`: the top names of each bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buckets: Option<Vec<RelatedBucketWire<'a>>>,
}

/// One name or word of `related`.
#[derive(Serialize)]
pub struct RelatedTermWire<'a> {
    pub text: &'a str,
    /// Matching articles (of the sample) holding it, and articles of the archive (or range).
    pub in_matches: u64,
    pub in_archive: u64,
    /// JLH: (fg% - bg%) * fg% / bg%.
    pub score: f64,
}

/// One bucket of `related --by`.
#[derive(Serialize)]
pub struct RelatedBucketWire<'a> {
    pub label: &'a str,
    pub start: String,
    pub stories: u64,
    pub names: Vec<RelatedTermWire<'a>>,
}

fn related_terms(terms: &[RelatedTerm]) -> Vec<RelatedTermWire<'_>> {
    terms
        .iter()
        .map(|t| RelatedTermWire {
            text: &t.text,
            in_matches: t.in_matches,
            in_archive: t.in_archive,
            score: t.score,
        })
        .collect()
}

impl<'a> RelatedWire<'a> {
    pub fn new(query: &'a str, r: &'a Related, by: bool) -> RelatedWire<'a> {
        RelatedWire {
            query,
            stories: r.stories,
            sampled: r.sampled,
            background: r.background,
            names: related_terms(&r.names),
            words: related_terms(&r.words),
            buckets: by.then(|| {
                r.buckets
                    .iter()
                    .map(|b| RelatedBucketWire {
                        label: &b.label,
                        start: b.start.to_string(),
                        stories: b.stories,
                        names: related_terms(&b.names),
                    })
                    .collect()
            }),
        }
    }
}

/// The columns of `related --format csv`: one row per name or word (`bucket` empty for the whole
/// range; with `--by`, the bucket's names follow).
pub const RELATED_COLUMNS: [&str; 7] = [
    "bucket",
    "kind",
    "rank",
    "text",
    "in_matches",
    "in_archive",
    "score",
];

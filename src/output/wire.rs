//! The wire types of the machine-readable formats: what `--format json`, `jsonl` and `csv` write, field
//! by field. Their names are a contract with the scripts that read them, kept apart from the domain
//! types so that a change inside the library cannot rename a field by accident. Serialize-only: the
//! tests decode the output with structs of their own.

use std::borrow::Cow;

use serde::Serialize;

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
    pub text: &'a str,
    pub snippet: &'a str,
    /// `[start, end]` byte ranges in `snippet`.
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
            text: &hit.text,
            snippet: &hit.snippet,
            highlights: &hit.highlights,
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
    pub text: Cow<'a, str>,
    pub snippet: Cow<'a, str>,
    /// `start-end` byte ranges in `snippet`, separated by `;`.
    pub highlights: String,
}

/// An article for `show --format json`; `highlights` (one list of ranges per paragraph) only when a
/// query was given.
#[derive(Serialize)]
pub struct ArticleWire<'a> {
    pub article: &'a str,
    pub date: Option<&'a str>,
    pub headline: &'a str,
    pub paragraphs: &'a [String],
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
            paragraphs: &article.paragraphs,
            highlights,
        }
    }
}

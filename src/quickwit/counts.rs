//! Counting over a Quickwit index: how many passages, articles and stories match a search, and
//! timelines.
//!
//! Counts use Quickwit's native search API (dates as `start_timestamp` and `end_timestamp`). Days come
//! from a `date_histogram` with a fixed one-day interval (the only kind Quickwit has), folded into
//! calendar weeks, months and years by the local timeline code. Distinct articles and stories come
//! from terms aggregations, asked for a window of days at a time so that no answer passes Quickwit's
//! limit on buckets.

use std::collections::HashMap;

use serde_json::{json, Value};
use time::Date;

use super::mapping::{fields as f, ARTICLE_KIND, PASSAGE_KIND};
use super::query::Target;
use super::quote;
use super::search::{Cluster, ClusterCounts};
use crate::analysis::timeline::{timeline_from_days, DayTally, Timeline, TimelineRequest};
use crate::error::{Error, Result};
use crate::index::schema::{article_key, build_schema};
use crate::search::compile::{compile, QueryOptions};
use crate::search::{Ranking, Within};
use crate::text::dates::{secs_to_day, DateRange};

/// Buckets of a terms aggregation (distinct articles or stories counted exactly up to this).
const TERMS_LIMIT: u64 = 65_000;
/// Article ids named in one query.
const KEYS_PER_QUERY: usize = 500;
/// Matching documents whose distinct articles and stories one aggregation asks for: each gives at
/// most one bucket per article and one per story, within Quickwit's default limit of 65,000.
const WINDOW_DOCS: u64 = 30_000;
/// Matching articles whose passages a search counts (one request per 500 of them); past it the
/// count of passages is left out.
const COUNTED_ARTICLES: usize = 5_000;

impl Cluster {
    /// Matching documents of `kind`, and their distinct articles and stories (over articles, the
    /// passages of the matching articles holding one of `words`).
    pub(super) fn counts(
        &self,
        kind: &str,
        query: &str,
        words: Option<&str>,
        dates: &DateRange,
    ) -> Result<ClusterCounts> {
        let (tallies, keys) = self.tallies(kind, query, dates)?;
        let docs: u64 = tallies
            .iter()
            .map(|t| {
                if kind == ARTICLE_KIND {
                    t.articles
                } else {
                    t.passages
                }
            })
            .sum();
        let mut stories: Vec<u64> = tallies
            .iter()
            .flat_map(|t| t.stories.iter().copied())
            .collect();
        stories.sort_unstable();
        stories.dedup();
        let articles: u64 = tallies.iter().map(|t| t.articles).sum();
        let passages = match (kind, words) {
            (ARTICLE_KIND, _) if keys.len() > COUNTED_ARTICLES => None,
            (ARTICLE_KIND, Some(w)) => Some(self.passages_per_day(&keys, w)?.values().sum()),
            (ARTICLE_KIND, None) => Some(0),
            _ => Some(docs),
        };
        Ok(ClusterCounts {
            passages,
            articles: Some(articles),
            stories: Some(stories.len() as u64),
        })
    }

    /// Counts the matches of each query per day, folded into calendar buckets.
    pub fn timeline(&self, request: &TimelineRequest) -> Result<Timeline> {
        let options = QueryOptions {
            match_mode: request.match_mode,
            ranking: Ranking::PLAIN,
            fuzzy: false,
        };
        let target = match request.within {
            Within::Article => Target::Articles,
            Within::Passage => Target::Passages,
        };
        let kind = match target {
            Target::Articles => ARTICLE_KIND,
            Target::Passages => PASSAGE_KIND,
        };
        let (_, fields) = build_schema();
        let mut per_query = Vec::new();
        for q in &request.queries {
            let translated = self.translate(q, &request.sources, options, target)?;
            // Same errors as a local timeline.
            compile(q, &request.sources, &fields, options)?;
            per_query.push(self.days(
                kind,
                &translated.query,
                translated.passage_words.as_deref(),
                &request.dates,
            )?);
        }
        let all = if request.share {
            let everything = match request.sources.as_slice() {
                [] => "*".to_string(),
                names => {
                    let list: Vec<String> = names
                        .iter()
                        .map(|s| {
                            format!(
                                "{}:{}",
                                f::SOURCE_KEY,
                                quote(&crate::index::schema::source_key(s))
                            )
                        })
                        .collect();
                    format!("({})", list.join(" OR "))
                }
            };
            Some(self.days(ARTICLE_KIND, &everything, None, &request.dates)?)
        } else {
            None
        };
        timeline_from_days(request, per_query, all)
    }

    /// Per-day counts of `query` over documents of `kind` (articles, or passages with their
    /// articles), and the undated ones.
    fn days(
        &self,
        kind: &str,
        query: &str,
        words: Option<&str>,
        dates: &DateRange,
    ) -> Result<Vec<DayTally>> {
        let (mut out, keys) = self.tallies(kind, query, dates)?;
        // Matching whole articles, a day's passages are those of its articles that hold a word of
        // the query.
        if kind == ARTICLE_KIND {
            let per_day = match words {
                Some(w) => self.passages_per_day(&keys, w)?,
                None => HashMap::new(),
            };
            for t in &mut out {
                t.passages = per_day.get(&t.day).copied().unwrap_or(0);
            }
        }
        Ok(out)
    }

    /// Per-day counts of `query` over documents of `kind` without the passages of matching articles,
    /// and the ids of the matching articles (of articles only). The distinct articles and stories
    /// of each day come from terms aggregations, asked for a window of days at a time so that no
    /// answer holds more buckets than Quickwit allows; undated matches are split by article key.
    fn tallies(
        &self,
        kind: &str,
        query: &str,
        dates: &DateRange,
    ) -> Result<(Vec<DayTally>, Vec<String>)> {
        let sub = json!({
            "stories": {"terms": {"field": f::STORY, "size": TERMS_LIMIT}},
            "articles": {"terms": {"field": f::ARTICLE, "size": TERMS_LIMIT}},
        });
        let mut keys: Vec<String> = Vec::new();
        let mut out = Vec::new();
        let q = format!(
            "{} AND {}:1",
            self.filtered(kind, query, &DateRange::default()),
            f::DATED
        );
        // Days and their counts first, then the distinct articles and stories a window at a time.
        let mut windows: Vec<(Date, Date, u64)> = Vec::new();
        for b in self.daily(&q, Value::Null, dates)? {
            let (Some(day), count) = self.day_of(&b)? else {
                continue;
            };
            match windows.last_mut() {
                Some(w) if w.2 + count <= WINDOW_DOCS => {
                    w.1 = day;
                    w.2 += count;
                }
                _ => windows.push((day, day, count)),
            }
        }
        for (first, last, _) in windows {
            let window = DateRange {
                since: Some(first),
                until: Some(last),
            };
            for b in self.daily(&q, sub.clone(), &window)? {
                if let (Some(day), count) = self.day_of(&b)? {
                    out.push(self.tally(kind, Some(day), count, &b, &mut keys)?);
                }
            }
        }
        if dates.is_unbounded() {
            let q = format!("{} AND {}:0", self.filtered(kind, query, dates), f::DATED);
            let n = self.num_hits(&self.native(json!({"query": q, "max_hits": 0}), dates)?)?;
            if n > 0 {
                // Article keys are hashes, spread evenly: ranges of them split the undated matches.
                let parts = if n <= WINDOW_DOCS {
                    1
                } else {
                    n.div_ceil(WINDOW_DOCS) * 2
                };
                let width = u64::MAX / parts;
                let mut undated = DayTally::default();
                for i in 0..parts {
                    let (lo, hi) = (
                        i * width,
                        if i + 1 == parts {
                            u64::MAX
                        } else {
                            (i + 1) * width - 1
                        },
                    );
                    let part = if parts == 1 {
                        q.clone()
                    } else {
                        format!("{q} AND {}:[{lo} TO {hi}]", f::KEY)
                    };
                    let answer =
                        self.native(json!({"query": part, "max_hits": 0, "aggs": sub}), dates)?;
                    let count = self.num_hits(&answer)?;
                    if count == 0 {
                        continue;
                    }
                    let aggs = answer.get("aggregations").cloned().unwrap_or(Value::Null);
                    let t = self.tally(kind, None, count, &aggs, &mut keys)?;
                    undated.articles += t.articles;
                    undated.passages += t.passages;
                    undated.stories.extend(t.stories);
                }
                out.push(undated);
            }
        }
        Ok((out, keys))
    }

    /// A histogram bucket's day and count.
    fn day_of(&self, bucket: &Value) -> Result<(Option<Date>, u64)> {
        let count = bucket.get("doc_count").and_then(Value::as_u64).unwrap_or(0);
        let key_ms = bucket
            .get("key")
            .and_then(Value::as_f64)
            .ok_or_else(|| self.bad("a histogram bucket without a key"))?;
        let day = (count > 0)
            .then(|| secs_to_day((key_ms / 1000.0).floor() as i64))
            .flatten();
        Ok((day, count))
    }

    /// The days of `query`'s matches (Quickwit's date histogram has fixed intervals only: one day),
    /// each bucket with the sub-aggregations `sub`.
    fn daily(&self, query: &str, sub: Value, dates: &DateRange) -> Result<Vec<Value>> {
        let mut days = json!({
            "date_histogram": {"field": f::TIMESTAMP, "fixed_interval": "1d", "min_doc_count": 1},
        });
        if !sub.is_null() {
            days["aggs"] = sub;
        }
        let answer = self.native(
            json!({"query": query, "max_hits": 0, "aggs": {"days": days}}),
            dates,
        )?;
        Ok(answer
            .pointer("/aggregations/days/buckets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// Passages of `articles` that match `words`, per day (`None`: undated).
    fn passages_per_day(
        &self,
        articles: &[String],
        words: &str,
    ) -> Result<HashMap<Option<Date>, u64>> {
        let mut out: HashMap<Option<Date>, u64> = HashMap::new();
        for chunk in articles.chunks(KEYS_PER_QUERY) {
            let list: Vec<String> = chunk
                .iter()
                .map(|a| format!("{}:{}", f::ARTICLE, quote(a)))
                .collect();
            let q = format!(
                "{} AND ({words}) AND ({})",
                self.visible(PASSAGE_KIND),
                list.join(" OR ")
            );
            let dated = json!({"dated": {"terms": {"field": f::DATED, "size": 2}}});
            for b in &self.daily(&q, dated, &DateRange::default())? {
                let (day, _) = self.day_of(b)?;
                let split = b
                    .pointer("/dated/buckets")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for d in split {
                    let n = d.get("doc_count").and_then(Value::as_u64).unwrap_or(0);
                    let dated = d.get("key").and_then(Value::as_f64).unwrap_or(0.0) >= 1.0;
                    *out.entry(if dated { day } else { None }).or_default() += n;
                }
            }
        }
        Ok(out)
    }

    fn tally(
        &self,
        kind: &str,
        day: Option<Date>,
        count: u64,
        aggs: &Value,
        all_ids: &mut Vec<String>,
    ) -> Result<DayTally> {
        let keys = |name: &str| -> Result<Vec<Value>> {
            let agg = aggs
                .get(name)
                .ok_or_else(|| self.bad("a missing aggregation"))?;
            if agg
                .get("sum_other_doc_count")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                > 0
            {
                return Err(Error::EngineUnsupported(format!(
                    "more than {TERMS_LIMIT} distinct {name} on one day: Quickwit's terms aggregation cannot count them all"
                )));
            }
            Ok(agg
                .get("buckets")
                .and_then(Value::as_array)
                .map(|b| b.iter().filter_map(|x| x.get("key").cloned()).collect())
                .unwrap_or_default())
        };
        let stories: Vec<u64> = keys("stories")?
            .iter()
            .map(|k| article_key(k.as_str().unwrap_or_default()))
            .collect();
        let articles = keys("articles")?;
        Ok(match kind {
            ARTICLE_KIND => {
                all_ids.extend(
                    articles
                        .iter()
                        .filter_map(|a| a.as_str().map(str::to_string)),
                );
                DayTally {
                    day,
                    articles: count,
                    passages: 0,
                    stories,
                }
            }
            _ => DayTally {
                day,
                articles: articles.len() as u64,
                passages: count,
                stories,
            },
        })
    }
}

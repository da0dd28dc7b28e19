//! Searching a Quickwit index that `push` filled: hits, whole articles and statistics, with
//! dateline's semantics (counts and timelines are in [`super::counts`]).
//!
//! Hits come from Quickwit's Elasticsearch-compatible API, which gives each hit its score, and a
//! scroll past the 10,000 hits that paging reaches. Grouping by article, collapsing the copies of a
//! story, the passages shown for an article and snippets are done here, as for a local index.

use std::collections::HashMap;

use serde_json::{json, Value};
use time::Date;

use super::client::Client;
use super::mapping::{fields as f, ARTICLE_KIND, PASSAGE_KIND};
use super::query::{translate, Target};
use super::{manifest, quote, EngineSpec, Manifest};
use crate::error::{Error, Result};
use crate::index::reader::{join_paragraphs, StoredArticle};
use crate::index::schema::build_schema;
use crate::ingest::ArticleMeta;
use crate::search::compile::{compile, QueryOptions};
use crate::search::highlight::{HighlightTerms, Highlighter, Marks};
use crate::search::{Hit, SearchRequest, SortOrder, Within};
use crate::text::dates::{day_to_secs, format_day, DateRange};

/// Hits one request of the Elasticsearch-compatible API can reach by paging.
const PAGE_LIMIT: usize = 10_000;
/// Hits asked for per request.
const PAGE: usize = 500;
/// Articles named in one query.
const IDS_PER_QUERY: usize = 200;
/// A Quickwit index that dateline pushed, opened for searching.
pub struct Cluster {
    client: Client,
    index_id: String,
    manifest: Manifest,
    /// The local index that was pushed there, for fuzzy words.
    local: Option<LocalTerms>,
}

/// The words of the local index that was pushed to the cluster: fuzzy words are expanded from its
/// dictionaries into the words they match there, which the pushed documents hold too.
pub struct LocalTerms {
    searcher: tantivy::Searcher,
    exact: tantivy::schema::Field,
    head_exact: tantivy::schema::Field,
}

impl LocalTerms {
    /// Every word of the exact (or headline) field within `distance` edits of `word`, as the local
    /// index's fuzzy query matches them.
    fn fuzzy(&self, headline: bool, word: &str, distance: u8) -> Result<Vec<String>> {
        let field = if headline {
            self.head_exact
        } else {
            self.exact
        };
        let query = tantivy::query::FuzzyTermQuery::new(
            tantivy::Term::from_field_text(field, word),
            distance,
            true,
        );
        let automaton = query.automaton()?;
        let mut found = Vec::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                found.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        found.sort();
        found.dedup();
        Ok(found)
    }
}

/// How many passages, articles and stories match, as far as Quickwit tells exactly (`None` where
/// it cannot: passages when matching whole articles, and more distinct articles or stories than a
/// terms aggregation returns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterCounts {
    pub passages: Option<u64>,
    pub articles: Option<u64>,
    pub stories: Option<u64>,
}

/// The hits of a search, in order, with the counts when asked for.
#[derive(Debug, Clone, Default)]
pub struct ClusterResults {
    pub hits: Vec<Hit>,
    pub counts: Option<ClusterCounts>,
}

/// What `info` says of a Quickwit index: what is visible now, and what the last push said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInfo {
    /// `quickwit://host:port/index`
    pub index: String,
    pub articles: u64,
    pub passages: u64,
    pub undated_articles: u64,
    /// Articles with the copies of a story counted once, and the copies (as pushed).
    pub stories: u64,
    pub copies: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// When the last push ended (RFC 3339).
    pub last_pushed: Option<String>,
    pub push_generation: u64,
    pub live_generations: Vec<u64>,
    /// Replaced or removed article versions that Quickwit has not deleted yet (hidden from searches).
    pub stale_versions: u64,
    pub sources: u64,
    pub top_sources: Vec<(String, u64)>,
}

/// One hit of the Elasticsearch-compatible API.
#[derive(Debug, Clone)]
struct Doc {
    score: f32,
    source: Value,
}

impl Doc {
    fn text(&self, field: &str) -> Option<&str> {
        self.source.get(field).and_then(Value::as_str)
    }

    fn number(&self, field: &str) -> Option<u64> {
        self.source.get(field).and_then(Value::as_u64)
    }

    fn article(&self) -> &str {
        self.text(f::ARTICLE).unwrap_or_default()
    }

    fn story(&self) -> &str {
        self.text(f::STORY).unwrap_or_else(|| self.article())
    }

    /// Seconds since the epoch of the article's day; `None` when undated.
    fn date(&self) -> Option<i64> {
        if self.number(f::DATED) != Some(1) {
            return None;
        }
        timestamp_secs(self.source.get(f::TIMESTAMP)?)
    }

    fn meta(&self) -> (String, ArticleMeta) {
        let title = self.text(f::TITLE).map(str::to_string);
        let headline = title
            .clone()
            .or_else(|| self.text(f::HEADLINE).map(str::to_string))
            .unwrap_or_default();
        let authors = self
            .source
            .get(f::AUTHORS)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let meta = ArticleMeta {
            title,
            url: self.text(f::URL).map(str::to_string),
            source: self.text(f::SOURCE).map(str::to_string),
            authors,
        };
        (headline, meta)
    }
}

/// A timestamp as Quickwit answers it (seconds, or an RFC 3339 string).
fn timestamp_secs(v: &Value) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(n);
    }
    if let Some(x) = v.as_f64() {
        return Some(x as i64);
    }
    let text = v.as_str()?;
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

fn rfc3339_day(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

impl Cluster {
    /// Opens the index `spec` names; an index nothing was pushed to is an error.
    pub fn open(spec: &EngineSpec) -> Result<Cluster> {
        let client =
            Client::new(&spec.base)?.with_retries(2, std::time::Duration::from_millis(200));
        Cluster::with_client(client, &spec.index_id)
    }

    /// Opens `index_id` through `client`.
    pub fn with_client(client: Client, index_id: &str) -> Result<Cluster> {
        let manifest = manifest(&client, index_id)?.ok_or_else(|| Error::ClusterEmpty {
            url: client.base().to_string(),
            index_id: index_id.to_string(),
        })?;
        Ok(Cluster {
            client,
            index_id: index_id.to_string(),
            manifest,
            local: None,
        })
    }

    /// Takes the local index `reader` reads (kept in `index_dir`) for fuzzy words, when it is what
    /// the cluster's last push sent (unchanged since); returns whether it was taken.
    pub fn attach_local(
        &mut self,
        reader: &crate::index::Reader,
        index_dir: &std::path::Path,
    ) -> bool {
        let same = super::push::pushed_as_is(
            reader,
            index_dir,
            self.client.base(),
            &self.index_id,
            self.manifest.gen,
        );
        if same {
            let fields = reader.fields();
            self.local = Some(LocalTerms {
                searcher: reader.searcher(),
                exact: fields.exact,
                head_exact: fields.head_exact,
            });
        }
        same
    }

    /// A query translated for this cluster (fuzzy words expanded from the attached local index).
    pub(super) fn translate(
        &self,
        query: &str,
        sources: &[String],
        options: QueryOptions,
        target: Target,
    ) -> Result<super::query::Translated> {
        match &self.local {
            Some(local) => {
                let expand = |headline: bool, word: &str, distance: u8| {
                    local.fuzzy(headline, word, distance)
                };
                super::query::translate_with(query, sources, options, target, Some(&expand))
            }
            None => translate(query, sources, options, target),
        }
    }

    /// What the last push said of the index.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// `quickwit://host:port/index`.
    pub fn name(&self) -> String {
        format!(
            "quickwit://{}/{}",
            self.client.base().trim_start_matches("http://"),
            self.index_id
        )
    }

    /// The documents of `kind` that the last push made visible.
    pub(super) fn visible(&self, kind: &str) -> String {
        let gens: Vec<String> = self
            .manifest
            .live
            .iter()
            .map(|g| format!("{}:{g}", f::GEN))
            .collect();
        let mut q = format!("{}:{kind} AND ({})", f::KIND, gens.join(" OR "));
        if !self.manifest.stale.is_empty() {
            let stale: Vec<String> = self
                .manifest
                .stale
                .iter()
                .map(|a| format!("{}:{}", f::AV, quote(a)))
                .collect();
            q.push_str(&format!(" AND NOT ({})", stale.join(" OR ")));
        }
        q
    }

    /// `query` over the visible documents of `kind`; dated ones only when `dates` bound it.
    pub(super) fn filtered(&self, kind: &str, query: &str, dates: &DateRange) -> String {
        let mut q = format!("{} AND {query}", self.visible(kind));
        if !dates.is_unbounded() {
            q.push_str(&format!(" AND {}:1", f::DATED));
        }
        q
    }

    /// The native search API.
    pub(super) fn native(&self, mut body: Value, dates: &DateRange) -> Result<Value> {
        if let Some(since) = dates.since {
            body["start_timestamp"] = json!(day_to_secs(since));
        }
        if let Some(until) = dates.until {
            body["end_timestamp"] = json!(day_to_secs(until) + 86_400);
        }
        let answer = self
            .client
            .post_json(&format!("/api/v1/{}/search", self.index_id), &body)?;
        // Splits that failed make an answer partial: never shown as if whole.
        super::whole(&self.client, &answer)?;
        Ok(answer)
    }

    pub(super) fn num_hits(&self, answer: &Value) -> Result<u64> {
        answer
            .get("num_hits")
            .and_then(Value::as_u64)
            .ok_or_else(|| self.bad("no num_hits in a search answer"))
    }

    pub(super) fn bad(&self, what: &str) -> Error {
        Error::Cluster {
            url: self.client.base().to_string(),
            detail: format!("unexpected answer: {what}"),
        }
    }

    /// The Elasticsearch-compatible search body for `query` within `dates`.
    fn es_body(&self, query: &str, dates: &DateRange, sort: SortOrder, size: usize) -> Value {
        let mut must = vec![json!({"query_string": {"query": query}})];
        if !dates.is_unbounded() {
            let mut range = serde_json::Map::new();
            if let Some(s) = dates.since {
                range.insert("gte".into(), json!(rfc3339_day(s)));
            }
            if let Some(u) = dates.until.and_then(|u| u.next_day()) {
                range.insert("lt".into(), json!(rfc3339_day(u)));
            }
            must.push(json!({"range": {f::TIMESTAMP: range}}));
        }
        let sort = match sort {
            SortOrder::Relevance => json!([{"_score": {"order": "desc"}}]),
            SortOrder::Newest => {
                json!([{f::TIMESTAMP: {"order": "desc"}}, {"_score": {"order": "desc"}}])
            }
            SortOrder::Oldest => {
                json!([{f::TIMESTAMP: {"order": "asc"}}, {"_score": {"order": "desc"}}])
            }
        };
        json!({
            "query": {"bool": {"must": must}},
            "size": size,
            "sort": sort,
            "track_total_hits": true,
        })
    }

    /// One page of hits.
    fn es_page(
        &self,
        body: &Value,
        from: usize,
        scroll: bool,
    ) -> Result<(u64, Vec<Doc>, Option<String>)> {
        let mut body = body.clone();
        body["from"] = json!(from);
        let path = if scroll {
            format!("/api/v1/_elastic/{}/_search?scroll=5m", self.index_id)
        } else {
            format!("/api/v1/_elastic/{}/_search", self.index_id)
        };
        let answer = self.client.post_json(&path, &body)?;
        self.es_docs(&answer)
    }

    fn es_docs(&self, answer: &Value) -> Result<(u64, Vec<Doc>, Option<String>)> {
        let failed = answer
            .pointer("/_shards/failed")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if failed > 0 || answer.get("timed_out").and_then(Value::as_bool) == Some(true) {
            let first = answer
                .pointer("/_shards/failures/0")
                .map_or_else(|| "timed out".to_string(), Value::to_string);
            return Err(super::partial(&self.client, &first, failed.max(1) as usize));
        }
        let hits = answer
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .ok_or_else(|| self.bad("no hits in a search answer"))?;
        let total = answer
            .pointer("/hits/total/value")
            .and_then(Value::as_u64)
            .unwrap_or(hits.len() as u64);
        let docs = hits
            .iter()
            .map(|h| Doc {
                score: h.get("_score").and_then(Value::as_f64).unwrap_or(0.0) as f32,
                source: h.get("_source").cloned().unwrap_or(Value::Null),
            })
            .collect();
        let scroll = answer
            .get("_scroll_id")
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok((total, docs, scroll))
    }

    /// Hits of `query` in order, page by page, until `visit` says stop (returns `false`) or none are
    /// left; past what paging reaches, through a scroll.
    fn each_doc(
        &self,
        query: &str,
        dates: &DateRange,
        sort: SortOrder,
        mut visit: impl FnMut(Doc) -> bool,
    ) -> Result<u64> {
        let body = self.es_body(query, dates, sort, PAGE);
        let (total, docs, _) = self.es_page(&body, 0, false)?;
        let mut from = docs.len();
        for d in docs {
            if !visit(d) {
                return Ok(total);
            }
        }
        while (from as u64) < total && from + PAGE <= PAGE_LIMIT {
            let (_, docs, _) = self.es_page(&body, from, false)?;
            if docs.is_empty() {
                return Ok(total);
            }
            from += docs.len();
            for d in docs {
                if !visit(d) {
                    return Ok(total);
                }
            }
        }
        if (from as u64) >= total {
            return Ok(total);
        }
        // Past the paging limit: a scroll from the start, skipping what was seen.
        let (_, mut docs, mut scroll_id) = self.es_page(&body, 0, true)?;
        let mut seen = 0usize;
        loop {
            if docs.is_empty() {
                return Ok(total);
            }
            for d in docs {
                seen += 1;
                if seen > from && !visit(d) {
                    return Ok(total);
                }
            }
            let Some(id) = scroll_id.take() else {
                return Ok(total);
            };
            let answer = self.client.post_json(
                "/api/v1/_elastic/_search/scroll",
                &json!({"scroll_id": id, "scroll": "5m"}),
            )?;
            let (_, next, next_id) = self.es_docs(&answer)?;
            docs = next;
            scroll_id = next_id;
        }
    }

    /// As [`Cluster::each_doc`], with undated matches after the dated ones when sorting by date
    /// (their timestamp, the epoch, would put them among the dated).
    fn each_ordered(
        &self,
        query: &str,
        dates: &DateRange,
        sort: SortOrder,
        mut visit: impl FnMut(Doc) -> bool,
    ) -> Result<()> {
        if sort == SortOrder::Relevance {
            self.each_doc(query, dates, sort, visit)?;
            return Ok(());
        }
        let mut going = true;
        let dated = format!("{query} AND {}:1", f::DATED);
        self.each_doc(&dated, dates, sort, |d| {
            going = visit(d);
            going
        })?;
        if going && dates.is_unbounded() {
            let undated = format!("{query} AND {}:0", f::DATED);
            self.each_doc(&undated, dates, SortOrder::Relevance, visit)?;
        }
        Ok(())
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<ClusterResults> {
        let options = QueryOptions {
            match_mode: request.match_mode,
            ranking: request.ranking,
            fuzzy: request.fuzzy,
        };
        let target = match request.within {
            Within::Article => Target::Articles,
            Within::Passage => Target::Passages,
        };
        // The local translation gives the same errors (only common words, nothing to search) and the
        // terms to mark.
        let translated = self.translate(&request.query, &request.sources, options, target)?;
        let (_, fields) = build_schema();
        let mut highlight = compile(&request.query, &request.sources, &fields, options)?.highlight;
        // The words fuzzy words matched are marked as words of the query.
        highlight.exact.extend(translated.expanded.iter().cloned());
        highlight.fuzzy.clear();
        let limit = request.limit.unwrap_or(usize::MAX);
        // The counts are asked for beside the hits.
        let (hits, counts) = std::thread::scope(|scope| -> Result<_> {
            let counting = request.count.then(|| {
                let (kind, words) = match request.within {
                    Within::Article => (ARTICLE_KIND, translated.passage_words.as_deref()),
                    Within::Passage => (PASSAGE_KIND, None),
                };
                let query = translated.query.as_str();
                scope.spawn(move || self.counts(kind, query, words, &request.dates))
            });
            let hits = match request.within {
                Within::Article => self.article_hits(request, &translated, limit),
                Within::Passage => self.passage_hits(request, &translated.query, limit),
            };
            let counts = match counting {
                Some(handle) => Some(handle.join().map_err(|_| self.bad("a count failed"))??),
                None => None,
            };
            Ok((hits?, counts))
        })?;
        let mut highlighter = Highlighter::new(prefix_words(
            highlight,
            hits.iter().map(|h| h.text.as_str()),
        ));
        let hits = hits
            .into_iter()
            .enumerate()
            .map(|(i, mut h)| {
                let snippet = highlighter.snippet(&h.text);
                h.rank = i + 1;
                h.snippet = snippet.text;
                h.highlights = snippet.highlights;
                // An "also" passage carries its text until its snippet is made here.
                for a in &mut h.also {
                    let snippet = highlighter.snippet(&a.snippet);
                    a.snippet = snippet.text;
                    a.highlights = snippet.highlights;
                }
                h
            })
            .collect();
        Ok(ClusterResults { hits, counts })
    }

    /// Articles matching as wholes, each shown by its best passages.
    fn article_hits(
        &self,
        request: &SearchRequest,
        translated: &super::query::Translated,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let query = translated.query.as_str();
        let passage_words = translated.passage_words.as_deref();
        let q = self.filtered(ARTICLE_KIND, query, &request.dates);
        let mut kept: Vec<(Doc, Vec<String>)> = Vec::new();
        let mut story_slot: HashMap<String, usize> = HashMap::new();
        // With passages ranked on their own, every matching article may give one.
        let article_limit = if request.per_article == 0 && request.sort == SortOrder::Relevance {
            usize::MAX
        } else {
            limit
        };
        if article_limit > 0 {
            self.each_ordered(&q, &request.dates, request.sort, |d| {
                let story = d.story().to_string();
                match story_slot.get(&story) {
                    Some(&i) if request.collapse => kept[i].1.push(d.article().to_string()),
                    _ => {
                        story_slot.insert(story, kept.len());
                        kept.push((d, Vec::new()));
                    }
                }
                kept.len() < article_limit || request.collapse && kept.len() <= article_limit
            })?;
        }
        kept.truncate(article_limit);
        if request.collapse && request.limit.is_some() {
            self.complete_copies(&q, &request.dates, &mut kept)?;
        }
        let ids: Vec<&str> = kept.iter().map(|(d, _)| d.article()).collect();
        let (mut passages, holders) = std::thread::scope(|scope| -> Result<_> {
            // Which passages of each article hold each word or phrase, best first (for "also"),
            // asked for beside the passages to show.
            let leaves: Vec<_> = if translated.leaves.len() > 1 {
                translated
                    .leaves
                    .iter()
                    .map(|leaf| scope.spawn(|| self.passages_of(&ids, Some(leaf.as_str()))))
                    .collect()
            } else {
                Vec::new()
            };
            // The passages to show: those holding the query's words, best first.
            let mut passages = match passage_words {
                Some(words) => self.passages_of(&ids, Some(words))?,
                None => HashMap::new(),
            };
            // An article whose passages hold none of the words (a headline match, a query of
            // NOTs) is shown by its passages in order.
            let lacking: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| !passages.contains_key(*id))
                .collect();
            for (article, mut found) in self.passages_of(&lacking, None)? {
                found.sort_by_key(|d| d.number(f::PASSAGE));
                passages.insert(article, found);
            }
            let mut holders = Vec::with_capacity(leaves.len());
            for handle in leaves {
                holders.push(handle.join().map_err(|_| self.bad("a search failed"))??);
            }
            Ok((passages, holders))
        })?;
        let mut hits = Vec::new();
        for (article, copies) in kept {
            let mut shown = passages.remove(article.article()).unwrap_or_default();
            if request.per_article > 0 {
                shown.truncate(request.per_article);
            }
            if request.sort != SortOrder::Relevance {
                shown.sort_by_key(|d| d.number(f::PASSAGE));
            }
            let mut copies = copies;
            copies.sort();
            let also = also_passages(&holders, article.article(), &shown);
            for (i, p) in shown.into_iter().enumerate() {
                let mut h = hit_of(&p);
                if i == 0 {
                    h.copies = copies.clone();
                    h.also = also.clone();
                }
                hits.push(h);
            }
        }
        if request.per_article == 0 && request.sort == SortOrder::Relevance {
            hits.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| b.date.cmp(&a.date))
                    .then_with(|| a.article.cmp(&b.article))
                    .then_with(|| a.passage.cmp(&b.passage))
            });
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// Passages matching on their own, at most `per_article` of each article.
    fn passage_hits(&self, request: &SearchRequest, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let q = self.filtered(PASSAGE_KIND, query, &request.dates);
        // Articles in order, each with its passages and the copies collapsed under it.
        let mut groups: Vec<(Vec<Doc>, Vec<String>)> = Vec::new();
        let mut article_slot: HashMap<String, usize> = HashMap::new();
        let mut story_slot: HashMap<String, usize> = HashMap::new();
        let mut shown = 0usize;
        if limit > 0 {
            self.each_ordered(&q, &request.dates, request.sort, |d| {
                let article = d.article().to_string();
                if let Some(&i) = article_slot.get(&article) {
                    if i == usize::MAX {
                        return true;
                    }
                    if request.per_article == 0 || groups[i].0.len() < request.per_article {
                        groups[i].0.push(d);
                        shown += 1;
                    }
                } else {
                    let story = d.story().to_string();
                    match story_slot.get(&story) {
                        Some(&i) if request.collapse => {
                            let (_, copies) = &mut groups[i];
                            if !copies.contains(&article) {
                                copies.push(article.clone());
                            }
                            // Later passages of a hidden copy are dropped.
                            article_slot.insert(article, usize::MAX);
                        }
                        _ => {
                            story_slot.insert(story, groups.len());
                            article_slot.insert(article, groups.len());
                            groups.push((vec![d], Vec::new()));
                            shown += 1;
                        }
                    }
                }
                shown < limit
            })?;
        }
        // `usize::MAX` slots stand for hidden copies; their passages were skipped above.
        if request.collapse && request.limit.is_some() {
            let mut firsts: Vec<(Doc, Vec<String>)> = groups
                .iter()
                .map(|(docs, copies)| (docs[0].clone(), copies.clone()))
                .collect();
            self.complete_copies(&q, &request.dates, &mut firsts)?;
            for ((_, copies), (_, all)) in groups.iter_mut().zip(firsts) {
                *copies = all;
            }
        }
        let mut hits = Vec::new();
        for (mut docs, mut copies) in groups {
            copies.sort();
            if request.sort != SortOrder::Relevance {
                // By date, an article's passages read in order.
                docs.sort_by_key(|d| d.number(f::PASSAGE));
            }
            for (i, d) in docs.iter().enumerate() {
                let mut h = hit_of(d);
                if i == 0 {
                    h.copies = copies.clone();
                }
                hits.push(h);
            }
        }
        if request.per_article == 0 && request.sort == SortOrder::Relevance {
            hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// The passages of `articles` that match `clause` (every passage without one), by article, best
    /// first.
    fn passages_of(
        &self,
        articles: &[&str],
        clause: Option<&str>,
    ) -> Result<HashMap<String, Vec<Doc>>> {
        let mut out: HashMap<String, Vec<Doc>> = HashMap::new();
        for chunk in articles.chunks(IDS_PER_QUERY) {
            let query = match clause {
                Some(c) => format!("{} AND ({c})", any_article(chunk)),
                None => any_article(chunk),
            };
            let q = self.filtered(PASSAGE_KIND, &query, &DateRange::default());
            self.each_doc(&q, &DateRange::default(), SortOrder::Relevance, |d| {
                out.entry(d.article().to_string()).or_default().push(d);
                true
            })?;
        }
        Ok(out)
    }

    /// Adds to each kept hit every other matching article of its story (the pages read may have
    /// stopped before them).
    fn complete_copies(
        &self,
        query: &str,
        dates: &DateRange,
        kept: &mut [(Doc, Vec<String>)],
    ) -> Result<()> {
        let stories: Vec<(String, usize)> = kept
            .iter()
            .enumerate()
            .map(|(i, (d, _))| (d.story().to_string(), i))
            .collect();
        let slot: HashMap<&str, usize> = stories.iter().map(|(s, i)| (s.as_str(), *i)).collect();
        for chunk in stories.chunks(IDS_PER_QUERY) {
            let names: Vec<String> = chunk
                .iter()
                .map(|(s, _)| format!("{}:{}", f::STORY, quote(s)))
                .collect();
            let q = format!("{query} AND ({})", names.join(" OR "));
            self.each_doc(&q, dates, SortOrder::Relevance, |d| {
                if let Some(&i) = slot.get(d.story()) {
                    let (shown, copies) = &mut kept[i];
                    let article = d.article();
                    if article != shown.article() && !copies.iter().any(|c| c == article) {
                        copies.push(article.to_string());
                    }
                }
                true
            })?;
        }
        Ok(())
    }

    /// A whole article; an unknown id is [`Error::UnknownArticle`].
    pub fn article(&self, id: &str) -> Result<StoredArticle> {
        let q = self.filtered(
            PASSAGE_KIND,
            &format!("{}:{}", f::ARTICLE, quote(id)),
            &DateRange::default(),
        );
        let mut docs = Vec::new();
        self.each_doc(&q, &DateRange::default(), SortOrder::Relevance, |d| {
            docs.push(d);
            true
        })?;
        if docs.is_empty() {
            return Err(Error::UnknownArticle {
                id: id.to_string(),
                suggestions: Vec::new(),
            });
        }
        docs.sort_by_key(|d| d.number(f::PASSAGE));
        let (headline, meta) = docs[0].meta();
        let date = docs[0].date().and_then(format_day);
        let (paragraphs, numbers) = join_paragraphs(docs.iter().map(|d| {
            (
                d.number(f::PASSAGE).unwrap_or(0),
                d.number(f::PARAGRAPH).unwrap_or(0),
                d.text(f::TEXT).unwrap_or_default(),
            )
        }));
        Ok(StoredArticle {
            article: id.to_string(),
            date,
            headline,
            meta,
            paragraphs,
            passages: numbers,
        })
    }

    /// An article, and when `highlight` is given the byte ranges its words mark in each paragraph
    /// (as [`crate::search::highlight::marked_article`] gives them for a local index).
    pub fn marked_article(
        &self,
        id: &str,
        highlight: Option<&str>,
    ) -> Result<(StoredArticle, Option<Marks>)> {
        let article = self.article(id)?;
        let marks = match highlight {
            Some(q) => {
                let mut h = highlighter(q, &article.paragraphs)?;
                Some(article.paragraphs.iter().map(|p| h.matches(p)).collect())
            }
            None => None,
        };
        Ok((article, marks))
    }

    /// The day (seconds since the epoch) of the earliest and the latest dated match of `request`.
    pub fn date_span(&self, request: &SearchRequest) -> Result<(Option<i64>, Option<i64>)> {
        let options = QueryOptions {
            match_mode: request.match_mode,
            ranking: request.ranking,
            fuzzy: request.fuzzy,
        };
        let (target, kind) = match request.within {
            Within::Article => (Target::Articles, ARTICLE_KIND),
            Within::Passage => (Target::Passages, PASSAGE_KIND),
        };
        let translated = self.translate(&request.query, &request.sources, options, target)?;
        let q = format!(
            "{} AND {}:1",
            self.filtered(kind, &translated.query, &request.dates),
            f::DATED
        );
        let mut span = [None, None];
        for (slot, sort) in [SortOrder::Oldest, SortOrder::Newest]
            .into_iter()
            .enumerate()
        {
            let body = self.es_body(&q, &request.dates, sort, 1);
            let (_, docs, _) = self.es_page(&body, 0, false)?;
            span[slot] = docs.first().and_then(Doc::date);
        }
        Ok((span[0], span[1]))
    }

    /// What the index holds now (counts of the visible documents) and what the last push said.
    pub fn info(&self) -> Result<ClusterInfo> {
        let count = |kind: &str, extra: &str| -> Result<u64> {
            let q = format!("{}{extra}", self.visible(kind));
            let answer = self.native(json!({"query": q, "max_hits": 0}), &DateRange::default())?;
            self.num_hits(&answer)
        };
        let m = &self.manifest;
        let articles = count(ARTICLE_KIND, "")?;
        Ok(ClusterInfo {
            index: self.name(),
            articles,
            passages: count(PASSAGE_KIND, "")?,
            undated_articles: count(ARTICLE_KIND, &format!(" AND {}:0", f::DATED))?,
            stories: articles.saturating_sub(m.copies),
            copies: m.copies,
            first_date: m.first_day.and_then(format_day),
            last_date: m.last_day.and_then(format_day),
            last_pushed: time::OffsetDateTime::from_unix_timestamp(m.pushed_at)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                }),
            push_generation: m.gen,
            live_generations: m.live.clone(),
            stale_versions: m.stale.len() as u64,
            sources: m.sources,
            top_sources: m.top_sources.clone(),
        })
    }
}

/// Marks the words of `query` in `texts` shown from a Quickwit index (a prefix marks the words of
/// the texts that start with it).
pub fn highlighter(query: &str, texts: &[String]) -> Result<Highlighter> {
    let (_, fields) = build_schema();
    let terms = compile(query, &[], &fields, QueryOptions::default())?.highlight;
    if !terms.fuzzy.is_empty() {
        return Err(Error::EngineUnsupported(
            "fuzzy words cannot be marked in an article from Quickwit".to_string(),
        ));
    }
    Ok(Highlighter::new(prefix_words(
        terms,
        texts.iter().map(String::as_str),
    )))
}

/// `article:"a" OR article:"b"`, in parentheses.
fn any_article(ids: &[&str]) -> String {
    let list: Vec<String> = ids
        .iter()
        .map(|id| format!("{}:{}", f::ARTICLE, quote(id)))
        .collect();
    format!("({})", list.join(" OR "))
}

/// For each word or phrase that the `shown` passages of `article` lack, the passage where it is best
/// found (each passage once, in order), its text standing in for its snippet.
fn also_passages(
    holders: &[HashMap<String, Vec<Doc>>],
    article: &str,
    shown: &[Doc],
) -> Vec<crate::search::Also> {
    let shown: Vec<Option<u64>> = shown.iter().map(|d| d.number(f::PASSAGE)).collect();
    let mut out: Vec<crate::search::Also> = Vec::new();
    for by_article in holders {
        let Some(docs) = by_article.get(article) else {
            continue;
        };
        if docs.iter().any(|d| shown.contains(&d.number(f::PASSAGE))) {
            continue;
        }
        let best = &docs[0];
        let passage = best.number(f::PASSAGE).unwrap_or(0);
        if !out.iter().any(|a| a.passage == passage) {
            out.push(crate::search::Also {
                passage,
                snippet: best.text(f::TEXT).unwrap_or_default().to_string(),
                highlights: Vec::new(),
            });
        }
    }
    out.sort_by_key(|a| a.passage);
    out
}

/// A hit (without its snippet) from a passage document.
fn hit_of(d: &Doc) -> Hit {
    let (headline, meta) = d.meta();
    let article = d.article().to_string();
    Hit {
        rank: 0,
        score: d.score,
        story: d.story().to_string(),
        date: d.date().and_then(format_day),
        passage: d.number(f::PASSAGE).unwrap_or(0),
        headline,
        meta,
        text: d.text(f::TEXT).unwrap_or_default().to_string(),
        snippet: String::new(),
        highlights: Vec::new(),
        also: Vec::new(),
        copies: Vec::new(),
        article,
    }
}

/// The highlight terms, with the words of the hits that the query's prefixes match (a local index
/// looks them up in its term dictionary).
fn prefix_words<'t>(
    mut terms: HighlightTerms,
    texts: impl Iterator<Item = &'t str>,
) -> HighlightTerms {
    if terms.prefixes.is_empty() {
        return terms;
    }
    let mut exact = crate::index::schema::exact_analyzer();
    for text in texts {
        let mut stream = exact.token_stream(text);
        while let Some(t) = stream.next() {
            if terms
                .prefixes
                .iter()
                .any(|p| t.text.starts_with(p.as_str()))
            {
                terms.exact.insert(t.text.clone());
            }
        }
    }
    terms.prefixes.clear();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(article: &str, passage: u64, text: &str) -> Doc {
        Doc {
            score: 1.0,
            source: json!({"article": article, "passage": passage, "text": text, "dated": 1,
                           "timestamp": 544_665_600}),
        }
    }

    #[test]
    fn timestamps_are_read_as_seconds_or_rfc3339() {
        assert_eq!(timestamp_secs(&json!(544_665_600)), Some(544_665_600));
        assert_eq!(timestamp_secs(&json!(544_665_600.0)), Some(544_665_600));
        assert_eq!(
            timestamp_secs(&json!("1987-04-06T00:00:00Z")),
            Some(544_665_600)
        );
        assert_eq!(timestamp_secs(&json!("yesterday")), None);
        let undated = Doc {
            score: 0.0,
            source: json!({"article": "a", "dated": 0, "timestamp": 0}),
        };
        assert_eq!(undated.date(), None);
        assert_eq!(doc("a", 1, "x").date(), Some(544_665_600));
    }

    #[test]
    fn also_names_the_best_passage_of_each_word_the_shown_ones_lack() {
        // Word 1 is in the shown passage; word 2 best in passage 4, then 2; word 3 in passage 4.
        let holders: Vec<HashMap<String, Vec<Doc>>> = vec![
            HashMap::from([("a".to_string(), vec![doc("a", 1, "one")])]),
            HashMap::from([(
                "a".to_string(),
                vec![doc("a", 4, "four"), doc("a", 2, "two")],
            )]),
            HashMap::from([("a".to_string(), vec![doc("a", 4, "four")])]),
        ];
        let also = also_passages(&holders, "a", &[doc("a", 1, "one")]);
        let passages: Vec<(u64, &str)> = also
            .iter()
            .map(|a| (a.passage, a.snippet.as_str()))
            .collect();
        assert_eq!(passages, vec![(4, "four")]);
        assert!(also_passages(&holders, "b", &[doc("b", 1, "x")]).is_empty());
    }

    #[test]
    fn article_ids_are_quoted_in_queries() {
        assert_eq!(
            any_article(&["1987-03/1.txt", "a\"b"]),
            "(article:\"1987-03/1.txt\" OR article:\"a\\\"b\")"
        );
    }
}

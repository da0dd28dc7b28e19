//! The JSON API: the command line's requests and printers behind HTTP parameters.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::ReceiverStream;

use super::state::Shared;
use dateline::analysis::related::{related, RelatedRequest};
use dateline::analysis::timeline::Count;
use dateline::analysis::{stats, timeline, Bucketing, TimelineRequest};
use dateline::error::{DateBound, DateProblem, Error};
use dateline::output::related::write_related_json;
use dateline::output::{
    write_article_json, write_stats_json, write_timeline_json, CsvPrinter, JsonPrinter,
    JsonlPrinter, SearchPrinter, SearchSummary,
};
use dateline::search::highlight::marked_article;
use dateline::search::{search, MatchMode, SearchRequest, SortOrder, Within};
use dateline::text::dates::parse_range;

/// Most hits one page of `/api/search` returns.
pub const MAX_PAGE: usize = 1000;
/// How long an export waits for a client that reads nothing before it gives up.
const STALLED_CLIENT: Duration = Duration::from_secs(30);

/// An error answer: `{"error": ..., "hint": ...}` with its status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub hint: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>, hint: Option<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            hint,
        }
    }

    /// A failure of the server itself (writing an answer), not of the request.
    fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string(), None)
    }

    fn bad(error: impl Into<String>, hint: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, error, Some(hint.into()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.error, "hint": self.hint });
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

fn param_of(bound: DateBound) -> &'static str {
    match bound {
        DateBound::Since => "since",
        DateBound::Until => "until",
        DateBound::On => "on",
    }
}

impl From<Error> for ApiError {
    /// The library's error, with the API's own hint (parameters, not flags).
    fn from(err: Error) -> ApiError {
        let message = err.to_string();
        let bad = |hint: &str| ApiError::bad(message.clone(), hint);
        match &err {
            Error::QuerySyntax { .. } => {
                bad("close quotes and parentheses; OR, AND and NOT need words on both sides")
            }
            Error::QueryLimit(_) => bad("search for words or \"quoted phrases\""),
            Error::OnlyCommonWords { words } => bad(&format!(
                "they are in almost every passage; quote them to search them anyway: \"{}\"",
                words.join(" ")
            )),
            Error::LeadingWildcard { stem, .. } => bad(&format!(
                "search {stem}, or {stem}* for the words that start with it"
            )),
            Error::BadDate { bound, problem, .. } => {
                // As the command line says it.
                let hint = match problem {
                    DateProblem::Shape => {
                        "years have four digits: 1987, 1987-03 or 1987-03-28 (a time and zone may \
                         follow a full date, as in 1987-03-28T10:00Z)"
                    }
                    DateProblem::NoSuchDay => {
                        "months run from 01 to 12, and days to the end of their month, as in \
                         1987-02-28"
                    }
                    DateProblem::OutOfRange => "dates from 1678 to 2261 can be searched",
                };
                ApiError::bad(
                    format!("{} (parameter {})", message, param_of(*bound)),
                    hint,
                )
            }
            Error::EmptyDateRange { .. } => bad("swap since and until"),
            Error::UnknownArticle { suggestions, .. } => ApiError::new(
                StatusCode::NOT_FOUND,
                message,
                (!suggestions.is_empty())
                    .then(|| format!("the closest ids: {}", suggestions.join(", "))),
            ),
            Error::EngineUnsupported(_) => {
                bad("search the local index for it, or spell the word out")
            }
            Error::Cluster { .. } => ApiError::new(
                StatusCode::BAD_GATEWAY,
                message,
                Some("the Quickwit cluster did not answer as expected; try again".to_string()),
            ),
            Error::ClusterIndexMissing { .. }
            | Error::ClusterEmpty { .. }
            | Error::ForeignClusterIndex { .. }
            | Error::BadEngine(_)
            | Error::BadClusterIndexId(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                message,
                Some("push an index there with `dateline push`".to_string()),
            ),
            Error::MissingIndex(_)
            | Error::SchemaVersion { .. }
            | Error::IndexNotFolder(_)
            | Error::ForeignIndex(_)
            | Error::Damaged { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                message,
                Some("build or rebuild the index with `dateline index`".to_string()),
            ),
            _ => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                message,
                Some("the index cannot be read now; try again".to_string()),
            ),
        }
    }
}

/// The parameters of a query string, in order (a name may repeat: `q=a&q=b`).
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn number(&self, name: &str, default: usize) -> Result<usize, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| {
                ApiError::bad(
                    format!("{name} must be a whole number, not '{v}'"),
                    format!("for example {name}={default}"),
                )
            }),
        }
    }

    fn choice<T: Copy>(
        &self,
        name: &str,
        default: T,
        options: &[(&str, T)],
    ) -> Result<T, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        options
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(v.trim()))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                ApiError::bad(
                    format!("{name} cannot be '{v}'"),
                    format!("{name} is one of {}", names.join(", ")),
                )
            })
    }

    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        self.choice(
            name,
            false,
            &[
                ("true", true),
                ("1", true),
                ("yes", true),
                ("false", false),
                ("0", false),
                ("no", false),
            ],
        )
    }

    fn dates(&self) -> Result<dateline::text::dates::DateRange, ApiError> {
        Ok(parse_range(
            self.get("since"),
            self.get("until"),
            self.get("on"),
        )?)
    }

    fn match_mode(&self) -> Result<MatchMode, ApiError> {
        self.choice(
            "match",
            MatchMode::All,
            &[("all", MatchMode::All), ("any", MatchMode::Any)],
        )
    }

    /// `by=`: the bucket size, `None` when not given.
    fn bucketing(&self) -> Result<Option<Bucketing>, ApiError> {
        match self.get("by") {
            None | Some("") => Ok(None),
            Some(_) => self
                .choice(
                    "by",
                    Bucketing::Month,
                    &[
                        ("day", Bucketing::Day),
                        ("week", Bucketing::Week),
                        ("month", Bucketing::Month),
                        ("year", Bucketing::Year),
                    ],
                )
                .map(Some),
        }
    }

    fn within(&self) -> Result<Within, ApiError> {
        self.choice(
            "within",
            Within::Article,
            &[("article", Within::Article), ("passage", Within::Passage)],
        )
    }
}

/// A search request from the parameters; `page` is `(offset, n)` for one page, `None` for every hit.
fn search_request(params: &Params, all: bool) -> Result<(SearchRequest, usize), ApiError> {
    let query = params
        .get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::bad("the query is empty", "give one with q=, as in q=niger"))?;
    let n = params.number("n", 10)?;
    if n > MAX_PAGE {
        return Err(ApiError::bad(
            format!("n is at most {MAX_PAGE}, not {n}"),
            "ask for more pages with offset=, or export every hit from /api/search.csv",
        ));
    }
    let offset = params.number("offset", 0)?;
    let mut request = SearchRequest::new(query);
    request.dates = params.dates()?;
    request.limit = if all {
        None
    } else {
        Some(offset.saturating_add(n))
    };
    request.per_article = params.number("per_article", 1)?;
    request.sources = params.all("source").iter().map(|s| s.to_string()).collect();
    request.sort = params.choice(
        "sort",
        SortOrder::Relevance,
        &[
            ("relevance", SortOrder::Relevance),
            ("newest", SortOrder::Newest),
            ("oldest", SortOrder::Oldest),
        ],
    )?;
    request.match_mode = params.match_mode()?;
    request.within = params.within()?;
    request.fuzzy = params.flag("fuzzy")?;
    request.collapse = params.choice("copies", true, &[("collapse", true), ("show", false)])?;
    request.count = true;
    Ok((request, if all { 0 } else { offset }))
}

fn summary(
    request: &SearchRequest,
    counts: Option<dateline::search::MatchCounts>,
    shown: usize,
) -> SearchSummary {
    SearchSummary::new(
        request,
        counts.map(|c| c.passages),
        counts.map(|c| c.articles),
        counts.map(|c| c.stories),
        shown,
    )
}

/// The summary line of a search over Quickwit.
fn cluster_summary(
    request: &SearchRequest,
    counts: Option<dateline::quickwit::search::ClusterCounts>,
    shown: usize,
) -> SearchSummary {
    SearchSummary::new(
        request,
        counts.and_then(|c| c.passages),
        counts.and_then(|c| c.articles),
        counts.and_then(|c| c.stories),
        shown,
    )
}

/// Runs blocking work (the index) off the async threads, at most two pieces per core at a time: the
/// others wait their turn in order instead of sharing the cores, which keeps each answer's time short
/// under load.
async fn blocking<T: Send + 'static>(
    shared: Arc<Shared>,
    work: impl FnOnce(Arc<Shared>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _turn = shared.turn().await;
    let work = move || work(shared);
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(ApiError::internal(format!("the request failed: {e}"))))
}

fn json_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// `GET /api/search`: one page of hits, as `search --format json`.
pub async fn search_page(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let (request, offset) = search_request(&params, false)?;
    let body = blocking(shared, move |shared| {
        let mut out = Vec::new();
        let mut printer = JsonPrinter::new(&mut out);
        if let Some(cluster) = shared.cluster()? {
            let results = cluster.search(&request)?;
            let shown = results.hits.len().saturating_sub(offset);
            let summary = cluster_summary(&request, results.counts, shown);
            printer.begin(&summary).map_err(ApiError::internal)?;
            for hit in results.hits.iter().skip(offset) {
                printer.hit(hit).map_err(ApiError::internal)?;
            }
            printer.finish(&summary).map_err(ApiError::internal)?;
            return Ok(out);
        }
        let reader = shared.reader()?;
        let results = search(&reader, &request)?;
        let shown = results.len().saturating_sub(offset);
        let summary = summary(&request, results.counts, shown);
        printer.begin(&summary).map_err(ApiError::internal)?;
        for hit in results.hits().skip(offset) {
            printer.hit(&hit?).map_err(ApiError::internal)?;
        }
        printer.finish(&summary).map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(json_response(body))
}

/// The hits of an export: from the local index (read as they are written), or from Quickwit.
enum Found {
    Local(Box<dateline::search::SearchResults>),
    Cluster(Vec<dateline::search::Hit>),
}

/// The formats of an export.
#[derive(Debug, Clone, Copy)]
pub enum Export {
    Csv,
    Jsonl,
    Json,
}

impl Export {
    fn content_type(self) -> &'static str {
        match self {
            Export::Csv => "text/csv; charset=utf-8",
            Export::Jsonl => "application/x-ndjson",
            Export::Json => "application/json",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Export::Csv => "attachment; filename=\"dateline-search.csv\"",
            Export::Jsonl => "attachment; filename=\"dateline-search.jsonl\"",
            Export::Json => "attachment; filename=\"dateline-search.json\"",
        }
    }
}

/// Writes into the response body in chunks; fails (ending the export) when the client is gone or has
/// read nothing for [`STALLED_CLIENT`].
struct ChunkWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    runtime: tokio::runtime::Handle,
}

const CHUNK: usize = 64 * 1024;

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        let tx = self.tx.clone();
        let sent = self.runtime.block_on(async move {
            tokio::time::timeout(STALLED_CLIENT, tx.send(Ok(chunk))).await
        });
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(io::Error::new(io::ErrorKind::BrokenPipe, "the client left")),
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// `GET /api/search.csv`, `.jsonl`, `.json`: every hit, streamed as the command line writes them.
pub async fn search_export(
    shared: Arc<Shared>,
    raw: Option<String>,
    format: Export,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let (request, _) = search_request(&params, true)?;
    let (tx, rx) = mpsc::channel::<Result<Bytes, io::Error>>(4);
    let (ready_tx, ready_rx) = oneshot::channel::<Result<(), ApiError>>();
    let runtime = tokio::runtime::Handle::current();
    // A turn for the search; the streaming that follows runs without one.
    let turn = shared.turn().await;
    tokio::task::spawn_blocking(move || {
        let found = shared.cluster().and_then(|cluster| match cluster {
            Some(c) => {
                let r = c.search(&request)?;
                let summary = cluster_summary(&request, r.counts, r.hits.len());
                Ok((Found::Cluster(r.hits), summary))
            }
            None => {
                let reader = shared.reader()?;
                let r = search(&reader, &request)?;
                let summary = summary(&request, r.counts, r.len());
                Ok((Found::Local(Box::new(r)), summary))
            }
        });
        drop(turn);
        let (results, summary) = match found {
            Ok(found) => {
                if ready_tx.send(Ok(())).is_err() {
                    return;
                }
                found
            }
            Err(e) => {
                let _ = ready_tx.send(Err(e.into()));
                return;
            }
        };
        let out = ChunkWriter {
            buf: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
            runtime,
        };
        let mut printer: Box<dyn SearchPrinter> = match format {
            Export::Csv => Box::new(CsvPrinter::new(out, b',')),
            Export::Jsonl => Box::new(JsonlPrinter::new(out)),
            Export::Json => Box::new(JsonPrinter::new(out)),
        };
        let mut run = || -> io::Result<()> {
            printer.begin(&summary)?;
            match &results {
                Found::Local(r) => {
                    for hit in r.hits() {
                        let hit = hit.map_err(|e| io::Error::other(e.to_string()))?;
                        printer.hit(&hit)?;
                    }
                }
                Found::Cluster(hits) => {
                    for hit in hits {
                        printer.hit(hit)?;
                    }
                }
            }
            printer.finish(&summary)
        };
        if let Err(e) = run() {
            // Tell the client the body is cut (when it is still there to hear it).
            let _ = tx.blocking_send(Err(e));
        }
    });
    match ready_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e),
        Err(_) => return Err(ApiError::internal("the export stopped before it started")),
    }
    let body = Body::from_stream(ReceiverStream::new(rx));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static(format.file_name()),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/timeline`: `timeline --format json` for each `q`.
pub async fn timeline_json(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let queries = params.all("q");
    if queries.is_empty() {
        return Err(ApiError::bad(
            "the query is empty",
            "give one or more with q=, as in q=niger&q=mali",
        ));
    }
    let by = params.bucketing()?;
    let request = TimelineRequest {
        queries: queries.iter().map(|q| q.trim().to_string()).collect(),
        dates: params.dates()?,
        by,
        match_mode: params.match_mode()?,
        within: params.within()?,
        sources: params.all("source").iter().map(|s| s.to_string()).collect(),
        share: params.flag("share")?,
        count: params.choice(
            "count",
            Count::Stories,
            &[("stories", Count::Stories), ("articles", Count::Articles)],
        )?,
        split_sources: match params.get("split") {
            None | Some("") => None,
            Some("source") => Some(params.number("top", 5)?),
            Some(other) => {
                return Err(ApiError::bad(
                    format!("split cannot be '{other}'"),
                    "use split=source",
                ))
            }
        },
    };
    let body = blocking(shared, move |shared| {
        let t = match shared.cluster()? {
            Some(cluster) => cluster.timeline(&request)?,
            None => timeline(&*shared.reader()?, &request)?,
        };
        let mut out = Vec::new();
        write_timeline_json(&mut out, &t).map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/related?q=QUERY`: `related --format json` (with `n=`, `since=`, `until=`, `on=`,
/// `source=`, `match=`, `by=`).
pub async fn related_json(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let query = params
        .get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::bad("the query is empty", "give one with q=, as in q=niger"))?
        .to_string();
    let limit = params.number("n", 10)?;
    if limit > MAX_PAGE {
        return Err(ApiError::bad(
            format!("n is at most {MAX_PAGE}, not {limit}"),
            "ask for fewer names and words",
        ));
    }
    let by = params.bucketing()?;
    let request = RelatedRequest {
        query: query.clone(),
        dates: params.dates()?,
        match_mode: params.match_mode()?,
        sources: params.all("source").iter().map(|s| s.to_string()).collect(),
        limit,
        by,
    };
    let body = blocking(shared, move |shared| {
        if shared.engine.is_some() {
            return Err(ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                "related names are found in the local index, not over Quickwit",
                Some("run `dateline serve` without --engine for related names".to_string()),
            ));
        }
        let reader = shared.reader()?;
        let found = related(&reader, &request)?;
        let mut out = Vec::new();
        write_related_json(&mut out, &query, &found, request.by.is_some())
            .map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/articles/{id}`: `show --format json`, with `?highlight=QUERY`. The id is looked up in the
/// index, never used as a path.
pub async fn article_json(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let highlight = params.get("highlight").map(str::to_string);
    let body = blocking(shared, move |shared| {
        let highlight = highlight.as_deref();
        let (article, highlights) = match shared.cluster()? {
            Some(cluster) => cluster.marked_article(&id, highlight)?,
            None => marked_article(&*shared.reader()?, &id, highlight)?,
        };
        let mut out = Vec::new();
        write_article_json(&mut out, &article, highlights.as_deref())
            .map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(json_response(body))
}

/// `GET /api/info`: `info --format json`.
pub async fn info_json(State(shared): State<Arc<Shared>>) -> Result<Response, ApiError> {
    let body = blocking(shared, move |shared| {
        let mut out = Vec::new();
        if let Some(cluster) = shared.cluster()? {
            dateline::output::write_cluster_info_json(&mut out, &cluster.info()?)
                .map_err(ApiError::internal)?;
            return Ok(out);
        }
        let reader = shared.reader()?;
        let s = stats(&reader)?;
        write_stats_json(&mut out, &s).map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(json_response(body))
}

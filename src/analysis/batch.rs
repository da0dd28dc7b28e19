//! Batch searches: a list of queries (names to check against an archive, as reporters do with
//! hundreds at a time) run one by one, each summarised as its counts, the span of its dates and its
//! best article, with its top hits when asked for. A query that cannot run is reported in its row;
//! the others still run.

use crate::error::Result;
use crate::index::Reader;
use crate::search::{search, Hit, MatchCounts, MatchMode, SearchRequest};
use crate::text::dates::{format_day, DateRange};

/// How every query of a batch is run.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub dates: DateRange,
    pub match_mode: MatchMode,
    /// Only articles from these sources; empty for every source.
    pub sources: Vec<String>,
    /// Top hits to return for each query (0: none, only the summary).
    pub hits: usize,
}

/// The outcome of one query.
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub query: String,
    /// Matching passages, articles and stories, as `search` counts them (`None` when the query could
    /// not run).
    pub counts: Option<MatchCounts>,
    /// The earliest and latest day of the matching articles (`None` when none is dated).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The best-ranked article (copies of one story collapsed).
    pub top_article: Option<String>,
    /// The top hits, when asked for.
    pub hits: Vec<Hit>,
    /// Why the query could not run.
    pub error: Option<String>,
    /// The engine could not count the passages (a Quickwit index, matching whole articles): the
    /// count in `counts` is not one.
    pub passages_unknown: bool,
}

impl BatchRow {
    /// The row of `query` before it runs.
    pub fn empty(query: &str) -> BatchRow {
        BatchRow {
            query: query.to_string(),
            counts: None,
            first_date: None,
            last_date: None,
            top_article: None,
            hits: Vec::new(),
            error: None,
            passages_unknown: false,
        }
    }
}

/// Runs one query of a batch.
pub fn run_query(reader: &Reader, query: &str, options: &BatchOptions) -> BatchRow {
    let mut row = BatchRow::empty(query);
    let request = batch_request(query, options);
    let outcome = search(reader, &request).and_then(|results| {
        let hits: Vec<Hit> = results
            .hits()
            .take(options.hits.max(1))
            .collect::<Result<_>>()?;
        Ok((results.counts, hits))
    });
    match outcome {
        Ok((counts, mut hits)) => {
            row.first_date = counts.and_then(|c| c.first).and_then(format_day);
            row.last_date = counts.and_then(|c| c.last).and_then(format_day);
            row.counts = counts;
            row.top_article = hits.first().map(|h| h.article.clone());
            hits.truncate(options.hits);
            row.hits = hits;
        }
        Err(e) => row.error = Some(e.to_string()),
    }
    row
}

/// The search a batch runs for one query.
pub fn batch_request(query: &str, options: &BatchOptions) -> SearchRequest {
    let mut request = SearchRequest::new(query);
    request.dates = options.dates;
    request.match_mode = options.match_mode;
    request.sources = options.sources.clone();
    request.limit = Some(options.hits.max(1));
    request.date_span = true;
    request
}

/// Why a list of queries cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum QueryListError {
    #[error("the CSV has no 'query' column (its columns: {0})")]
    NoQueryColumn(String),
    #[error("the CSV cannot be read: {0}")]
    Csv(String),
    #[error("the list holds no query")]
    Empty,
}

/// The queries of a list: one per line (blank lines and lines starting with `#` left out), or, for a
/// CSV (`csv` true), the `query` column of each row (any case; empty cells left out).
pub fn read_query_list(
    bytes: &[u8],
    csv: bool,
) -> std::result::Result<Vec<String>, QueryListError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let queries: Vec<String> = if csv {
        let mut reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| QueryListError::Csv(e.to_string()))?
            .clone();
        let column = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case("query"))
            .ok_or_else(|| {
                QueryListError::NoQueryColumn(headers.iter().collect::<Vec<_>>().join(", "))
            })?;
        let mut out = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| QueryListError::Csv(e.to_string()))?;
            if let Some(q) = record.get(column).map(str::trim).filter(|q| !q.is_empty()) {
                out.push(q.to_string());
            }
        }
        out
    } else {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    if queries.is_empty() {
        return Err(QueryListError::Empty);
    }
    Ok(queries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_from_lines_or_a_csv_column() {
        let lines = read_query_list(
            b"\xef\xbb\xbfNiger\n\n# a comment\n  \"Mohamed Bazoum\"  \r\n",
            false,
        );
        assert_eq!(
            lines.ok(),
            Some(vec!["Niger".to_string(), "\"Mohamed Bazoum\"".to_string()])
        );
        let csv = read_query_list(b"id,Query\n1,Niger\n2,\n3,\"Wagner, Prigozhin\"\n", true);
        assert_eq!(
            csv.ok(),
            Some(vec!["Niger".to_string(), "Wagner, Prigozhin".to_string()])
        );
        assert!(matches!(
            read_query_list(b"id,name\n1,x\n", true),
            Err(QueryListError::NoQueryColumn(c)) if c == "id, name"
        ));
        assert!(matches!(
            read_query_list(b"\n# nothing\n", false),
            Err(QueryListError::Empty)
        ));
    }
}

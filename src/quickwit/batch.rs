//! Batch searches over a Quickwit index: one row per query, as [`crate::analysis::batch`] gives
//! them for a local index.

use super::Cluster;
use crate::analysis::batch::{batch_request, BatchOptions, BatchRow};
use crate::search::MatchCounts;
use crate::text::dates::format_day;

/// Runs one query of a batch over a Quickwit index. The first and last dates are those of the
/// earliest and latest matching article; passages are not counted when matching whole articles.
pub fn run_query(cluster: &Cluster, query: &str, options: &BatchOptions) -> BatchRow {
    let mut row = BatchRow::empty(query);
    let request = batch_request(query, options);
    let outcome = cluster.search(&request).and_then(|results| {
        let span = cluster.date_span(&request)?;
        Ok((results, span))
    });
    match outcome {
        Ok((results, (first, last))) => {
            let c = results.counts.unwrap_or_default();
            row.passages_unknown = c.passages.is_none();
            row.counts = Some(MatchCounts {
                passages: c.passages.unwrap_or(0),
                articles: c.articles.unwrap_or(0),
                stories: c.stories.unwrap_or(0),
                first,
                last,
            });
            row.first_date = first.and_then(format_day);
            row.last_date = last.and_then(format_day);
            row.top_article = results.hits.first().map(|h| h.article.clone());
            let mut hits = results.hits;
            hits.truncate(options.hits);
            row.hits = hits;
        }
        Err(e) => row.error = Some(e.to_string()),
    }
    row
}

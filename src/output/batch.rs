//! `batch` output: one row per query as CSV (one row per hit with `--hits`), a JSON array, or JSON
//! Lines.

use std::io::{self, Write};

use super::csv::defuse;
use super::wire::{BatchRowWire, BATCH_COLUMNS, BATCH_HIT_COLUMNS};
use crate::analysis::batch::BatchRow;

/// How `batch` writes its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutput {
    Csv,
    Json,
    Jsonl,
}

/// Writes the rows (in the order of the list); `with_hits` adds each query's hits.
pub fn write_batch(
    w: &mut dyn Write,
    rows: &[BatchRow],
    format: BatchOutput,
    with_hits: bool,
) -> io::Result<()> {
    match format {
        BatchOutput::Json => {
            let wire: Vec<BatchRowWire> = rows
                .iter()
                .map(|r| BatchRowWire::new(r, with_hits))
                .collect();
            serde_json::to_writer_pretty(&mut *w, &wire)?;
            writeln!(w)?;
        }
        BatchOutput::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut *w, &BatchRowWire::new(r, with_hits))?;
                writeln!(w)?;
            }
        }
        BatchOutput::Csv => write_csv(w, rows, with_hits)?,
    }
    w.flush()
}

fn write_csv(w: &mut dyn Write, rows: &[BatchRow], with_hits: bool) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<&str> = BATCH_COLUMNS.to_vec();
    if with_hits {
        header.extend(BATCH_HIT_COLUMNS);
    }
    let failed = |e: csv::Error| io::Error::other(e.to_string());
    out.write_record(&header).map_err(failed)?;
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        let summary = vec![
            defuse(&r.query).into_owned(),
            number(r.counts.map(|c| c.articles)),
            number(r.counts.filter(|_| !r.passages_unknown).map(|c| c.passages)),
            number(r.counts.map(|c| c.stories)),
            r.first_date.clone().unwrap_or_default(),
            r.last_date.clone().unwrap_or_default(),
            defuse(r.top_article.as_deref().unwrap_or("")).into_owned(),
            defuse(r.error.as_deref().unwrap_or("")).into_owned(),
        ];
        if !with_hits || r.hits.is_empty() {
            let mut cells = summary;
            if with_hits {
                cells.extend(std::iter::repeat_n(String::new(), BATCH_HIT_COLUMNS.len()));
            }
            out.write_record(&cells).map_err(failed)?;
            continue;
        }
        for h in &r.hits {
            let mut cells = summary.clone();
            cells.extend([
                h.rank.to_string(),
                h.score.to_string(),
                defuse(&h.article).into_owned(),
                h.date.clone().unwrap_or_default(),
                h.passage.to_string(),
                defuse(&h.headline).into_owned(),
                defuse(h.meta.source.as_deref().unwrap_or("")).into_owned(),
                defuse(h.meta.url.as_deref().unwrap_or("")).into_owned(),
                defuse(&h.snippet).into_owned(),
                h.copies.len().to_string(),
                defuse(&h.story).into_owned(),
            ]);
            out.write_record(&cells).map_err(failed)?;
        }
    }
    out.flush()
}

//! CSV and TSV through the `csv` crate: a header and one flat row per hit. Text cells that a spreadsheet
//! would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::{SearchPrinter, SearchSummary};
use crate::search::Hit;

pub struct CsvPrinter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvPrinter<W> {
    /// `delimiter` is `b','` for CSV, `b'\t'` for TSV.
    pub fn new(out: W, delimiter: u8) -> Self {
        CsvPrinter {
            out: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(out),
        }
    }
}

#[derive(Serialize)]
struct Row<'a> {
    rank: usize,
    score: f32,
    article: Cow<'a, str>,
    date: &'a str,
    passage: u64,
    headline: Cow<'a, str>,
    text: Cow<'a, str>,
    snippet: Cow<'a, str>,
    /// `start-end` byte ranges in `snippet`, separated by `;`.
    highlights: String,
}

/// Defuses a cell that a spreadsheet would evaluate.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> SearchPrinter for CsvPrinter<W> {
    fn begin(&mut self, _s: &SearchSummary) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let highlights = hit
            .highlights
            .iter()
            .map(|(a, b)| format!("{a}-{b}"))
            .collect::<Vec<_>>()
            .join(";");
        self.out
            .serialize(Row {
                rank: hit.rank,
                score: hit.score,
                article: defuse(&hit.article),
                date: hit.date.as_deref().unwrap_or(""),
                passage: hit.passage,
                headline: defuse(&hit.headline),
                text: defuse(&hit.text),
                snippet: defuse(&hit.snippet),
                highlights,
            })
            .map_err(csv_error)
    }

    fn finish(&mut self, _s: &SearchSummary) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(defuse("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(defuse("-5 pct"), "'-5 pct");
        assert_eq!(defuse("@x"), "'@x");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("Niger"), "Niger");
    }
}

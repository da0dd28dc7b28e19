//! CSV and TSV through the `csv` crate: a header and one flat row per hit. Text cells that a spreadsheet
//! would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`.

use std::borrow::Cow;
use std::io::{self, Write};

use super::wire::HitRow;
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

/// Defuses a cell that a spreadsheet would evaluate.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The I/O error underneath a CSV error (a closed pipe stays a closed pipe), or the CSV error itself.
fn csv_error(e: csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        _ => io::Error::other("cannot write a CSV row"),
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
            .serialize(HitRow {
                rank: hit.rank,
                score: hit.score,
                article: defuse(&hit.article),
                date: hit.date.as_deref().unwrap_or(""),
                passage: hit.passage,
                headline: defuse(&hit.headline),
                title: defuse(hit.meta.title.as_deref().unwrap_or("")),
                url: defuse(hit.meta.url.as_deref().unwrap_or("")),
                source: defuse(hit.meta.source.as_deref().unwrap_or("")),
                authors: Cow::Owned(defuse(&hit.meta.authors.join("; ")).into_owned()),
                text: defuse(&hit.text),
                snippet: defuse(&hit.snippet),
                highlights,
                also_passages: hit
                    .also
                    .iter()
                    .map(|a| a.passage.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                copies: hit.copies.len(),
                copy_ids: Cow::Owned(defuse(&hit.copies.join(";")).into_owned()),
                story: defuse(&hit.story),
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

//! JSON printers: `json` is one object with the totals and a `hits` array, written hit by hit so an
//! export of every match never holds all texts in memory; `jsonl` is one hit object per line.

use std::io::{self, Write};

use super::wire::{HitWire, SearchHeadWire};
use super::{SearchPrinter, SearchSummary};
use crate::search::Hit;

pub struct JsonPrinter<W: Write> {
    out: W,
    printed: usize,
}

impl<W: Write> JsonPrinter<W> {
    pub fn new(out: W) -> Self {
        JsonPrinter { out, printed: 0 }
    }
}

impl<W: Write> SearchPrinter for JsonPrinter<W> {
    fn begin(&mut self, s: &SearchSummary) -> io::Result<()> {
        let head = serde_json::to_string(&SearchHeadWire {
            query: &s.query,
            since: s.since.as_deref(),
            until: s.until.as_deref(),
            total_passages: s.total_passages,
            total_articles: s.total_articles,
            total_stories: s.total_stories,
        })?;
        // Reopen the object to append the hits array: `{...}` -> `{..., "hits": [`.
        let open = head.strip_suffix('}').unwrap_or(&head);
        write!(self.out, "{open},\"hits\":[")
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let sep = if self.printed == 0 { "\n" } else { ",\n" };
        self.out.write_all(sep.as_bytes())?;
        serde_json::to_writer(&mut self.out, &HitWire::from(hit))?;
        self.printed += 1;
        Ok(())
    }

    fn finish(&mut self, _s: &SearchSummary) -> io::Result<()> {
        writeln!(self.out, "\n]}}")?;
        self.out.flush()
    }
}

pub struct JsonlPrinter<W: Write> {
    out: W,
}

impl<W: Write> JsonlPrinter<W> {
    pub fn new(out: W) -> Self {
        JsonlPrinter { out }
    }
}

impl<W: Write> SearchPrinter for JsonlPrinter<W> {
    fn begin(&mut self, _s: &SearchSummary) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &HitWire::from(hit))?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, _s: &SearchSummary) -> io::Result<()> {
        self.out.flush()
    }
}

//! The human printer: one block per hit, date, article id and passage on the first line, the snippet
//! below with matches coloured on a terminal, and a closing line with the totals.

use std::io::{self, Write};

use super::{
    sanitize_for_terminal, split_highlights, Color, SearchPrinter, SearchSummary, DATE_ON, DIM_ON,
    ID_ON, MATCH_ON, OFF,
};
use crate::search::Hit;

pub struct HumanPrinter<W: Write> {
    out: W,
    color: Color,
    printed: usize,
}

impl<W: Write> HumanPrinter<W> {
    pub fn new(out: W, color: Color) -> Self {
        HumanPrinter {
            out,
            color,
            printed: 0,
        }
    }

    fn paint(&self, on: &str, s: &str) -> String {
        match self.color {
            Color::Always => format!("{on}{s}{OFF}"),
            Color::Never => s.to_string(),
        }
    }
}

impl<W: Write> SearchPrinter for HumanPrinter<W> {
    fn begin(&mut self, _summary: &SearchSummary) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        if self.printed > 0 {
            writeln!(self.out)?;
        }
        self.printed += 1;
        let header = format!(
            "{}  {}  {}",
            self.paint(DATE_ON, hit.date.as_deref().unwrap_or("undated")),
            self.paint(ID_ON, &sanitize_for_terminal(&hit.article)),
            self.paint(DIM_ON, &format!("¶{}  score {:.2}", hit.passage, hit.score)),
        );
        writeln!(self.out, "{header}")?;
        let mut line = String::from("  ");
        for (piece, matched) in split_highlights(&hit.snippet, &hit.highlights) {
            let clean = sanitize_for_terminal(piece);
            if matched {
                line.push_str(&self.paint(MATCH_ON, &clean));
            } else {
                line.push_str(&clean);
            }
        }
        writeln!(self.out, "{line}")
    }

    fn finish(&mut self, s: &SearchSummary) -> io::Result<()> {
        let line = match (s.total_passages, s.total_articles) {
            (Some(0), _) => return Ok(()),
            (Some(passages), Some(articles)) => format!(
                "{} of {} matching passage{} shown ({} article{})",
                s.shown,
                passages,
                if passages == 1 { "" } else { "s" },
                articles,
                if articles == 1 { "" } else { "s" },
            ),
            _ if s.shown == 0 => return Ok(()),
            _ => format!(
                "{} passage{} shown",
                s.shown,
                if s.shown == 1 { "" } else { "s" }
            ),
        };
        writeln!(self.out)?;
        writeln!(self.out, "{}", self.paint(DIM_ON, &line))?;
        self.out.flush()
    }
}

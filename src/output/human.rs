//! The human printer: one block per hit, date, article id and passage on the first line, the headline
//! when the hit is not the article's first passage, the snippet below with matches coloured on a
//! terminal (and wrapped at its width, between words), then the article's other passages holding what
//! the hit lacks (`also ¶N:`, indented), and a closing line with the totals.

use std::io::{self, Write};

use super::{
    sanitize_for_terminal, split_highlights, Color, SearchPrinter, SearchSummary, DATE_ON, DIM_ON,
    ID_ON, MATCH_ON, OFF,
};
use crate::search::Hit;

pub struct HumanPrinter<W: Write> {
    out: W,
    color: Color,
    /// Columns to wrap snippets at (a terminal's width); `None` writes each snippet on one line.
    width: Option<usize>,
    printed: usize,
}

/// Snippets are indented by this many columns.
const INDENT: usize = 2;
/// The snippets of `also` passages, this many more.
const ALSO_INDENT: usize = 2;

impl<W: Write> HumanPrinter<W> {
    pub fn new(out: W, color: Color) -> Self {
        HumanPrinter {
            out,
            color,
            width: None,
            printed: 0,
        }
    }

    /// Wraps snippets between words to fit `width` columns (at least 20).
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = Some(width.max(20));
        self
    }

    fn paint(&self, on: &str, s: &str) -> String {
        match self.color {
            Color::Always => format!("{on}{s}{OFF}"),
            Color::Never => s.to_string(),
        }
    }
}

impl<W: Write> HumanPrinter<W> {
    /// Writes a snippet indented by `indent` columns, its matches coloured, wrapped at the width.
    fn snippet(
        &mut self,
        snippet: &str,
        highlights: &[(usize, usize)],
        indent: usize,
    ) -> io::Result<()> {
        let pieces: Vec<(String, bool)> = split_highlights(snippet, highlights)
            .into_iter()
            .map(|(piece, matched)| (sanitize_for_terminal(piece), matched))
            .collect();
        let lines = match self.width {
            Some(w) => wrap(&pieces, w.saturating_sub(indent)),
            None => vec![pieces],
        };
        for line in lines {
            let mut text = " ".repeat(indent);
            for (piece, matched) in line {
                if matched {
                    text.push_str(&self.paint(MATCH_ON, &piece));
                } else {
                    text.push_str(&piece);
                }
            }
            writeln!(self.out, "{}", text.trim_end())?;
        }
        Ok(())
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
        let source = match &hit.meta.source {
            Some(s) => format!("{}  ", sanitize_for_terminal(s)),
            None => String::new(),
        };
        let header = format!(
            "{}  {}  {}",
            self.paint(DATE_ON, hit.date.as_deref().unwrap_or("undated")),
            self.paint(ID_ON, &sanitize_for_terminal(&hit.article)),
            self.paint(
                DIM_ON,
                &format!("{source}¶{}  score {:.2}", hit.passage, hit.score)
            ),
        );
        writeln!(self.out, "{header}")?;
        if (hit.passage > 1 || hit.meta.title.is_some()) && !hit.headline.is_empty() {
            // A later passage says little about its story alone: its headline places it (and a
            // title is not in the text at all).
            let headline = sanitize_for_terminal(&hit.headline);
            let headline = match self.width {
                Some(w) => cut(&headline, w.saturating_sub(INDENT + 2)),
                None => headline,
            };
            writeln!(
                self.out,
                "  {}",
                self.paint(DIM_ON, &format!("— {headline}"))
            )?;
        }
        self.snippet(&hit.snippet, &hit.highlights, INDENT)?;
        for also in &hit.also {
            // The article's other passages holding what this one lacks.
            writeln!(
                self.out,
                "{}{}",
                " ".repeat(INDENT),
                self.paint(DIM_ON, &format!("also ¶{}:", also.passage))
            )?;
            self.snippet(&also.snippet, &also.highlights, INDENT + ALSO_INDENT)?;
        }
        if !hit.copies.is_empty() {
            // Copies of the story hidden under this hit: how many, and the first few ids.
            const NAMED: usize = 3;
            let mut ids: Vec<String> = hit
                .copies
                .iter()
                .take(NAMED)
                .map(|c| sanitize_for_terminal(c))
                .collect();
            if hit.copies.len() > NAMED {
                ids.push("…".into());
            }
            let n = hit.copies.len();
            writeln!(
                self.out,
                "{}{}",
                " ".repeat(INDENT),
                self.paint(
                    DIM_ON,
                    &format!(
                        "+{n} cop{} of this story: {}",
                        if n == 1 { "y" } else { "ies" },
                        ids.join(", ")
                    )
                )
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, s: &SearchSummary) -> io::Result<()> {
        let line = match (s.total_passages, s.total_articles) {
            (Some(0), _) => return Ok(()),
            (Some(passages), Some(articles)) => {
                let stories = match s.total_stories {
                    Some(n) if n != articles => {
                        format!(", {n} stor{}", if n == 1 { "y" } else { "ies" })
                    }
                    _ => String::new(),
                };
                format!(
                    "{} of {} matching passage{} shown ({} article{}{stories})",
                    s.shown,
                    passages,
                    if passages == 1 { "" } else { "s" },
                    articles,
                    if articles == 1 { "" } else { "s" },
                )
            }
            // Articles counted, their passages not (a Quickwit index, past the articles whose
            // passages it counts).
            (None, Some(0)) => return Ok(()),
            (None, Some(articles)) => {
                let stories = match s.total_stories {
                    Some(n) if n != articles => {
                        format!(" ({n} stor{})", if n == 1 { "y" } else { "ies" })
                    }
                    _ => String::new(),
                };
                format!(
                    "{} passage{} shown of {} matching article{}{stories}",
                    s.shown,
                    if s.shown == 1 { "" } else { "s" },
                    articles,
                    if articles == 1 { "" } else { "s" },
                )
            }
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

/// `text` cut to `max` characters at a word, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let head = match head.rfind(' ') {
        Some(i) if i > max / 2 => &head[..i],
        _ => head.as_str(),
    };
    format!("{}…", head.trim_end())
}

/// Splits runs of (text, is a match) into lines of at most `width` characters, breaking at spaces
/// (a word longer than a line stands on a line of its own). The runs of each line keep their marks.
fn wrap(pieces: &[(String, bool)], width: usize) -> Vec<Vec<(String, bool)>> {
    // Words with the marked state of each of their characters' runs.
    let mut words: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    for (piece, matched) in pieces {
        for (i, part) in piece.split(' ').enumerate() {
            if i > 0 {
                words.push(Vec::new());
            }
            if !part.is_empty() {
                if let Some(word) = words.last_mut() {
                    word.push((part.to_string(), *matched));
                }
            }
        }
    }
    let mut lines: Vec<Vec<(String, bool)>> = Vec::new();
    let mut line: Vec<(String, bool)> = Vec::new();
    let mut len = 0;
    for word in words.into_iter().filter(|w| !w.is_empty()) {
        let word_len: usize = word.iter().map(|(p, _)| p.chars().count()).sum();
        if len > 0 && len + 1 + word_len > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push((" ".to_string(), false));
            len += 1;
        }
        line.extend(word);
        len += word_len;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footer_counts_articles_when_their_passages_are_not_counted() {
        let summary = |passages, articles, stories| SearchSummary {
            query: "niger".into(),
            since: None,
            until: None,
            total_passages: passages,
            total_articles: articles,
            total_stories: stories,
            shown: 3,
        };
        let footer = |s: &SearchSummary| {
            let mut out = Vec::new();
            HumanPrinter::new(&mut out, Color::Never)
                .finish(s)
                .expect("write");
            String::from_utf8(out).expect("utf-8")
        };
        assert_eq!(
            footer(&summary(None, Some(7), Some(5))).trim(),
            "3 passages shown of 7 matching articles (5 stories)"
        );
        assert_eq!(
            footer(&summary(Some(9), Some(7), Some(7))).trim(),
            "3 of 9 matching passages shown (7 articles)"
        );
    }

    fn plain(line: &[(String, bool)]) -> String {
        line.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn wrapping_breaks_between_words_and_keeps_marks() {
        let pieces = vec![
            ("The general who led a ".to_string(), false),
            ("coup".to_string(), true),
            (
                " in Niger spoke on television yesterday.".to_string(),
                false,
            ),
        ];
        let lines = wrap(&pieces, 20);
        let texts: Vec<String> = lines.iter().map(|l| plain(l)).collect();
        assert_eq!(
            texts,
            vec![
                "The general who led",
                "a coup in Niger",
                "spoke on television",
                "yesterday."
            ]
        );
        assert!(texts.iter().all(|t| t.chars().count() <= 20));
        assert!(lines[1].contains(&("coup".to_string(), true)));
        // Nothing lost: the words come back in order.
        let all: Vec<String> = texts.join(" ").split(' ').map(String::from).collect();
        let original: Vec<String> = pieces
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<String>()
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(all, original);
        // A word longer than the line stands alone.
        let long = vec![("a ".to_string() + &"x".repeat(30) + " b", false)];
        let texts: Vec<String> = wrap(&long, 10).iter().map(|l| plain(l)).collect();
        assert_eq!(
            texts,
            vec!["a".to_string(), "x".repeat(30), "b".to_string()]
        );
    }

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        assert_eq!(cut("Short one", 20), "Short one");
        assert_eq!(
            cut("Oil prices rose sharply on Monday", 20),
            "Oil prices rose…"
        );
    }
}

//! Markdown: a heading with the query and totals, then a numbered list of hits with matches in bold.

use std::io::{self, Write};

use super::{split_highlights, SearchPrinter, SearchSummary};
use crate::search::Hit;

pub struct MarkdownPrinter<W: Write> {
    out: W,
}

impl<W: Write> MarkdownPrinter<W> {
    pub fn new(out: W) -> Self {
        MarkdownPrinter { out }
    }
}

/// Escapes characters Markdown would read as markup, and folds controls to spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: backticks cannot be escaped there, so they are replaced.
pub fn code(s: &str) -> String {
    s.chars()
        .map(|c| if c == '`' || c.is_control() { '\'' } else { c })
        .collect()
}

/// Escaped text with the highlighted ranges in bold.
pub fn emphasize(text: &str, highlights: &[(usize, usize)]) -> String {
    split_highlights(text, highlights)
        .into_iter()
        .map(|(piece, hit)| {
            if hit {
                format!("**{}**", escape(piece))
            } else {
                escape(piece)
            }
        })
        .collect()
}

impl<W: Write> SearchPrinter for MarkdownPrinter<W> {
    fn begin(&mut self, s: &SearchSummary) -> io::Result<()> {
        writeln!(self.out, "# Search: `{}`", code(&s.query))?;
        writeln!(self.out)?;
        let mut range = String::new();
        if let Some(since) = &s.since {
            range.push_str(&format!(" since {since}"));
        }
        if let Some(until) = &s.until {
            range.push_str(&format!(" until {until}"));
        }
        match (s.total_passages, s.total_articles) {
            (Some(passages), Some(articles)) => {
                let stories = match s.total_stories {
                    Some(n) if n != articles => format!(" ({n} stories)"),
                    _ => String::new(),
                };
                writeln!(
                    self.out,
                    "{passages} matching passages in {articles} articles{stories}{range}; {} shown.",
                    s.shown
                )?
            }
            (None, Some(articles)) => {
                let stories = match s.total_stories {
                    Some(n) if n != articles => format!(" ({n} stories)"),
                    _ => String::new(),
                };
                writeln!(
                    self.out,
                    "{articles} matching articles{stories}{range}; {} passages shown.",
                    s.shown
                )?
            }
            _ => writeln!(self.out, "{} passages shown{range}.", s.shown)?,
        }
        writeln!(self.out)
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        writeln!(
            self.out,
            "{}. **{}** · `{}` · passage {} · score {:.2}{}",
            hit.rank,
            hit.date.as_deref().unwrap_or("undated"),
            code(&hit.article),
            hit.passage,
            hit.score,
            meta_suffix(&hit.meta)
        )?;
        if let Some(title) = &hit.meta.title {
            writeln!(self.out, "   *{}*", escape(title))?;
        }
        writeln!(
            self.out,
            "   > {}",
            emphasize(&hit.snippet, &hit.highlights)
        )?;
        for also in &hit.also {
            writeln!(self.out, "   >")?;
            writeln!(
                self.out,
                "   > *also passage {}:* {}",
                also.passage,
                emphasize(&also.snippet, &also.highlights)
            )?;
        }
        if !hit.copies.is_empty() {
            let ids: Vec<String> = hit
                .copies
                .iter()
                .map(|c| format!("`{}`", code(c)))
                .collect();
            writeln!(
                self.out,
                "   *+{} copies:* {}",
                hit.copies.len(),
                ids.join(", ")
            )?;
        }
        writeln!(self.out)
    }

    fn finish(&mut self, _s: &SearchSummary) -> io::Result<()> {
        self.out.flush()
    }
}

/// ` · source · <url>` for what the article's source gave, else nothing.
pub fn meta_suffix(meta: &crate::ingest::ArticleMeta) -> String {
    let mut out = String::new();
    if let Some(source) = &meta.source {
        out.push_str(&format!(" · {}", escape(source)));
    }
    if let Some(url) = meta.url.as_deref().filter(|u| is_web_url(u)) {
        out.push_str(&format!(" · <{}>", url.replace(['<', '>', ' '], "")));
    }
    out
}

/// Whether `url` is an http(s) address (only those become links).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_matches_bolded() {
        assert_eq!(emphasize("a *b* Niger", &[(6, 11)]), "a \\*b\\* **Niger**");
        assert_eq!(code("x`y"), "x'y");
    }
}

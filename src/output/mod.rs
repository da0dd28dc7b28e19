//! Printers: one per output format, each generic over `io::Write`. The library never writes to stdout
//! itself; the binary picks a printer and hands it the destination.

pub mod batch;
mod csv;
mod human;
mod json;
mod markdown;
pub mod related;
mod sanitize;
mod timeline;
pub mod wire;

use std::io::{self, Write};

use crate::analysis::IndexStats;
use crate::index::verify::VerifyReport;
use crate::index::StoredArticle;
use crate::search::{Hit, SearchRequest};

pub use self::csv::CsvPrinter;
pub use self::human::HumanPrinter;
pub use self::json::{JsonPrinter, JsonlPrinter};
pub use self::markdown::MarkdownPrinter;
pub use self::sanitize::sanitize_for_terminal;
pub use self::timeline::{
    write_timeline_csv, write_timeline_json, write_timeline_plot, write_timeline_text, PlotFormat,
};

/// What a search printer is told before and after the hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSummary {
    pub query: String,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Matching passages and articles, when counted.
    pub total_passages: Option<u64>,
    pub total_articles: Option<u64>,
    /// Matching stories (copies of one story count once), when counted.
    pub total_stories: Option<u64>,
    /// How many hits will be printed.
    pub shown: usize,
}

impl SearchSummary {
    /// The summary of `request`: its counts of passages, articles and stories (each when counted)
    /// and how many hits are shown.
    pub fn new(
        request: &SearchRequest,
        passages: Option<u64>,
        articles: Option<u64>,
        stories: Option<u64>,
        shown: usize,
    ) -> SearchSummary {
        SearchSummary {
            query: request.query.clone(),
            since: request.dates.since.map(|d| d.to_string()),
            until: request.dates.until.map(|d| d.to_string()),
            total_passages: passages,
            total_articles: articles,
            total_stories: stories,
            shown,
        }
    }
}

/// Writes search results in one format.
pub trait SearchPrinter {
    fn begin(&mut self, summary: &SearchSummary) -> io::Result<()>;
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    fn finish(&mut self, summary: &SearchSummary) -> io::Result<()>;
}

/// Whether and how to mark matches in human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

const MATCH_ON: &str = "\x1b[1;31m";
const DATE_ON: &str = "\x1b[32m";
const ID_ON: &str = "\x1b[35m";
const DIM_ON: &str = "\x1b[2m";
const OFF: &str = "\x1b[0m";

/// Splits `text` by the highlight ranges into (piece, is_match) runs; ranges that are out of bounds or
/// overlap are ignored rather than trusted.
pub fn split_highlights<'a>(text: &'a str, highlights: &[(usize, usize)]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in highlights {
        if start < at
            || end <= start
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        if start > at {
            out.push((&text[at..start], false));
        }
        out.push((&text[start..end], true));
        at = end;
    }
    if at < text.len() {
        out.push((&text[at..], false));
    }
    out
}

/// Prints an article for `show` in human form.
pub fn write_article_text(
    w: &mut dyn Write,
    article: &StoredArticle,
    highlights: &[Vec<(usize, usize)>],
    color: Color,
) -> io::Result<()> {
    let paint = |on: &str, s: &str| match color {
        Color::Always => format!("{on}{s}{OFF}"),
        Color::Never => s.to_string(),
    };
    let date = article.date.as_deref().unwrap_or("undated");
    writeln!(
        w,
        "{}  {}",
        paint(ID_ON, &sanitize_for_terminal(&article.article)),
        paint(DATE_ON, date)
    )?;
    let meta = &article.meta;
    if let Some(title) = &meta.title {
        writeln!(w, "{}", sanitize_for_terminal(title))?;
    }
    let mut facts = Vec::new();
    if let Some(source) = &meta.source {
        facts.push(source.clone());
    }
    if !meta.authors.is_empty() {
        facts.push(format!("by {}", meta.authors.join(", ")));
    }
    if let Some(url) = &meta.url {
        facts.push(url.clone());
    }
    if !facts.is_empty() {
        writeln!(
            w,
            "{}",
            paint(DIM_ON, &sanitize_for_terminal(&facts.join(" · ")))
        )?;
    }
    for (i, paragraph) in article.paragraphs.iter().enumerate() {
        writeln!(w)?;
        write!(w, "{} ", paint(DIM_ON, &passage_label(article, i)))?;
        let ranges = highlights.get(i).map(Vec::as_slice).unwrap_or(&[]);
        for (piece, hit) in split_highlights(paragraph, ranges) {
            let clean = sanitize_for_terminal(piece);
            if hit {
                write!(w, "{}", paint(MATCH_ON, &clean))?;
            } else {
                write!(w, "{clean}")?;
            }
        }
        writeln!(w)?;
    }
    Ok(())
}

/// `¶N` for a paragraph that is passage N, `¶N-M` for one split into passages N to M.
fn passage_label(article: &StoredArticle, paragraph: usize) -> String {
    match article.passages.get(paragraph) {
        Some(&(first, last)) if first == last => format!("¶{first}"),
        Some(&(first, last)) => format!("¶{first}-{last}"),
        None => format!("¶{}", paragraph + 1),
    }
}

/// Prints an article for `show` as JSON (`highlights` only when asked for).
pub fn write_article_json(
    w: &mut dyn Write,
    article: &StoredArticle,
    highlights: Option<&[Vec<(usize, usize)>]>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &wire::ArticleWire::new(article, highlights))?;
    writeln!(w)
}

/// Prints an article for `show` as Markdown, matches in bold.
pub fn write_article_markdown(
    w: &mut dyn Write,
    article: &StoredArticle,
    highlights: &[Vec<(usize, usize)>],
) -> io::Result<()> {
    writeln!(w, "# {}", markdown::escape(&article.headline))?;
    writeln!(w)?;
    writeln!(
        w,
        "*{}* · `{}`{}",
        article.date.as_deref().unwrap_or("undated"),
        markdown::code(&article.article),
        markdown::meta_suffix(&article.meta)
    )?;
    if !article.meta.authors.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "By {}",
            markdown::escape(&article.meta.authors.join(", "))
        )?;
    }
    for (i, paragraph) in article.paragraphs.iter().enumerate() {
        writeln!(w)?;
        let ranges = highlights.get(i).map(Vec::as_slice).unwrap_or(&[]);
        writeln!(
            w,
            "{} {}",
            passage_label(article, i),
            markdown::emphasize(paragraph, ranges)
        )?;
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// Prints `info` in human form.
pub fn write_stats_text(w: &mut dyn Write, s: &IndexStats) -> io::Result<()> {
    write_counts(
        w,
        &Counts {
            index: &s.index,
            articles: s.articles,
            stories: s.stories,
            copies: s.copies,
            passages: s.passages,
            undated: s.undated_articles,
            first_date: s.first_date.as_deref(),
            last_date: s.last_date.as_deref(),
        },
    )?;
    writeln!(
        w,
        "size on disk:   {} ({} segments)",
        human_bytes(s.size_bytes),
        s.segments
    )?;
    writeln!(w, "schema version: {}", s.schema_version)?;
    writeln!(
        w,
        "last indexed:   {}",
        s.last_indexed.as_deref().unwrap_or("never")
    )?;
    if s.problems.is_empty() {
        writeln!(
            w,
            "problems:       none seen (`dateline verify` checks every file)"
        )?;
    }
    for (i, problem) in s.problems.iter().enumerate() {
        let head = if i == 0 {
            "problems:      "
        } else {
            "               "
        };
        writeln!(w, "{head} {}", sanitize_for_terminal(problem))?;
    }
    if s.roots.is_empty() {
        writeln!(w, "corpus roots:   none")?;
    }
    for (i, root) in s.roots.iter().enumerate() {
        let head = if i == 0 {
            "corpus roots:  "
        } else {
            "               "
        };
        let label = if root.label.is_empty() {
            "(ids without prefix)".to_string()
        } else {
            format!("(ids prefixed '{}:')", root.label)
        };
        writeln!(w, "{head} {} {label}", sanitize_for_terminal(&root.path))?;
    }
    if s.sources == 0 {
        writeln!(w, "sources:        none named")?;
    } else {
        let more = s.sources.saturating_sub(s.top_sources.len() as u64);
        let width = s
            .top_sources
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (i, (name, articles)) in s.top_sources.iter().enumerate() {
            let head = if i == 0 {
                "top sources:   "
            } else {
                "               "
            };
            writeln!(
                w,
                "{head} {:<width$}  {articles} articles",
                sanitize_for_terminal(name)
            )?;
        }
        if more > 0 {
            writeln!(w, "                and {more} more sources")?;
        }
    }
    Ok(())
}

/// The counts and dates `info` starts with, for a local index and a Quickwit one.
struct Counts<'a> {
    index: &'a str,
    articles: u64,
    stories: u64,
    copies: u64,
    passages: u64,
    undated: u64,
    first_date: Option<&'a str>,
    last_date: Option<&'a str>,
}

fn write_counts(w: &mut dyn Write, c: &Counts) -> io::Result<()> {
    writeln!(w, "index:          {}", sanitize_for_terminal(c.index))?;
    writeln!(w, "articles:       {}", c.articles)?;
    if c.copies > 0 {
        writeln!(
            w,
            "stories:        {} ({} articles are copies of another's story)",
            c.stories, c.copies
        )?;
    }
    writeln!(w, "passages:       {}", c.passages)?;
    writeln!(w, "undated:        {} articles", c.undated)?;
    writeln!(w, "first date:     {}", c.first_date.unwrap_or("-"))?;
    writeln!(w, "last date:      {}", c.last_date.unwrap_or("-"))
}

/// `info` of a Quickwit index as text.
pub fn write_cluster_info_text(
    w: &mut dyn Write,
    s: &crate::quickwit::search::ClusterInfo,
) -> io::Result<()> {
    write_counts(
        w,
        &Counts {
            index: &s.index,
            articles: s.articles,
            stories: s.stories,
            copies: s.copies,
            passages: s.passages,
            undated: s.undated_articles,
            first_date: s.first_date.as_deref(),
            last_date: s.last_date.as_deref(),
        },
    )?;
    writeln!(
        w,
        "last pushed:    {} (push {}; {} replaced or removed versions not yet deleted by Quickwit, hidden from searches)",
        s.last_pushed.as_deref().unwrap_or("-"),
        s.push_generation,
        s.stale_versions
    )?;
    if s.sources == 0 {
        writeln!(w, "sources:        none named")?;
    }
    for (i, (name, n)) in s.top_sources.iter().enumerate() {
        let head = if i == 0 {
            "top sources:   "
        } else {
            "               "
        };
        writeln!(w, "{head} {}  {n} articles", sanitize_for_terminal(name))?;
    }
    Ok(())
}

/// `info` of a Quickwit index as JSON.
pub fn write_cluster_info_json(
    w: &mut dyn Write,
    s: &crate::quickwit::search::ClusterInfo,
) -> io::Result<()> {
    let value = serde_json::json!({
        "index": s.index,
        "engine": "quickwit",
        "articles": s.articles,
        "passages": s.passages,
        "undated_articles": s.undated_articles,
        "stories": s.stories,
        "copies": s.copies,
        "first_date": s.first_date,
        "last_date": s.last_date,
        "last_pushed": s.last_pushed,
        "push_generation": s.push_generation,
        "live_generations": s.live_generations,
        "stale_versions": s.stale_versions,
        "sources": s.sources,
        "top_sources": s.top_sources.iter()
            .map(|(name, n)| serde_json::json!({"source": name, "articles": n}))
            .collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *w, &value)?;
    writeln!(w)
}

/// The `verify` report as text: a verdict line, then damage and warnings one per line.
pub fn write_verify_text(w: &mut dyn Write, r: &VerifyReport) -> io::Result<()> {
    let verdict = if r.is_sound() { "sound" } else { "DAMAGED" };
    writeln!(
        w,
        "{}: {verdict}: {} files ({}) in {} segments checked",
        sanitize_for_terminal(&r.index),
        r.files_checked,
        human_bytes(r.bytes_checked),
        r.segments
    )?;
    for d in &r.damaged {
        writeln!(w, "damaged: {}", sanitize_for_terminal(d))?;
    }
    for d in &r.warnings {
        writeln!(w, "warning: {}", sanitize_for_terminal(d))?;
    }
    Ok(())
}

/// The `verify` report as JSON.
pub fn write_verify_json(w: &mut dyn Write, r: &VerifyReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &wire::VerifyWire::from(r))?;
    writeln!(w)
}

/// Prints `info` as JSON.
pub fn write_stats_json(w: &mut dyn Write, s: &IndexStats) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &wire::StatsWire::from(s))?;
    writeln!(w)
}

//! `dateline search`: dates parsed, the default index built on first use, hits streamed to a printer.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use dateline::index::Reader;
use dateline::output::{
    CsvPrinter, HumanPrinter, JsonPrinter, JsonlPrinter, MarkdownPrinter, SearchPrinter,
    SearchSummary,
};
use dateline::search::suggest::{missing_words, unknown_sources, MissingWord};
use dateline::search::{search, Hit, MatchMode, SearchRequest, SortOrder, Within};
use dateline::text::dates::{format_day, DateRange};

use super::{resolve_color, stdout_is_terminal};
use crate::cli::{CopiesArg, MatchArg, SearchArgs, SearchFormat, SortArg};

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let format = output_format(&args);
    let query = super::joined_query(&args.query);
    super::note_lowercase_operators([query.as_str()]);
    let dates = args.dates.range()?;
    let request = SearchRequest {
        query: query.clone(),
        dates,
        limit: if args.all { None } else { Some(args.limit) },
        per_article: args.per_article,
        sort: match args.sort {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Newest => SortOrder::Newest,
            SortArg::Oldest => SortOrder::Oldest,
        },
        match_mode: match args.match_mode {
            MatchArg::All => MatchMode::All,
            MatchArg::Any => MatchMode::Any,
        },
        within: args.within.within(),
        ranking: Default::default(),
        fuzzy: args.fuzzy,
        sources: args.sources.clone(),
        // Only these formats print the totals; counting costs a pass over every match.
        count: matches!(
            format,
            SearchFormat::Text | SearchFormat::Json | SearchFormat::Markdown
        ) || (!args.all && args.limit == 0),
        collapse: args.copies == CopiesArg::Collapse,
        date_span: false,
    };
    if let Some(cluster) = super::open_cluster(&args.engine, Some(&args.location))? {
        return run_on_cluster(&cluster, &args, format, &request);
    }
    let reader = super::open_reader(&args.location)?;
    let results = search(&reader, &request)?;
    let counts = results.counts;
    let summary = SearchSummary::new(
        &request,
        counts.map(|c| c.passages),
        counts.map(|c| c.articles),
        counts.map(|c| c.stories),
        results.len(),
    );

    print_hits(&args, format, &summary, results.hits())?;

    let nothing = match results.counts {
        Some(c) => c.passages == 0,
        None => results.is_empty(),
    };
    if nothing {
        if reader.is_empty() {
            super::say_index_is_empty(&reader);
        } else if format == SearchFormat::Text {
            let unit = match request.within {
                Within::Article => "article",
                Within::Passage => "passage",
            };
            eprintln!(
                "dateline: no {unit} matches {}{}",
                summary.query,
                why_nothing(&reader, &request)?
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the hits in the chosen format, to the output file or standard output.
fn print_hits(
    args: &SearchArgs,
    format: SearchFormat,
    summary: &SearchSummary,
    hits: impl Iterator<Item = dateline::Result<Hit>>,
) -> anyhow::Result<()> {
    let (out, to_terminal): (Box<dyn Write>, bool) = match &args.output {
        Some(path) => {
            let file = File::create(path)
                .with_context(|| format!("cannot write output file '{}'", path.display()))?;
            (Box::new(BufWriter::new(file)), false)
        }
        None => (
            Box::new(BufWriter::new(io::stdout().lock())),
            stdout_is_terminal(),
        ),
    };
    let color = resolve_color(args.color, to_terminal);
    let mut printer: Box<dyn SearchPrinter> = match format {
        SearchFormat::Text => {
            let printer = HumanPrinter::new(out, color);
            match terminal_width(to_terminal) {
                Some(width) => Box::new(printer.with_width(width)),
                None => Box::new(printer),
            }
        }
        SearchFormat::Json => Box::new(JsonPrinter::new(out)),
        SearchFormat::Jsonl => Box::new(JsonlPrinter::new(out)),
        SearchFormat::Csv => Box::new(CsvPrinter::new(out, b',')),
        SearchFormat::Tsv => Box::new(CsvPrinter::new(out, b'\t')),
        SearchFormat::Markdown => Box::new(MarkdownPrinter::new(out)),
    };
    let write_context = || match &args.output {
        Some(p) => format!("cannot write output file '{}'", p.display()),
        None => "cannot write to standard output".to_string(),
    };
    printer.begin(summary).with_context(write_context)?;
    for hit in hits {
        printer.hit(&hit?).with_context(write_context)?;
    }
    printer.finish(summary).with_context(write_context)?;
    drop(printer);

    Ok(())
}

/// `search --engine quickwit://...`: the same search over a Quickwit index.
fn run_on_cluster(
    cluster: &dateline::quickwit::Cluster,
    args: &SearchArgs,
    format: SearchFormat,
    request: &SearchRequest,
) -> anyhow::Result<ExitCode> {
    let results = cluster.search(request)?;
    let counts = results.counts;
    let summary = SearchSummary::new(
        request,
        counts.and_then(|c| c.passages),
        counts.and_then(|c| c.articles),
        counts.and_then(|c| c.stories),
        results.hits.len(),
    );
    let nothing = results.hits.is_empty()
        && counts.is_none_or(|c| c.articles.unwrap_or(0) == 0 && c.passages.unwrap_or(0) == 0);
    print_hits(args, format, &summary, results.hits.into_iter().map(Ok))?;
    if nothing {
        if format == SearchFormat::Text {
            let unit = match request.within {
                Within::Article => "article",
                Within::Passage => "passage",
            };
            let span = match (&cluster.manifest().first_day, &cluster.manifest().last_day) {
                (Some(first), Some(last)) => format_day(*first)
                    .zip(format_day(*last))
                    .map(|(f, l)| format!("; the index holds {f} to {l}")),
                _ => None,
            };
            let why = why_nothing_counted(request, span, |r| {
                Ok(cluster
                    .search(r)?
                    .counts
                    .and_then(|c| c.articles)
                    .unwrap_or(0))
            })?;
            eprintln!(
                "dateline: no {unit} of {} matches {}{why}",
                cluster.name(),
                summary.query
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--format` when given; otherwise the format the `--output` file's extension names; otherwise text.
fn output_format(args: &SearchArgs) -> SearchFormat {
    args.format
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(SearchFormat::from_extension)
        })
        .unwrap_or(SearchFormat::Text)
}

/// Why a search found nothing, as the rest of the "no article (or passage) matches" line: words the index does not
/// hold (with the closest it does), or matches that the date range leaves out, or the hint to match
/// any word.
pub(super) fn why_nothing(reader: &Reader, request: &SearchRequest) -> anyhow::Result<String> {
    let missing = missing_words(reader, &request.query)?;
    if !missing.is_empty() {
        let parts: Vec<String> = missing.iter().map(describe_missing).collect();
        return Ok(format!(" (hint: {})", parts.join("; ")));
    }
    let unknown = unknown_sources(reader, &request.query, &request.sources)?;
    if !unknown.is_empty() {
        let known = reader.source_counts()?;
        let listed: Vec<String> = known
            .iter()
            .take(5)
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        let quoted: Vec<String> = unknown.iter().map(|u| format!("'{u}'")).collect();
        let sources = if listed.is_empty() {
            "no article of the index names a source".to_string()
        } else {
            format!(
                "sources with most articles: {}{}",
                listed.join(", "),
                if known.len() > 5 {
                    "; `dateline info` lists more"
                } else {
                    ""
                }
            )
        };
        return Ok(format!(
            " (hint: no article has the source {}; {sources})",
            quoted.join(" or ")
        ));
    }
    let span = reader
        .date_bounds()
        .map(|(first, last)| format!("; the index holds {first} to {last}"));
    why_nothing_counted(request, span, |r| {
        Ok(search(reader, r)?.counts.map_or(0, |c| c.articles))
    })
}

/// The end of the "no match" line that needs only counts: matches outside the dates, in different
/// passages, or the hint to match any word. `articles` counts the matching articles of a request;
/// `span` is the index's first and last date.
fn why_nothing_counted(
    request: &SearchRequest,
    span: Option<String>,
    articles: impl Fn(&SearchRequest) -> anyhow::Result<u64>,
) -> anyhow::Result<String> {
    if !request.dates.is_unbounded() {
        let undated = SearchRequest {
            dates: DateRange::default(),
            limit: Some(0),
            count: true,
            ..request.clone()
        };
        let n = articles(&undated)?;
        if n > 0 {
            let range = match (request.dates.since, request.dates.until) {
                (Some(s), Some(u)) => format!(" from {s} to {u}"),
                (Some(s), None) => format!(" from {s} on"),
                (None, Some(u)) => format!(" up to {u}"),
                (None, None) => String::new(),
            };
            return Ok(format!(
                "{range} (hint: {n} article{} match{} outside these dates{})",
                if n == 1 { "" } else { "s" },
                if n == 1 { "es" } else { "" },
                span.unwrap_or_default(),
            ));
        }
    }
    if request.within == Within::Passage {
        let whole = SearchRequest {
            within: Within::Article,
            limit: Some(0),
            count: true,
            ..request.clone()
        };
        let n = articles(&whole)?;
        if n > 0 {
            return Ok(format!(
                " (hint: {n} article{} hold{} the words in different passages; leave out \
                 --within passage to find {})",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
                if n == 1 { "it" } else { "them" },
            ));
        }
    }
    Ok(match (request.match_mode, request.within) {
        (MatchMode::All, within) if request.query.split_whitespace().count() > 1 => {
            let unit = match within {
                Within::Article => "the same article",
                Within::Passage => "one passage",
            };
            format!(" (hint: every word must be in {unit}; try --match any)")
        }
        _ => String::new(),
    })
}

/// `'Volker' is not in the index: did you mean volcker (32 articles)? or try Volker~`
fn describe_missing(m: &MissingWord) -> String {
    let mut out = format!("'{}' is not in the index", m.word);
    if m.suggestions.is_empty() {
        out.push_str(", nor any word close to it");
    } else {
        let options: Vec<String> = m
            .suggestions
            .iter()
            .map(|s| {
                let plural = if s.articles == 1 { "" } else { "s" };
                format!("{} ({} article{plural})", s.word, s.articles)
            })
            .collect();
        out.push_str(&format!(
            ": did you mean {}? or try {}~",
            options.join(", "),
            m.word
        ));
    }
    out
}

/// The terminal's width when writing to one (snippets are wrapped to it), else none.
fn terminal_width(to_terminal: bool) -> Option<usize> {
    if !to_terminal {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
}

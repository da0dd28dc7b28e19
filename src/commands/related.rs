//! `dateline related`: what is mentioned with a query.

use std::io::{self, BufWriter};
use std::process::ExitCode;

use anyhow::Context;
use dateline::analysis::related::{related, RelatedRequest};
use dateline::analysis::Bucketing;
use dateline::output::related::{write_related_csv, write_related_json, write_related_text};
use dateline::search::{MatchMode, SearchRequest};

use super::open_reader;
use crate::cli::{ByArg, MatchArg, RelatedArgs, TimelineFormat};

pub fn run(args: RelatedArgs) -> anyhow::Result<ExitCode> {
    let query = super::joined_query(&args.query);
    super::note_lowercase_operators([query.as_str()]);
    let dates = args.dates.range()?;
    if std::env::var_os("DATELINE_ENGINE").is_some_and(|e| !e.is_empty()) {
        eprintln!("dateline: note: related reads the local index (DATELINE_ENGINE is for search, timeline, show, info, batch and serve)");
    }
    let reader = open_reader(&args.location)?;
    let request = RelatedRequest {
        query: query.clone(),
        dates,
        match_mode: match args.match_mode {
            MatchArg::All => MatchMode::All,
            MatchArg::Any => MatchMode::Any,
        },
        sources: args.sources.clone(),
        limit: args.limit,
        by: args.by.map(|b| match b {
            ByArg::Day => Bucketing::Day,
            ByArg::Week => Bucketing::Week,
            ByArg::Month => Bucketing::Month,
            ByArg::Year => Bucketing::Year,
        }),
    };
    let found = related(&reader, &request)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        // Nothing found: the line on stderr says so (and why), the text has nothing to show.
        TimelineFormat::Text if found.stories == 0 => Ok(()),
        TimelineFormat::Text => write_related_text(&mut out, &query, &found),
        TimelineFormat::Json => write_related_json(&mut out, &query, &found, args.by.is_some()),
        TimelineFormat::Csv => write_related_csv(&mut out, &found),
    }
    .context("cannot write to standard output")?;
    drop(out);
    if found.stories == 0 {
        if reader.is_empty() {
            super::say_index_is_empty(&reader);
        } else {
            let mut search = SearchRequest::new(query.clone());
            search.dates = dates;
            search.sources = args.sources.clone();
            search.match_mode = request.match_mode;
            let why = super::search::why_nothing(&reader, &search)?;
            eprintln!("dateline: no article matches {query}{why}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

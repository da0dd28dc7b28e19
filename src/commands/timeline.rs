//! `dateline timeline`: counts per calendar bucket as a text chart, CSV or JSON, and a chart image.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::bail;
use dateline::analysis::timeline::Count;
use dateline::analysis::{timeline, Bucketing, TimelineRequest};
use dateline::output::{
    write_timeline_csv, write_timeline_json, write_timeline_plot, write_timeline_text, PlotFormat,
};
use dateline::search::MatchMode;

use super::{open_reader, resolve_color, stdout_is_terminal};
use crate::cli::{ByArg, CountArg, MatchArg, TimelineArgs, TimelineFormat};

pub fn run(args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let dates = args.dates.range()?;
    let plot_format = match &args.plot {
        Some(path) => match PlotFormat::from_path(path) {
            Some(f) => Some(f),
            None => bail!(
                "--plot '{}' must end in .svg or .png (hint: name the chart file chart.svg or chart.png)",
                path.display()
            ),
        },
        None => None,
    };
    // Trimmed: a query starting with `-` arrives with a leading space (see `cli`).
    let queries: Vec<String> = args.queries.iter().map(|q| q.trim().to_string()).collect();
    super::note_lowercase_operators(queries.iter().map(String::as_str));
    if args.split.is_some() && queries.len() > 1 {
        bail!(
            "--split source draws the sources of one query, not of {} (hint: join them with OR, as in 'a OR b', or run one timeline per query)",
            queries.len()
        );
    }
    if args.split.is_some() && args.within == crate::cli::WithinArg::Passage {
        bail!("--split source counts whole articles (hint: leave out --within passage)");
    }
    if args.split.is_some() && args.top == 0 {
        bail!("--top 0 leaves no source a series of its own (hint: --top 5)");
    }
    let request = TimelineRequest {
        queries,
        dates,
        by: args.by.map(|b| match b {
            ByArg::Day => Bucketing::Day,
            ByArg::Week => Bucketing::Week,
            ByArg::Month => Bucketing::Month,
            ByArg::Year => Bucketing::Year,
        }),
        match_mode: match args.match_mode {
            MatchArg::All => MatchMode::All,
            MatchArg::Any => MatchMode::Any,
        },
        within: args.within.within(),
        sources: args.sources.clone(),
        split_sources: args.split.map(|_| args.top),
        share: args.share,
        count: match args.count {
            CountArg::Stories => Count::Stories,
            CountArg::Articles => Count::Articles,
        },
    };
    let cluster = super::open_cluster(&args.engine, Some(&args.location))?;
    if cluster.is_some() && args.split.is_some() {
        bail!("--split source needs the local index (hint: leave out --engine, or run one timeline per --source)");
    }
    let reader = match &cluster {
        Some(_) => None,
        None => Some(open_reader(&args.location)?),
    };
    let timeline = match (&cluster, &reader) {
        (Some(c), _) => c.timeline(&request)?,
        (None, Some(r)) => timeline(r, &request)?,
        (None, None) => unreachable!("a reader is opened when no engine is named"),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        TimelineFormat::Text => {
            let terminal = stdout_is_terminal();
            let width = match args.width {
                Some(w) => usize::from(w),
                None if terminal => console::Term::stdout()
                    .size_checked()
                    .map_or(80, |(_, cols)| usize::from(cols)),
                None => 80,
            };
            write_timeline_text(
                &mut out,
                &timeline,
                width,
                resolve_color(args.color, terminal),
            )?;
        }
        TimelineFormat::Csv => write_timeline_csv(&mut out, &timeline)?,
        TimelineFormat::Json => write_timeline_json(&mut out, &timeline)?,
    }
    out.flush()?;
    if let (Some(path), Some(format)) = (&args.plot, plot_format) {
        write_timeline_plot(path, format, &timeline)?;
    }
    let any_hit = timeline.series.iter().any(|s| s.total_articles() > 0);
    if let Some(reader) = reader.as_ref().filter(|r| r.is_empty()) {
        super::say_index_is_empty(reader);
    }
    Ok(if any_hit {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

//! `dateline info`: counts, dates, size and roots of an index (or of a Quickwit index with
//! `--engine`).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::analysis::stats;
use dateline::index::Reader;
use dateline::output::{write_stats_json, write_stats_text};
use dateline::quickwit::Cluster;
use dateline::text::dates::format_day;

use crate::cli::{InfoArgs, InfoFormat};

pub fn run(args: InfoArgs) -> anyhow::Result<ExitCode> {
    if let Some(cluster) = super::open_cluster(&args.engine)? {
        return cluster_info(&cluster, args.format);
    }
    let (dir, _) = args.location.resolve();
    let stats = stats(&Reader::open(&dir)?)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        InfoFormat::Text => write_stats_text(&mut out, &stats)?,
        InfoFormat::Json => write_stats_json(&mut out, &stats)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What a Quickwit index holds now, and what the last push said of it.
fn cluster_info(cluster: &Cluster, format: InfoFormat) -> anyhow::Result<ExitCode> {
    let m = cluster.manifest();
    let (articles, passages, undated) = cluster.live_counts()?;
    let pushed = time::OffsetDateTime::from_unix_timestamp(m.pushed_at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    let first = m.first_day.and_then(format_day);
    let last = m.last_day.and_then(format_day);
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        InfoFormat::Json => {
            let value = serde_json::json!({
                "index": cluster.name(),
                "engine": "quickwit",
                "articles": articles,
                "passages": passages,
                "undated_articles": undated,
                "stories": articles.saturating_sub(m.copies),
                "copies": m.copies,
                "first_date": first,
                "last_date": last,
                "last_pushed": pushed,
                "push_generation": m.gen,
                "live_generations": m.live,
                "stale_versions": m.stale.len(),
                "sources": m.sources,
                "top_sources": m.top_sources.iter().map(|(name, n)| serde_json::json!({"source": name, "articles": n})).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        InfoFormat::Text => {
            writeln!(out, "index:          {}", cluster.name())?;
            writeln!(out, "articles:       {articles}")?;
            if m.copies > 0 {
                writeln!(
                    out,
                    "stories:        {} ({} articles are copies of another's story)",
                    articles.saturating_sub(m.copies),
                    m.copies
                )?;
            }
            writeln!(out, "passages:       {passages}")?;
            writeln!(out, "undated:        {undated} articles")?;
            writeln!(out, "first date:     {}", first.as_deref().unwrap_or("-"))?;
            writeln!(out, "last date:      {}", last.as_deref().unwrap_or("-"))?;
            writeln!(
                out,
                "last pushed:    {} (push {}; {} replaced or removed versions awaiting Quickwit's deletes, hidden from searches)",
                pushed.as_deref().unwrap_or("-"),
                m.gen,
                m.stale.len()
            )?;
            if m.sources == 0 {
                writeln!(out, "sources:        none named")?;
            }
            for (i, (name, n)) in m.top_sources.iter().enumerate() {
                let head = if i == 0 {
                    "top sources:   "
                } else {
                    "               "
                };
                writeln!(out, "{head} {name}  {n} articles")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

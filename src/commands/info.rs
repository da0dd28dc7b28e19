//! `dateline info`: counts, dates, size and roots of an index (or of a Quickwit index with
//! `--engine`).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::analysis::stats;
use dateline::index::Reader;
use dateline::output::{
    write_cluster_info_json, write_cluster_info_text, write_stats_json, write_stats_text,
};
use dateline::quickwit::Cluster;

use crate::cli::{InfoArgs, InfoFormat};

pub fn run(args: InfoArgs) -> anyhow::Result<ExitCode> {
    if let Some(cluster) = super::open_cluster(&args.engine, None)? {
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
    let info = cluster.info()?;
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        InfoFormat::Json => write_cluster_info_json(&mut out, &info)?,
        InfoFormat::Text => write_cluster_info_text(&mut out, &info)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

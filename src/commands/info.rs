//! `dateline info`: counts, dates, size and roots of an index.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::analysis::stats;
use dateline::index::Reader;
use dateline::output::{write_stats_json, write_stats_text};

use crate::cli::{InfoArgs, InfoFormat};

pub fn run(args: InfoArgs) -> anyhow::Result<ExitCode> {
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

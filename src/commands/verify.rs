//! `dateline verify`: checksums, segments and file state; exit 1 when damage is found.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::output::{write_verify_json, write_verify_text};

use crate::cli::{InfoFormat, VerifyArgs};

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let (dir, _) = args.location.resolve();
    let report = dateline::index::verify::verify(&dir)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        InfoFormat::Text => write_verify_text(&mut out, &report)?,
        InfoFormat::Json => write_verify_json(&mut out, &report)?,
    }
    out.flush()?;
    Ok(if report.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

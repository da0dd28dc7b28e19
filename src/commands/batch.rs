//! `dateline batch`: a list of queries run side by side (a progress bar on a terminal), written in
//! the list's order.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context};
use dateline::analysis::batch::{
    read_query_list, run_query, BatchOptions, BatchRow, QueryListError,
};
use dateline::output::batch::{write_batch, BatchOutput};
use dateline::search::MatchMode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::open_reader;
use crate::cli::{BatchArgs, BatchFormat, MatchArg};

pub fn run(args: BatchArgs) -> anyhow::Result<ExitCode> {
    let from_stdin = args.file.as_os_str() == "-";
    let bytes = if from_stdin {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read the queries from standard input")?;
        buf
    } else {
        match std::fs::read(&args.file) {
            Ok(b) => b,
            Err(e) => bail!(
                "cannot read the list of queries '{}': {e} (hint: give a file with one query per line, or - for standard input)",
                args.file.display()
            ),
        }
    };
    let is_csv = !from_stdin
        && args
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let queries = match read_query_list(&bytes, is_csv) {
        Ok(q) => q,
        Err(e @ QueryListError::NoQueryColumn(_)) => bail!(
            "{}: {e} (hint: name the column of queries 'query', or give a file with one query per line)",
            args.file.display()
        ),
        Err(e @ QueryListError::Empty) => bail!(
            "{}: {e} (hint: one query per line; lines starting with # are comments)",
            args.file.display()
        ),
        Err(e) => bail!("{}: {e}", args.file.display()),
    };
    let format = args
        .format
        .or_else(|| {
            let ext = args
                .output
                .as_deref()?
                .extension()?
                .to_str()?
                .to_ascii_lowercase();
            match ext.as_str() {
                "json" => Some(BatchFormat::Json),
                "jsonl" | "ndjson" => Some(BatchFormat::Jsonl),
                "csv" => Some(BatchFormat::Csv),
                _ => None,
            }
        })
        .unwrap_or(BatchFormat::Csv);
    let options = BatchOptions {
        dates: args.dates.range()?,
        match_mode: match args.match_mode {
            MatchArg::All => MatchMode::All,
            MatchArg::Any => MatchMode::Any,
        },
        sources: args.sources.clone(),
        hits: args.hits,
    };
    let cluster = super::open_cluster(&args.engine, Some(&args.location))?;
    let reader = match &cluster {
        Some(_) => None,
        None => Some(open_reader(&args.location)?),
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, queries.len());

    let bar = if io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(queries.len() as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} queries ({per_sec}, ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<BatchRow>>> = Mutex::new(vec![None; queries.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(query) = queries.get(i) else { break };
                let row = match (&cluster, &reader) {
                    (Some(c), _) => dateline::quickwit::batch::run_query(c, query, &options),
                    (None, Some(r)) => run_query(r, query, &options),
                    (None, None) => unreachable!("a reader is opened when no engine is named"),
                };
                rows.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(row);
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    let rows: Vec<BatchRow> = rows
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect();

    let out: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot write output file '{}'", path.display())
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut out = out;
    let output = match format {
        BatchFormat::Csv => BatchOutput::Csv,
        BatchFormat::Json => BatchOutput::Json,
        BatchFormat::Jsonl => BatchOutput::Jsonl,
    };
    write_batch(&mut out, &rows, output, args.hits > 0).with_context(|| match &args.output {
        Some(p) => format!("cannot write output file '{}'", p.display()),
        None => "cannot write to standard output".to_string(),
    })?;
    drop(out);

    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        eprintln!(
            "dateline: warning: {failed} of {} queries could not run (the error column says why)",
            rows.len()
        );
    }
    if let Some(reader) = reader.as_ref().filter(|r| r.is_empty()) {
        super::say_index_is_empty(reader);
    }
    Ok(ExitCode::SUCCESS)
}

//! `dateline index`: progress bar on a terminal, warnings for skipped files, one summary line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use dateline::index::{index_corpus, IndexEvent, IndexReport, IndexRequest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{IndexArgs, InputFormatArg};

pub fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let (dir, _) = args.location.resolve();
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(default_threads);
    let mut fields = dateline::ingest::FieldNames::default();
    for (part, name) in &args.fields {
        // The parser of --field accepts only the parts `set` knows.
        fields.set(part, name);
    }
    let request = IndexRequest {
        rebuild: args.rebuild,
        keep_missing: args.keep_missing,
        memory_per_thread: usize::from(args.memory) * 1024 * 1024,
        input_format: args.input_format.map(|f| match f {
            InputFormatArg::Text => dateline::ingest::InputFormat::Text,
            InputFormatArg::Jsonl => dateline::ingest::InputFormat::Jsonl,
            InputFormatArg::Html => dateline::ingest::InputFormat::Html,
            InputFormatArg::Warc => dateline::ingest::InputFormat::Warc,
        }),
        fields,
        ..IndexRequest::new(corpus_roots(&args)?, threads)
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let report = build(&dir, &request, show_progress)?;
    if !args.quiet {
        eprintln!("{}", summary(&report));
    }
    if report.skipped.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let unknown = report
        .skipped
        .iter()
        .filter(|(_, r)| *r == dateline::ingest::SkipReason::NotArticleFormat)
        .count();
    if unknown > 0 {
        eprintln!(
            "dateline: note: {unknown} {} of no article format by {} name; --input-format text (or \
             jsonl) reads every file in that format",
            if unknown == 1 { "file is" } else { "files are" },
            if unknown == 1 { "its" } else { "their" },
        );
    }
    let n = report.skipped.len();
    eprintln!(
        "dateline: warning: partial run: {n} {} skipped (named above); everything else is indexed \
         and committed (exit status {PARTIAL})",
        if n == 1 {
            "file or folder"
        } else {
            "files or folders"
        },
    );
    Ok(ExitCode::from(PARTIAL))
}

/// The folders named, or else those the index remembers, or else the default corpus.
fn corpus_roots(args: &IndexArgs) -> anyhow::Result<Vec<PathBuf>> {
    if !args.corpus.is_empty() {
        return Ok(args.corpus.clone());
    }
    let (dir, _) = args.location.resolve();
    let remembered = dateline::index::remembered_roots(&dir)?;
    if remembered.is_empty() {
        return Ok(vec![PathBuf::from(super::DEFAULT_CORPUS)]);
    }
    Ok(remembered
        .into_iter()
        .map(|r| PathBuf::from(r.path))
        .collect())
}

/// Exit status of an index run that committed everything it could read but skipped some files.
pub const PARTIAL: u8 = 3;

pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

/// Runs the indexer, drawing a progress bar when asked and printing each warning on stderr.
pub fn build(
    dir: &std::path::Path,
    request: &IndexRequest,
    show_progress: bool,
) -> anyhow::Result<IndexReport> {
    let bar = if show_progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:30}] {prefix} files, {decimal_bytes}/{decimal_total_bytes} ({decimal_bytes_per_sec}, ETA {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let stop = stop_on_ctrl_c();
    stop.store(false, Ordering::Relaxed);
    let request = &IndexRequest {
        cancel: Some(stop.clone()),
        ..request.clone()
    };
    let (mut files_done, mut files_total) = (0u64, 0u64);
    let result = index_corpus(dir, request, |event| match event {
        IndexEvent::Planned { files, bytes } => {
            files_total = files;
            bar.set_length(bytes);
            bar.set_prefix(format!("0/{files}"));
        }
        IndexEvent::FileDone { bytes } => {
            files_done += 1;
            bar.inc(bytes);
            if files_done % 64 == 0 || files_done == files_total {
                bar.set_prefix(format!("{files_done}/{files_total}"));
            }
        }
        IndexEvent::Skipped { path, reason } => {
            bar.suspend(|| eprintln!("dateline: warning: skipped {}: {reason}", path.display()));
        }
        IndexEvent::Warning { path, message } => {
            bar.suspend(|| eprintln!("dateline: warning: {}: {message}", path.display()));
        }
        IndexEvent::Committing => bar.set_message("committing"),
        IndexEvent::Notice { message } => {
            bar.suspend(|| eprintln!("dateline: warning: {message}"));
        }
    });
    INDEXING.store(false, Ordering::Relaxed);
    bar.finish_and_clear();
    if show_progress && matches!(result, Err(dateline::Error::Interrupted)) {
        // indicatif leaves the cursor at the right edge of the bar's line, so the terminal's echo of
        // ^C wraps to the next line, and the bar clears that line instead of its own: clear both.
        eprint!("\r\x1b[2K\x1b[1A\x1b[2K");
    }
    Ok(result?)
}

/// Whether an index run is under way (Ctrl-C then stops it rather than the process).
static INDEXING: AtomicBool = AtomicBool::new(false);

/// The flag Ctrl-C sets during an index run: no further file is read, nothing of the run is committed,
/// and the error says the index is at its last commit (after the bar is cleared). Outside a run (a
/// search after the default index was built) Ctrl-C ends the process as it would without a handler.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    let stop = STOP.get_or_init(|| {
        let stop = Arc::new(AtomicBool::new(false));
        let on_signal = stop.clone();
        // Without a handler (it fails only when one is set already), Ctrl-C ends the run as before.
        let _ = ctrlc::set_handler(move || {
            if INDEXING.load(Ordering::Relaxed) {
                on_signal.store(true, Ordering::Relaxed);
            } else {
                std::process::exit(130);
            }
        });
        stop
    });
    INDEXING.store(true, Ordering::Relaxed);
    stop.clone()
}

pub fn summary(r: &IndexReport) -> String {
    let skipped = r.skipped.len();
    if r.articles == 0 && r.removed == 0 {
        // Nothing written: say what the index holds, not "indexed 0 articles".
        return format!(
            "the index is up to date with {} article{}: {} added, {} updated, {} removed, {} unchanged, \
             {} skipped; checked in {:.2} s",
            r.total_articles,
            if r.total_articles == 1 { "" } else { "s" },
            r.added,
            r.updated,
            r.removed,
            r.unchanged,
            skipped,
            r.elapsed.as_secs_f64(),
        );
    }
    let mut archive = String::new();
    if r.records_passed_over > 0 {
        archive.push_str(&format!(
            "; {} web archive record{} passed over (no HTML page)",
            r.records_passed_over,
            if r.records_passed_over == 1 { "" } else { "s" }
        ));
    }
    if r.dated_by_record > 0 {
        archive.push_str(&format!(
            "; {} page{} dated by WARC-Date (no date of {})",
            r.dated_by_record,
            if r.dated_by_record == 1 { "" } else { "s" },
            if r.dated_by_record == 1 {
                "its own"
            } else {
                "their own"
            }
        ));
    }
    format!(
        "indexed {} article{} ({} passages, {} undated): {} added, {} updated, {} removed, {} unchanged, \
         {} skipped; read {:.2} MB in {:.2} s ({:.1} MB/s){archive}",
        r.articles,
        if r.articles == 1 { "" } else { "s" },
        r.passages,
        r.undated,
        r.added,
        r.updated,
        r.removed,
        r.unchanged,
        skipped,
        r.bytes as f64 / 1e6,
        r.elapsed.as_secs_f64(),
        r.mb_per_sec(),
    )
}

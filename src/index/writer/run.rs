//! The second step of a run: read and parse the planned files on a pool of threads, each handing an
//! article's passages to tantivy's writer as one group (a delete of its id, then its passages), and
//! gather the outcomes on the calling thread, which updates the report and the next file state.

use std::path::PathBuf;
use std::sync::Mutex;

use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyError, Term};

use super::{IndexEvent, IndexReport, IndexRequest, NextState, RunKind};
use crate::index::documents::article_documents;
use crate::index::schema::Fields;
use crate::index::state::{CorpusState, FileState};
use crate::ingest::read::read_file;
use crate::ingest::walk::CorpusFile;
use crate::ingest::{format_of, parse_article, parse_jsonl, InputFormat, SkipReason};

/// What became of one file, sent from a parser thread to the calling thread.
enum FileOutcome {
    Indexed {
        path: PathBuf,
        id: String,
        state: FileState,
        added: bool,
        bytes: u64,
        articles: u64,
        passages: u64,
        undated: u64,
        warnings: Vec<String>,
    },
    /// Size or time differed, but the content is the same.
    Same {
        id: String,
        state: FileState,
        bytes: u64,
    },
    Skipped {
        path: PathBuf,
        bytes: u64,
        reason: SkipReason,
    },
    Failed(TantivyError),
}

/// Where and how a run writes.
pub(super) struct Target<'a> {
    pub writer: &'a IndexWriter,
    pub fields: Fields,
    /// The file state of the last commit (a file whose hash is there unchanged is not indexed again).
    pub previous: &'a CorpusState,
    pub kind: RunKind,
    /// Parser threads.
    pub threads: usize,
    /// The run's request: once it is cancelled, no further file is read.
    pub request: &'a IndexRequest,
}

impl Target<'_> {
    fn cancelled(&self) -> bool {
        self.request.cancelled()
    }
}

/// What the parser threads share.
struct Shared<'a> {
    target: &'a Target<'a>,
    /// Held while a group is sent (see [`send_group`]).
    run_lock: Mutex<()>,
}

/// Reads, parses and writes `files` on the target's threads. Returns the first writer failure, if
/// any (the run must then be rolled back).
pub(super) fn run(
    target: &Target<'_>,
    files: Vec<CorpusFile>,
    state: &mut NextState,
    report: &mut IndexReport,
    on_event: &mut impl FnMut(IndexEvent<'_>),
) -> Option<TantivyError> {
    let threads = target.threads;
    let shared = Shared {
        target,
        run_lock: Mutex::new(()),
    };
    let (job_tx, job_rx) = crossbeam_channel::bounded::<CorpusFile>(threads * 64);
    let (out_tx, out_rx) = crossbeam_channel::bounded::<FileOutcome>(threads * 64);
    let mut failure: Option<TantivyError> = None;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let out_tx = out_tx.clone();
            let shared = &shared;
            scope.spawn(move || {
                for file in job_rx {
                    if shared.target.cancelled() || out_tx.send(process_file(file, shared)).is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(out_tx);
        drop(job_rx);
        let feeder = scope.spawn(move || {
            for f in files {
                if target.cancelled() || job_tx.send(f).is_err() {
                    break;
                }
            }
        });
        for outcome in out_rx {
            if let Some(e) = record(outcome, state, report, on_event) {
                failure.get_or_insert(e);
            }
        }
        if let Err(panic) = feeder.join() {
            std::panic::resume_unwind(panic);
        }
    });
    failure
}

/// Adds one outcome to the report and the next state; a writer failure is returned.
fn record(
    outcome: FileOutcome,
    state: &mut NextState,
    report: &mut IndexReport,
    on_event: &mut impl FnMut(IndexEvent<'_>),
) -> Option<TantivyError> {
    match outcome {
        FileOutcome::Indexed {
            path,
            id,
            state: file_state,
            added,
            bytes,
            articles,
            passages,
            undated,
            warnings,
        } => {
            state.insert(id, file_state);
            if added {
                report.added += 1;
            } else {
                report.updated += 1;
            }
            report.articles += articles;
            report.passages += passages;
            report.undated += undated;
            report.bytes += bytes;
            for message in warnings {
                on_event(IndexEvent::Warning {
                    path: &path,
                    message: &message,
                });
                report.warnings.push((path.clone(), message));
            }
            on_event(IndexEvent::FileDone { bytes });
        }
        FileOutcome::Same {
            id,
            state: file_state,
            bytes,
        } => {
            state.insert(id, file_state);
            report.unchanged += 1;
            report.bytes += bytes;
            on_event(IndexEvent::FileDone { bytes });
        }
        FileOutcome::Skipped {
            path,
            bytes,
            reason,
        } => {
            report.bytes += bytes;
            on_event(IndexEvent::Skipped {
                path: &path,
                reason: &reason,
            });
            report.skipped.push((path, reason));
            on_event(IndexEvent::FileDone { bytes });
        }
        FileOutcome::Failed(e) => return Some(e),
    }
    None
}

fn process_file(file: CorpusFile, shared: &Shared<'_>) -> FileOutcome {
    let skipped = |file: CorpusFile, reason: SkipReason| FileOutcome::Skipped {
        path: file.path,
        bytes: file.size,
        reason,
    };
    let bytes = match read_file(&file.path) {
        Ok(b) => b,
        Err(reason) => return skipped(file, reason),
    };
    let mut state = FileState {
        root: file.label.clone(),
        size: bytes.len() as u64,
        mtime_ns: file.mtime_ns,
        hash: blake3::hash(&bytes).to_hex().to_string(),
        articles: 1,
    };
    let target = shared.target;
    let previous_hash = target.previous.get(&file.id).map(|p| p.hash.as_str());
    if previous_hash == Some(state.hash.as_str()) {
        return FileOutcome::Same {
            id: file.id,
            state,
            bytes: bytes.len() as u64,
        };
    }
    let format = target
        .request
        .input_format
        .or_else(|| format_of(&file.path));
    let (articles, warnings) = match format {
        Some(InputFormat::Jsonl) => match parse_jsonl(&file.id, &bytes, &target.request.fields) {
            Ok(p) => (p.articles, p.warnings),
            Err(reason) => return skipped(file, reason),
        },
        // HTML and WARC are read as the text format until their readers come.
        _ => match parse_article(&file.id, &file.rel_path, &bytes) {
            Ok(p) => (vec![p.article], p.warnings),
            Err(reason) => return skipped(file, reason),
        },
    };
    // One group for the whole file: the old articles of the file go, its articles come, each
    // article's passages side by side in one segment.
    let mut ops = Vec::new();
    if target.kind == RunKind::Incremental {
        ops.push(UserOperation::Delete(Term::from_field_text(
            target.fields.file,
            &file.id,
        )));
    }
    let mut passages = 0;
    for article in &articles {
        let docs = article_documents(article, &file.id, &target.fields);
        passages += docs.len() as u64;
        ops.extend(docs.into_iter().map(UserOperation::Add));
    }
    if let Err(e) = send_group(shared, ops) {
        return FileOutcome::Failed(e);
    }
    state.articles = articles.len() as u64;
    FileOutcome::Indexed {
        path: file.path,
        id: file.id,
        state,
        added: previous_hash.is_none(),
        bytes: bytes.len() as u64,
        articles: articles.len() as u64,
        passages,
        undated: articles.iter().filter(|a| a.date.is_none()).count() as u64,
        warnings,
    }
}

/// Sends one article's operations as a group, one group at a time: tantivy stamps a group's
/// operations, then queues its delete. Two groups stamped and queued from two threads can put a later
/// delete ahead of an earlier one in the queue; a segment flushed in between then stops at the later
/// delete and has the earlier one applied to all its documents at the commit, removing the new
/// passages of a changed article with its old ones (seen in the kill test and in a re-run test under
/// load).
fn send_group(shared: &Shared<'_>, ops: Vec<UserOperation>) -> tantivy::Result<()> {
    let _one_at_a_time = shared.run_lock.lock().unwrap_or_else(|e| e.into_inner());
    shared.target.writer.run(ops).map(|_| ())
}

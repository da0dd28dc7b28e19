//! Building and updating an index from corpus folders.
//!
//! Files are walked first (cheap: it gives the totals for progress), then parsed by a pool of threads that
//! hand each article's passages to tantivy's writer threads as they go. Each article is written as one
//! group of operations: a delete of its id, then its passages, so indexing a file again replaces its old
//! passages. A run ends with exactly one commit that carries the dateline metadata; a run that fails or
//! is killed before it leaves the last commit as it was.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tantivy::directory::error::{LockError, OpenWriteError};
use tantivy::indexer::UserOperation;
use tantivy::schema::TantivyDocument;
use tantivy::{DateTime, IndexWriter, TantivyError, Term};

use crate::article::{parse_article, Article, SkipReason, MAX_FILE_BYTES};
use crate::corpus::{stat_all, walk_names, CorpusFile, WalkItem};
use crate::date_filter::{month_key, year_key};
use crate::error::{Error, Result};
use crate::passage::split_passages;
use crate::schema::{CorpusRoot, DatelineIndex, Fields, IndexMeta, SCHEMA_VERSION};
use crate::state::{self, CorpusState, FileState};

/// Memory budget of each tantivy writer thread; the whole writer uses `threads` times this (and tantivy
/// can briefly need about twice it while flushing a segment).
pub const WRITER_MEMORY_PER_THREAD: usize = 64 * 1024 * 1024;

/// Files modified less than this before the last commit are hashed even when size and time match.
const RACY_WINDOW_NS: i128 = 2_000_000_000;

/// The least memory tantivy accepts for one writer thread.
pub const MIN_MEMORY_PER_THREAD: usize = 15 * 1024 * 1024;

/// What to index and how.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    /// Corpus folders, indexed in this order.
    pub roots: Vec<PathBuf>,
    /// Start from an empty index (atomically: the old one stays searchable until the commit).
    pub rebuild: bool,
    /// Parser threads and tantivy writer threads (each); at least 1.
    pub threads: usize,
    /// Keep the articles of files that are gone from the corpus (by default they are removed).
    pub keep_missing: bool,
    /// Memory budget of each writer thread in bytes (tantivy needs at least 15 MB); a full buffer is
    /// written out as a segment.
    pub memory_per_thread: usize,
}

impl IndexRequest {
    /// Indexes `roots` incrementally with `threads` threads and the default memory budget.
    pub fn new(roots: Vec<PathBuf>, threads: usize) -> IndexRequest {
        IndexRequest {
            roots,
            rebuild: false,
            threads,
            keep_missing: false,
            memory_per_thread: WRITER_MEMORY_PER_THREAD,
        }
    }
}

/// Progress events, delivered on the calling thread.
#[derive(Debug)]
pub enum IndexEvent<'a> {
    /// The walk is done: this many files and bytes will be read.
    Planned { files: u64, bytes: u64 },
    /// One file was handled (indexed or skipped).
    FileDone { bytes: u64 },
    /// A file or folder was skipped.
    Skipped { path: &'a Path, reason: &'a str },
    /// A file was indexed with a warning.
    Warning { path: &'a Path, message: &'a str },
    /// All files are parsed; the commit is being written.
    Committing,
    /// Something the user should know that is not about one file.
    Notice { message: &'a str },
}

/// The outcome of an indexing run.
#[derive(Debug, Clone, Default)]
pub struct IndexReport {
    /// Articles parsed and written by this run (added + updated).
    pub articles: u64,
    /// Files indexed for the first time.
    pub added: u64,
    /// Files indexed again because their content changed.
    pub updated: u64,
    /// Articles removed because their files are gone.
    pub removed: u64,
    /// Files whose size and time, or content, are as indexed.
    pub unchanged: u64,
    pub passages: u64,
    pub undated: u64,
    pub bytes: u64,
    pub skipped: Vec<(PathBuf, String)>,
    pub warnings: Vec<(PathBuf, String)>,
    pub elapsed: Duration,
}

impl IndexReport {
    /// Throughput in MB/s (10^6 bytes) over the whole run.
    pub fn mb_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes as f64 / 1e6 / secs
        } else {
            0.0
        }
    }
}

/// Converts a calendar date to the index's date value (midnight UTC).
pub fn to_index_date(date: time::Date) -> DateTime {
    DateTime::from_timestamp_secs(date.midnight().assume_utc().unix_timestamp())
}

/// The documents of one article, one per passage.
pub fn article_documents(article: &Article, fields: &Fields) -> Vec<TantivyDocument> {
    split_passages(&article.paragraphs)
        .into_iter()
        .map(|p| {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.article, &article.id);
            if let Some(d) = article.date {
                doc.add_date(fields.date, to_index_date(d));
                doc.add_u64(fields.period, year_key(d.year()));
                doc.add_u64(fields.period, month_key(d.year(), d.month()));
            }
            doc.add_u64(fields.passage, p.number);
            doc.add_u64(fields.paragraph, p.paragraph);
            doc.add_text(fields.headline, &article.headline);
            doc.add_text(fields.text, &p.text);
            doc.add_text(fields.exact, &p.text);
            doc
        })
        .collect()
}

/// Result of parsing one file, sent from a parser thread to the coordinating thread.
enum FileOutcome {
    Indexed {
        path: PathBuf,
        id: String,
        state: FileState,
        added: bool,
        bytes: u64,
        passages: u64,
        undated: bool,
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
        reason: String,
    },
    Failed(TantivyError),
}

fn map_writer_error(err: TantivyError, dir: &Path) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked(dir.to_path_buf()),
        other => write_error(other, dir),
    }
}

/// The I/O error underneath a tantivy error, when there is one (disk full, permission denied...).
fn io_cause(err: &TantivyError) -> Option<std::io::Error> {
    let found: Option<&std::io::Error> = match err {
        TantivyError::IoError(io) => Some(io),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    };
    if found.is_none() {
        // Some writer-thread failures reach us only as text ("... (os error 28)").
        if let TantivyError::InternalError(msg)
        | TantivyError::ErrorInThread(msg)
        | TantivyError::SystemError(msg) = err
        {
            let code = msg
                .rsplit_once("(os error ")
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(n, _)| n.parse::<i32>().ok());
            if let Some(code) = code {
                return Some(std::io::Error::from_raw_os_error(code));
            }
        }
    }
    let found = found.or_else(|| {
        let mut cause = std::error::Error::source(err);
        while let Some(c) = cause {
            if let Some(io) = c.downcast_ref::<std::io::Error>() {
                return Some(io);
            }
            cause = c.source();
        }
        None
    })?;
    Some(match found.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(found.kind(), found.to_string()),
    })
}

/// A failure while writing the index: the I/O cause when there is one, so the user reads "No space
/// left on device" rather than a note about a writer thread.
fn write_error(err: TantivyError, dir: &Path) -> Error {
    match io_cause(&err) {
        Some(source) => Error::Io {
            context: "cannot write the index in",
            path: dir.to_path_buf(),
            source,
        },
        None => Error::Tantivy(err),
    }
}

/// Assigns labels to the requested roots: known roots keep theirs; the first root of an index gets the
/// empty label; later ones get their folder name, made unique.
fn register_roots(
    known: &mut Vec<CorpusRoot>,
    roots: &[PathBuf],
) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for root in roots {
        let canonical = std::fs::canonicalize(root).map_err(|source| Error::Corpus {
            path: root.clone(),
            source,
        })?;
        if !canonical.is_dir() {
            return Err(Error::Corpus {
                path: root.clone(),
                source: std::io::Error::other("not a directory"),
            });
        }
        let key = canonical.to_string_lossy().to_string();
        let label = match known.iter().find(|r| r.path == key) {
            Some(r) => r.label.clone(),
            None => {
                let label = if known.is_empty() {
                    String::new()
                } else {
                    let base: String = canonical
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_else(|| "root".to_string())
                        .chars()
                        .map(|c| if c == ':' || c == '/' { '_' } else { c })
                        .collect();
                    let mut candidate = base.clone();
                    let mut n = 2;
                    while known.iter().any(|r| r.label == candidate) {
                        candidate = format!("{base}-{n}");
                        n += 1;
                    }
                    candidate
                };
                known.push(CorpusRoot {
                    path: key,
                    label: label.clone(),
                });
                label
            }
        };
        if !out.iter().any(|(p, _): &(PathBuf, String)| *p == canonical) {
            out.push((canonical, label));
        }
    }
    Ok(out)
}

fn read_file(file: &CorpusFile) -> std::result::Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    let f = std::fs::File::open(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let len = f
        .metadata()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Bounded even if the file grows while being read.
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn process_file(
    file: CorpusFile,
    previous: Option<String>,
    writer: &IndexWriter,
    run_lock: &Mutex<()>,
    fields: &Fields,
    replace: bool,
) -> FileOutcome {
    let skipped = |file: CorpusFile, reason: SkipReason| FileOutcome::Skipped {
        path: file.path,
        bytes: file.size,
        reason: reason.to_string(),
    };
    let bytes = match read_file(&file) {
        Ok(b) => b,
        Err(reason) => return skipped(file, reason),
    };
    let state = FileState {
        root: file.label.clone(),
        size: bytes.len() as u64,
        mtime_ns: file.mtime_ns,
        hash: blake3::hash(&bytes).to_hex().to_string(),
    };
    if previous.as_deref() == Some(state.hash.as_str()) {
        return FileOutcome::Same {
            id: file.id,
            state,
            bytes: bytes.len() as u64,
        };
    }
    let parsed = match parse_article(&file.id, &file.rel_path, &bytes) {
        Ok(p) => p,
        Err(reason) => return skipped(file, reason),
    };
    let docs = article_documents(&parsed.article, fields);
    let passages = docs.len() as u64;
    let mut ops = Vec::with_capacity(docs.len() + 1);
    if replace {
        ops.push(UserOperation::Delete(Term::from_field_text(
            fields.article,
            &parsed.article.id,
        )));
    }
    ops.extend(docs.into_iter().map(UserOperation::Add));
    // One group at a time: tantivy stamps a group's operations, then queues its delete. Two groups
    // stamped and queued from two threads can put a later delete ahead of an earlier one in the
    // queue; a segment flushed in between then stops at the later delete and has the earlier one
    // applied to all its documents at the commit, removing the new passages of a changed article
    // with its old ones (seen in the kill test and in a re-run test under load).
    let sent = {
        let _one_at_a_time = run_lock.lock().unwrap_or_else(|e| e.into_inner());
        writer.run(ops)
    };
    if let Err(e) = sent {
        return FileOutcome::Failed(e);
    }
    FileOutcome::Indexed {
        path: file.path,
        id: file.id,
        state,
        added: previous.is_none(),
        bytes: bytes.len() as u64,
        passages,
        undated: parsed.article.date.is_none(),
        warnings: parsed.warnings,
    }
}

/// Segments of more passages than this are not merged again by later runs: the segments a full build
/// writes stay as they are (merging them again costs more than it saves), while the small segments of
/// incremental runs are merged among themselves.
const MAX_PASSAGES_MERGED: usize = 100_000;

/// The merge policy of a run. A full build writes segments of the writer's memory budget each and merges
/// none of them: a merge of all of them at the end would take about as long as the build itself.
fn merge_policy(full_build: bool) -> Box<dyn tantivy::indexer::MergePolicy> {
    if full_build {
        return Box::new(tantivy::indexer::NoMergePolicy);
    }
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_PASSAGES_MERGED);
    Box::new(policy)
}

/// Removes the temp files a killed run can leave (tantivy writes `meta.json` through a `.tmpXXXXXX`
/// file and a rename); tantivy's garbage collection does not know them.
fn remove_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && entry.file_name().to_string_lossy().starts_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes the files of a tantivy index (those it lists in `.managed.json`, and its metadata), leaving
/// any other file of the directory alone.
fn remove_index_files(dir: &Path) -> Result<()> {
    let io_err = |source| Error::Io {
        context: "cannot remove the old index in",
        path: dir.to_path_buf(),
        source,
    };
    let managed: Vec<String> = std::fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let listed = managed.iter().map(String::as_str);
    for name in listed.chain(["meta.json", ".managed.json"]) {
        // Only plain file names: never follow a path out of the directory.
        if name.contains('/') || name.contains('\\') || name.starts_with("..") {
            continue;
        }
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    Ok(())
}

/// Indexes the corpus roots of `request` into the index at `dir` (created when missing).
pub fn index_corpus(
    dir: &Path,
    request: &IndexRequest,
    mut on_event: impl FnMut(IndexEvent<'_>),
) -> Result<IndexReport> {
    let started = Instant::now();
    let handle = match DatelineIndex::open_or_create(dir) {
        // An index of another dateline schema cannot be reused: --rebuild replaces it. (It is not
        // searchable by this version, so nothing usable is lost if the run is interrupted.)
        Err(Error::SchemaVersion { .. }) if request.rebuild => {
            remove_index_files(dir)?;
            DatelineIndex::open_or_create(dir)?
        }
        other => other?,
    };
    let mut meta = if request.rebuild {
        IndexMeta::default()
    } else {
        handle.meta.clone()
    };
    meta.schema_version = SCHEMA_VERSION;
    let roots = register_roots(&mut meta.roots, &request.roots)?;
    let previous: CorpusState = if request.rebuild {
        CorpusState::new()
    } else {
        state::load(dir, meta.state_file.as_deref())
    };
    let mut next_state = previous.clone();
    // Whether next_state differs from previous (cheaper than comparing the two maps).
    let mut state_changed = false;

    let threads = request.threads.max(1);
    let mut writer: IndexWriter = handle
        .index
        .writer_with_num_threads(
            threads,
            threads * request.memory_per_thread.max(MIN_MEMORY_PER_THREAD),
        )
        .map_err(|e| map_writer_error(e, dir))?;
    // Holding the writer lock, no other process writes here: files no commit uses were left by a
    // killed run. They go first, because this run would otherwise try to create some of them again
    // (a delete file is named by segment and opstamp, and the opstamp restarts from the last commit).
    remove_temp_files(dir);
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| write_error(e, dir))?;
    let empty_before = handle.index.reader()?.searcher().num_docs() == 0;
    if request.rebuild {
        writer.delete_all_documents()?;
    }
    // In an index that starts empty there is nothing to replace.
    let replace = !(request.rebuild || empty_before);
    writer.set_merge_policy(merge_policy(!replace));

    // A file modified shortly before the last run's commit may have changed again within the file
    // system's time granularity without its size or time changing ("racy" files, as git calls
    // them): those are hashed rather than trusted.
    let racy_after = handle
        .meta
        .last_indexed
        .as_deref()
        .and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .map_or(i128::MIN, |t| t.unix_timestamp_nanos() - RACY_WINDOW_NS);
    let mut report = IndexReport::default();
    let mut walked = Vec::new();
    // Folders that could not be read (their articles are kept).
    let mut unreadable: Vec<String> = Vec::new();
    for (root, label) in &roots {
        for item in walk_names(root, label) {
            match item {
                WalkItem::File(f) => walked.push(f),
                WalkItem::Skip { path, reason } => {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    unreadable.push(crate::corpus::article_id(label, &rel));
                    on_event(IndexEvent::Skipped {
                        path: &path,
                        reason: &reason,
                    });
                    report.skipped.push((path, reason));
                }
            }
        }
    }
    stat_all(&mut walked, threads);
    // Which files to read: new ones, and those whose size or time differ (or are too recent to trust).
    let labels: std::collections::HashSet<&str> = roots.iter().map(|(_, l)| l.as_str()).collect();
    let mut known = 0usize;
    let to_read: Vec<bool> = walked
        .iter()
        .map(|f| match previous.get(&f.id) {
            Some(p) => {
                known += 1;
                !(p.size == f.size
                    && p.mtime_ns == f.mtime_ns
                    && f.mtime_ns != 0
                    && f.mtime_ns < racy_after)
            }
            None => true,
        })
        .collect();
    // Articles whose files are gone (only looked for when fewer files were found than indexed): removed
    // in this commit unless asked to keep them.
    let indexed_here = previous
        .values()
        .filter(|st| labels.contains(st.root.as_str()))
        .count();
    let mut seen: Vec<&str> = Vec::new();
    if known < indexed_here {
        seen = walked.iter().map(|f| f.id.as_str()).collect();
        seen.sort_unstable();
    }
    let is_seen = |id: &str| known == indexed_here || seen.binary_search(&id).is_ok();
    let missing: Vec<String> = previous
        .iter()
        .filter(|(id, st)| labels.contains(st.root.as_str()) && !is_seen(id))
        .filter(|(id, _)| !unreadable.iter().any(|u| id.starts_with(u.as_str())))
        .map(|(id, _)| id.clone())
        .collect();
    if !request.keep_missing {
        for id in missing {
            writer.delete_term(Term::from_field_text(handle.fields.article, &id));
            next_state.remove(&id);
            state_changed = true;
            report.removed += 1;
        }
    }
    drop(seen);
    let mut files = Vec::new();
    for (f, read) in walked.into_iter().zip(to_read) {
        if read {
            files.push(f);
        } else {
            report.unchanged += 1;
        }
    }
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    on_event(IndexEvent::Planned {
        files: files.len() as u64,
        bytes: total_bytes,
    });

    let fields = handle.fields;
    let (job_tx, job_rx) = crossbeam_channel::bounded::<CorpusFile>(threads * 64);
    let (out_tx, out_rx) = crossbeam_channel::bounded::<FileOutcome>(threads * 64);
    let mut failure: Option<TantivyError> = None;
    let run_lock = Mutex::new(());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let out_tx = out_tx.clone();
            let writer = &writer;
            let run_lock = &run_lock;
            let previous = &previous;
            scope.spawn(move || {
                for file in job_rx {
                    let hash = previous.get(&file.id).map(|p| p.hash.clone());
                    if out_tx
                        .send(process_file(file, hash, writer, run_lock, &fields, replace))
                        .is_err()
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
                if job_tx.send(f).is_err() {
                    break;
                }
            }
        });
        for outcome in out_rx {
            match outcome {
                FileOutcome::Indexed {
                    path,
                    id,
                    state,
                    added,
                    bytes,
                    passages,
                    undated,
                    warnings,
                } => {
                    next_state.insert(id, state);
                    state_changed = true;
                    if added {
                        report.added += 1;
                    } else {
                        report.updated += 1;
                    }
                    report.articles += 1;
                    report.passages += passages;
                    report.undated += u64::from(undated);
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
                FileOutcome::Same { id, state, bytes } => {
                    next_state.insert(id, state);
                    state_changed = true;
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
                FileOutcome::Failed(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        let _ = feeder.join();
    });
    if let Some(e) = failure {
        // A writer thread failed; joining them tells why (the error `run` gives only says one
        // stopped). Nothing is committed: dropping the writer rolls the run back.
        let cause = match writer.prepare_commit() {
            Err(cause) => cause,
            Ok(_) => e,
        };
        // Give back the space the failed run took (on a full disk, that matters).
        if writer.rollback().is_ok() {
            let _ = writer.garbage_collect_files().wait();
        }
        return Err(write_error(cause, dir));
    }

    on_event(IndexEvent::Committing);
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok();
    meta.last_indexed = now;
    // An unchanged state keeps its file (the name is its hash); only a changed one is written.
    let state_name = match meta.state_file.clone() {
        Some(name) if !state_changed && dir.join(&name).is_file() => name,
        _ => state::save(dir, &next_state)?,
    };
    meta.state_file = Some(state_name.clone());
    let payload = serde_json::to_string(&meta)
        .map_err(|e| Error::Tantivy(TantivyError::InternalError(e.to_string())))?;
    let mut prepared = writer.prepare_commit().map_err(|e| write_error(e, dir))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| write_error(e, dir))?;
    state::remove_others(dir, &state_name);
    // Let merges finish so the next run starts from a compact index, then drop files no commit uses.
    // The commit stands whatever happens here: a failed merge leaves more segments, not less data.
    if let Err(e) = writer.wait_merging_threads() {
        on_event(IndexEvent::Notice {
            message: &format!("merging segments after the commit failed: {e}"),
        });
    }
    if let Ok(writer) = handle
        .index
        .writer_with_num_threads::<TantivyDocument>(1, 15 * 1024 * 1024)
    {
        let _ = writer.garbage_collect_files().wait();
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(root: &Path) -> IndexRequest {
        IndexRequest::new(vec![root.to_path_buf()], 1)
    }

    #[test]
    fn a_second_writer_is_refused_and_the_index_is_kept() {
        let corpus = tempfile::tempdir().expect("tmp");
        std::fs::write(corpus.path().join("a.txt"), "date 2023-01-01 Zinc.").expect("write");
        let dir = tempfile::tempdir().expect("tmp");
        let first = index_corpus(dir.path(), &request(corpus.path()), |_| {});
        assert_eq!(first.map(|r| r.articles).ok(), Some(1));
        let handle = DatelineIndex::open(dir.path()).expect("open");
        let _held: IndexWriter = handle
            .index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let second = index_corpus(dir.path(), &request(corpus.path()), |_| {});
        match second {
            Err(e @ Error::Locked(_)) => {
                assert!(e.to_string().contains("is locked by another writer"))
            }
            other => panic!("expected a lock error, got {other:?}"),
        }
        let searcher = handle.index.reader().expect("reader").searcher();
        assert_eq!(searcher.num_docs(), 1);
    }

    #[test]
    fn every_passage_carries_the_article_fields() {
        let (_, fields) = crate::schema::build_schema();
        let article = Article {
            id: "x.txt".into(),
            date: Some(time::macros::date!(2023 - 07 - 28)),
            headline: "Head.".into(),
            paragraphs: vec!["One.".into(), "Two.".into()],
        };
        let docs = article_documents(&article, &fields);
        assert_eq!(docs.len(), 2);
        use tantivy::schema::Value;
        for (i, doc) in docs.iter().enumerate() {
            assert_eq!(
                doc.get_first(fields.article).and_then(|v| v.as_str()),
                Some("x.txt")
            );
            assert_eq!(
                doc.get_first(fields.passage).and_then(|v| v.as_u64()),
                Some(i as u64 + 1)
            );
            let date = doc.get_first(fields.date).and_then(|v| v.as_datetime());
            assert_eq!(date.map(|d| d.into_timestamp_secs()), Some(1_690_502_400));
        }
    }
}

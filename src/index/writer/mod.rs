//! Building and updating an index from corpus folders.
//!
//! Files are walked first (cheap: it gives the totals for progress), then parsed by a pool of threads that
//! hand each article's passages to tantivy's writer threads as they go. Each article is written as one
//! group of operations: a delete of its id, then its passages, so indexing a file again replaces its old
//! passages. A run ends with exactly one commit that carries the dateline metadata; a run that fails or
//! is killed before it leaves the last commit as it was.
//!
//! A run is three steps, one module each: `plan` (walk, compare with the file state), `run` (read,
//! parse, write) and `commit`.

mod commit;
mod errors;
pub(crate) mod grouping;
mod plan;
mod run;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, Term};

use self::errors::{map_writer_error, write_error};
use super::files::{remove_index_files, remove_temp_files};
use super::handle::{DatelineIndex, IndexMeta};
use super::roots::{canonical_root, register_roots};
use super::schema::SCHEMA_VERSION;
use super::state::{self, CorpusState, FileState, StateSpill};
use crate::error::{Error, Result};
use crate::ingest::{FieldNames, InputFormat, SkipReason};

/// Memory budget of each tantivy writer thread; the whole writer uses `threads` times this (and tantivy
/// can briefly need about twice it while flushing a segment).
pub const WRITER_MEMORY_PER_THREAD: usize = 64 * 1024 * 1024;

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
    /// Set (from another thread, e.g. a signal handler) to stop the run: no further file is read, and
    /// nothing of the run is committed ([`Error::Interrupted`]).
    pub cancel: Option<Arc<AtomicBool>>,
    /// Read every file in this format, whatever its name (`None`: by the name, see
    /// [`crate::ingest::format`]).
    pub input_format: Option<InputFormat>,
    /// Field names of JSON Lines records, looked for before the usual ones.
    pub fields: FieldNames,
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
            cancel: None,
            input_format: None,
            fields: FieldNames::default(),
        }
    }

    /// Whether [`IndexRequest::cancel`] has been set.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
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
    Skipped {
        path: &'a Path,
        reason: &'a SkipReason,
    },
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
    /// Articles the index holds after the run's commit.
    pub total_articles: u64,
    pub passages: u64,
    pub undated: u64,
    /// Web archive records that hold no HTML page (requests, metadata, images, ...), passed over.
    pub records_passed_over: u64,
    /// Pages of web archives dated by their record's `WARC-Date`, giving no date of their own.
    pub dated_by_record: u64,
    pub bytes: u64,
    /// Files and folders not indexed, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Files indexed with a warning (decoded lossily, undated for a bad date...).
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

/// Whether a run starts from an empty index or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    /// The index starts empty (a new index, or a rebuild): nothing to replace, and no merges (a merge
    /// of all the segments at the end would take about as long as the build itself; merging them by
    /// ten while a 1 GB archive was indexed took 34% more CPU time and 400 MB more memory for 9
    /// segments instead of 53, and top-10 queries 1.3 times faster).
    Full,
    /// Articles may be in the index already: each is deleted before its passages are added again, and
    /// small segments are merged.
    Incremental,
}

/// Segments of more passages than this are not merged again by later runs: the segments a full build
/// writes stay as they are (merging them again costs more than it saves), while the small segments of
/// incremental runs are merged among themselves.
const MAX_PASSAGES_MERGED: usize = 100_000;

impl RunKind {
    fn merge_policy(self) -> Box<dyn tantivy::indexer::MergePolicy> {
        match self {
            RunKind::Full => Box::new(tantivy::indexer::NoMergePolicy),
            RunKind::Incremental => {
                let mut policy = tantivy::indexer::LogMergePolicy::default();
                policy.set_max_docs_before_merge(MAX_PASSAGES_MERGED);
                Box::new(policy)
            }
        }
    }
}

/// The file state the run's commit will name.
struct NextState {
    files: CorpusState,
    /// Whether `files` differs from the previous state (cheaper than comparing the two maps).
    changed: bool,
    /// In a build into an empty index, the state goes to a temp file instead of `files`.
    spill: Option<StateSpill>,
    /// The first error writing the spill (reported at the commit).
    failed: Option<Error>,
}

impl NextState {
    fn new(files: CorpusState, spill: Option<StateSpill>) -> NextState {
        NextState {
            files,
            changed: false,
            spill,
            failed: None,
        }
    }

    fn insert(&mut self, id: String, state: FileState) {
        self.changed = true;
        match &mut self.spill {
            Some(spill) => {
                if let Err(e) = spill.push(&id, &state) {
                    self.failed.get_or_insert(e);
                }
            }
            None => {
                self.files.insert(id, state);
            }
        }
    }

    fn remove(&mut self, id: &str) {
        self.files.remove(id);
        self.changed = true;
    }

    /// Takes `n` articles from the file `id` (replaced by later records of their ids).
    fn replaced(&mut self, id: String, n: u64) {
        match &mut self.spill {
            Some(spill) => spill.replaced(id, n),
            None => {
                if let Some(s) = self.files.get_mut(&id) {
                    s.articles = s.articles.saturating_sub(n);
                }
            }
        }
        self.changed = true;
    }

    /// Articles of the state's files.
    fn articles(&self) -> u64 {
        match &self.spill {
            Some(spill) => spill.articles,
            None => self.files.values().map(|s| s.articles).sum(),
        }
    }
}

/// Indexes the corpus roots of `request` into the index at `dir` (created when missing).
pub fn index_corpus(
    dir: &Path,
    request: &IndexRequest,
    mut on_event: impl FnMut(IndexEvent<'_>),
) -> Result<IndexReport> {
    let started = Instant::now();
    // Every root is checked before anything is written: a missing corpus leaves no empty index behind.
    for root in &request.roots {
        canonical_root(root)?;
    }
    let handle = open_for_writing(dir, request)?;
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
    let threads = request.threads.max(1);
    let (mut writer, kind) = start_writer(&handle, request, threads)?;

    // A file modified shortly before the last run's commit may have changed again within the file
    // system's time granularity without its size or time changing ("racy" files, as git calls
    // them): those are hashed rather than trusted.
    let racy_after = plan::racy_after(handle.meta.last_indexed.as_deref());
    let planned = plan::plan(
        &roots,
        &previous,
        racy_after,
        threads,
        request.input_format.is_some(),
    );
    let mut report = IndexReport::default();
    for (path, reason) in planned.skipped {
        on_event(IndexEvent::Skipped {
            path: &path,
            reason: &reason,
        });
        report.skipped.push((path, reason));
    }
    report.unchanged = planned.unchanged;
    // A build into an empty index holds no file state in memory: it is written as files are read.
    let spill = if kind == RunKind::Full && previous.is_empty() {
        Some(StateSpill::create(dir)?)
    } else {
        None
    };
    let mut next = NextState::new(previous.clone(), spill);
    // Files whose committed articles the run deletes (removed here, indexed again in the run):
    // their committed articles are not grouped again.
    let mut touched: std::collections::HashSet<String> = Default::default();
    if !request.keep_missing {
        touched.extend(planned.missing.iter().cloned());
        for id in planned.missing {
            // Every article the file gave (one for a text file, one per record of a JSON Lines file).
            writer.delete_term(Term::from_field_text(handle.fields.file, &id));
            report.removed += previous.get(&id).map_or(1, |s| s.articles);
            next.remove(&id);
        }
    }
    on_event(IndexEvent::Planned {
        files: planned.files.len() as u64,
        bytes: planned.files.iter().map(|f| f.size).sum(),
    });

    let committed = match kind {
        RunKind::Incremental => Some(handle.index.reader()?.searcher()),
        RunKind::Full => None,
    };
    let target = run::Target {
        committed,
        writer: &writer,
        fields: handle.fields,
        previous: &previous,
        kind,
        threads,
        request,
    };
    let mut written = grouping::RunArticles::new();
    let failure = run::run(
        &target,
        planned.files,
        &mut next,
        &mut report,
        &mut written,
        &mut touched,
        &mut on_event,
    );
    if let Some(e) = failure {
        return Err(commit::abandon(writer, dir, e));
    }
    if request.cancelled() {
        commit::roll_back(writer);
        return Err(Error::Interrupted);
    }
    on_event(IndexEvent::Committing);
    let stories = grouping::write_stories(dir, target.committed.as_ref(), &touched, written)?;
    meta.stories_file = Some(stories);
    report.total_articles = next.articles();
    commit::commit(&mut writer, dir, meta, next)?;
    commit::tidy(writer, &handle, &mut on_event);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Opens the index for a run, creating it when missing. An index of another dateline schema cannot be
/// reused: a rebuild replaces it (it is not searchable by this version, so nothing usable is lost if
/// the run is interrupted).
fn open_for_writing(dir: &Path, request: &IndexRequest) -> Result<DatelineIndex> {
    match DatelineIndex::open_or_create(dir) {
        Err(Error::SchemaVersion { .. }) if request.rebuild => {
            remove_index_files(dir)?;
            DatelineIndex::open_or_create(dir)
        }
        other => other,
    }
}

/// Takes the writer lock, clears what a killed run left, and sets the writer up for the kind of run.
fn start_writer(
    handle: &DatelineIndex,
    request: &IndexRequest,
    threads: usize,
) -> Result<(IndexWriter, RunKind)> {
    let dir = handle.path.as_path();
    let writer: IndexWriter = handle
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
    let kind = if request.rebuild || empty_before {
        RunKind::Full
    } else {
        RunKind::Incremental
    };
    writer.set_merge_policy(kind.merge_policy());
    Ok((writer, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(root: &Path) -> IndexRequest {
        IndexRequest::new(vec![root.to_path_buf()], 1)
    }

    #[test]
    fn a_cancelled_run_commits_nothing() {
        let corpus = tempfile::tempdir().expect("tmp");
        std::fs::write(corpus.path().join("a.txt"), "date 2023-01-01 Zinc.").expect("write");
        let dir = tempfile::tempdir().expect("tmp");
        let first = index_corpus(dir.path(), &request(corpus.path()), |_| {});
        assert_eq!(first.map(|r| r.articles).ok(), Some(1));
        for i in 0..200 {
            std::fs::write(
                corpus.path().join(format!("b{i}.txt")),
                "date 2023-01-02 Lead.",
            )
            .expect("write");
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        let request = IndexRequest {
            cancel: Some(cancel),
            ..request(corpus.path())
        };
        let mut done = 0;
        let run = index_corpus(dir.path(), &request, |event| {
            if let IndexEvent::FileDone { .. } = event {
                done += 1;
                if done == 10 {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        });
        assert!(matches!(run, Err(Error::Interrupted)), "{run:?}");
        assert!(done < 200, "{done} files read after the stop");
        let handle = DatelineIndex::open(dir.path()).expect("open");
        assert_eq!(
            handle.index.reader().expect("reader").searcher().num_docs(),
            1
        );
        let again = index_corpus(
            dir.path(),
            &IndexRequest::new(vec![corpus.path().to_path_buf()], 1),
            |_| {},
        );
        assert_eq!(again.map(|r| r.added).ok(), Some(200));
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
}

//! The second step of a run: read and parse the planned files on a pool of threads, each handing an
//! article's passages to tantivy's writer as one group (a delete of its id, then its passages), and
//! gather the outcomes on the calling thread, which updates the report and the next file state.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tantivy::collector::DocSetCollector;
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{IndexWriter, Searcher, TantivyError, Term};

use super::grouping::RunArticles;
use super::{IndexEvent, IndexReport, IndexRequest, NextState, RunKind};
use crate::index::documents::article_documents;
use crate::index::schema::{article_key, names, Fields};
use crate::index::state::{CorpusState, FileState};
use crate::index::stories::{self, Signature};
use crate::ingest::read::read_file;
use crate::ingest::walk::CorpusFile;
use crate::ingest::{
    format_of, parse_article, parse_html, read_jsonl, read_jsonl_ids, read_warc, Article,
    InputFormat, RecordEvent, SkipReason, WarcStats,
};
use crate::text::dates::day_to_secs;

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
        /// The files of articles that this file's articles replaced (two records with one id).
        replaced: Vec<String>,
        /// Web archive records passed over, and pages dated by their record.
        passed_over: u64,
        dated_by_record: u64,
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
    /// The last commit, in an incremental run: a record whose id an article of another file has
    /// there replaces it.
    pub committed: Option<Searcher>,
}

impl Target<'_> {
    /// The file of the committed article `id`, when it is another file than `file`.
    fn committed_elsewhere(&self, id: &str, file: &str) -> Option<String> {
        let searcher = self.committed.as_ref()?;
        let term = Term::from_field_text(self.fields.article, id);
        if searcher.doc_freq(&term).ok()? == 0 {
            return None;
        }
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let docs = searcher.search(&query, &DocSetCollector).ok()?;
        let address = docs.into_iter().next()?;
        let segment = searcher.segment_reader(address.segment_ord);
        let column = segment.fast_fields().str(names::FILE).ok()??;
        let ord = column.term_ords(address.doc_id).next()?;
        let mut other = String::new();
        column.ord_to_str(ord, &mut other).ok()?;
        (other != file).then_some(other)
    }
}

impl Target<'_> {
    fn cancelled(&self) -> bool {
        self.request.cancelled()
    }
}

/// What the parser threads share.
struct Shared<'a> {
    target: &'a Target<'a>,
    /// Held while a group is sent (see [`Group::flush`]).
    run_lock: Mutex<()>,
    /// Ids of the records of container files and pages met in this run (by a 64-bit hash of the id,
    /// so that a dump of millions of records costs tens of MB here): where each was.
    ids: Mutex<HashMap<u64, Seen>>,
    /// Every article written, for story grouping at the commit.
    articles: Mutex<RunArticles>,
}

/// Reads, parses and writes `files` on the target's threads. Returns the first writer failure, if
/// any (the run must then be rolled back).
pub(super) fn run(
    target: &Target<'_>,
    files: Vec<CorpusFile>,
    state: &mut NextState,
    report: &mut IndexReport,
    articles: &mut RunArticles,
    touched: &mut HashSet<String>,
    on_event: &mut impl FnMut(IndexEvent<'_>),
) -> Option<TantivyError> {
    let threads = target.threads;
    let shared = Shared {
        target,
        run_lock: Mutex::new(()),
        ids: Mutex::new(HashMap::new()),
        articles: Mutex::new(std::mem::take(articles)),
    };
    let mut replaced: HashMap<String, u64> = HashMap::new();
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
            if let FileOutcome::Indexed { id, .. } = &outcome {
                // Its committed articles were deleted (the first group deletes the file's); a run
                // into an empty index has none.
                if target.committed.is_some() {
                    touched.insert(id.clone());
                }
            }
            if let Some(e) = record(outcome, state, report, &mut replaced, on_event) {
                failure.get_or_insert(e);
            }
        }
        if let Err(panic) = feeder.join() {
            std::panic::resume_unwind(panic);
        }
    });
    *articles = shared
        .articles
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    // An article replaced by a later record with its id is no longer its file's.
    for (file, n) in replaced {
        state.replaced(file, n);
    }
    failure
}

/// Adds one outcome to the report and the next state; a writer failure is returned.
fn record(
    outcome: FileOutcome,
    state: &mut NextState,
    report: &mut IndexReport,
    replaced_in: &mut HashMap<String, u64>,
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
            replaced,
            passed_over,
            dated_by_record,
        } => {
            state.insert(id, file_state);
            report.records_passed_over += passed_over;
            report.dated_by_record += dated_by_record;
            for file in replaced {
                *replaced_in.entry(file).or_default() += 1;
            }
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

/// Where a record was met: its file's id, its path for warnings, and its record number (0 for a file
/// that is one page).
struct Seen {
    file: Arc<str>,
    rel_path: Arc<str>,
    record: u64,
}

impl Seen {
    fn place(&self) -> String {
        match self.record {
            0 => self.rel_path.to_string(),
            n => format!("{} record {n}", self.rel_path),
        }
    }
}

/// The hash an id is tracked by (see [`Shared::ids`]): the article's key.
fn id_hash(id: &str) -> u64 {
    article_key(id)
}

/// Warnings kept for one file; past this many, they are counted.
const MAX_WARNINGS_PER_FILE: usize = 100;

/// Passages sent to the writer as one group: a large file's articles go in several groups, which the
/// writer's threads index side by side (each article whole in one group). Small: tantivy queues up
/// to 10,000 groups, whatever their size, so a reader faster than the writer's threads holds that
/// many groups in memory (groups of 2,000 passages held a whole 276 MB dump: 1.25 GB peak RSS).
const GROUP_PASSAGES: usize = 8;

fn process_file(file: CorpusFile, shared: &Shared<'_>) -> FileOutcome {
    let target = shared.target;
    let format = target
        .request
        .input_format
        .or_else(|| format_of(&file.path));
    match format {
        Some(f @ (InputFormat::Jsonl | InputFormat::Warc)) => process_container(file, f, shared),
        _ => process_single(file, format, shared),
    }
}

fn skipped(file: CorpusFile, reason: SkipReason) -> FileOutcome {
    FileOutcome::Skipped {
        path: file.path,
        bytes: file.size,
        reason,
    }
}

/// A file holding one article (text, HTML), read whole (it is at most [`MAX_FILE_BYTES`]).
fn process_single(
    file: CorpusFile,
    format: Option<InputFormat>,
    shared: &Shared<'_>,
) -> FileOutcome {
    let bytes = match read_file(&file.path) {
        Ok(b) => b,
        Err(reason) => return skipped(file, reason),
    };
    let state = file_state(&file, bytes.len() as u64, blake3::hash(&bytes));
    let target = shared.target;
    let previous_hash = target.previous.get(&file.id).map(|p| p.hash);
    if previous_hash == Some(state.hash) {
        return FileOutcome::Same {
            id: file.id,
            state,
            bytes: bytes.len() as u64,
        };
    }
    let parsed = match format {
        Some(InputFormat::Html) => parse_html(&file.id, file.rel_path(), &bytes),
        _ => parse_article(&file.id, file.rel_path(), &bytes),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(reason) => return skipped(file, reason),
    };
    let mut group = Group::new(&file, shared);
    // A text file's id is its path, unique in the corpus; a page's may be its url.
    let tracked = format == Some(InputFormat::Html) && parsed.article.id != file.id;
    group.add(parsed.article, tracked.then_some(0));
    group.warnings.extend(parsed.warnings);
    group.finish(file, state, previous_hash.is_none(), bytes.len() as u64)
}

/// A file holding many articles (JSON Lines, WARC), read as a stream: memory holds one group of
/// articles at a time, whatever the size of the file.
fn process_container(file: CorpusFile, format: InputFormat, shared: &Shared<'_>) -> FileOutcome {
    let target = shared.target;
    // The content's hash first (one quick pass): an unchanged file is not parsed again.
    let (size, hash) = match hash_file(&file.path) {
        Ok(h) => h,
        Err(reason) => return skipped(file, reason),
    };
    if size == 0 {
        return skipped(file, SkipReason::Empty);
    }
    let state = file_state(&file, size, hash);
    let previous_hash = target.previous.get(&file.id).map(|p| p.hash);
    if previous_hash == Some(state.hash) {
        return FileOutcome::Same {
            id: file.id,
            state,
            bytes: size,
        };
    }
    let open = || match std::fs::File::open(&file.path) {
        Ok(f) => Ok(std::io::BufReader::with_capacity(256 * 1024, f)),
        Err(e) => Err(SkipReason::Unreadable(e.to_string())),
    };
    // A dump may hold one id many times (a page scraped again): a first pass finds each id's last
    // record, and only that one is indexed. Replacing each earlier record as the later one came
    // would queue a delete apiece, which tantivy holds in memory until the commit (1.4 KB each: a
    // 2.2 GB dump with 1.5 million repeated ids peaked at 2.4 GB).
    let mut last_of: HashMap<u64, usize> = HashMap::new();
    if format != InputFormat::Warc {
        let input = match open() {
            Ok(i) => i,
            Err(reason) => return skipped(file, reason),
        };
        let mut note = |event: RecordEvent| {
            if let RecordEvent::Id(n, id) = event {
                last_of.insert(id_hash(&id), n);
            }
            !target.cancelled()
        };
        // A read error here comes again in the second pass, which reports it.
        let _ = read_jsonl_ids(input, &file.id, &target.request.fields, &mut note);
    }
    let input = match open() {
        Ok(i) => i,
        Err(reason) => return skipped(file, reason),
    };
    let mut group = Group::new(&file, shared);
    let mut on = |event: RecordEvent| {
        if target.cancelled() || group.failure.is_some() {
            return false;
        }
        match event {
            RecordEvent::Article(n, article) => match last_of.get(&id_hash(&article.id)) {
                Some(&later) if later != n => {
                    group.warn(format!(
                        "record {n} is left out: record {later} has its id '{}' (the later one is kept)",
                        article.id
                    ));
                }
                _ => group.add(article, Some(n as u64)),
            },
            RecordEvent::Warning(w) => group.warn(w),
            RecordEvent::Id(..) => {}
        }
        true
    };
    let read = match format {
        InputFormat::Warc => read_warc(input, &file.id, &mut on),
        _ => read_jsonl(input, &file.id, &target.request.fields, &mut on)
            .map(|()| WarcStats::default()),
    };
    match read {
        Ok(stats) => {
            group.passed_over = stats.passed_over;
            group.dated_by_record = stats.dated_by_record;
        }
        Err(e) => group.warn(format!(
            "read error ({e}); the records after it are left out"
        )),
    }
    if group.articles == 0 && group.failure.is_none() {
        // Nothing left of the file: its old articles go all the same.
        let nothing = group.sent == 0;
        group.flush();
        if let Some(e) = group.failure {
            return FileOutcome::Failed(e);
        }
        if nothing {
            return skipped(file, SkipReason::NoText);
        }
    }
    group.finish(file, state, previous_hash.is_none(), size)
}

fn file_state(file: &CorpusFile, size: u64, hash: blake3::Hash) -> FileState {
    FileState {
        root: file.label().to_string(),
        size,
        mtime_ns: file.mtime_ns,
        hash: *hash.as_bytes(),
        articles: 1,
    }
}

/// The size and blake3 hash of a file's content, read in pieces.
fn hash_file(path: &std::path::Path) -> Result<(u64, blake3::Hash), SkipReason> {
    let unreadable = |e: std::io::Error| SkipReason::Unreadable(e.to_string());
    let mut f = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(unreadable(e)),
        };
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hasher.finalize()))
}

/// An article waiting to be sent.
struct Pending {
    id: String,
    record: Option<u64>,
    docs: Vec<TantivyDocument>,
    key: u64,
    date: Option<i64>,
    signature: Option<Signature>,
}

/// The articles of one file on their way to the writer, a group at a time.
struct Group<'s, 'a> {
    shared: &'s Shared<'a>,
    file_id: Arc<str>,
    rel_path: Arc<str>,
    /// Articles waiting: id, the record number when the id is tracked, documents, what grouping
    /// needs (key, date, signature).
    pending: Vec<Pending>,
    pending_passages: usize,
    /// Groups sent so far (the first one deletes the file's old articles).
    sent: usize,
    articles: u64,
    passages: u64,
    undated: u64,
    warnings: Vec<String>,
    dropped_warnings: usize,
    passed_over: u64,
    dated_by_record: u64,
    /// Files whose article was replaced by one of this file's (one entry per article).
    replaced: Vec<String>,
    failure: Option<TantivyError>,
}

impl<'s, 'a> Group<'s, 'a> {
    fn new(file: &CorpusFile, shared: &'s Shared<'a>) -> Self {
        Group {
            shared,
            file_id: Arc::from(file.id.as_str()),
            rel_path: Arc::from(file.rel_path()),
            pending: Vec::new(),
            pending_passages: 0,
            sent: 0,
            articles: 0,
            passages: 0,
            undated: 0,
            warnings: Vec::new(),
            dropped_warnings: 0,
            passed_over: 0,
            dated_by_record: 0,
            replaced: Vec::new(),
            failure: None,
        }
    }

    fn warn(&mut self, message: String) {
        if self.warnings.len() < MAX_WARNINGS_PER_FILE {
            self.warnings.push(message);
        } else {
            self.dropped_warnings += 1;
        }
    }

    /// Adds an article; `record` (its number in the file, 0 for a page) when its id may be shared
    /// with another record: the one sent last is kept.
    fn add(&mut self, article: Article, record: Option<u64>) {
        let fields = &self.shared.target.fields;
        let mut docs = article_documents(&article, &self.file_id, fields);
        let key = article_key(&article.id);
        let signature = stories::signature(&article);
        if let Some(first) = docs.first_mut() {
            first.add_u64(fields.key, key);
            if let Some(sig) = &signature {
                first.add_bytes(fields.minhash, sig.as_slice());
            }
        }
        self.articles += 1;
        self.passages += docs.len() as u64;
        self.undated += u64::from(article.date.is_none());
        self.pending_passages += docs.len();
        self.pending.push(Pending {
            date: article.date.map(day_to_secs),
            id: article.id,
            record,
            docs,
            key,
            signature,
        });
        if self.pending_passages >= GROUP_PASSAGES {
            self.flush();
        }
    }

    /// Sends the waiting articles as one group.
    fn flush(&mut self) {
        if self.failure.is_some() {
            return;
        }
        let shared = self.shared;
        let target = shared.target;
        let pending = std::mem::take(&mut self.pending);
        self.pending_passages = 0;
        let mut ops = Vec::new();
        if self.sent == 0 && target.kind == RunKind::Incremental {
            ops.push(UserOperation::Delete(Term::from_field_text(
                target.fields.file,
                &self.file_id,
            )));
        }
        // An id from another file of the last commit (read-only: looked up before the lock).
        let elsewhere: Vec<Option<String>> = pending
            .iter()
            .map(|p| {
                p.record
                    .and_then(|_| target.committed_elsewhere(&p.id, &self.file_id))
            })
            .collect();
        // Groups go one at a time: tantivy stamps a group's operations, then queues its deletes, and
        // two groups stamped and queued from two threads can put a later delete ahead of an earlier
        // one, so that a segment flushed in between has the earlier delete applied to all its
        // documents at the commit, removing a changed file's new passages with its old ones (seen in
        // the kill test). One at a time also makes "sent last" well defined: an id met before in
        // this run has its earlier article deleted here, ahead of the new one.
        let _one_at_a_time = shared.run_lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut written = shared.articles.lock().unwrap_or_else(|e| e.into_inner());
        for (p, elsewhere) in pending.into_iter().zip(elsewhere) {
            let Pending {
                id,
                record,
                docs,
                key,
                date,
                signature,
            } = p;
            if let Some(record) = record {
                let seen = Seen {
                    file: self.file_id.clone(),
                    rel_path: self.rel_path.clone(),
                    record,
                };
                let place = seen.place();
                let earlier = shared
                    .ids
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, seen)
                    .map(|e| (e.file.to_string(), e.place()))
                    .or_else(|| {
                        elsewhere.map(|file| {
                            let place = format!("the indexed article from '{file}'");
                            (file, place)
                        })
                    });
                if let Some((file, earlier)) = earlier {
                    self.warn(format!(
                        "{place} has the id '{id}' of {earlier}: the later one is kept"
                    ));
                    ops.push(UserOperation::Delete(Term::from_field_text(
                        target.fields.article,
                        &id,
                    )));
                    self.replaced.push(file);
                }
            }
            ops.extend(docs.into_iter().map(UserOperation::Add));
            written.insert(key, date, signature, id.into_boxed_str());
        }
        drop(written);
        if ops.is_empty() {
            return;
        }
        self.sent += 1;
        if let Err(e) = target.writer.run(ops) {
            self.failure = Some(e);
        }
    }

    fn finish(
        mut self,
        file: CorpusFile,
        mut state: FileState,
        added: bool,
        bytes: u64,
    ) -> FileOutcome {
        if !self.pending.is_empty() {
            self.flush();
        }
        if let Some(e) = self.failure {
            return FileOutcome::Failed(e);
        }
        state.articles = self.articles;
        let mut warnings = self.warnings;
        if self.dropped_warnings > 0 {
            warnings.push(format!(
                "{} more warnings for this file",
                self.dropped_warnings
            ));
        }
        FileOutcome::Indexed {
            path: file.path,
            id: file.id,
            state,
            added,
            bytes,
            articles: self.articles,
            passages: self.passages,
            undated: self.undated,
            warnings,
            replaced: self.replaced,
            passed_over: self.passed_over,
            dated_by_record: self.dated_by_record,
        }
    }
}

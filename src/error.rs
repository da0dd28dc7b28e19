//! The library's error type. Every variant says what is wrong with which value (a path, a query, a date);
//! causes are kept as `#[source]`. No message names a command-line flag or suggests a command: a front
//! end (the CLI, a server) matches on the variant and adds a hint in its own terms.

use std::fmt;
use std::path::PathBuf;

/// Which bound of a range a date value was given for (errors name it; front ends name their own
/// flag or field for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// The first day of the range.
    Since,
    /// The last day of the range.
    Until,
    /// A single period (a year, month or day) that is the whole range.
    On,
}

impl fmt::Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateBound::Since => "start",
            DateBound::Until => "end",
            DateBound::On => "period",
        })
    }
}

/// What is wrong with a date value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Shape,
    /// A month or day that does not exist (`2023-13`, `2023-02-30`).
    NoSuchDay,
    /// A year the index cannot store.
    OutOfRange,
}

impl DateProblem {
    /// The problem as the end of a sentence about the value ("'2023-13' does not exist").
    pub fn as_str(self) -> &'static str {
        match self {
            DateProblem::Shape => "expected YYYY, YYYY-MM or YYYY-MM-DD",
            DateProblem::NoSuchDay => "does not exist",
            DateProblem::OutOfRange => "is outside the years 1678 to 2261 that the index can store",
        }
    }
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the library was doing on the index directory when an I/O error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoOp {
    CreateIndexDir,
    ReadIndexDir,
    RemoveOldIndex,
    /// Writing segments or committing: the last commit stays as it was.
    WriteIndex,
    /// Writing the file state of a commit: the last commit stays as it was.
    WriteFileState,
    /// Writing the story groups of a commit: the last commit stays as it was.
    WriteStories,
}

impl fmt::Display for IoOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoOp::CreateIndexDir => "cannot create index directory",
            IoOp::ReadIndexDir => "cannot read the index directory",
            IoOp::RemoveOldIndex => "cannot remove the old index in",
            IoOp::WriteIndex => "cannot write the index in",
            IoOp::WriteFileState => "cannot write the file state in",
            IoOp::WriteStories => "cannot write the story groups in",
        })
    }
}

/// Errors from the dateline library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the given directory.
    #[error("no index at '{}'", .0.display())]
    MissingIndex(PathBuf),

    /// The index was written by another schema version of dateline.
    #[error("index at '{}' has schema version {found}, this dateline reads version {expected}", .path.display())]
    SchemaVersion {
        path: PathBuf,
        found: String,
        expected: u32,
    },

    /// The index path names something that is not a folder (a file).
    #[error("the index path '{}' is not a folder", .0.display())]
    IndexNotFolder(PathBuf),

    /// The directory holds a tantivy index that dateline did not write.
    #[error("index at '{}' was not written by dateline", .0.display())]
    ForeignIndex(PathBuf),

    /// A file of the index is damaged (found before tantivy reads it).
    #[error("index at '{}' is damaged: {detail}", .path.display())]
    Damaged { path: PathBuf, detail: String },

    /// Another process holds the index writer lock.
    #[error("index at '{}' is locked by another writer", .0.display())]
    Locked(PathBuf),

    /// A corpus root cannot be read.
    #[error("cannot read corpus '{}': {source}", .path.display())]
    Corpus {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The query cannot be parsed; `column` is 1-based and counts characters.
    #[error("syntax error in query at column {column}: {message}")]
    QuerySyntax { column: usize, message: String },

    /// A word that starts with a wildcard (`*oil`): only the end of a word may be one. `stem` is the
    /// word without it.
    #[error("'{word}' at column {column}: a wildcard can only end a word")]
    LeadingWildcard {
        word: String,
        stem: String,
        column: usize,
    },

    /// Every word the query asks for is a very common word (`the`, `of`), which would match almost
    /// every passage; quoted, they are searched.
    #[error("the query holds only very common words ({})", .words.join(", "))]
    OnlyCommonWords { words: Vec<String> },

    /// The query parsed but is outside the limits dateline accepts, or holds nothing to search.
    #[error("query rejected: {0}")]
    QueryLimit(String),

    /// A date value that is malformed, impossible or out of range; `bound` says which one it was.
    #[error("invalid {bound} date '{value}': {problem}")]
    BadDate {
        bound: DateBound,
        value: String,
        problem: DateProblem,
    },

    /// The start of a date range is after its end.
    #[error("the start date {since} is after the end date {until}")]
    EmptyDateRange { since: String, until: String },

    /// An article id that is not in the index; `suggestions` are the closest ids that are.
    #[error("no article '{id}' in the index")]
    UnknownArticle {
        id: String,
        suggestions: Vec<String>,
    },

    /// The run was stopped on request (Ctrl-C) before its commit; the last commit stands.
    #[error("interrupted: nothing of this run was committed; the index is at its last commit")]
    Interrupted,

    /// An I/O error on the index directory.
    #[error("{op} '{}': {source}", .path.display())]
    Io {
        op: IoOp,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The dateline metadata of a commit could not be encoded.
    #[error("cannot encode the index metadata: {0}")]
    Metadata(#[source] serde_json::Error),

    /// A timeline chart could not be drawn or written.
    #[error("cannot write chart '{}': {reason}", .path.display())]
    Chart { path: PathBuf, reason: String },

    /// A search engine address that cannot be used (not `quickwit://HOST:PORT/INDEX_ID`, or a node
    /// address that is not `http://HOST:PORT`).
    #[error("invalid search engine {0}")]
    BadEngine(String),

    /// A name that Quickwit does not take as an index id.
    #[error("'{0}' is not a Quickwit index id")]
    BadClusterIndexId(String),

    /// A Quickwit node could not be reached, or answered with an error or something unexpected.
    #[error("Quickwit at {url}: {detail}")]
    Cluster { url: String, detail: String },

    /// The Quickwit index named does not exist.
    #[error("Quickwit at {url}: {detail}")]
    ClusterIndexMissing { url: String, detail: String },

    /// A Quickwit index of that id exists and was not made by dateline (or by another version).
    #[error("Quickwit at {url}: the index '{index_id}' was not made by this version of dateline")]
    ForeignClusterIndex { url: String, index_id: String },

    /// The Quickwit index exists but no push to it has completed.
    #[error("Quickwit at {url}: nothing has been pushed to the index '{index_id}' yet")]
    ClusterEmpty { url: String, index_id: String },

    /// Something the query asks for that the search engine cannot do.
    #[error("{0}")]
    EngineUnsupported(String),

    /// The memory of pushes kept beside the index cannot be written.
    #[error("cannot write the push state '{}': {source}", .path.display())]
    PushState {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An error from tantivy while reading or writing the index.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// Whether the error is a full disk (or quota) while writing the index.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Error::Io { source, .. }
            if source.kind() == std::io::ErrorKind::StorageFull)
    }
}

/// The library's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The library's error type. Every variant names the value the user gave (a path, a query, a date) so
//! that the binary can print one clear line; causes are kept as `#[source]` for context.

use std::path::PathBuf;

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

    /// The query parsed but is outside the limits dateline accepts, or holds nothing to search.
    #[error("query rejected: {0}")]
    QueryLimit(String),

    /// A date flag value that is malformed, impossible or out of range.
    #[error("invalid date for {flag} '{value}': {reason}")]
    BadDate {
        flag: &'static str,
        value: String,
        reason: String,
    },

    /// `--since` is after `--until`.
    #[error("--since {since} is after --until {until}")]
    EmptyDateRange { since: String, until: String },

    /// `show` was asked for an article id that is not in the index.
    #[error("no article '{id}' in the index")]
    UnknownArticle {
        id: String,
        suggestions: Vec<String>,
    },

    /// An I/O error on the index directory.
    #[error("{context} '{}': {source}", .path.display())]
    Io {
        context: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An error from tantivy while reading or writing the index.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The library's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

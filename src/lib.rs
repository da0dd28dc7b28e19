//! dateline: full-text search for news archives.
//!
//! Point it at a folder of article files (`date YYYY-MM-DD` then paragraphs): it splits articles into
//! passages, indexes them with tantivy, and ranks passages by relevance with date filters and snippets.
//!
//! The modules follow the pipeline, and each depends only on those before it:
//!
//! - [`text`]: words, sentences and passages, dates (no files, no index);
//! - [`ingest`]: walking corpus folders, reading files, parsing each input format into an article;
//! - [`index`]: the schema, the writer (plan / run / commit), the file state, verification, the reader;
//! - [`search`]: the query language, ranking, collectors, the date filter, highlights;
//! - [`analysis`]: timelines and index statistics;
//! - [`quickwit`]: the same searches over a Quickwit cluster, and pushing an index to it;
//! - [`output`]: one printer per format, and the wire types of the machine-readable ones.
//!
//! The library never prints, never exits and never names a command-line flag; [`Error`] says what is
//! wrong with which value, and a front end adds its own hint.
//!
//! ```
//! use dateline::index::{index_corpus, IndexRequest, Reader};
//! use dateline::search::{search, SearchRequest};
//!
//! let corpus = tempfile::tempdir()?;
//! std::fs::write(corpus.path().join("a.txt"), "date 2023-07-28 The junta in Niger spoke.\n\nMore text.")?;
//! let index_dir = tempfile::tempdir()?;
//! let request = IndexRequest::new(vec![corpus.path().to_path_buf()], 1);
//! let report = index_corpus(index_dir.path(), &request, |_| {})?;
//! assert_eq!((report.articles, report.passages), (1, 2));
//!
//! let reader = Reader::open(index_dir.path())?;
//! let results = search(&reader, &SearchRequest::new("niger"))?;
//! let hit = results.hits().next().transpose()?.expect("one hit");
//! assert_eq!((hit.article.as_str(), hit.date.as_deref()), ("a.txt", Some("2023-07-28")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analysis;
pub mod error;
pub mod index;
pub mod ingest;
pub mod output;
pub mod quickwit;
pub mod search;
pub mod text;

pub use error::{Error, Result};

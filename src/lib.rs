//! dateline: full-text search for news archives.
//!
//! Point it at a folder of article files (`date YYYY-MM-DD` then paragraphs): it splits articles into
//! passages, indexes them with tantivy, and ranks passages by relevance with date filters and snippets.
//!
//! ```
//! use dateline::indexer::{index_corpus, IndexRequest};
//! use dateline::search::{Engine, SearchRequest};
//!
//! let corpus = tempfile::tempdir()?;
//! std::fs::write(corpus.path().join("a.txt"), "date 2023-07-28 The junta in Niger spoke.\n\nMore text.")?;
//! let index_dir = tempfile::tempdir()?;
//! let request = IndexRequest::new(vec![corpus.path().to_path_buf()], 1);
//! let report = index_corpus(index_dir.path(), &request, |_| {})?;
//! assert_eq!((report.articles, report.passages), (1, 2));
//!
//! let engine = Engine::open(index_dir.path())?;
//! let results = engine.search(&SearchRequest::new("niger"))?;
//! let hit = results.hits().next().transpose()?.expect("one hit");
//! assert_eq!((hit.article.as_str(), hit.date.as_deref()), ("a.txt", Some("2023-07-28")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod article;
pub mod corpus;
pub mod date_filter;
pub mod dates;
pub mod error;
pub mod indexer;
pub mod inspect;
pub mod output;
pub mod passage;
pub mod query;
pub mod schema;
pub mod search;
pub mod snippet;
pub mod state;
pub mod timeline;
pub mod tokenizer;
pub mod verify;

pub use error::{Error, Result};

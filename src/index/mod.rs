//! The index: its schema, opening and checking it (handle, metadata, corpus roots), the documents built
//! from articles, the writer (plan / run / commit), the file state that makes runs incremental, the files
//! a killed run leaves, verification, and the [`Reader`] that searches and analyses build on.

pub mod documents;
pub mod files;
pub mod handle;
pub mod reader;
pub mod roots;
pub mod schema;
pub mod state;
pub mod stories;
pub mod verify;
pub mod writer;

pub use handle::{index_exists, remembered_roots, CorpusRoot, DatelineIndex, IndexMeta};
pub use reader::{Reader, StoredArticle};
pub use schema::SCHEMA_VERSION;
pub use writer::{index_corpus, IndexEvent, IndexReport, IndexRequest};

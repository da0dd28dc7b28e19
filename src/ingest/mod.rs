//! The first stage: finding article files under corpus folders, reading them, and parsing each into an
//! [`Article`] (one module per input format; today the article text format). Files that cannot be
//! indexed come out as data, a path with a [`SkipReason`], never as an error of the whole run.

pub mod article;
pub mod format;
pub mod html;
pub mod jsonl;
pub mod read;
pub mod text_format;
pub mod walk;
pub mod warc;

pub use article::{Article, ArticleMeta, ParsedArticle, SkipReason};
pub use format::{format_of, InputFormat};
pub use html::{parse_html, parse_page, PageHints};
pub use jsonl::{parse_jsonl, read_jsonl, read_jsonl_ids, FieldNames, ParsedRecords, RecordEvent};
pub use text_format::parse_article;
pub use walk::{walk_names, walk_root, CorpusFile, WalkItem};
pub use warc::{read_warc, WarcStats};

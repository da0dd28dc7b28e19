//! The tantivy schema, the analyzers, and opening an index with its dateline metadata checked.
//!
//! Every passage is one document. The passage text is indexed twice at the same positions: through the
//! English analyzer with a stemmer (`text`, stored) and through the same analyzer without it (`exact`),
//! which answers quoted words and phrases and names the stemmer would change. Dates are stored at
//! midnight UTC so that a date range covers one indexed term per day, and as year and month keys, so that
//! a wide range needs few terms (see [`crate::date_filter`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use crate::error::{Error, Result};
use crate::tokenizer::WordTokenizer;

/// Bumped whenever the schema or the meaning of a field changes; an index of another version must be
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

/// Name of the stemming analyzer.
pub const STEM_ANALYZER: &str = "dateline_stem";
/// Name of the analyzer without stemming.
pub const EXACT_ANALYZER: &str = "dateline_exact";

/// Resolved field handles of the dateline schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub article: Field,
    pub date: Field,
    pub passage: Field,
    pub paragraph: Field,
    pub headline: Field,
    pub text: Field,
    pub exact: Field,
    /// Year and month keys of the date (see [`crate::date_filter`]).
    pub period: Field,
}

/// Field names, shared by the schema and fast-field readers.
pub mod names {
    pub const ARTICLE: &str = "article";
    pub const DATE: &str = "date";
    pub const PASSAGE: &str = "passage";
    pub const PARAGRAPH: &str = "paragraph";
    pub const HEADLINE: &str = "headline";
    pub const TEXT: &str = "text";
    pub const EXACT: &str = "exact";
    pub const PERIOD: &str = "period";
}

/// Builds the dateline schema and its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let article = b.add_text_field(names::ARTICLE, STRING | STORED | FAST);
    let date = b.add_date_field(
        names::DATE,
        DateOptions::from(INDEXED)
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let passage = b.add_u64_field(
        names::PASSAGE,
        NumericOptions::default() | STORED | FAST | INDEXED,
    );
    let paragraph = b.add_u64_field(names::PARAGRAPH, NumericOptions::default() | STORED | FAST);
    let headline = b.add_text_field(names::HEADLINE, STORED);
    let text_indexing = |analyzer: &str| {
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
    };
    let text = b.add_text_field(
        names::TEXT,
        TextOptions::default()
            .set_indexing_options(text_indexing(STEM_ANALYZER))
            .set_stored(),
    );
    let exact = b.add_text_field(
        names::EXACT,
        TextOptions::default().set_indexing_options(text_indexing(EXACT_ANALYZER)),
    );
    let period = b.add_u64_field(names::PERIOD, INDEXED);
    let fields = Fields {
        article,
        date,
        passage,
        paragraph,
        headline,
        text,
        exact,
        period,
    };
    (b.build(), fields)
}

/// The analyzer of the `text` field: words (and hyphenated pairs joined), lowercased, ASCII-folded,
/// English-stemmed (see [`WordTokenizer`]).
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::new(true))
}

/// The analyzer of the `exact` field: as [`stem_analyzer`] without the stemmer.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::new(false))
}

fn register_analyzers(index: &Index) {
    index.tokenizers().register(STEM_ANALYZER, stem_analyzer());
    index
        .tokenizers()
        .register(EXACT_ANALYZER, exact_analyzer());
}

/// One corpus root an index was built from, with the label that prefixes its article ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusRoot {
    /// Absolute path of the root.
    pub path: String,
    /// Empty for the first root of an index (its ids are plain relative paths); otherwise the prefix
    /// `LABEL:` of the ids of this root.
    pub label: String,
}

/// What dateline keeps in the commit payload of an index: written atomically with each commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    #[serde(default)]
    pub roots: Vec<CorpusRoot>,
    /// RFC 3339 time of the last indexing run's commit.
    #[serde(default)]
    pub last_indexed: Option<String>,
    /// Name of the file-state file of this commit (see [`crate::state`]).
    #[serde(default)]
    pub state_file: Option<String>,
}

/// An opened dateline index: the tantivy index, its fields and its metadata.
pub struct DatelineIndex {
    pub index: Index,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub path: PathBuf,
}

/// Whether a directory holds an index (a committed `meta.json`).
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

impl DatelineIndex {
    /// Opens an existing index, checking that dateline wrote it with this schema version.
    pub fn open(dir: &Path) -> Result<DatelineIndex> {
        if !index_exists(dir) {
            return Err(Error::MissingIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        if let Some((file, len)) = crate::verify::truncated_files(&index, dir)?
            .into_iter()
            .next()
        {
            return Err(Error::Damaged {
                path: dir.to_path_buf(),
                detail: format!("{} is truncated to {len} bytes", file.display()),
            });
        }
        Self::from_index(index, dir)
    }

    /// Opens the index in `dir`, creating an empty one when there is none.
    pub fn open_or_create(dir: &Path) -> Result<DatelineIndex> {
        if index_exists(dir) {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            context: "cannot create index directory",
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, _) = build_schema();
        let index = Index::create_in_dir(dir, schema)?;
        Self::from_index(index, dir)
    }

    /// An empty index in memory (tests, benches).
    pub fn create_in_ram() -> DatelineIndex {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        DatelineIndex {
            index,
            fields,
            meta: IndexMeta {
                schema_version: SCHEMA_VERSION,
                ..IndexMeta::default()
            },
            path: PathBuf::from("<memory>"),
        }
    }

    fn from_index(index: Index, dir: &Path) -> Result<DatelineIndex> {
        let payload = index.load_metas()?.payload;
        let (expected_schema, fields) = build_schema();
        let meta = match payload.as_deref().map(serde_json::from_str::<IndexMeta>) {
            Some(Ok(meta)) => meta,
            Some(Err(_)) => return Err(Error::ForeignIndex(dir.to_path_buf())),
            // Created but never committed by an indexing run: fine if the schema is ours.
            None => IndexMeta {
                schema_version: SCHEMA_VERSION,
                ..IndexMeta::default()
            },
        };
        if meta.schema_version != SCHEMA_VERSION {
            return Err(Error::SchemaVersion {
                path: dir.to_path_buf(),
                found: meta.schema_version.to_string(),
                expected: SCHEMA_VERSION,
            });
        }
        let same_schema = serde_json::to_string(&index.schema()).ok()
            == serde_json::to_string(&expected_schema).ok();
        if !same_schema {
            return Err(if payload.is_some() {
                Error::SchemaVersion {
                    path: dir.to_path_buf(),
                    found: format!("{} (with another field layout)", meta.schema_version),
                    expected: SCHEMA_VERSION,
                }
            } else {
                Error::ForeignIndex(dir.to_path_buf())
            });
        }
        register_analyzers(&index);
        Ok(DatelineIndex {
            index,
            fields,
            meta,
            path: dir.to_path_buf(),
        })
    }
}

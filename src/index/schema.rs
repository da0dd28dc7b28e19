//! The tantivy schema and its analyzers: what one indexed passage holds, and how its words are read.
//!
//! Every passage is one document. The passage text is indexed twice at the same positions: through the
//! English analyzer with a stemmer (`text`, stored) and through the same analyzer without it (`exact`),
//! which answers quoted words and phrases and names the stemmer would change. Dates are stored at
//! midnight UTC so that a date range covers one indexed term per day, and as year and month keys, so that
//! a wide range needs few terms (see [`crate::search::date_filter`]).

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Index};
use time::Date;

use crate::text::dates::{day_to_secs, secs_to_day};
use crate::text::tokenizer::{WordForm, WordTokenizer};

/// Bumped whenever the schema or the meaning of a field changes; an index of another version must be
/// rebuilt.
pub const SCHEMA_VERSION: u32 = 8;

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
    /// The headline, stemmed and exact, indexed in the first passage of each article only (for
    /// `headline:` in queries).
    pub head: Field,
    pub head_exact: Field,
    /// Year and month keys of the date (see [`crate::text::dates::year_key`]).
    pub period: Field,
    /// The id of the file the article came from (a text file's is its article's id; a JSON Lines
    /// file holds many articles): a changed or removed file's articles are deleted by it.
    pub file: Field,
    /// The title when the source gives one (the headline is then not stored apart: it is the title).
    pub title: Field,
    pub url: Field,
    /// The source as given (stored, and a fast column for counts by source).
    pub source: Field,
    /// The source lowercased, for `source:` and `--source`.
    pub source_key: Field,
    /// One value per author.
    pub authors: Field,
    /// A 64-bit hash of the article id ([`article_key`]), in the first passage (a fast column, and
    /// indexed: a story's copies are found by their keys): what story groups name articles by.
    pub key: Field,
    /// The article's MinHash signature (see [`crate::index::stories`]), in the first passage.
    pub minhash: Field,
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
    pub const HEAD: &str = "head";
    pub const HEAD_EXACT: &str = "head_exact";
    pub const PERIOD: &str = "period";
    pub const FILE: &str = "file";
    pub const TITLE: &str = "title";
    pub const URL: &str = "url";
    pub const SOURCE: &str = "source";
    pub const SOURCE_KEY: &str = "source_key";
    pub const AUTHORS: &str = "authors";
    pub const KEY: &str = "key";
    pub const MINHASH: &str = "minhash";
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
    let head = b.add_text_field(
        names::HEAD,
        TextOptions::default().set_indexing_options(text_indexing(STEM_ANALYZER)),
    );
    let head_exact = b.add_text_field(
        names::HEAD_EXACT,
        TextOptions::default().set_indexing_options(text_indexing(EXACT_ANALYZER)),
    );
    let period = b.add_u64_field(names::PERIOD, INDEXED);
    let file = b.add_text_field(names::FILE, STRING | FAST);
    let title = b.add_text_field(names::TITLE, STORED);
    let url = b.add_text_field(names::URL, STORED);
    let source = b.add_text_field(
        names::SOURCE,
        TextOptions::default().set_stored().set_fast("raw"),
    );
    let source_key = b.add_text_field(names::SOURCE_KEY, STRING);
    let authors = b.add_text_field(names::AUTHORS, STORED);
    let key = b.add_u64_field(names::KEY, NumericOptions::default() | FAST | INDEXED);
    let minhash = b.add_bytes_field(names::MINHASH, FAST);
    let fields = Fields {
        article,
        date,
        passage,
        paragraph,
        headline,
        text,
        exact,
        head,
        head_exact,
        period,
        file,
        title,
        url,
        source,
        source_key,
        authors,
        key,
        minhash,
    };
    (b.build(), fields)
}

/// The analyzer of the `text` field: words (and hyphenated pairs joined), lowercased, ASCII-folded,
/// English-stemmed (see [`WordTokenizer`]).
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::new(WordForm::Stemmed))
}

/// The analyzer of the `exact` field: as [`stem_analyzer`] without the stemmer.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::new(WordForm::Exact))
}

/// Registers the analyzers the schema's text fields name.
pub(crate) fn register_analyzers(index: &Index) {
    index.tokenizers().register(STEM_ANALYZER, stem_analyzer());
    index
        .tokenizers()
        .register(EXACT_ANALYZER, exact_analyzer());
}

/// A source as `source:` and `--source` match it: lowercased, whitespace folded.
pub fn source_key(source: &str) -> String {
    source
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key of an article: a 64-bit hash of its id.
pub fn article_key(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6461_7465_6c69_6e65).hash_one(id)
}

/// A day as the index stores it (midnight UTC).
pub fn index_date(date: Date) -> DateTime {
    DateTime::from_timestamp_secs(day_to_secs(date))
}

/// The day of a stored date.
pub fn day_of_index_date(date: DateTime) -> Option<Date> {
    secs_to_day(date.into_timestamp_secs())
}

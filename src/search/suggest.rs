//! When a search finds nothing: the words of the query that the index does not hold, each with the
//! closest words it does hold (fewest edits first, then the most articles), so that a misspelt name
//! (`Volker`) leads to the indexed one (`Volcker`).

use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::collectors::Totals;
use super::compile::analyze;
use super::parse::{parse, Node};
use crate::error::Result;
use crate::index::reader::Reader;
use crate::index::schema::{exact_analyzer, stem_analyzer};

/// How many close words are offered for one missing word.
const MAX_SUGGESTIONS: usize = 3;

/// A word of the query that no passage holds, and the closest indexed words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingWord {
    /// The word as written in the query.
    pub word: String,
    pub suggestions: Vec<Suggestion>,
}

/// An indexed word close to a missing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The word as indexed (lowercased, accents folded).
    pub word: String,
    /// How many articles hold it.
    pub articles: u64,
}

/// The words of `query` that must match (not those under `NOT`, nor fuzzy words and prefixes, which
/// are already loose) and that no passage holds, with suggestions.
pub fn missing_words(reader: &Reader, query: &str) -> Result<Vec<MissingWord>> {
    let Ok(node) = parse(query) else {
        return Ok(Vec::new());
    };
    let mut words = Vec::new();
    required_words(&node, &mut words);
    let fields = *reader.fields();
    let (mut stem, mut exact) = (stem_analyzer(), exact_analyzer());
    let mut missing = Vec::new();
    for (word, quoted) in words {
        let (field, analyzer) = if quoted {
            (fields.exact, &mut exact)
        } else {
            (fields.text, &mut stem)
        };
        let mut absent = false;
        for token in tokens(analyzer, &word) {
            absent |= reader
                .searcher()
                .doc_freq(&Term::from_field_text(field, &token))?
                == 0;
        }
        if !absent || missing.iter().any(|m: &MissingWord| m.word == word) {
            continue;
        }
        let forms = tokens(&mut exact, &word);
        let suggestions = match forms.as_slice() {
            [one] => closest(reader, fields.exact, one)?,
            _ => Vec::new(),
        };
        missing.push(MissingWord { word, suggestions });
    }
    Ok(missing)
}

/// The sources that `query` (its `source:` parts) and `sources` name and that no article of the index
/// has.
pub fn unknown_sources(reader: &Reader, query: &str, sources: &[String]) -> Result<Vec<String>> {
    let mut named: Vec<String> = sources.to_vec();
    if let Ok(node) = parse(query) {
        source_names(&node, &mut named);
    }
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let searcher = reader.searcher();
    let field = reader.fields().source_key;
    let mut unknown = Vec::new();
    for name in named {
        let term = Term::from_field_text(field, &crate::index::schema::source_key(&name));
        if searcher.doc_freq(&term)? == 0 && !unknown.contains(&name) {
            unknown.push(name);
        }
    }
    Ok(unknown)
}

fn source_names(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Source(name) => out.push(name.clone()),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| source_names(n, out)),
        Node::In(_, inner) => source_names(inner, out),
        _ => {}
    }
}

/// The words and phrases (each word, `true` when quoted) that every match must hold.
fn required_words(node: &Node, out: &mut Vec<(String, bool)>) {
    match node {
        Node::Word(w) => out.push((w.clone(), false)),
        Node::Phrase(p, _) => out.extend(p.split_whitespace().map(|w| (w.to_string(), true))),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| required_words(n, out)),
        Node::In(_, inner) => required_words(inner, out),
        Node::Not(_) | Node::Fuzzy(..) | Node::Prefix(_) | Node::Source(_) => {}
    }
}

/// The analyzed forms of `text`, without their positions.
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analyze(analyzer, text)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// Indexed words within one edit of `word` (two for words of six letters or more, when none is within
/// one), most articles first.
fn closest(reader: &Reader, field: Field, word: &str) -> Result<Vec<Suggestion>> {
    let searcher = reader.searcher();
    let max_distance = if word.chars().count() >= 6 { 2 } else { 1 };
    for distance in 1..=max_distance {
        let mut found: Vec<(String, u64)> = Vec::new();
        let query = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .search(query.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let key = String::from_utf8_lossy(stream.key()).into_owned();
                let df = u64::from(stream.value().doc_freq);
                match found.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += df,
                    None => found.push((key, df)),
                }
            }
        }
        found.retain(|(k, _)| k != word);
        if found.is_empty() {
            continue;
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        found.truncate(MAX_SUGGESTIONS);
        let mut out = Vec::with_capacity(found.len());
        for (candidate, _) in found {
            let term = TermQuery::new(
                Term::from_field_text(field, &candidate),
                IndexRecordOption::Basic,
            );
            let articles = searcher.search(&term, &Totals { reader })?.articles;
            out.push(Suggestion {
                word: candidate,
                articles,
            });
        }
        out.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.word.cmp(&b.word))
        });
        return Ok(out);
    }
    Ok(Vec::new())
}

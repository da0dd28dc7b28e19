//! Snippets: a window of a passage around its matches, with the byte ranges of the matched words.
//!
//! tantivy's snippet generator only highlights terms of the one field it is built for, so a word matched
//! through the exact field would not be marked in the stored (stemmed) text. Here the passage is run
//! through both analyzers (they yield the same tokens at the same offsets) and a token is a match when
//! its exact form or its stem is one of the query's terms. No markup is added: printers decide.

use std::collections::BTreeSet;

use tantivy::query::FuzzyTermQuery;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::compile::{compile, QueryOptions};
use crate::error::Result;
use crate::index::reader::Reader;
use crate::index::schema::{exact_analyzer, stem_analyzer, Fields};

/// Longest snippet, in bytes of passage text (the ellipses come on top).
pub const SNIPPET_MAX_BYTES: usize = 240;
/// How much text to keep before the first match of a window.
const LEAD_BYTES: usize = 60;
const ELLIPSIS: &str = "…";

/// A snippet: text plus byte ranges (`start..end`) of matches within it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Makes snippets for the terms of one query.
#[derive(Clone)]
pub struct Highlighter {
    terms: HighlightTerms,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
}

impl Highlighter {
    pub fn new(terms: HighlightTerms) -> Highlighter {
        Highlighter {
            terms,
            stem: stem_analyzer(),
            exact: exact_analyzer(),
        }
    }

    /// Byte ranges of the words of `text` that match the query's terms.
    pub fn matches(&mut self, text: &str) -> Vec<(usize, usize)> {
        let mut stems = Vec::new();
        let mut stream = self.stem.token_stream(text);
        while let Some(t) = stream.next() {
            stems.push((t.offset_from, t.text.clone()));
        }
        let mut out = Vec::new();
        let mut stream = self.exact.token_stream(text);
        let mut si = 0;
        while let Some(t) = stream.next() {
            while si < stems.len() && stems[si].0 < t.offset_from {
                si += 1;
            }
            let stem_hit = stems
                .get(si)
                .is_some_and(|(off, s)| *off == t.offset_from && self.terms.stemmed.contains(s));
            if stem_hit || self.terms.exact.contains(&t.text) {
                out.push((t.offset_from, t.offset_to));
            }
        }
        // A hyphenated pair and its words overlap (`al-Qaida`, `al`, `Qaida`): merge into one range.
        out.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
        for (from, to) in out {
            match merged.last_mut() {
                Some(last) if from < last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        merged
    }

    /// The snippet of `text`: the whole passage when short, else the window holding the most matches.
    pub fn snippet(&mut self, text: &str) -> Snippet {
        let matches = self.matches(text);
        if text.len() <= SNIPPET_MAX_BYTES {
            return Snippet {
                text: text.to_string(),
                highlights: matches,
            };
        }
        // Best window: the match run that fits in the window with the most matches, first on ties.
        let mut best = (0usize, 0usize); // (count, index of first match)
        for i in 0..matches.len() {
            let limit = matches[i].0 + SNIPPET_MAX_BYTES - LEAD_BYTES.min(matches[i].0);
            let count = matches[i..].iter().take_while(|m| m.1 <= limit).count();
            if count > best.0 {
                best = (count, i);
            }
        }
        let anchor = matches.get(best.1).map_or(0, |m| m.0);
        let mut start = anchor.saturating_sub(LEAD_BYTES);
        if start > 0 {
            // Start at a word: after the last space before `start`, or at the anchor itself.
            start = floor_char(text, start);
            start = match text[start..anchor].find(' ') {
                Some(i) => start + i + 1,
                None => anchor,
            };
        }
        let mut end = floor_char(text, (start + SNIPPET_MAX_BYTES).min(text.len()));
        if end < text.len() {
            if let Some(i) = text[start..end].rfind(' ') {
                if i > 0 {
                    end = start + i;
                }
            }
        }
        let prefix = if start > 0 { ELLIPSIS } else { "" };
        let suffix = if end < text.len() { ELLIPSIS } else { "" };
        let shift = prefix.len();
        let highlights = matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= end)
            .map(|m| (m.0 - start + shift, m.1 - start + shift))
            .collect();
        Snippet {
            text: format!("{prefix}{}{suffix}", &text[start..end]),
            highlights,
        }
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Terms to highlight: stemmed forms (matched against stemmed tokens) and exact forms.
#[derive(Debug, Clone, Default)]
pub struct HighlightTerms {
    pub stemmed: BTreeSet<String>,
    pub exact: BTreeSet<String>,
    /// Fuzzy words (exact form, distance) whose matches are looked up in the index's term dictionary.
    pub fuzzy: Vec<(String, u8)>,
    /// Prefixes whose words are looked up in the term dictionary.
    pub prefixes: Vec<String>,
}

/// Most words one fuzzy word or prefix adds to the highlighted terms.
const MAX_EXPANSIONS: usize = 512;

/// Adds to the exact highlight terms the words of the index that fuzzy words and prefixes matched:
/// tantivy's snippets do not highlight them, so they are looked up in the exact field's dictionary.
pub(crate) fn expand_terms(
    searcher: &Searcher,
    fields: &Fields,
    mut terms: HighlightTerms,
) -> Result<HighlightTerms> {
    if terms.fuzzy.is_empty() && terms.prefixes.is_empty() {
        return Ok(terms);
    }
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.exact)?;
        for (word, distance) in &terms.fuzzy {
            let query =
                FuzzyTermQuery::new(Term::from_field_text(fields.exact, word), *distance, true);
            let mut stream = inverted
                .terms()
                .search(query.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            let mut n = 0;
            while n < MAX_EXPANSIONS && stream.advance() {
                found.push(String::from_utf8_lossy(stream.key()).into_owned());
                n += 1;
            }
        }
        for prefix in &terms.prefixes {
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            let mut n = 0;
            while n < MAX_EXPANSIONS
                && stream.advance()
                && stream.key().starts_with(prefix.as_bytes())
            {
                found.push(String::from_utf8_lossy(stream.key()).into_owned());
                n += 1;
            }
        }
    }
    terms.exact.extend(found);
    Ok(terms)
}

/// The highlighter of `query` over the index of `reader`: the query's words, and the indexed words its
/// fuzzy words and prefixes match (what `search` marks, for marking a whole article).
///
/// See also [`marked_article`].
pub fn highlighter_for(reader: &Reader, query: &str) -> Result<Highlighter> {
    let fields = *reader.fields();
    let compiled = compile(query, &[], &fields, QueryOptions::default())?;
    let terms = expand_terms(&reader.searcher(), &fields, compiled.highlight)?;
    Ok(Highlighter::new(terms))
}

/// The byte ranges a query marks in each paragraph of an article.
pub type Marks = Vec<Vec<(usize, usize)>>;

/// An article of the index, and when `highlight` is given the byte ranges its words mark in each
/// paragraph.
pub fn marked_article(
    reader: &Reader,
    id: &str,
    highlight: Option<&str>,
) -> Result<(crate::index::reader::StoredArticle, Option<Marks>)> {
    let highlighter = highlight.map(|q| highlighter_for(reader, q)).transpose()?;
    let article = reader.article(id)?;
    let marks = highlighter.map(|mut h| article.paragraphs.iter().map(|p| h.matches(p)).collect());
    Ok((article, marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(stemmed: &[&str], exact: &[&str]) -> HighlightTerms {
        HighlightTerms {
            stemmed: stemmed.iter().map(|s| s.to_string()).collect(),
            exact: exact.iter().map(|s| s.to_string()).collect(),
            ..HighlightTerms::default()
        }
    }

    #[test]
    fn stems_and_exact_forms_are_highlighted() {
        let mut h = Highlighter::new(terms(&["elect"], &["niger"]));
        let text = "Niger’s elections were held; the elected Nigerien president";
        let s = h.snippet(text);
        let words: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(words, vec!["Niger", "elections", "elected"]);
    }

    #[test]
    fn hyphenated_words_are_one_highlight() {
        let mut h = Highlighter::new(terms(&[], &["al", "qaida", "alqaida"]));
        let s = h.snippet("linked to al-Qaida and al Qaida");
        let words: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(words, vec!["al-Qaida", "al", "Qaida"]);
    }

    #[test]
    fn long_passages_get_a_window_around_matches() {
        let filler = "lorem ipsum dolor sit amet ".repeat(30);
        let text = format!("{filler}the junta in Niamey said {filler}");
        let mut h = Highlighter::new(terms(&[], &["niamey"]));
        let s = h.snippet(&text);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(s.text.len() <= SNIPPET_MAX_BYTES + 2 * ELLIPSIS.len());
        assert_eq!(s.highlights.len(), 1);
        let (a, b) = s.highlights[0];
        assert_eq!(&s.text[a..b], "Niamey");
    }
}

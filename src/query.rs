//! The query language: parsing what the user typed into a small syntax tree, and translating the tree
//! into a tantivy query over the stemmed and exact fields.
//!
//! Grammar (operators are upper case, as in Lucene):
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary ("AND"? unary)*          words side by side must all match
//! unary   := ("NOT" | "-") unary | primary
//! primary := "(" or ")" | "\"phrase\"" ("~" N)? | word
//! ```
//!
//! An unquoted word matches the stemmed field or the exact field (both clauses score, so an exact match
//! ranks higher); a quoted word or phrase matches the exact field only. A word that the analyzer splits
//! into several tokens (`al-Qaida`, `U.S.`) is searched as a phrase of them. The parser is iterative for
//! tokens and bounded in depth, so no input can overflow the stack.

use std::collections::BTreeSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::error::{Error, Result};
use crate::schema::{exact_analyzer, stem_analyzer, Fields};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;
/// Deepest nesting of parentheses and NOT accepted.
pub const MAX_DEPTH: usize = 32;
/// Most words and phrases in one query.
pub const MAX_TERMS: usize = 256;
/// Largest phrase slop accepted.
pub const MAX_SLOP: u32 = 100;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An unquoted word.
    Word(String),
    /// A quoted phrase (or word) with its slop.
    Phrase(String, u32),
    /// `word~` or `word~N`: the word within N edits (by default 1, or 2 for words of 8+ letters).
    Fuzzy(String, Option<u8>),
    /// `word*`: words starting with it, on the exact field.
    Prefix(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Not,
    Word(String),
    Phrase(String, u32),
    Fuzzy(String, Option<u8>),
    Prefix(String),
}

fn syntax(column: usize, message: impl Into<String>) -> Error {
    Error::QuerySyntax {
        column,
        message: message.into(),
    }
}

/// Splits the query into tokens with their 1-based character columns.
fn lex(query: &str) -> Result<Vec<(Tok, usize)>> {
    let chars: Vec<char> = query.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            toks.push((Tok::LParen, col));
            i += 1;
        } else if c == ')' {
            toks.push((Tok::RParen, col));
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !matches!(chars[j], '"' | '“' | '”') {
                j += 1;
            }
            if j >= chars.len() {
                return Err(syntax(col, "unclosed quote"));
            }
            let text: String = chars[start..j].iter().collect();
            i = j + 1;
            let mut slop = 0;
            if i < chars.len() && chars[i] == '~' {
                let digits_start = i + 1;
                let mut k = digits_start;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                if k == digits_start {
                    return Err(syntax(
                        i + 1,
                        "'~' after a phrase needs a number, as in \"central bank\"~3",
                    ));
                }
                let digits: String = chars[digits_start..k].iter().collect();
                slop = match digits.parse::<u32>() {
                    Ok(n) if n <= MAX_SLOP => n,
                    _ => {
                        return Err(syntax(
                            digits_start + 1,
                            format!("phrase slop {digits} is larger than {MAX_SLOP}"),
                        ))
                    }
                };
                i = k;
            }
            toks.push((Tok::Phrase(text, slop), col));
        } else if (c == '-' || c == '+')
            && i + 1 < chars.len()
            && !chars[i + 1].is_whitespace()
            && chars[i + 1] != ')'
        {
            if c == '-' {
                toks.push((Tok::Not, col));
            }
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"' | '“' | '”')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.as_str() {
                "OR" | "||" => Tok::Or,
                "AND" | "&&" => Tok::And,
                "NOT" => Tok::Not,
                _ => word_token(word, col)?,
            };
            toks.push((tok, col));
        }
    }
    Ok(toks)
}

/// Largest edit distance of a fuzzy word.
pub const MAX_FUZZY_DISTANCE: u8 = 2;

/// A bare word, or a fuzzy (`word~`, `word~N`) or prefix (`word*`) one.
fn word_token(word: String, col: usize) -> Result<Tok> {
    if let Some(tilde) = word.rfind('~') {
        let (base, suffix) = (&word[..tilde], &word[tilde + 1..]);
        if !base.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()) {
            let distance = match suffix {
                "" => None,
                digits => match digits.parse::<u8>() {
                    Ok(d) if d <= MAX_FUZZY_DISTANCE => Some(d),
                    _ => {
                        return Err(Error::QueryLimit(format!(
                        "fuzzy distance {digits} in '{word}' is larger than {MAX_FUZZY_DISTANCE}"
                    )))
                    }
                },
            };
            return Ok(Tok::Fuzzy(base.to_string(), distance));
        }
    }
    if let Some(base) = word.strip_suffix('*') {
        if base.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && !base.contains('*') {
            return Ok(Tok::Prefix(base.to_string()));
        }
        if !base.is_empty() {
            return Err(syntax(
                col,
                format!("a prefix needs at least 2 letters before '*': '{word}'"),
            ));
        }
    }
    Ok(Tok::Word(word))
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end_col: usize,
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn col(&self) -> usize {
        self.toks
            .get(self.pos)
            .map(|(_, c)| *c)
            .unwrap_or(self.end_col)
    }

    fn or(&mut self, depth: usize) -> Result<Node> {
        let mut items = vec![self.and(depth)?];
        while self.peek() == Some(&Tok::Or) {
            let col = self.col();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen) | Some(Tok::Or)) {
                return Err(syntax(col, "OR needs a term on both sides"));
            }
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen) => break,
                Some(Tok::Or) => {
                    if items.is_empty() {
                        return Err(syntax(self.col(), "OR needs a term on both sides"));
                    }
                    break;
                }
                Some(Tok::And) => {
                    let col = self.col();
                    self.pos += 1;
                    if items.is_empty()
                        || matches!(self.peek(), None | Some(Tok::RParen) | Some(Tok::Or))
                    {
                        return Err(syntax(col, "AND needs a term on both sides"));
                    }
                }
                Some(_) => items.push(self.unary(depth)?),
            }
        }
        match items.len() {
            0 => Err(syntax(self.col(), "expected a word or a phrase")),
            1 => Ok(items.remove(0)),
            _ => Ok(Node::And(items)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node> {
        if self.peek() == Some(&Tok::Not) {
            let col = self.col();
            self.pos += 1;
            if depth + 1 > MAX_DEPTH {
                return Err(Error::QueryLimit(format!(
                    "more than {MAX_DEPTH} levels of nesting"
                )));
            }
            if matches!(
                self.peek(),
                None | Some(Tok::RParen) | Some(Tok::Or) | Some(Tok::And)
            ) {
                return Err(syntax(col, "NOT needs a term after it"));
            }
            return Ok(Node::Not(Box::new(self.unary(depth + 1)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Node> {
        let col = self.col();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(syntax(col, "expected a word or a phrase"));
        };
        self.pos += 1;
        match tok {
            Tok::LParen => {
                if depth + 1 > MAX_DEPTH {
                    return Err(Error::QueryLimit(format!(
                        "more than {MAX_DEPTH} levels of nested parentheses"
                    )));
                }
                if self.peek() == Some(&Tok::RParen) {
                    return Err(syntax(col, "empty parentheses"));
                }
                let inner = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(syntax(col, "unclosed parenthesis"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::RParen => Err(syntax(col, "unexpected ')'")),
            Tok::Word(w) => {
                self.count_term()?;
                Ok(Node::Word(w))
            }
            Tok::Phrase(p, slop) => {
                self.count_term()?;
                Ok(Node::Phrase(p, slop))
            }
            Tok::Fuzzy(w, d) => {
                self.count_term()?;
                Ok(Node::Fuzzy(w, d))
            }
            Tok::Prefix(w) => {
                self.count_term()?;
                Ok(Node::Prefix(w))
            }
            Tok::Or | Tok::And | Tok::Not => Err(syntax(col, "expected a word or a phrase")),
        }
    }

    fn count_term(&mut self) -> Result<()> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(Error::QueryLimit(format!(
                "more than {MAX_TERMS} words and phrases"
            )));
        }
        Ok(())
    }
}

/// Parses a query string into its syntax tree, enforcing the length, depth and size limits.
pub fn parse(query: &str) -> Result<Node> {
    let n = query.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(Error::QueryLimit(format!(
            "{n} characters, the limit is {MAX_QUERY_CHARS}"
        )));
    }
    if query.trim().is_empty() {
        return Err(Error::QueryLimit("the query is empty".to_string()));
    }
    let toks = lex(query)?;
    let mut parser = Parser {
        toks,
        pos: 0,
        end_col: n + 1,
        terms: 0,
    };
    let node = parser.or(0)?;
    if parser.pos < parser.toks.len() {
        return Err(syntax(parser.col(), "unexpected ')'"));
    }
    Ok(node)
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

/// How the words side by side in a query combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Every word must match (the default).
    #[default]
    All,
    /// Any word may match; passages holding more of them rank higher.
    Any,
}

/// Ranking signals added to BM25, with weights chosen on the dev sets (see README, "Relevance").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Weight of the exact-field clause of an unquoted word (the stemmed clause weighs 1).
    pub exact_boost: f32,
    /// Weight of a sloppy phrase of the query's words (0 turns it off).
    pub proximity_boost: f32,
    /// Slop of that phrase.
    pub proximity_slop: u32,
    /// Score added to an article's first passage when it matches (0 turns it off).
    pub lede_boost: f32,
}

impl Ranking {
    /// Plain BM25 over both fields: the starting point the signals are measured against.
    pub const PLAIN: Ranking = Ranking {
        exact_boost: 1.0,
        proximity_boost: 0.0,
        proximity_slop: 0,
        lede_boost: 0.0,
    };
}

impl Default for Ranking {
    /// The weights measured best on the dev sets: the lede signal carries most of the gain; proximity
    /// pairs lowered both sets and stay off.
    fn default() -> Ranking {
        Ranking {
            exact_boost: 0.5,
            proximity_boost: 0.0,
            proximity_slop: 1,
            lede_boost: 4.0,
        }
    }
}

/// Options that change how a query is translated.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryOptions {
    pub match_mode: MatchMode,
    pub ranking: Ranking,
    /// Every unquoted word is fuzzy, as if written `word~`.
    pub fuzzy: bool,
}

/// A query translated for tantivy, with the terms its positive clauses match.
pub struct CompiledQuery {
    pub query: Box<dyn Query>,
    pub highlight: HighlightTerms,
    /// Score to add to a match that is its article's first passage (see [`Ranking::lede_boost`]). It
    /// is added by the collector, which reads the passage number from its column: as a query clause
    /// it was a lookup in the posting list of every first passage for each match.
    pub lede_boost: f32,
}

struct Compiler<'a> {
    fields: &'a Fields,
    options: QueryOptions,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
    highlight: HighlightTerms,
}

/// Score added to a passage holding a fuzzy word exactly, so that exact matches rank above every match
/// that is only within the edit distance (whatever other signals add).
const EXACT_OVER_FUZZY: f32 = 50.0;

impl Compiler<'_> {
    /// `word~N`: the exact word (scored, and lifted above fuzzy matches) or any word within N edits.
    fn fuzzy(&mut self, w: &str, distance: Option<u8>, positive: bool) -> Option<Box<dyn Query>> {
        let exact = analyze(&mut self.exact, w);
        let [(_, term_text)] = exact.as_slice() else {
            return self.compile_word(w, positive);
        };
        let distance = distance.unwrap_or(if term_text.chars().count() >= 8 { 2 } else { 1 });
        let term = Term::from_field_text(self.fields.exact, term_text);
        if positive {
            self.highlight.exact.insert(term_text.clone());
            self.highlight.fuzzy.push((term_text.clone(), distance));
        }
        let exact_q = || TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(exact_q()) as Box<dyn Query>),
            (
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(exact_q()), EXACT_OVER_FUZZY)),
            ),
            (
                Occur::Should,
                Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
            ),
        ])))
    }
}

/// Analyzed tokens: (position, text).
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(tok) = stream.next() {
        out.push((tok.position, tok.text.clone()));
    }
    out
}

/// The query for analyzed tokens: a term, or a phrase. A hyphenated pair gives two tokens at one
/// position (`al`, `alqaida`, then `qaida`): the phrase uses the words, and each joined word gives an
/// alternative phrase where it stands for the pair, so `al-Qaida` finds `al Qaida`, `al-Qaida` and
/// `alqaida`.
fn terms_query(field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut joined: Vec<(usize, &str)> = Vec::new();
    for (pos, text) in tokens {
        if words.last().is_some_and(|(p, _)| p == pos) {
            joined.push((*pos, text));
        } else {
            words.push((*pos, text));
        }
    }
    let phrase = |seq: &[(usize, &str)]| -> Box<dyn Query> {
        if seq.len() == 1 {
            return Box::new(TermQuery::new(
                Term::from_field_text(field, seq[0].1),
                IndexRecordOption::WithFreqs,
            ));
        }
        let first = seq[0].0;
        let terms = seq
            .iter()
            .map(|(pos, t)| (pos - first, Term::from_field_text(field, t)))
            .collect();
        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
    };
    if joined.is_empty() {
        return phrase(&words);
    }
    let mut alternatives = vec![(Occur::Should, phrase(&words))];
    for &(pos, text) in &joined {
        // The joined word takes the pair's first position; the words after the pair move up by one.
        let variant: Vec<(usize, &str)> = words
            .iter()
            .filter(|(p, _)| *p != pos + 1)
            .map(|&(p, t)| match p {
                p if p == pos => (p, text),
                p if p > pos + 1 => (p - 1, t),
                p => (p, t),
            })
            .collect();
        alternatives.push((Occur::Should, phrase(&variant)));
    }
    Box::new(BooleanQuery::new(alternatives))
}

impl Compiler<'_> {
    /// An unquoted word: the stemmed field, plus the exact field's score where the exact form is there;
    /// a word the analyzer splits is a phrase of its parts in both fields.
    fn compile_word(&mut self, w: &str, positive: bool) -> Option<Box<dyn Query>> {
        let exact = analyze(&mut self.exact, w);
        let stems = analyze(&mut self.stem, w);
        if exact.is_empty() || stems.is_empty() {
            return None;
        }
        if positive {
            self.highlight
                .exact
                .extend(exact.iter().map(|(_, t)| t.clone()));
            self.highlight
                .stemmed
                .extend(stems.iter().map(|(_, t)| t.clone()));
        }
        let exact_clause = terms_query(self.fields.exact, &exact, 0);
        let boost = self.options.ranking.exact_boost;
        let exact_clause: Box<dyn Query> = if boost == 1.0 {
            exact_clause
        } else {
            Box::new(BoostQuery::new(exact_clause, boost))
        };
        // Every passage holding the exact form holds its stem at the same place, so the exact clause
        // only ever adds to the score of a stem match: "stem, and the exact form if present" matches
        // and scores like "stem or exact form", and is cheaper to run than a union.
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, terms_query(self.fields.text, &stems, 0)),
            (Occur::Should, exact_clause),
        ])))
    }

    /// `word*`: every word of the exact field that starts with the analyzed prefix.
    fn prefix(&mut self, w: &str, positive: bool) -> Option<Box<dyn Query>> {
        let exact = analyze(&mut self.exact, w);
        let [(_, prefix)] = exact.as_slice() else {
            // A prefix the analyzer splits (`al-qa*`) is searched as the word it is.
            return self.compile_word(w, positive);
        };
        let pattern = format!("{}.*", regex::escape(prefix));
        let query = RegexQuery::from_pattern(&pattern, self.fields.exact).ok()?;
        if positive {
            self.highlight.prefixes.push(prefix.clone());
        }
        Some(Box::new(query))
    }

    fn compile(&mut self, node: &Node, positive: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(w) if self.options.fuzzy => self.fuzzy(w, None, positive),
            Node::Word(w) => self.compile_word(w, positive),
            Node::Fuzzy(w, distance) => self.fuzzy(w, *distance, positive),
            Node::Prefix(w) => self.prefix(w, positive),
            Node::Phrase(p, slop) => {
                let exact = analyze(&mut self.exact, p);
                if exact.is_empty() {
                    return None;
                }
                if positive {
                    self.highlight
                        .exact
                        .extend(exact.iter().map(|(_, t)| t.clone()));
                }
                Some(terms_query(self.fields.exact, &exact, *slop))
            }
            Node::Not(inner) => {
                let inner = self.compile(inner, !positive)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, inner),
                ])))
            }
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let join = match self.options.match_mode {
                    MatchMode::All => Occur::Must,
                    MatchMode::Any => Occur::Should,
                };
                for item in items {
                    let (occur, node) = match item {
                        Node::Not(inner) => (Occur::MustNot, inner.as_ref()),
                        other => (join, other),
                    };
                    let sub_positive = if occur == Occur::MustNot {
                        !positive
                    } else {
                        positive
                    };
                    if let Some(q) = self.compile(node, sub_positive) {
                        clauses.push((occur, q));
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = items
                    .iter()
                    .filter_map(|item| self.compile(item, positive))
                    .map(|q| (Occur::Should, q))
                    .collect();
                if clauses.is_empty() {
                    None
                } else {
                    Some(Box::new(BooleanQuery::new(clauses)))
                }
            }
        }
    }
}

/// Sloppy phrases of each pair of neighbouring stemmed words at the top of the query (`a b c` gives
/// `"a b"~N` and `"b c"~N`), so that passages holding the words close together score higher; `None` for
/// fewer than two words.
fn proximity_clause(node: &Node, fields: &Fields, slop: u32) -> Option<Box<dyn Query>> {
    let Node::And(items) = node else {
        return None;
    };
    let mut stem = stem_analyzer();
    let mut stems: Vec<String> = Vec::new();
    for item in items {
        if let Node::Word(w) = item {
            stems.extend(analyze(&mut stem, w).into_iter().map(|(_, t)| t));
        }
    }
    stems.dedup();
    let pairs: Vec<(Occur, Box<dyn Query>)> = stems
        .windows(2)
        .map(|pair| {
            let terms = vec![
                (0, Term::from_field_text(fields.text, &pair[0])),
                (1, Term::from_field_text(fields.text, &pair[1])),
            ];
            let q: Box<dyn Query> = Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop));
            (Occur::Should, q)
        })
        .collect();
    match pairs.len() {
        0 => None,
        _ => Some(Box::new(BooleanQuery::new(pairs))),
    }
}

/// Parses and translates a query. A query whose words are all dropped by the analyzer (`*`, `-`) is an
/// error, not a match-everything.
pub fn compile(query: &str, fields: &Fields, options: QueryOptions) -> Result<CompiledQuery> {
    let node = parse(query)?;
    let mut compiler = Compiler {
        fields,
        options,
        stem: stem_analyzer(),
        exact: exact_analyzer(),
        highlight: HighlightTerms::default(),
    };
    let compiled = compiler
        .compile(&node, true)
        .ok_or_else(|| Error::QueryLimit("the query has no searchable words".to_string()))?;
    let ranking = options.ranking;
    let mut boosts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if ranking.proximity_boost > 0.0 {
        if let Some(near) = proximity_clause(&node, fields, ranking.proximity_slop) {
            boosts.push((
                Occur::Should,
                Box::new(BoostQuery::new(near, ranking.proximity_boost)),
            ));
        }
    }
    let query: Box<dyn Query> = if boosts.is_empty() {
        compiled
    } else {
        boosts.insert(0, (Occur::Must, compiled));
        Box::new(BooleanQuery::new(boosts))
    };
    Ok(CompiledQuery {
        query,
        highlight: compiler.highlight,
        lede_boost: ranking.lede_boost,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(s.to_string())
    }

    #[test]
    fn words_and_operators() {
        assert_eq!(
            parse("niger coup").ok(),
            Some(Node::And(vec![w("niger"), w("coup")]))
        );
        assert_eq!(
            parse("a OR b c").ok(),
            Some(Node::Or(vec![w("a"), Node::And(vec![w("b"), w("c")])]))
        );
        assert_eq!(
            parse("a -b NOT c").ok(),
            Some(Node::And(vec![
                w("a"),
                Node::Not(Box::new(w("b"))),
                Node::Not(Box::new(w("c")))
            ]))
        );
        assert_eq!(
            parse("(a OR b) \"c d\"~2").ok(),
            Some(Node::And(vec![
                Node::Or(vec![w("a"), w("b")]),
                Node::Phrase("c d".into(), 2)
            ]))
        );
        assert_eq!(parse("al-Qaida").ok(), Some(w("al-Qaida")));
        assert_eq!(parse("a AND b").ok(), Some(Node::And(vec![w("a"), w("b")])));
    }

    #[test]
    fn fuzzy_and_prefix_words() {
        assert_eq!(
            parse("Tiani~").ok(),
            Some(Node::Fuzzy("Tiani".into(), None))
        );
        assert_eq!(
            parse("Tiani~2").ok(),
            Some(Node::Fuzzy("Tiani".into(), Some(2)))
        );
        assert_eq!(parse("Tchian*").ok(), Some(Node::Prefix("Tchian".into())));
        assert_eq!(parse("\"a b\"~2").ok(), Some(Node::Phrase("a b".into(), 2)));
        assert!(matches!(parse("Tiani~3"), Err(Error::QueryLimit(_))));
        assert!(matches!(
            parse("T*"),
            Err(Error::QuerySyntax { column: 1, .. })
        ));
        // A lone tilde or star inside a word is left to the analyzer.
        assert_eq!(parse("a~b").ok(), Some(w("a~b")));
    }

    fn column_of(q: &str) -> Option<usize> {
        match parse(q) {
            Err(Error::QuerySyntax { column, .. }) => Some(column),
            _ => None,
        }
    }

    #[test]
    fn syntax_errors_carry_columns() {
        assert_eq!(column_of("niger \"coup"), Some(7));
        assert_eq!(column_of("(niger coup"), Some(1));
        assert_eq!(column_of("niger)"), Some(6));
        assert_eq!(column_of("OR niger"), Some(1));
        assert_eq!(column_of("niger OR"), Some(7));
        assert_eq!(column_of("niger NOT"), Some(7));
        assert_eq!(column_of("\"a b\"~x"), Some(6));
        assert_eq!(column_of("()"), Some(1));
    }

    #[test]
    fn limits_are_errors_not_crashes() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&deep), Err(Error::QueryLimit(_))));
        let nots = format!("{}a", "NOT ".repeat(1000));
        assert!(matches!(parse(&nots), Err(Error::QueryLimit(_))));
        assert!(matches!(
            parse(&"x".repeat(5000)),
            Err(Error::QueryLimit(_))
        ));
        assert!(matches!(
            parse(&"x ".repeat(300)),
            Err(Error::QueryLimit(_))
        ));
        assert!(matches!(parse("   "), Err(Error::QueryLimit(_))));
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn words_without_tokens_are_rejected() {
        let (_, fields) = crate::schema::build_schema();
        assert!(matches!(
            compile("- *", &fields, QueryOptions::default()),
            Err(Error::QueryLimit(_))
        ));
        assert!(compile("NOT niger", &fields, QueryOptions::default()).is_ok());
        let c = compile("Niger’s -coup \"Bazoum\"", &fields, QueryOptions::default()).ok();
        let h = c.map(|c| c.highlight).unwrap_or_default();
        assert!(h.exact.contains("niger") && h.exact.contains("bazoum"));
        assert!(!h.exact.contains("coup"));
    }
}

//! Translating a parsed query into a tantivy query over the stemmed and exact fields.
//!
//! An unquoted word matches the stemmed field, and scores more where its exact form is there too; a
//! quoted word or phrase matches the exact field only. A word that the analyzer splits into several
//! tokens (`al-Qaida`, `U.S.`) is searched as a phrase of them. Words in a negated part of the query
//! (`-word`, `NOT word`) are not highlighted.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Language, RawTokenizer, StopWordFilter, TextAnalyzer};
use tantivy::Term;

use super::highlight::HighlightTerms;
use super::parse::{parse, Node, Scope};
use super::ranking::Ranking;
use crate::error::{Error, Result};
use crate::index::schema::{exact_analyzer, source_key, stem_analyzer, Fields};

/// How the words side by side in a query combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// Every word must match (the default).
    #[default]
    All,
    /// Any word may match; passages holding more of them rank higher.
    Any,
}

/// Options that change how a query is translated.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryOptions {
    pub match_mode: MatchMode,
    pub ranking: Ranking,
    /// Every unquoted word is fuzzy, as if written `word~`.
    pub fuzzy: bool,
}

/// Whether a part of the query asks for its words (positive) or against them (under `NOT` or `-`): only
/// the words of positive parts are highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Positive,
    Negative,
}

impl Polarity {
    fn flip(self) -> Polarity {
        match self {
            Polarity::Positive => Polarity::Negative,
            Polarity::Negative => Polarity::Positive,
        }
    }
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
    /// The fields words are looked up in: the passage text, or the headline inside `headline:`.
    current: Fields,
    options: QueryOptions,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
    /// Drops the very common English words (Lucene's list: the, of, and, ...).
    common: Option<TextAnalyzer>,
    highlight: HighlightTerms,
    /// Weight of the headline clauses of the words (0: none).
    headline_boost: f32,
    /// The words of positive parts of the query in the headline field, when `headline_boost` is set.
    headline_words: Vec<Box<dyn Query>>,
    /// The leaves standing for every passage (see `every_article`).
    every_article: Vec<usize>,
    /// How many NOTs the part being planned is under.
    not_depth: usize,
}

impl Compiler<'_> {
    /// Whether `w`, unquoted, is a very common word: with every word required it would be required
    /// in almost every passage for nothing, so it only adds to the score.
    fn is_common(&mut self, w: &str) -> bool {
        let exact = analyze(&mut self.exact, w);
        match (exact.as_slice(), self.common.as_mut()) {
            ([(_, word)], Some(common)) => common.token_stream(word).next().is_none(),
            _ => false,
        }
    }

    /// The words every match must hold, when all of them are very common (nothing else asked for).
    fn only_common(&mut self, node: &Node) -> Option<Vec<String>> {
        let mut leaves = Vec::new();
        positive_leaves(node, &mut leaves);
        let mut words = Vec::new();
        for leaf in leaves {
            match leaf {
                Node::Word(w) if self.is_common(w) => words.push(w.clone()),
                _ => return None,
            }
        }
        (!words.is_empty()).then_some(words)
    }
}

/// The query, limited to articles from one of `sources` when any are given.
fn parse_with_sources(query: &str, sources: &[String]) -> Result<Node> {
    let node = parse(query)?;
    let mut names: Vec<Node> = sources
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Node::Source(s.clone()))
        .collect();
    Ok(match names.len() {
        0 => node,
        1 => Node::And(vec![node, names.remove(0)]),
        _ => Node::And(vec![node, Node::Or(names)]),
    })
}

/// The words and phrases of a query that are not under NOT.
fn positive_leaves<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match node {
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| positive_leaves(n, out)),
        Node::Not(_) | Node::Source(_) => {}
        Node::In(_, inner) => positive_leaves(inner, out),
        leaf => out.push(leaf),
    }
}

/// Score added to a passage holding a fuzzy word exactly, so that exact matches rank above every match
/// that is only within the edit distance (whatever other signals add).
const EXACT_OVER_FUZZY: f32 = 50.0;

impl Compiler<'_> {
    /// `word~N`: the exact word (scored, and lifted above fuzzy matches) or any word within N edits.
    fn fuzzy(
        &mut self,
        w: &str,
        distance: Option<u8>,
        polarity: Polarity,
    ) -> Option<Box<dyn Query>> {
        let exact = analyze(&mut self.exact, w);
        let [(_, term_text)] = exact.as_slice() else {
            return self.compile_word(w, polarity);
        };
        let distance = distance.unwrap_or(if term_text.chars().count() >= 8 { 2 } else { 1 });
        let term = Term::from_field_text(self.current.exact, term_text);
        if polarity == Polarity::Positive {
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
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
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
    let sequences = token_sequences(tokens);
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
    if sequences.len() == 1 {
        return phrase(&sequences[0]);
    }
    Box::new(BooleanQuery::new(
        sequences
            .iter()
            .map(|seq| (Occur::Should, phrase(seq)))
            .collect(),
    ))
}

/// The token sequences analysed tokens stand for: the words, then for each hyphenated pair's joined
/// word (at the pair's first position) the words with the joined word in the pair's place, the
/// words after it moved up by one. Each is (position, token).
pub(crate) fn token_sequences(tokens: &[(usize, String)]) -> Vec<Vec<(usize, &str)>> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut joined: Vec<(usize, &str)> = Vec::new();
    for (pos, text) in tokens {
        if words.last().is_some_and(|(p, _)| p == pos) {
            joined.push((*pos, text));
        } else {
            words.push((*pos, text));
        }
    }
    let mut out = Vec::with_capacity(1 + joined.len());
    for &(pos, text) in &joined {
        out.push(
            words
                .iter()
                .filter(|(p, _)| *p != pos + 1)
                .map(|&(p, t)| match p {
                    p if p == pos => (p, text),
                    p if p > pos + 1 => (p - 1, t),
                    p => (p, t),
                })
                .collect(),
        );
    }
    out.insert(0, words);
    out
}

impl Compiler<'_> {
    /// An unquoted word: the stemmed field, plus the exact field's score where the exact form is there;
    /// a word the analyzer splits is a phrase of its parts in both fields.
    fn compile_word(&mut self, w: &str, polarity: Polarity) -> Option<Box<dyn Query>> {
        let (stem, exact) = self.word_parts(w, polarity)?;
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, stem),
            (Occur::Should, exact),
        ])))
    }

    /// The two parts of an unquoted word: its stem (which matches) and its exact form (boosted, which
    /// only adds to the score where present).
    fn word_parts(
        &mut self,
        w: &str,
        polarity: Polarity,
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
        let exact = analyze(&mut self.exact, w);
        let stems = analyze(&mut self.stem, w);
        if exact.is_empty() || stems.is_empty() {
            return None;
        }
        if polarity == Polarity::Positive {
            self.highlight
                .exact
                .extend(exact.iter().map(|(_, t)| t.clone()));
            self.highlight
                .stemmed
                .extend(stems.iter().map(|(_, t)| t.clone()));
        }
        let exact_clause = terms_query(self.current.exact, &exact, 0);
        let boost = self.options.ranking.exact_boost;
        let exact_clause: Box<dyn Query> = if boost == 1.0 {
            exact_clause
        } else {
            Box::new(BoostQuery::new(exact_clause, boost))
        };
        // Every passage holding the exact form holds its stem at the same place, so the exact clause
        // only ever adds to the score of a stem match: "stem, and the exact form if present" matches
        // and scores like "stem or exact form", and is cheaper to run than a union.
        if self.headline_boost > 0.0
            && polarity == Polarity::Positive
            && self.current.text == self.fields.text
        {
            // Matching articles: the word scores more where it is in the headline (see
            // `compile_articles`).
            self.headline_words
                .push(terms_query(self.fields.head, &stems, 0));
        }
        Some((terms_query(self.current.text, &stems, 0), exact_clause))
    }

    /// `word*`: every word of the exact field that starts with the analyzed prefix.
    fn prefix(&mut self, w: &str, polarity: Polarity) -> Option<Box<dyn Query>> {
        let exact = analyze(&mut self.exact, w);
        let [(_, prefix)] = exact.as_slice() else {
            // A prefix the analyzer splits (`al-qa*`) is searched as the word it is.
            return self.compile_word(w, polarity);
        };
        let pattern = format!("{}.*", regex::escape(prefix));
        let query = RegexQuery::from_pattern(&pattern, self.current.exact).ok()?;
        if polarity == Polarity::Positive {
            self.highlight.prefixes.push(prefix.clone());
        }
        Some(Box::new(query))
    }

    fn compile(&mut self, node: &Node, polarity: Polarity) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(w) if self.options.fuzzy => self.fuzzy(w, None, polarity),
            Node::Word(w) => self.compile_word(w, polarity),
            Node::Fuzzy(w, distance) => self.fuzzy(w, *distance, polarity),
            Node::Prefix(w) => self.prefix(w, polarity),
            Node::Phrase(p, slop) => {
                let exact = analyze(&mut self.exact, p);
                if exact.is_empty() {
                    return None;
                }
                if polarity == Polarity::Positive {
                    self.highlight
                        .exact
                        .extend(exact.iter().map(|(_, t)| t.clone()));
                }
                Some(terms_query(self.current.exact, &exact, *slop))
            }
            Node::Source(name) => Some(self.source(name)),
            Node::In(Scope::Source, inner) => self.compile(inner, polarity),
            Node::In(Scope::Headline, inner) => {
                let outer = self.current;
                self.current.text = self.fields.head;
                self.current.exact = self.fields.head_exact;
                let compiled = self.compile(inner, polarity);
                self.current = outer;
                compiled
            }
            Node::In(Scope::Lede, inner) => {
                let inner = self.compile(inner, polarity)?;
                let first_passage = TermQuery::new(
                    Term::from_field_u64(self.fields.passage, 1),
                    IndexRecordOption::Basic,
                );
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, inner),
                    (
                        Occur::Must,
                        Box::new(ConstScoreQuery::new(Box::new(first_passage), 0.0)),
                    ),
                ])))
            }
            Node::Not(inner) => {
                let inner = self.compile(inner, polarity.flip())?;
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
                        // `the`, `of`: scored where present, never required (quoted, they are).
                        Node::Word(w) if join == Occur::Must && self.is_common(w) => {
                            (Occur::Should, item)
                        }
                        other => (join, other),
                    };
                    let sub_polarity = if occur == Occur::MustNot {
                        polarity.flip()
                    } else {
                        polarity
                    };
                    if let (Occur::Should, Node::Word(w)) = (occur, node) {
                        // An optional word joins the clauses as its stem and its exact form, side by
                        // side: the same matches and scores as the word's own "stem, and exact if
                        // present", and a union of single terms lets the top-N search skip blocks
                        // of postings that cannot make the cut (block-max WAND).
                        if let Some((stem, exact)) = self.word_parts(w, sub_polarity) {
                            clauses.push((Occur::Should, stem));
                            clauses.push((Occur::Should, exact));
                        }
                        continue;
                    }
                    if let Some(q) = self.compile(node, sub_polarity) {
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
                    .filter_map(|item| self.compile(item, polarity))
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

/// One part of a query that the article-level matcher looks up in passages on its own: a word, a
/// phrase, a prefix, a fuzzy word, a `lede:` group, or the "every article" of a query that only excludes.
pub(crate) struct Leaf {
    pub query: Box<dyn Query>,
    /// Its score counts towards a passage's, and a passage holding it holds a query term (it is not
    /// under NOT).
    pub scoring: bool,
    /// A hit names the passage where it is best found when the hit's passages lack it (every scoring
    /// word or phrase but the very common words, which are only scored).
    pub also: bool,
    /// Only adds to the score of passages that other leaves hold (the headline of the words, the
    /// proximity of pairs): a passage it alone matches holds no query term.
    pub bonus: bool,
    /// Under a NOT: matching moves its cursor ahead of the article being scored (looking for an article
    /// without it), so scoring it needs a cursor of its own.
    pub negated: bool,
}

/// How the leaves of a query combine for an article: a leaf holds for an article when one of its
/// passages matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    Leaf(usize),
    /// Every `must`, at least one `should` when there is no `must` (otherwise they only score), and
    /// none of `not`.
    Bool {
        must: Vec<Plan>,
        should: Vec<Plan>,
        not: Vec<Plan>,
    },
}

/// A query translated for matching whole articles (see [`compile_articles`]).
pub struct ArticleQuery {
    pub(crate) leaves: Vec<Leaf>,
    pub(crate) plan: Plan,
    pub highlight: HighlightTerms,
    pub ranking: Ranking,
}

impl Compiler<'_> {
    fn leaf(
        &mut self,
        leaves: &mut Vec<Leaf>,
        query: Box<dyn Query>,
        polarity: Polarity,
        also: bool,
    ) -> Plan {
        leaves.push(Leaf {
            query,
            scoring: polarity == Polarity::Positive,
            also: also && polarity == Polarity::Positive,
            bonus: false,
            negated: self.not_depth > 0,
        });
        Plan::Leaf(leaves.len() - 1)
    }

    /// Every passage of every article: what a query that only excludes starts from.
    /// Passages of articles from the source `name` (any case), scoring nothing.
    fn source(&self, name: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.source_key, &source_key(name));
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            0.0,
        ))
    }

    fn every_article(&mut self, leaves: &mut Vec<Leaf>, polarity: Polarity) -> Plan {
        let plan = self.leaf(leaves, Box::new(AllQuery), polarity, false);
        self.every_article.push(leaves.len() - 1);
        plan
    }

    /// The article-level plan of `node`, its leaves compiled for passages into `leaves`.
    fn plan(&mut self, node: &Node, polarity: Polarity, leaves: &mut Vec<Leaf>) -> Option<Plan> {
        match node {
            Node::Word(w) => {
                let common = self.is_common(w);
                let q = self.compile(node, polarity)?;
                Some(self.leaf(leaves, q, polarity, !common))
            }
            Node::Fuzzy(..) | Node::Prefix(_) | Node::Phrase(..) | Node::In(Scope::Lede, _) => {
                // A phrase stays inside one passage, and `lede:` names one passage.
                let q = self.compile(node, polarity)?;
                Some(self.leaf(leaves, q, polarity, true))
            }
            Node::Source(name) => {
                // Every passage carries its article's source: a filter, scoring nothing.
                let q = self.source(name);
                Some(self.leaf(leaves, q, polarity, false))
            }
            Node::In(Scope::Source, inner) => self.plan(inner, polarity, leaves),
            Node::In(Scope::Headline, inner) => {
                let outer = self.current;
                self.current.text = self.fields.head;
                self.current.exact = self.fields.head_exact;
                let plan = self.plan(inner, polarity, leaves);
                self.current = outer;
                plan
            }
            Node::Not(inner) => {
                self.not_depth += 1;
                let not = self.plan(inner, polarity.flip(), leaves);
                self.not_depth -= 1;
                let not = not?;
                let every = self.every_article(leaves, polarity);
                Some(Plan::Bool {
                    must: vec![every],
                    should: Vec::new(),
                    not: vec![not],
                })
            }
            Node::And(items) => {
                let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
                for item in items {
                    match item {
                        Node::Not(inner) => {
                            self.not_depth += 1;
                            not.extend(self.plan(inner, polarity.flip(), leaves));
                            self.not_depth -= 1;
                        }
                        Node::Word(w)
                            if self.options.match_mode == MatchMode::All && self.is_common(w) =>
                        {
                            should.extend(self.plan(item, polarity, leaves))
                        }
                        other if self.options.match_mode == MatchMode::All => {
                            must.extend(self.plan(other, polarity, leaves))
                        }
                        other => should.extend(self.plan(other, polarity, leaves)),
                    }
                }
                if must.is_empty() && should.is_empty() {
                    if not.is_empty() {
                        return None;
                    }
                    must.push(self.every_article(leaves, polarity));
                }
                Some(Plan::Bool { must, should, not })
            }
            Node::Or(items) => {
                let should: Vec<Plan> = items
                    .iter()
                    .filter_map(|item| self.plan(item, polarity, leaves))
                    .collect();
                (!should.is_empty()).then_some(Plan::Bool {
                    must: Vec::new(),
                    should,
                    not: Vec::new(),
                })
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

fn new_compiler(fields: &Fields, options: QueryOptions) -> Compiler<'_> {
    Compiler {
        fields,
        current: *fields,
        options,
        stem: stem_analyzer(),
        exact: exact_analyzer(),
        common: StopWordFilter::new(Language::English).map(|filter| {
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(filter)
                .build()
        }),
        highlight: HighlightTerms::default(),
        headline_boost: 0.0,
        headline_words: Vec::new(),
        every_article: Vec::new(),
        not_depth: 0,
    }
}

/// Parses and translates a query. A query whose words are all dropped by the analyzer (`*`, `-`) is an
/// error, not a match-everything.
pub fn compile(
    query: &str,
    sources: &[String],
    fields: &Fields,
    options: QueryOptions,
) -> Result<CompiledQuery> {
    let node = parse_with_sources(query, sources)?;
    let mut compiler = new_compiler(fields, options);
    if let Some(words) = compiler.only_common(&node) {
        return Err(Error::OnlyCommonWords { words });
    }
    let compiled = compiler
        .compile(&node, Polarity::Positive)
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

/// Parses and translates a query for matching whole articles: words side by side may stand in different
/// passages of an article, `-word` excludes articles naming it anywhere, and a phrase, a `~N` proximity
/// or a `lede:` group holds within one passage.
pub fn compile_articles(
    query: &str,
    sources: &[String],
    fields: &Fields,
    options: QueryOptions,
) -> Result<ArticleQuery> {
    let node = parse_with_sources(query, sources)?;
    let mut compiler = new_compiler(fields, options);
    compiler.headline_boost = options.ranking.headline_boost;
    if let Some(words) = compiler.only_common(&node) {
        return Err(Error::OnlyCommonWords { words });
    }
    let mut leaves = Vec::new();
    let plan = compiler
        .plan(&node, Polarity::Positive, &mut leaves)
        .ok_or_else(|| Error::QueryLimit("the query has no searchable words".to_string()))?;
    // "Every passage" of a NOT stands for the query's words only when it has none of its own (`NOT x`
    // shows whole articles; `mali NOT (niger ...)` shows where mali is).
    let every = std::mem::take(&mut compiler.every_article);
    let has_words = leaves
        .iter()
        .enumerate()
        .any(|(i, l)| l.scoring && !every.contains(&i));
    if has_words {
        for i in every {
            leaves[i].bonus = true;
        }
    }
    let ranking = options.ranking;
    // Clauses that only add to the score of passages the query's words hold.
    let mut bonus: Vec<Box<dyn Query>> = Vec::new();
    match proximity_clause(&node, fields, ranking.proximity_slop) {
        Some(near) if ranking.proximity_boost > 0.0 => {
            bonus.push(Box::new(BoostQuery::new(near, ranking.proximity_boost)));
        }
        _ => {}
    }
    // Each word's headline clause is a cursor of its own: a union of them would be sought to every
    // matching article, and a union's seek costs more than its terms'.
    for q in std::mem::take(&mut compiler.headline_words) {
        bonus.push(Box::new(BoostQuery::new(q, ranking.headline_boost)));
    }
    let plan = if bonus.is_empty() {
        plan
    } else {
        let mut should = Vec::new();
        for query in bonus {
            leaves.push(Leaf {
                query,
                scoring: true,
                also: false,
                bonus: true,
                negated: false,
            });
            should.push(Plan::Leaf(leaves.len() - 1));
        }
        Plan::Bool {
            must: vec![plan],
            should,
            not: Vec::new(),
        }
    };
    Ok(ArticleQuery {
        leaves,
        plan,
        highlight: compiler.highlight,
        ranking,
    })
}

/// Whether `w`, unquoted, is one of the very common English words (`the`, `of`) that a query with
/// every word required only scores (see [`compile`]).
pub fn is_common_word(w: &str) -> bool {
    let (_, fields) = crate::index::schema::build_schema();
    new_compiler(&fields, QueryOptions::default()).is_common(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_without_tokens_are_rejected() {
        let (_, fields) = crate::index::schema::build_schema();
        assert!(matches!(
            compile("- *", &[], &fields, QueryOptions::default()),
            Err(Error::QueryLimit(_))
        ));
        assert!(compile("NOT niger", &[], &fields, QueryOptions::default()).is_ok());
        let c = compile(
            "Niger’s -coup \"Bazoum\"",
            &[],
            &fields,
            QueryOptions::default(),
        )
        .ok();
        let h = c.map(|c| c.highlight).unwrap_or_default();
        assert!(h.exact.contains("niger") && h.exact.contains("bazoum"));
        assert!(!h.exact.contains("coup"));
    }
}

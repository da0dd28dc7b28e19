//! dateline's query language translated into Quickwit's, over the fields of [`super::mapping`].
//!
//! Every word is analysed by dateline, so the tokens asked for are the tokens sent: an unquoted word
//! matches its stem (and scores more with its exact form), a quoted word or phrase matches the exact
//! forms, a word the analyzer splits is a phrase of its parts, a hyphenated pair also matches its
//! joined word (in the `_j` twin field, see [`super::mapping`]), `word*` is a prefix of the exact
//! forms. Very common words beside others are only scored locally: here they are left out, which
//! matches the same passages. Fuzzy words have no counterpart in Quickwit: they are expanded into
//! the words of the pushed local index within their edit distance, or refused without it.
//!
//! Over article documents (`--within article`), words may stand in different passages, and a
//! phrase, a proximity or a `lede:` group stays inside one passage (the article document keeps its
//! passages apart, and carries its lead passage in fields of its own).

use tantivy::tokenizer::TextAnalyzer;

use super::mapping::fields as f;
use super::quote;
use crate::error::{Error, Result};
use crate::index::schema::{exact_analyzer, source_key, stem_analyzer};
use crate::search::compile::{analyze, is_common_word, token_sequences, MatchMode, QueryOptions};
use crate::search::parse::{parse, Node, Scope};

/// Which documents a query is translated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Passages,
    Articles,
}

/// A query translated for Quickwit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The query over the target's documents.
    pub query: String,
    /// Over passages, the union of the query's positive words and phrases: what an article's best
    /// passages hold (`None` when it has none, as in `NOT x`).
    pub passage_words: Option<String>,
    /// Over passages, each positive word or phrase on its own but the very common words: where a hit
    /// shows the passages holding what its own passages lack ("also").
    pub leaves: Vec<String>,
    /// The words fuzzy words were expanded into (to mark them in snippets).
    pub expanded: Vec<String>,
}

/// Translates `query` (limited to `sources` when any are given) for `target`.
pub fn translate(
    query: &str,
    sources: &[String],
    options: QueryOptions,
    target: Target,
) -> Result<Translated> {
    translate_with(query, sources, options, target, None)
}

/// Where the words within N edits of a fuzzy word are looked up: the index that was pushed (see
/// [`super::search::LocalTerms`]). Its answer for (headline field or not, word, distance).
pub type Expander<'e> = &'e dyn Fn(bool, &str, u8) -> Result<Vec<String>>;

/// As [`translate`], fuzzy words expanded by `expander` into the words they match (without one,
/// they are refused).
pub fn translate_with(
    query: &str,
    sources: &[String],
    options: QueryOptions,
    target: Target,
    expander: Option<Expander>,
) -> Result<Translated> {
    let mut node = parse(query)?;
    let names: Vec<Node> = sources
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Node::Source(s.clone()))
        .collect();
    if !names.is_empty() {
        node = Node::And(vec![node, Node::Or(names)]);
    }
    let mut t = Translator::new(options, target);
    t.expander = expander;
    let query = t
        .node(&node)?
        .ok_or_else(|| Error::QueryLimit("the query has no searchable words".to_string()))?;
    let mut leaves = Vec::new();
    positive_leaves(&node, Scope::Source, &mut leaves);
    let mut words = Translator::new(options, Target::Passages);
    words.expander = expander;
    let mut parts = Vec::new();
    let mut also = Vec::new();
    for (scope, leaf) in leaves {
        // The headline's words are indexed with the lead passage.
        let part = match scope {
            Scope::Source => words.node(leaf)?,
            scope => words.node(&Node::In(scope, Box::new(leaf.clone())))?,
        };
        let common = matches!(leaf, Node::Word(w) if is_common_word(w));
        if let (Some(p), false, false) = (&part, common, scope == Scope::Headline) {
            if !also.contains(p) {
                also.push(p.clone());
            }
        }
        parts.extend(part);
    }
    parts.dedup();
    let mut expanded = std::mem::take(&mut t.expanded);
    expanded.append(&mut words.expanded);
    expanded.sort();
    expanded.dedup();
    Ok(Translated {
        query,
        passage_words: (!parts.is_empty()).then(|| parts.join(" OR ")),
        leaves: also,
        expanded,
    })
}

/// The words and phrases not under NOT, with the part of the article they are asked in
/// (`Scope::Source` standing for the passage text).
fn positive_leaves<'n>(node: &'n Node, scope: Scope, out: &mut Vec<(Scope, &'n Node)>) {
    match node {
        Node::And(items) | Node::Or(items) => {
            items.iter().for_each(|n| positive_leaves(n, scope, out))
        }
        Node::Not(_) | Node::Source(_) => {}
        Node::In(Scope::Source, inner) => positive_leaves(inner, scope, out),
        Node::In(s, inner) => positive_leaves(inner, *s, out),
        leaf => out.push((scope, leaf)),
    }
}

struct Translator<'e> {
    options: QueryOptions,
    /// Where fuzzy words are expanded; `None`: they are refused.
    expander: Option<Expander<'e>>,
    /// What they were expanded into.
    expanded: Vec<String>,
    target: Target,
    /// The field groups words are looked up in: the text, or the headline or lead inside `headline:`
    /// and (over articles) `lede:`.
    stem_group: &'static str,
    exact_group: &'static str,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
}

impl<'e> Translator<'e> {
    fn new(options: QueryOptions, target: Target) -> Translator<'e> {
        Translator {
            options,
            expander: None,
            expanded: Vec::new(),
            target,
            stem_group: f::STEM,
            exact_group: f::EXACT,
            stem: stem_analyzer(),
            exact: exact_analyzer(),
        }
    }

    fn node(&mut self, node: &Node) -> Result<Option<String>> {
        Ok(match node {
            Node::Word(w) if self.options.fuzzy => self.fuzzy(w, None)?,
            Node::Fuzzy(w, distance) => self.fuzzy(w, *distance)?,
            Node::Word(w) => self.word(w),
            Node::Prefix(w) => {
                let exact = analyze(&mut self.exact, w);
                match exact.as_slice() {
                    [(_, prefix)] => Some(format!(
                        "({g}:{p}* OR {g}_j:{p}*)",
                        g = self.exact_group,
                        p = escape_bare(prefix)
                    )),
                    _ => self.word(w),
                }
            }
            Node::Phrase(p, slop) => {
                let exact = analyze(&mut self.exact, p);
                (!exact.is_empty()).then(|| terms(self.exact_group, &exact, *slop))
            }
            Node::Source(name) => Some(format!("{}:{}", f::SOURCE_KEY, quote(&source_key(name)))),
            Node::In(Scope::Source, inner) => self.node(inner)?,
            Node::In(Scope::Headline, inner) => {
                self.scoped(f::HEAD_STEM, f::HEAD_EXACT, |t| t.node(inner))?
            }
            Node::In(Scope::Lede, inner) => match self.target {
                Target::Passages => self
                    .node(inner)?
                    .map(|q| format!("({q} AND {}:1)", f::PASSAGE)),
                Target::Articles => self.scoped(f::LEDE_STEM, f::LEDE_EXACT, |t| t.node(inner))?,
            },
            Node::Not(inner) => self.node(inner)?.map(|q| format!("(* AND NOT {q})")),
            Node::And(items) => {
                let mut positive = Vec::new();
                let mut negative = Vec::new();
                for item in items {
                    match item {
                        Node::Not(inner) => negative.extend(self.node(inner)?),
                        // Only scored where present: the same matches without it.
                        Node::Word(w)
                            if self.options.match_mode == MatchMode::All && is_common_word(w) => {}
                        other => positive.extend(self.node(other)?),
                    }
                }
                let join = match self.options.match_mode {
                    MatchMode::All => " AND ",
                    MatchMode::Any => " OR ",
                };
                let mut out = match positive.len() {
                    0 if negative.is_empty() => return Ok(None),
                    0 => "*".to_string(),
                    1 => positive.remove(0),
                    _ => format!("({})", positive.join(join)),
                };
                for n in negative {
                    out = format!("{out} AND NOT {n}");
                }
                Some(if out.contains(" AND NOT ") {
                    format!("({out})")
                } else {
                    out
                })
            }
            Node::Or(items) => {
                let mut parts = Vec::new();
                for item in items {
                    parts.extend(self.node(item)?);
                }
                match parts.len() {
                    0 => None,
                    1 => Some(parts.remove(0)),
                    _ => Some(format!("({})", parts.join(" OR "))),
                }
            }
        })
    }

    fn scoped(
        &mut self,
        stem: &'static str,
        exact: &'static str,
        inner: impl FnOnce(&mut Translator<'e>) -> Result<Option<String>>,
    ) -> Result<Option<String>> {
        let outer = (self.stem_group, self.exact_group);
        self.stem_group = stem;
        self.exact_group = exact;
        let out = inner(self);
        (self.stem_group, self.exact_group) = outer;
        out
    }

    /// `word~N`: the words of the pushed index within N edits of the word (by default 1, or 2 for
    /// words of 8 letters or more), as the local index matches them; a word the analyzer splits is
    /// searched as the word it is.
    fn fuzzy(&mut self, w: &str, distance: Option<u8>) -> Result<Option<String>> {
        let exact = analyze(&mut self.exact, w);
        let [(_, word)] = exact.as_slice() else {
            return Ok(self.word(w));
        };
        let Some(expander) = self.expander else {
            return Err(fuzzy_refused(w));
        };
        let distance = distance.unwrap_or(if word.chars().count() >= 8 { 2 } else { 1 });
        let mut found = expander(self.exact_group == f::HEAD_EXACT, word, distance)?;
        if !found.contains(word) {
            // Matches nothing the expansions do not, and keeps the clause when there are none.
            found.push(word.clone());
        }
        found.sort();
        let parts: Vec<String> = found
            .iter()
            .map(|t| terms(self.exact_group, &[(0, t.clone())], 0))
            .collect();
        self.expanded.extend(found);
        Ok(Some(format!("({})", parts.join(" OR "))))
    }

    /// An unquoted word: its stem, or its exact form (which only ever holds where the stem does, so
    /// the union matches what the stem matches, and scores more where the exact form is).
    fn word(&mut self, w: &str) -> Option<String> {
        let stems = analyze(&mut self.stem, w);
        let exact = analyze(&mut self.exact, w);
        if stems.is_empty() || exact.is_empty() {
            return None;
        }
        Some(format!(
            "({} OR {})",
            terms(self.stem_group, &stems, 0),
            terms(self.exact_group, &exact, 0)
        ))
    }
}

fn fuzzy_refused(w: &str) -> Error {
    Error::EngineUnsupported(format!(
        "fuzzy words ('{w}~') are expanded from the local index that was pushed to Quickwit (Quickwit has no fuzzy matching), and no such index is at hand"
    ))
}

/// A term or phrase of analysed tokens in `group` and its `_j` twin. A hyphenated pair gives two
/// tokens at one position (`al`, `alqaida`, then `qaida`): the words make one phrase, and each joined
/// word an alternative one where it stands for the pair.
fn terms(group: &str, tokens: &[(usize, String)], slop: u32) -> String {
    let sequences: Vec<Vec<&str>> = token_sequences(tokens)
        .into_iter()
        .map(|seq| seq.into_iter().map(|(_, t)| t).collect())
        .collect();
    let mut alternatives = Vec::new();
    for seq in sequences {
        let phrase = quote(&seq.join(" "));
        let slop = if slop > 0 && seq.len() > 1 {
            format!("~{slop}")
        } else {
            String::new()
        };
        alternatives.push(format!("{group}:{phrase}{slop}"));
        alternatives.push(format!("{group}_j:{phrase}{slop}"));
    }
    format!("({})", alternatives.join(" OR "))
}

/// A token escaped for use outside quotes (a prefix).
fn escape_bare(token: &str) -> String {
    let mut out = String::new();
    for c in token.chars() {
        if "+^`:{}\"[]()~!\\* -".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages(q: &str) -> String {
        translate(q, &[], QueryOptions::default(), Target::Passages)
            .expect("translates")
            .query
    }

    #[test]
    fn words_ask_for_dateline_s_own_stems_and_exact_forms() {
        assert_eq!(
            passages("Leaders"),
            "((stem:\"leader\" OR stem_j:\"leader\") OR (exact:\"leaders\" OR exact_j:\"leaders\"))"
        );
        assert_eq!(
            passages("\"Central Bank\"~2"),
            "(exact:\"central bank\"~2 OR exact_j:\"central bank\"~2)"
        );
    }

    #[test]
    fn a_hyphenated_word_is_its_parts_or_the_joined_word() {
        let q = passages("\"al-Qaida\"");
        assert!(q.contains("exact:\"al qaida\""), "{q}");
        assert!(q.contains("exact_j:\"alqaida\""), "{q}");
    }

    #[test]
    fn operators_scopes_and_sources_translate() {
        let q = passages("oil -Iran");
        assert!(q.starts_with("(((stem:\"oil\""), "{q}");
        assert!(q.contains(" AND NOT ((stem:\"iran\""), "{q}");
        let q = passages("headline:oil OR lede:gold");
        assert!(q.contains("head_stem:\"oil\""), "{q}");
        assert!(q.contains("AND passage:1)"), "{q}");
        let q = translate("lede:gold", &[], QueryOptions::default(), Target::Articles)
            .expect("translates");
        assert!(q.query.contains("lede_stem:\"gold\""), "{}", q.query);
        assert!(q.passage_words.expect("words").contains("AND passage:1"));
        let q = translate(
            "oil",
            &["Reuters".into()],
            QueryOptions::default(),
            Target::Passages,
        )
        .expect("translates");
        assert!(
            q.query.ends_with("AND source_key:\"reuters\")"),
            "{}",
            q.query
        );
        assert_eq!(passages("volck*"), "(exact:volck* OR exact_j:volck*)");
        assert!(passages("NOT oil").starts_with("(* AND NOT "));
    }

    #[test]
    fn common_words_beside_others_are_left_out_and_fuzzy_words_are_refused() {
        assert_eq!(passages("the oil"), passages("oil"));
        assert!(matches!(
            translate("volker~", &[], QueryOptions::default(), Target::Passages),
            Err(Error::EngineUnsupported(_))
        ));
        let fuzzy = QueryOptions {
            fuzzy: true,
            ..Default::default()
        };
        assert!(translate("volker", &[], fuzzy, Target::Articles).is_err());
    }

    #[test]
    fn negated_words_are_not_passage_words() {
        let t = translate(
            "oil NOT gold",
            &[],
            QueryOptions::default(),
            Target::Articles,
        )
        .expect("translates");
        let words = t.passage_words.expect("words");
        assert!(words.contains("oil") && !words.contains("gold"), "{words}");
        let t = translate("NOT gold", &[], QueryOptions::default(), Target::Articles)
            .expect("translates");
        assert_eq!(t.passage_words, None);
    }
}

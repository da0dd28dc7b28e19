//! What is mentioned with a query: the names and words most over-represented in the articles that
//! match it, compared with every article of the archive (or of the date range), as Elasticsearch's
//! significant terms.
//!
//! - Foreground: the matching articles, one per story (copies count once); past
//!   [`MAX_SAMPLE`] stories, a fixed sample of them (chosen by a hash of their key, so the same
//!   query gives the same sample), whose size the result gives.
//! - Names: runs of capitalised words kept whole (`Mohamed Bazoum`, `ECOWAS`, `Federal Reserve`,
//!   with `of`, `de`, `al` ... inside), split at titles (`Chairman`, `President` ...), without a
//!   leading `The`/`Mr` ...; a single capitalised word opening a sentence counts only when the
//!   article also has it capitalised elsewhere. Words: lowercase words of three letters or more, not
//!   common words or numbers. Each counts once per article.
//! - Background: how many articles of the archive (or range, and sources) hold the name (as a
//!   phrase) or word, counted in the index for the candidates that can make the list.
//! - Score: JLH, Elasticsearch's default: `(fg% - bg%) * (fg% / bg%)`, which asks for both a large
//!   share of the matches and a large lift over the background (chi-square favours frequent terms
//!   whose lift is small; a plain ratio favours terms seen once). Terms in fewer than [`MIN_COUNT`]
//!   matching articles are left out, as are the query's own words.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Term};

use super::timeline::Bucketing;
use crate::error::Result;
use crate::index::schema::{exact_analyzer, source_key};
use crate::index::stories::{mix, StoryRef};
use crate::index::Reader;
use crate::search::date_filter::within_dates;
use crate::search::{visit_articles, MatchMode, MatchedArticle, QueryOptions, Ranking};
use crate::text::dates::{day_number_to_day, secs_to_day_number, DateRange};

/// Stories read at most (a larger set is sampled).
pub const MAX_SAMPLE: usize = 500;
/// The least number of matching articles a term must be in.
pub const MIN_COUNT: u64 = 3;
/// Candidates counted in the index for each list, per term listed.
const CANDIDATES_PER_TERM: usize = 3;
/// Candidates whose background is estimated, per term listed (the most frequent in the matches).
const ESTIMATED_PER_TERM: usize = 50;

/// What to look for.
#[derive(Debug, Clone)]
pub struct RelatedRequest {
    pub query: String,
    pub dates: DateRange,
    pub match_mode: MatchMode,
    /// Only articles from these sources (both the matches and the background).
    pub sources: Vec<String>,
    /// Names and words to list (each).
    pub limit: usize,
    /// The top names of each bucket too.
    pub by: Option<Bucketing>,
}

/// Whether a term is a name or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    Name,
    Word,
}

/// One over-represented name or word.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedTerm {
    pub text: String,
    pub kind: TermKind,
    /// Matching articles (of the sample) holding it.
    pub in_matches: u64,
    /// Articles of the archive (or date range) holding it.
    pub in_archive: u64,
    pub score: f64,
}

/// The top names of one bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedBucket {
    pub label: String,
    pub start: time::Date,
    /// Stories of the sample in the bucket.
    pub stories: u64,
    pub names: Vec<RelatedTerm>,
}

/// The outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// Stories matching the query.
    pub stories: u64,
    /// Stories read (all of them, or a sample).
    pub sampled: u64,
    /// Articles of the background (the archive, or the date range).
    pub background: u64,
    pub names: Vec<RelatedTerm>,
    pub words: Vec<RelatedTerm>,
    pub buckets: Vec<RelatedBucket>,
}

/// Finds what is mentioned with the query.
pub fn related(reader: &Reader, request: &RelatedRequest) -> Result<Related> {
    let options = QueryOptions {
        match_mode: request.match_mode,
        ranking: Ranking::PLAIN,
        fuzzy: false,
    };
    // One article per story: the first met.
    let mut seen: HashSet<StoryRef> = HashSet::new();
    let mut matched: Vec<MatchedArticle> = Vec::new();
    visit_articles(
        reader,
        &request.query,
        &request.sources,
        options,
        &request.dates,
        |m| {
            if seen.insert(m.story) {
                matched.push(m);
            }
        },
    )?;
    let stories = matched.len() as u64;
    if matched.len() > MAX_SAMPLE {
        // A fixed sample: the stories whose hashed position comes first.
        matched.sort_by_key(|m| mix((u64::from(m.segment) << 32) | u64::from(m.start)));
        matched.truncate(MAX_SAMPLE);
    }
    let own = query_words(&request.query);
    let mut articles: Vec<(Option<i64>, HashSet<String>, HashSet<String>)> = Vec::new();
    for m in &matched {
        let text = article_text(reader, m)?;
        let (names, words) = terms_of(&text);
        let names = names
            .into_iter()
            .filter(|n| !n.split(' ').any(|w| own.contains(&fold(w))))
            .collect();
        let words = words.into_iter().filter(|w| !own.contains(w)).collect();
        articles.push((m.date, names, words));
    }
    let background = Background::new(reader, request)?;
    let mut counted: HashMap<(TermKind, String), u64> = HashMap::new();
    let sampled = articles.len() as u64;
    let names = significant(
        articles.iter().map(|a| &a.1),
        sampled,
        TermKind::Name,
        request.limit,
        &background,
        &mut counted,
    )?;
    let words = significant(
        articles.iter().map(|a| &a.2),
        sampled,
        TermKind::Word,
        request.limit,
        &background,
        &mut counted,
    )?;
    let mut buckets = Vec::new();
    if let Some(by) = request.by {
        let mut starts: Vec<time::Date> = articles
            .iter()
            .filter_map(|a| a.0)
            .filter_map(|secs| day_number_to_day(secs_to_day_number(secs)))
            .map(|d| by.start_of(d))
            .collect();
        starts.sort();
        starts.dedup();
        for start in starts {
            let inside: Vec<&HashSet<String>> = articles
                .iter()
                .filter(|a| {
                    a.0.and_then(|s| day_number_to_day(secs_to_day_number(s)))
                        .is_some_and(|d| by.start_of(d) == start)
                })
                .map(|a| &a.1)
                .collect();
            let n = inside.len() as u64;
            let names = significant(
                inside.into_iter(),
                n,
                TermKind::Name,
                request.limit,
                &background,
                &mut counted,
            )?;
            buckets.push(RelatedBucket {
                label: by.label(start),
                start,
                stories: n,
                names,
            });
        }
    }
    Ok(Related {
        stories,
        sampled,
        background: background.total,
        names,
        words,
        buckets,
    })
}

/// A word as the index's exact field holds it (lowercased, accents folded). Called for every word of
/// every article read: the analyzer is built once per thread.
fn fold(word: &str) -> String {
    thread_local! {
        static ANALYZER: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
            std::cell::RefCell::new(exact_analyzer());
    }
    ANALYZER.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(word);
        let mut out = String::new();
        while stream.advance() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&stream.token().text);
        }
        out
    })
}

/// The words of the query (folded), operators and field names aside.
fn query_words(query: &str) -> HashSet<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The headline and passages of a matching article.
fn article_text(reader: &Reader, m: &MatchedArticle) -> Result<String> {
    let fields = *reader.fields();
    let searcher = reader.searcher();
    let columns = reader.segment_columns(m.segment)?;
    let mut text = String::new();
    let max = searcher.segment_reader(m.segment).max_doc();
    let mut doc = m.start;
    let mut expected = 1;
    while doc < max && columns.passages.first(doc) == Some(expected) {
        let stored: TantivyDocument = searcher.doc(DocAddress::new(m.segment, doc))?;
        if expected == 1 {
            let headline = stored
                .get_first(fields.title)
                .or_else(|| stored.get_first(fields.headline))
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            // A text file's headline is its first paragraph: not counted twice.
            let body = stored
                .get_first(fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if !body.starts_with(headline.trim_end_matches('.')) {
                text.push_str(headline);
                text.push_str(".\n");
            }
        }
        if let Some(t) = stored.get_first(fields.text).and_then(|v| v.as_str()) {
            text.push_str(t);
            text.push('\n');
        }
        doc += 1;
        expected += 1;
    }
    Ok(text)
}

/// Words that open a run of capitals without being part of a name.
const LEADING: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "But", "And", "For", "It", "He", "She", "They", "We",
    "This", "That", "These", "Those", "Its", "His", "Her", "Their", "Mr", "Mrs", "Ms", "Dr", "As",
    "If", "By", "To", "Of", "With", "From", "After", "Before", "When", "While", "Under", "Over",
    "Some", "All", "There", "Here", "I", "Our", "Sen", "Rep", "Gen", "Col", "Lt", "Prof", "Sir",
];
/// Capitalised words that are no names on their own (months, days).
const NOT_NAMES: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// Abbreviations whose period ends no sentence.
const ABBREVIATIONS: &[&str] = &[
    "St", "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "Mt", "Ft", "Gen", "Col", "Lt", "Sen", "Rep", "Gov",
    "Prof", "Co", "Corp", "Inc", "Ltd", "No",
];
/// Lowercase words that may stand inside a name.
const CONNECTORS: &[&str] = &[
    "of", "de", "du", "da", "al", "el", "bin", "van", "von", "der", "den", "la", "le", "y",
];
/// Titles: a run of capitals is split at them (`Chairman Paul Volcker` gives `Paul Volcker`).
const TITLES: &[&str] = &[
    "Chairman",
    "Chairwoman",
    "President",
    "Vice",
    "Minister",
    "Prime",
    "Secretary",
    "Governor",
    "Chief",
    "Executive",
    "Officer",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Senator",
    "General",
    "Ambassador",
    "Analyst",
    "Economist",
    "King",
    "Queen",
    "Prince",
    "Leader",
    "Commissioner",
    "Treasurer",
    "Deputy",
    "Head",
    "Mayor",
    "Judge",
    "Finance",
    "Foreign",
    "Trade",
    "Defence",
    "Defense",
    "Interior",
    "Energy",
    "Agriculture",
    "Undersecretary",
    "Assistant",
    "Managing",
];
/// Common English words, never listed as words.
const COMMON: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "was",
    "were",
    "are",
    "but",
    "not",
    "has",
    "have",
    "had",
    "its",
    "his",
    "her",
    "their",
    "they",
    "this",
    "these",
    "those",
    "from",
    "which",
    "will",
    "would",
    "said",
    "says",
    "also",
    "been",
    "than",
    "other",
    "into",
    "about",
    "after",
    "over",
    "more",
    "most",
    "some",
    "such",
    "only",
    "year",
    "years",
    "last",
    "new",
    "one",
    "two",
    "three",
    "four",
    "five",
    "who",
    "what",
    "when",
    "where",
    "there",
    "here",
    "can",
    "could",
    "may",
    "might",
    "should",
    "all",
    "any",
    "out",
    "off",
    "our",
    "you",
    "she",
    "him",
    "them",
    "then",
    "because",
    "while",
    "since",
    "per",
    "pct",
    "mln",
    "billion",
    "million",
    "dlrs",
    "cts",
    "week",
    "month",
    "today",
    "yesterday",
    "told",
    "under",
    "between",
    "against",
    "during",
    "before",
    "being",
    "both",
    "each",
    "few",
    "how",
    "many",
    "much",
    "now",
    "own",
    "same",
    "very",
    "just",
    "did",
    "does",
    "doing",
    "made",
    "make",
    "first",
    "second",
    "next",
    "earlier",
    "later",
    "still",
    "however",
    "through",
    "down",
    "well",
    "get",
    "got",
    "up",
    "its",
    "it's",
    "an",
    "on",
    "at",
    "by",
    "be",
    "is",
    "as",
    "in",
    "of",
    "to",
    "or",
    "if",
    "no",
    "so",
    "we",
    "he",
    "it",
    "do",
    "go",
    "vs",
    "reuter",
    "reuters",
    "inc",
    "corp",
];

/// The names and the words of a text, each once.
fn terms_of(text: &str) -> (HashSet<String>, HashSet<String>) {
    // Tokens: words (letters, digits, inner hyphens and apostrophes) and what separates them.
    struct Tok<'a> {
        word: &'a str,
        /// Only spaces since the previous word (a name may go on).
        joined: bool,
        /// The word opens a sentence or a line.
        opens: bool,
        /// An abbreviation or initial with its period (`St.`, `F.`, the `U.` of `U.S.`).
        dotted: bool,
        /// Right after a dotted word, without a space (`S` in `U.S.`).
        tight: bool,
    }
    let abbreviation = |w: &str| {
        ABBREVIATIONS.contains(&w) || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
    };
    let mut toks: Vec<Tok> = Vec::new();
    let mut joined = false;
    let mut opens = true;
    let mut tight = false;
    let mut start = None;
    let mut last_end = usize::MAX;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner = (c == '-' || c == '\'' || c == '’')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            toks.push(Tok {
                word: &text[s..i],
                joined,
                opens,
                dotted: false,
                tight,
            });
            joined = true;
            opens = false;
            tight = false;
            last_end = i;
        }
        if c == '.' && last_end == i {
            if let Some(last) = toks.last_mut().filter(|t| abbreviation(t.word)) {
                // `St. Germain`, `John F. Kennedy`, `U.S.`: the period ends no sentence.
                last.dotted = true;
                tight = chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                continue;
            }
        }
        if c != ' ' {
            joined = false;
        }
        if matches!(c, '.' | '!' | '?' | '\n' | ':' | ';' | '"' | '“' | '”') {
            opens = true;
        }
    }
    if let Some(s) = start {
        toks.push(Tok {
            word: &text[s..],
            joined,
            opens,
            dotted: false,
            tight,
        });
    }
    // Capitalised, and so is each part after a hyphen (`Rhein-Chemie`, not `House-ordered`).
    let capital = |w: &str| {
        w.split('-').enumerate().all(|(i, part)| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (i > 0 && c.is_ascii_digit()))
        })
    };
    let strip = |w: &str| -> String {
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(w);
        w.to_string()
    };
    // Words that stand capitalised somewhere other than at a sentence's start.
    let inner_capitals: HashSet<&str> = toks
        .iter()
        .filter(|t| !t.opens && capital(t.word))
        .map(|t| t.word)
        .collect();
    let mut names = HashSet::new();
    let mut words = HashSet::new();
    let mut run: Vec<&Tok> = Vec::new();
    let flush = |run: &mut Vec<&Tok>, names: &mut HashSet<String>| {
        while run.last().is_some_and(|t| CONNECTORS.contains(&t.word)) {
            run.pop();
        }
        // Split at titles; leading words that are not names go.
        for part in run.split(|t| TITLES.contains(&t.word)) {
            let mut part: Vec<&&Tok> = part.iter().collect();
            while part
                .first()
                .is_some_and(|t| LEADING.contains(&t.word) || CONNECTORS.contains(&t.word))
            {
                part.remove(0);
            }
            while part.last().is_some_and(|t| CONNECTORS.contains(&t.word)) {
                part.pop();
            }
            while part.last().is_some_and(|t| NOT_NAMES.contains(&t.word)) {
                part.pop();
            }
            while part.first().is_some_and(|t| NOT_NAMES.contains(&t.word)) {
                part.remove(0);
            }
            let Some(first) = part.first() else { continue };
            if part.len() == 1 {
                let w = first.word;
                let acronym =
                    w.len() > 1 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
                if first.opens && !acronym && !inner_capitals.contains(w) {
                    continue;
                }
                if w.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
            }
            let mut name = String::new();
            for (k, t) in part.iter().enumerate() {
                if k > 0 && !t.tight {
                    name.push(' ');
                }
                name.push_str(&strip(t.word));
                if t.dotted {
                    name.push('.');
                }
            }
            if name.chars().any(char::is_alphabetic) && name.len() > 1 {
                names.insert(name);
            }
        }
        run.clear();
    };
    for t in &toks {
        let lower = t.word.to_lowercase();
        if capital(t.word) {
            if !t.joined {
                flush(&mut run, &mut names);
            }
            run.push(t);
        } else if CONNECTORS.contains(&t.word) && t.joined && !run.is_empty() {
            run.push(t);
        } else {
            flush(&mut run, &mut names);
        }
        if !capital(t.word)
            && lower.chars().count() >= 3
            && lower.chars().any(char::is_alphabetic)
            && !lower.chars().any(|c| c.is_ascii_digit())
            && !COMMON.contains(&lower.as_str())
        {
            let w = fold(&strip(&lower));
            if !w.is_empty() && !w.contains(' ') {
                words.insert(w);
            }
        }
    }
    flush(&mut run, &mut names);
    (names, words)
}

/// The background: articles of the archive (or date range, and sources), and counts of articles
/// holding a name or word there.
struct Background<'a> {
    reader: &'a Reader,
    dates: DateRange,
    sources: Vec<String>,
    total: u64,
    passages: u64,
}

impl<'a> Background<'a> {
    fn new(reader: &'a Reader, request: &RelatedRequest) -> Result<Background<'a>> {
        let b = Background {
            reader,
            dates: request.dates,
            sources: request.sources.clone(),
            total: 0,
            passages: reader.searcher().num_docs().max(1),
        };
        // Every article in range: first passages within the dates (and sources).
        let first = Box::new(tantivy::query::TermQuery::new(
            Term::from_field_u64(reader.fields().passage, 1),
            IndexRecordOption::Basic,
        ));
        let query = b.narrowed(first);
        let total = reader
            .searcher()
            .search(query.as_ref(), &tantivy::collector::Count)? as u64;
        Ok(Background { total, ..b })
    }

    /// `query` within the dates and sources.
    fn narrowed(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        let fields = self.reader.fields();
        let mut query = within_dates(query, fields, self.reader.date_bounds(), &self.dates);
        if !self.sources.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = self
                .sources
                .iter()
                .map(|s| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(fields.source_key, &source_key(s)),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (
                    Occur::Must,
                    Box::new(BooleanQuery::new(any)) as Box<dyn Query>,
                ),
            ]));
        }
        query
    }

    /// A cheap upper bound of the term's share of the background: passages holding its rarest word
    /// over all passages.
    fn estimate(&self, text: &str) -> f64 {
        let searcher = self.reader.searcher();
        let field = self.reader.fields().exact;
        fold(text)
            .split(' ')
            .map(|w| {
                searcher
                    .doc_freq(&Term::from_field_text(field, w))
                    .unwrap_or(0)
            })
            .min()
            .unwrap_or(0) as f64
            / self.passages as f64
    }

    /// Articles holding the name (as a phrase) or word.
    fn count(&self, text: &str) -> Result<u64> {
        let field = self.reader.fields().exact;
        let folded = fold(text);
        let terms: Vec<Term> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| Term::from_field_text(field, w))
            .collect();
        let query: Box<dyn Query> = match terms.len() {
            0 => return Ok(0),
            1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        let query = self.narrowed(query);
        let counts = crate::search::count_matching_articles(self.reader, query.as_ref())?;
        Ok(counts)
    }
}

/// The `limit` terms of `kind` most over-represented in `articles` (term sets, `n` of them).
fn significant<'s>(
    articles: impl Iterator<Item = &'s HashSet<String>>,
    n: u64,
    kind: TermKind,
    limit: usize,
    background: &Background<'_>,
    counted: &mut HashMap<(TermKind, String), u64>,
) -> Result<Vec<RelatedTerm>> {
    if n == 0 || limit == 0 {
        return Ok(Vec::new());
    }
    let mut fg: HashMap<&str, u64> = HashMap::new();
    for set in articles {
        for t in set {
            *fg.entry(t.as_str()).or_default() += 1;
        }
    }
    let fg_share = |count: u64| count as f64 / n as f64;
    let jlh = |fg: f64, bg: f64| {
        if bg <= 0.0 || fg <= bg {
            0.0
        } else {
            (fg - bg) * (fg / bg)
        }
    };
    // Candidates ranked by an estimate of the background first (the most frequent in the matches
    // only: a term in few of them cannot score high); the best are counted exactly.
    let mut frequent: Vec<(&str, u64)> = fg.into_iter().filter(|&(_, c)| c >= MIN_COUNT).collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    frequent.truncate(limit.saturating_mul(ESTIMATED_PER_TERM));
    let mut candidates: Vec<(&str, u64, f64)> = frequent
        .into_iter()
        .map(|(t, c)| {
            let est = background.estimate(t).max(1.0 / background.passages as f64);
            (t, c, jlh(fg_share(c), est))
        })
        .collect();
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    candidates.truncate(limit * CANDIDATES_PER_TERM);
    let mut out = Vec::with_capacity(candidates.len());
    for (text, c, _) in candidates {
        let key = (kind, text.to_string());
        let in_archive = match counted.get(&key) {
            Some(&n) => n,
            None => {
                let n = background.count(text)?;
                counted.insert(key, n);
                n
            }
        };
        // The matches are part of the background: at least as many there.
        let in_archive = in_archive.max(c);
        let bg = in_archive as f64 / background.total.max(1) as f64;
        let score = jlh(fg_share(c), bg);
        if score > 0.0 {
            out.push(RelatedTerm {
                text: text.to_string(),
                kind,
                in_matches: c,
                in_archive,
                score,
            });
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.text.cmp(&b.text))
    });
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_whole_and_words_apart() {
        let (names, words) = terms_of(
            "The Federal Reserve Board Chairman Paul Volcker met Mohamed Bazoum's envoys.\n\
             ECOWAS said the Bank of England agreed. Analysts said prices rose in Niger.\n\
             Prices of uranium fell in March. Rep. Fernand St. Germain and John F. Kennedy met U.S. officials.",
        );
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "Bank of England",
                "ECOWAS",
                "Federal Reserve Board",
                "Fernand St. Germain",
                "John F. Kennedy",
                "Mohamed Bazoum",
                "Niger",
                "Paul Volcker",
                "U.S."
            ]
        );
        assert!(words.contains("uranium") && words.contains("envoys"));
        assert!(!words.contains("the") && !words.contains("said"));
        // "Prices" opens a sentence and stands nowhere else capitalised: no name.
        assert!(!names.contains(&"Prices"));
    }
}

//! The query language: parsing what the user typed into a small syntax tree (see [`super::compile`](mod@super::compile)
//! for its translation into a tantivy query).
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

use crate::error::{Error, Result};

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
    /// `headline:word`, `lede:"a phrase"`: the word, phrase or group in one part of the article.
    In(Scope, Box<Node>),
    /// `source:reuters.com`, `source:"Example News"`: articles from that source (any case).
    Source(String),
}

/// A part of an article a query can be limited to, as news databases offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The headline (`headline:`).
    Headline,
    /// The first passage, the lead paragraph (`lede:`).
    Lede,
    /// The source (`source:`), a name rather than words.
    Source,
}

/// `headline:` or `lede:` (any case) at the start of a word, and what follows it.
fn scope_prefix(word: &str) -> Option<(Scope, &str)> {
    let (name, rest) = word.split_once(':')?;
    let scope = match name.to_ascii_lowercase().as_str() {
        // The headline is the title when the article has one.
        "headline" | "title" => Scope::Headline,
        "source" => Scope::Source,
        "lede" | "lead" => Scope::Lede,
        _ => return None,
    };
    Some((scope, rest))
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
    Scope(Scope),
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
            if let Some((scope, rest)) = scope_prefix(&word) {
                toks.push((Tok::Scope(scope), col));
                if !rest.is_empty() {
                    let rest_col = col + word.chars().count() - rest.chars().count();
                    toks.push((word_token(rest.to_string(), rest_col)?, rest_col));
                }
                continue;
            }
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
    // `*oil` would otherwise be searched as `oil` (the analyzer drops the star) without a word said.
    let stem = word.trim_start_matches(['*', '?']);
    if stem.len() < word.len() && stem.chars().any(char::is_alphanumeric) {
        return Err(Error::LeadingWildcard {
            stem: stem.trim_end_matches(['*', '?']).to_string(),
            word,
            column: col,
        });
    }
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
            Tok::Scope(Scope::Source) => {
                let name = match self.peek() {
                    Some(Tok::Word(w)) | Some(Tok::Phrase(w, _)) => w.clone(),
                    Some(Tok::Prefix(w)) | Some(Tok::Fuzzy(w, _)) => w.clone(),
                    _ => {
                        return Err(syntax(
                            col,
                            "source: needs a name after it, as in source:reuters.com or source:\"Example News\"",
                        ))
                    }
                };
                self.pos += 1;
                Ok(Node::Source(name))
            }
            Tok::Scope(scope) => {
                if depth + 1 > MAX_DEPTH {
                    return Err(Error::QueryLimit(format!(
                        "more than {MAX_DEPTH} levels of nesting"
                    )));
                }
                if matches!(self.peek(), None | Some(Tok::Scope(_))) {
                    return Err(syntax(
                        col,
                        "headline:, title: and lede: need a word, a \"phrase\" or (words) after them",
                    ));
                }
                Ok(Node::In(scope, Box::new(self.primary(depth + 1)?)))
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

/// Lower-case `or`, `and` and `not` standing between two words (`coffee or brazil`): operators are
/// upper case, so these are searched as words, which is seldom what was meant. Each is listed once.
pub fn lowercase_operators(query: &str) -> Vec<String> {
    let Ok(toks) = lex(query) else {
        return Vec::new();
    };
    let ends_operand = |t: &Tok| {
        matches!(
            t,
            Tok::Word(_) | Tok::Phrase(..) | Tok::Fuzzy(..) | Tok::Prefix(_) | Tok::RParen
        )
    };
    let starts_operand = |t: &Tok| {
        matches!(
            t,
            Tok::Word(_)
                | Tok::Phrase(..)
                | Tok::Fuzzy(..)
                | Tok::Prefix(_)
                | Tok::LParen
                | Tok::Not
        )
    };
    let mut found: Vec<String> = Vec::new();
    for w in toks.windows(3) {
        if let (before, Tok::Word(op), after) = (&w[0].0, &w[1].0, &w[2].0) {
            let is_operator = ["or", "and", "not"].contains(&op.to_lowercase().as_str());
            if is_operator && ends_operand(before) && starts_operand(after) && !found.contains(op) {
                found.push(op.clone());
            }
        }
    }
    found
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
        // Scopes apply to the word, phrase or group after them.
        assert_eq!(
            parse("headline:Volcker lede:\"central bank\" LEDE:(a OR b)").ok(),
            Some(Node::And(vec![
                Node::In(Scope::Headline, Box::new(w("Volcker"))),
                Node::In(
                    Scope::Lede,
                    Box::new(Node::Phrase("central bank".into(), 0))
                ),
                Node::In(Scope::Lede, Box::new(Node::Or(vec![w("a"), w("b")]))),
            ]))
        );
        assert!(matches!(
            parse("headline:"),
            Err(Error::QuerySyntax { column: 1, .. })
        ));
        // Other prefixes are words as before.
        assert_eq!(parse("time:now").ok(), Some(w("time:now")));
        // A lone tilde or star inside a word is left to the analyzer.
        assert_eq!(parse("a~b").ok(), Some(w("a~b")));
        // A wildcard may end a word, never start one.
        assert!(matches!(
            parse("gold *oil"),
            Err(Error::LeadingWildcard { column: 6, ref stem, .. }) if stem == "oil"
        ));
        assert!(matches!(parse("?oil*"), Err(Error::LeadingWildcard { .. })));
        // A star on its own is no word (left to the analyzer, which drops it).
        assert_eq!(parse("oil *").ok(), Some(Node::And(vec![w("oil"), w("*")])));
    }

    fn column_of(q: &str) -> Option<usize> {
        match parse(q) {
            Err(Error::QuerySyntax { column, .. }) => Some(column),
            _ => None,
        }
    }

    #[test]
    fn lowercase_operators_between_words_are_found() {
        assert_eq!(lowercase_operators("coffee or brazil"), vec!["or"]);
        assert_eq!(
            lowercase_operators("a and b not c and d"),
            vec!["and", "not"]
        );
        assert_eq!(lowercase_operators("(a OR b) or \"c d\""), vec!["or"]);
        assert!(lowercase_operators("or coffee").is_empty());
        assert!(lowercase_operators("coffee OR brazil").is_empty());
        assert!(lowercase_operators("\"coffee or brazil\"").is_empty());
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
}

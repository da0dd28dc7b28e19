//! The word tokenizer of both text fields: tantivy's simple tokenizer (runs of letters and digits), plus
//! one extra token for each pair of words joined by a hyphen, at the first word's position.
//!
//! `al-Qaida` gives `al`, `alqaida`, `qaida` (before lowercasing): the phrase `al qaida` still matches
//! at consecutive positions, and the single word `alqaida` matches too. The extra token starts where the
//! first word starts, so highlighting covers the whole hyphenated word.

use tantivy::tokenizer::{SimpleTokenizer, Token, TokenStream, Tokenizer};

/// Characters that join two words into one hyphenated word.
const HYPHENS: [&str; 3] = ["-", "\u{2010}", "\u{2011}"];

#[derive(Clone, Default)]
pub struct HyphenTokenizer {
    inner: SimpleTokenizer,
    tokens: Vec<Token>,
}

/// A stream over the tokens made by [`HyphenTokenizer`].
pub struct HyphenTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for HyphenTokenizer {
    type TokenStream<'a> = HyphenTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HyphenTokenStream<'a> {
        self.tokens.clear();
        // Index of the previous word in `tokens` (joined tokens are not words).
        let mut previous: Option<usize> = None;
        let mut stream = self.inner.token_stream(text);
        while stream.advance() {
            let word = stream.token().clone();
            if let Some(p) = previous {
                let prev = &self.tokens[p];
                if HYPHENS.contains(&text.get(prev.offset_to..word.offset_from).unwrap_or("")) {
                    let joined = Token {
                        offset_from: prev.offset_from,
                        offset_to: word.offset_to,
                        position: prev.position,
                        text: format!("{}{}", prev.text, word.text),
                        position_length: 2,
                    };
                    self.tokens.push(joined);
                }
            }
            previous = Some(self.tokens.len());
            self.tokens.push(word);
        }
        HyphenTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for HyphenTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut t = HyphenTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(tok) = s.next() {
            out.push((tok.text.clone(), tok.position));
        }
        out
    }

    #[test]
    fn hyphenated_words_also_give_the_joined_word() {
        let t = tokens("linked to al-Qaida and the al‑Shabab group - not this");
        let words: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            words,
            vec![
                "linked", "to", "al", "alQaida", "Qaida", "and", "the", "al", "alShabab", "Shabab",
                "group", "not", "this"
            ]
        );
        assert_eq!(t[2].1, t[3].1);
        assert_eq!(t[4].1, t[2].1 + 1);
    }
}

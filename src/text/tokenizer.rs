//! The analyzer of both text fields, as one tokenizer: words (runs of letters and digits, as tantivy's
//! simple tokenizer finds them), plus one extra token for each pair of words joined by a hyphen, at the
//! first word's position; words of [`MAX_TOKEN_BYTES`] bytes or more dropped; the rest lowercased,
//! ASCII-folded and, for the stemmed field, English-stemmed.
//!
//! `al-Qaida` gives `al`, `alqaida`, `qaida`: the phrase `al qaida` still matches at consecutive
//! positions, and the single word `alqaida` matches too. The extra token starts where the first word
//! starts, so highlighting covers the whole hyphenated word.
//!
//! The result equals tantivy's filter chain (remove long, lowercase, fold, stem) applied to those words;
//! it is faster because each distinct word is normalised once and remembered (news text repeats its
//! words), and tokens reuse their buffers instead of being cloned.

use std::hash::BuildHasher;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Characters that join two words into one hyphenated word.
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];

/// Words of this many bytes or more are dropped (they are never words).
pub const MAX_TOKEN_BYTES: usize = 40;

/// Slots of the memory of normalised words (a power of two).
const CACHE_SLOTS: usize = 4_096;

/// Words normalised without the memory before it is allocated.
const CACHE_AFTER: usize = 20_000;

/// Longest word (in bytes, as written and normalised) that the memory keeps.
const CACHE_WORD_BYTES: usize = 31;

/// One remembered word: the word as written and its normalised form, inline (one cache line), so that
/// a lookup touches one place in memory.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    raw_len: u8,
    raw: [u8; CACHE_WORD_BYTES],
    done_len: u8,
    done: [u8; CACHE_WORD_BYTES],
}

const EMPTY_SLOT: Slot = Slot {
    raw_len: u8::MAX,
    raw: [0; CACHE_WORD_BYTES],
    done_len: 0,
    done: [0; CACHE_WORD_BYTES],
};

/// Which form of each word a tokenizer gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordForm {
    /// Lowercased, ASCII-folded and English-stemmed (the `text` field).
    Stemmed,
    /// Lowercased and ASCII-folded (the `exact` field).
    Exact,
}

/// Tokenizer of the `text` (stemmed) and `exact` fields.
#[derive(Clone)]
pub struct WordTokenizer {
    /// Lowercase, fold and (maybe) stem one word.
    normalize: TextAnalyzer,
    form: WordForm,
    /// Normalised forms of recent words: direct-mapped by a hash of the word as written (a word
    /// replaces the one in its slot), allocated once the tokenizer has seen [`CACHE_AFTER`] words
    /// (a query or a snippet needs no memory).
    cache: Vec<Slot>,
    seen: usize,
    hasher: foldhash::fast::FixedState,
    /// Token buffers, reused across calls; the first `len` are the current stream.
    tokens: Vec<Token>,
    len: usize,
    joined: String,
}

impl WordTokenizer {
    /// Lowercased and ASCII-folded words, in the given form.
    pub fn new(form: WordForm) -> WordTokenizer {
        let builder = TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        let normalize = match form {
            WordForm::Stemmed => builder.filter(Stemmer::new(Language::English)).build(),
            WordForm::Exact => builder.build(),
        };
        WordTokenizer {
            normalize,
            form,
            cache: Vec::new(),
            seen: 0,
            hasher: foldhash::fast::FixedState::with_seed(0x5eed),
            tokens: Vec::new(),
            len: 0,
            joined: String::new(),
        }
    }

    /// Appends the token for the word `raw` (dropped when too long).
    fn push(
        &mut self,
        raw: &str,
        offset_from: usize,
        offset_to: usize,
        position: usize,
        joined: bool,
    ) {
        if raw.len() >= MAX_TOKEN_BYTES {
            return;
        }
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let token = &mut self.tokens[self.len];
        self.len += 1;
        token.offset_from = offset_from;
        token.offset_to = offset_to;
        token.position = position;
        token.position_length = if joined { 2 } else { 1 };
        token.text.clear();
        // ASCII words are their own lowercase folded form, and the English stemmer leaves words of
        // one or two letters as they are: no need to look those up.
        if raw.is_ascii() && (self.form == WordForm::Exact || raw.len() <= 2) {
            token.text.push_str(raw);
            token.text.make_ascii_lowercase();
            return;
        }
        if self.cache.is_empty() {
            self.seen += 1;
            if self.seen > CACHE_AFTER {
                self.cache = vec![EMPTY_SLOT; CACHE_SLOTS];
            }
        }
        let cacheable = raw.len() <= CACHE_WORD_BYTES && !self.cache.is_empty();
        let mut slot_index = usize::MAX;
        if cacheable {
            slot_index = (self.hasher.hash_one(raw.as_bytes()) as usize) & (CACHE_SLOTS - 1);
            let slot = &self.cache[slot_index];
            if usize::from(slot.raw_len) == raw.len() && &slot.raw[..raw.len()] == raw.as_bytes() {
                let done = &slot.done[..usize::from(slot.done_len)];
                // Written from a `str` below, so always UTF-8.
                if let Ok(done) = std::str::from_utf8(done) {
                    token.text.push_str(done);
                    return;
                }
            }
        }
        let mut stream = self.normalize.token_stream(raw);
        if let Some(t) = stream.next() {
            token.text.push_str(&t.text);
        }
        if cacheable && token.text.len() <= CACHE_WORD_BYTES {
            let slot = &mut self.cache[slot_index];
            slot.raw_len = raw.len() as u8;
            slot.raw[..raw.len()].copy_from_slice(raw.as_bytes());
            slot.done_len = token.text.len() as u8;
            slot.done[..token.text.len()].copy_from_slice(token.text.as_bytes());
        }
    }
}

/// A stream over the tokens made by [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.len = 0;
        // The previous word: its byte range and position.
        let mut previous: Option<(usize, usize, usize)> = None;
        let mut position = 0usize;
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = text.len();
            for (i, c) in chars.by_ref() {
                if !c.is_alphanumeric() {
                    end = i;
                    break;
                }
            }
            if let Some((p_from, p_to, p_pos)) = previous {
                let gap = &text[p_to..start];
                let mut gap_chars = gap.chars();
                let one_hyphen = matches!((gap_chars.next(), gap_chars.next()), (Some(h), None) if HYPHENS.contains(&h));
                if one_hyphen {
                    let mut joined = std::mem::take(&mut self.joined);
                    joined.clear();
                    joined.push_str(&text[p_from..p_to]);
                    joined.push_str(&text[start..end]);
                    self.push(&joined, p_from, end, p_pos, true);
                    self.joined = joined;
                }
            }
            self.push(&text[start..end], start, end, position, false);
            previous = Some((start, end, position));
            position += 1;
        }
        WordTokenStream {
            tokens: &mut self.tokens[..self.len],
            next: 0,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
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
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    fn tokens(
        analyzer: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<(String, usize, usize, usize, usize)> {
        let mut s = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((
                t.text.clone(),
                t.position,
                t.offset_from,
                t.offset_to,
                t.position_length,
            ));
        }
        out
    }

    #[test]
    fn hyphenated_words_also_give_the_joined_word() {
        let mut a = TextAnalyzer::from(WordTokenizer::new(WordForm::Exact));
        let t = tokens(
            &mut a,
            "linked to al-Qaida and the al‑Shabab group - not this",
        );
        let words: Vec<&str> = t.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(
            words,
            vec![
                "linked", "to", "al", "alqaida", "qaida", "and", "the", "al", "alshabab", "shabab",
                "group", "not", "this"
            ]
        );
        assert_eq!(t[2].1, t[3].1);
        assert_eq!(t[4].1, t[2].1 + 1);
        assert_eq!((t[3].2, t[3].3, t[3].4), (10, 18, 2));
    }

    /// The reference: tantivy's simple tokenizer and filters, words in the same order.
    fn reference(text: &str, form: WordForm) -> Vec<(String, usize, usize, usize, usize)> {
        let mut simple = TextAnalyzer::from(SimpleTokenizer::default());
        let words = tokens(&mut simple, text);
        let mut raw: Vec<(String, usize, usize, usize, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                let p = &words[i - 1];
                let gap = &text[p.3..w.2];
                if gap.chars().count() == 1 && gap.starts_with(HYPHENS) {
                    raw.push((format!("{}{}", p.0, w.0), p.1, p.2, w.3, 2));
                }
            }
            raw.push(w.clone());
        }
        let builder = TextAnalyzer::builder(RawTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        let mut chain = match form {
            WordForm::Stemmed => builder.filter(Stemmer::new(Language::English)).build(),
            WordForm::Exact => builder.build(),
        };
        raw.into_iter()
            .filter_map(|(w, pos, from, to, len)| {
                tokens(&mut chain, &w)
                    .into_iter()
                    .next()
                    .map(|t| (t.0, pos, from, to, len))
            })
            .collect()
    }

    #[test]
    fn many_words_sharing_slots_keep_their_own_forms() {
        // More distinct words than slots: words replace each other in the memory.
        let text: String = (0..3 * CACHE_SLOTS)
            .map(|i| format!("Walk{}ing Run{}s", i % 5000, i))
            .collect::<Vec<_>>()
            .join(" ");
        for form in [WordForm::Exact, WordForm::Stemmed] {
            let mut a = TextAnalyzer::from(WordTokenizer::new(form));
            for _ in 0..2 {
                assert_eq!(tokens(&mut a, &text), reference(&text, form), "{form:?}");
            }
        }
    }

    #[test]
    fn equals_the_filter_chain_on_mixed_text() {
        let long = "x".repeat(39)
            + " "
            + &"y".repeat(40)
            + "-z "
            + &"w".repeat(20)
            + "-"
            + &"v".repeat(20);
        let texts = [
            "Running runners ran; the RUNNERS' runs—re-run, co-operate and e‑mail.",
            "Ünïcödé Ærøskøbing naïve café 1987-03-04 état-major Straße ﬁnance",
            "  -leading hyphen, trailing- and double--hyphen a-b-c ‐ spaced - out",
            "数字 ١٢٣ Ⅻ x² déjà-vu Déjà-Vu Running-Mates 42-year-old",
            long.as_str(),
            "",
            "-",
        ];
        let filler = "filler ".repeat(CACHE_AFTER + 1);
        for form in [WordForm::Exact, WordForm::Stemmed] {
            let mut a = TextAnalyzer::from(WordTokenizer::new(form));
            for round in 0..3 {
                if round == 1 {
                    // From now on the memory is used: the first pass fills it, the next reads it.
                    tokens(&mut a, &filler);
                }
                for text in texts {
                    assert_eq!(
                        tokens(&mut a, text),
                        reference(text, form),
                        "{text:?} {form:?}"
                    );
                }
            }
        }
    }
}

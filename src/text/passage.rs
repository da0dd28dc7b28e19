//! Splitting text into sentences and paragraphs into passages.
//!
//! A passage is the unit of retrieval: a paragraph, or for a paragraph over [`MAX_PASSAGE_WORDS`] words,
//! a run of whole sentences of at most that many words. Paragraph text has its whitespace folded to single
//! spaces, and passages are cut at a space, so joining a paragraph's passages with one space gives the
//! paragraph back exactly (what `show` relies on).

/// A paragraph longer than this many words is split into several passages.
pub const MAX_PASSAGE_WORDS: usize = 150;

/// One passage of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 1-based number within the article, in reading order.
    pub number: u64,
    /// 1-based number of the paragraph it comes from.
    pub paragraph: u64,
    /// The passage text (whitespace folded).
    pub text: String,
}

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "cmdr", "adm", "maj", "pres", "rev", "hon", "jr", "sr", "inc", "corp", "co", "ltd", "plc",
    "bros", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mt", "ft", "approx", "dept", "est", "fig", "u.s", "u.k", "u.n",
    "e.g", "i.e",
];

/// Splits folded text (single spaces) into sentences; each returned slice is trimmed and non-empty.
///
/// A sentence ends at `.`, `!` or `?` (optionally followed by closing quotes or brackets) when a space and
/// then an uppercase letter, digit or opening quote follow, and the word before a period is neither a known
/// abbreviation nor a single letter (an initial).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c != ' ' || i == 0 {
            continue;
        }
        // `i` is a space: look at what ends before it and what starts after it.
        let before = &text[start..i];
        let after = &text[i + 1..];
        if is_sentence_end(before) && starts_sentence(after) {
            let s = before.trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn is_sentence_end(before: &str) -> bool {
    let trimmed = before.trim_end_matches(['"', '\'', ')', ']', '’', '”', '»']);
    let Some(last) = trimmed.chars().last() else {
        return false;
    };
    match last {
        '!' | '?' => true,
        '.' => {
            let word = trimmed[..trimmed.len() - 1]
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .trim_start_matches(['"', '\'', '(', '[', '‘', '“', '«']);
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters == 1 && word.chars().count() == 1 {
                return false; // an initial, as in "John F. Kennedy"
            }
            let lower = word.to_lowercase();
            !ABBREVIATIONS.contains(&lower.as_str())
        }
        _ => false,
    }
}

fn starts_sentence(after: &str) -> bool {
    let first = after
        .trim_start_matches(['"', '\'', '(', '[', '‘', '“', '«'])
        .chars()
        .next();
    match first {
        Some(c) => c.is_uppercase() || c.is_ascii_digit(),
        None => false,
    }
}

fn word_count(text: &str) -> usize {
    text.split(' ').filter(|w| !w.is_empty()).count()
}

/// Splits paragraphs (already folded) into numbered passages.
pub fn split_passages<S: AsRef<str>>(paragraphs: &[S]) -> Vec<Passage> {
    let mut out = Vec::new();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        let paragraph_no = p as u64 + 1;
        for text in split_paragraph(paragraph.as_ref()) {
            out.push(Passage {
                number: out.len() as u64 + 1,
                paragraph: paragraph_no,
                text,
            });
        }
    }
    out
}

/// Splits one paragraph into chunks of at most [`MAX_PASSAGE_WORDS`] words at sentence boundaries; a
/// single sentence longer than that is cut between words.
fn split_paragraph(paragraph: &str) -> Vec<String> {
    if word_count(paragraph) <= MAX_PASSAGE_WORDS {
        return vec![paragraph.to_string()];
    }
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_words = 0;
    for sentence in sentences(paragraph) {
        let n = word_count(sentence);
        if current_words > 0 && current_words + n > MAX_PASSAGE_WORDS {
            chunks.push(std::mem::take(&mut current));
            current_words = 0;
        }
        if n > MAX_PASSAGE_WORDS {
            // One overlong sentence: cut it into pieces of the maximum size.
            let words: Vec<&str> = sentence.split(' ').filter(|w| !w.is_empty()).collect();
            for piece in words.chunks(MAX_PASSAGE_WORDS) {
                if !current.is_empty() {
                    chunks.push(std::mem::take(&mut current));
                }
                current = piece.join(" ");
                current_words = piece.len();
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
        current_words += n;
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_respect_abbreviations_and_initials() {
        let text = "Mr. Smith met Gen. Tchiani in Niamey. John F. Kennedy spoke. Prices rose 3.5 pct! Why? \"Yes.\" Done";
        assert_eq!(
            sentences(text),
            vec![
                "Mr. Smith met Gen. Tchiani in Niamey.",
                "John F. Kennedy spoke.",
                "Prices rose 3.5 pct!",
                "Why?",
                "\"Yes.\"",
                "Done"
            ]
        );
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(
            sentences("It rose 5 pct. in March."),
            vec!["It rose 5 pct. in March."]
        );
    }

    #[test]
    fn short_paragraphs_are_one_passage_each() {
        let p = split_passages(&["One two.", "Three four."]);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].number, p[0].paragraph), (1, 1));
        assert_eq!((p[1].number, p[1].paragraph), (2, 2));
    }

    #[test]
    fn long_paragraph_splits_at_sentences_and_rejoins_exactly() {
        let sentence =
            "The council met again today and talked about the budget for the coming year.";
        let paragraph = vec![sentence; 40].join(" ");
        let passages = split_passages(&[paragraph.as_str(), "Tail."]);
        assert!(passages.len() > 2);
        for p in &passages {
            assert!(
                word_count(&p.text) <= MAX_PASSAGE_WORDS,
                "{} words",
                word_count(&p.text)
            );
            assert!(p.text.ends_with('.'));
        }
        let rejoined: Vec<&str> = passages
            .iter()
            .filter(|p| p.paragraph == 1)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rejoined.join(" "), paragraph);
        let numbers: Vec<u64> = passages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, (1..=passages.len() as u64).collect::<Vec<_>>());
        assert_eq!(passages.last().map(|p| p.paragraph), Some(2));
    }

    #[test]
    fn overlong_sentence_is_cut_between_words() {
        let paragraph = vec!["word"; 400].join(" ");
        let passages = split_passages(&[paragraph.as_str()]);
        assert_eq!(passages.len(), 3);
        assert_eq!(word_count(&passages[0].text), 150);
        assert_eq!(word_count(&passages[2].text), 100);
        let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.join(" "), paragraph);
    }
}

//! The JSON Lines reader on arbitrary bytes: never a panic, and every article it gives keeps the
//! invariants the indexer relies on (an id, text in every paragraph, a date the index can hold, ids
//! unique within the file).
#![no_main]

use dateline::ingest::{parse_jsonl, FieldNames};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_jsonl("fuzz.jsonl", data, &FieldNames::default()) else {
        return;
    };
    assert!(!parsed.articles.is_empty());
    let mut ids: Vec<&str> = Vec::new();
    for article in &parsed.articles {
        assert!(!article.id.is_empty());
        assert!(!ids.contains(&article.id.as_str()), "ids are unique in a file");
        ids.push(&article.id);
        assert!(!article.paragraphs.is_empty());
        for p in &article.paragraphs {
            assert!(!p.is_empty());
            assert!(!p.contains('\n'));
        }
        if let Some(d) = article.date {
            assert!((1678..=2261).contains(&d.year()));
        }
    }
});

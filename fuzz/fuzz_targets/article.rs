//! The article parser and passage splitter on arbitrary bytes: never a panic, and what comes out keeps
//! the invariants the indexer relies on.
#![no_main]

use dateline::ingest::parse_article;
use dateline::ingest::read::MAX_FILE_BYTES;
use dateline::text::passage::split_passages;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first line (up to 64 bytes) doubles as the relative path, where dates are also read from.
    let cut = data.iter().take(64).position(|&b| b == b'\n').unwrap_or(0);
    let rel_path = String::from_utf8_lossy(&data[..cut]).into_owned();
    let Ok(parsed) = parse_article("fuzz.txt", &rel_path, data) else {
        return;
    };
    let article = parsed.article;
    assert!((data.len() as u64) <= MAX_FILE_BYTES);
    assert!(!article.paragraphs.is_empty());
    for p in &article.paragraphs {
        assert!(!p.is_empty());
        assert!(!p.contains('\0'));
        assert!(!p.contains('\n'));
        assert_eq!(p.trim(), p.as_str());
    }
    if let Some(d) = article.date {
        assert!((1678..=2261).contains(&d.year()));
    }
    let passages = split_passages(&article.paragraphs);
    assert!(!passages.is_empty());
    for (i, p) in passages.iter().enumerate() {
        assert_eq!(p.number, i as u64 + 1);
        assert!(!p.text.is_empty());
    }
});

//! The web page reader on arbitrary bytes: never a panic, and a page it reads has text in every
//! paragraph, a one-line headline and an id.
#![no_main]

use dateline::ingest::parse_html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_html("fuzz.html", "fuzz.html", data) else {
        return;
    };
    let article = parsed.article;
    assert!(!article.id.is_empty());
    assert!(!article.paragraphs.is_empty());
    for p in &article.paragraphs {
        assert!(!p.is_empty());
        assert!(!p.contains('\n'));
    }
    assert!(!article.headline.contains('\n'));
});

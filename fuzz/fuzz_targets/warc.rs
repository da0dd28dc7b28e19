//! The web archive reader on arbitrary bytes (gzipped or not): never a panic, every article has an id
//! and text, and records are handed on in order.
#![no_main]

use dateline::ingest::{read_warc, RecordEvent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last = 0;
    let _ = read_warc(data, "fuzz.warc", &mut |event| {
        if let RecordEvent::Article(n, article) = event {
            assert!(n > last, "records in order");
            last = n;
            assert!(!article.id.is_empty());
            assert!(!article.paragraphs.is_empty());
            assert!(article.paragraphs.iter().all(|p| !p.is_empty()));
        }
        true
    });
});

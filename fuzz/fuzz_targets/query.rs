//! The query guard, parser and translation, then a real search on a small in-memory index: never a
//! panic, a stack overflow or a hang, whatever the query.
#![no_main]

use std::sync::OnceLock;

use dateline::index::documents::article_documents;
use dateline::index::{DatelineIndex, Reader};
use dateline::ingest::parse_article;
use dateline::search::{search, MatchMode, SearchRequest, Within};
use libfuzzer_sys::fuzz_target;

fn reader() -> &'static Reader {
    static READER: OnceLock<Reader> = OnceLock::new();
    READER.get_or_init(|| {
        let handle = DatelineIndex::create_in_ram();
        let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
            handle.index.writer_with_num_threads(1, 15_000_000).expect("writer");
        let texts = [
            "date 2023-07-28 The junta in Niger spoke.\n\nGeneral Tchiani met al-Qaida envoys in Niamey.",
            "date 1987-10-19 Oil prices fell on Black Monday.\n\nOPEC ministers met in Vienna.",
            "No date: Café owners in Zürich protested the U.S.-led plan.",
        ];
        for (i, text) in texts.iter().enumerate() {
            let id = format!("a{i}.txt");
            let parsed = parse_article(&id, &id, text.as_bytes()).expect("article");
            for doc in article_documents(&parsed.article, &id, &handle.fields) {
                writer.add_document(doc).expect("add");
            }
        }
        writer.commit().expect("commit");
        Reader::from_handle(handle).expect("reader")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let query = String::from_utf8_lossy(rest);
    let mut request = SearchRequest::new(query.as_ref());
    request.match_mode = if flags & 1 == 1 { MatchMode::Any } else { MatchMode::All };
    request.fuzzy = flags & 2 == 2;
    request.per_article = usize::from(flags >> 2 & 3);
    if flags & 16 == 16 {
        request.limit = None;
    }
    if flags & 32 == 32 {
        request.within = Within::Passage;
    }
    if let Ok(results) = search(reader(), &request) {
        for hit in results.hits() {
            let hit = hit.expect("a hit of a successful search reads back");
            for &(start, end) in &hit.highlights {
                assert!(start < end && end <= hit.snippet.len());
                assert!(hit.snippet.is_char_boundary(start) && hit.snippet.is_char_boundary(end));
            }
            for also in &hit.also {
                assert!(also.passage != hit.passage);
                for &(start, end) in &also.highlights {
                    assert!(start < end && end <= also.snippet.len());
                }
            }
        }
    }
});

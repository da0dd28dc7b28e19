//! The documents of an article: one per passage, each carrying the article's id, date, period keys
//! and headline beside its own number, paragraph number and text.

use tantivy::schema::TantivyDocument;

use super::schema::{index_date, source_key, Fields};
use crate::ingest::Article;
use crate::text::dates::{month_key, year_key};
use crate::text::passage::split_passages;

/// The documents of one article from the file `file` (its id), one per passage.
pub fn article_documents(article: &Article, file: &str, fields: &Fields) -> Vec<TantivyDocument> {
    split_passages(&article.paragraphs)
        .into_iter()
        .map(|p| {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.article, &article.id);
            doc.add_text(fields.file, file);
            if let Some(d) = article.date {
                doc.add_date(fields.date, index_date(d));
                doc.add_u64(fields.period, year_key(d.year()));
                doc.add_u64(fields.period, month_key(d.year(), d.month()));
            }
            doc.add_u64(fields.passage, p.number);
            doc.add_u64(fields.paragraph, p.paragraph);
            let meta = &article.meta;
            match &meta.title {
                Some(title) => doc.add_text(fields.title, title),
                None => doc.add_text(fields.headline, &article.headline),
            }
            if let Some(url) = &meta.url {
                doc.add_text(fields.url, url);
            }
            if let Some(source) = &meta.source {
                doc.add_text(fields.source, source);
                doc.add_text(fields.source_key, source_key(source));
            }
            for author in &meta.authors {
                doc.add_text(fields.authors, author);
            }
            doc.add_text(fields.text, &p.text);
            doc.add_text(fields.exact, &p.text);
            if p.number == 1 {
                doc.add_text(fields.head, &article.headline);
                doc.add_text(fields.head_exact, &article.headline);
            }
            doc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_passage_carries_the_article_fields() {
        let (_, fields) = crate::index::schema::build_schema();
        let article = Article {
            id: "x.txt".into(),
            date: Some(time::macros::date!(2023 - 07 - 28)),
            headline: "Head.".into(),
            paragraphs: vec!["One.".into(), "Two.".into()],
            meta: Default::default(),
        };
        let docs = article_documents(&article, "x.txt", &fields);
        assert_eq!(docs.len(), 2);
        use tantivy::schema::Value;
        for (i, doc) in docs.iter().enumerate() {
            assert_eq!(
                doc.get_first(fields.article).and_then(|v| v.as_str()),
                Some("x.txt")
            );
            assert_eq!(
                doc.get_first(fields.passage).and_then(|v| v.as_u64()),
                Some(i as u64 + 1)
            );
            let date = doc.get_first(fields.date).and_then(|v| v.as_datetime());
            assert_eq!(date.map(|d| d.into_timestamp_secs()), Some(1_690_502_400));
        }
    }
}

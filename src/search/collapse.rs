//! The top passages of a search with the copies of a story collapsed, read without collecting every
//! match: a window of the best passages is ranked and one article kept per story; the window grows
//! until the hits asked for are kept (see [`super::ranking::top_refs`]). The copies hidden under each
//! hit are then found by their keys (the story file lists its members' keys, the index finds each
//! key's first passage) and kept when the query matches one of their passages.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentOrdinal, Term, TERMINATED};

use super::collectors::HitRef;
use super::ranking::{rank, top_refs};
use super::{SearchRequest, StoryLookup};
use crate::error::Result;
use crate::index::reader::Reader;
use crate::index::stories::{KeyMap, StoryRef};

/// The best `n` passages by relevance (at most one per article unless `request.per_article` is 0),
/// one article per story, each story's other matching articles in the first hit's `copies`.
pub(super) fn collapsed_top(
    reader: &Reader,
    query: &dyn Query,
    n: usize,
    lede_boost: f32,
    request: &SearchRequest,
) -> Result<Vec<HitRef>> {
    let lookup = StoryLookup::new(reader);
    let mut unlimited = request.clone();
    unlimited.limit = None;
    // The articles of the last window, by key: matches, so copies found there need no lookup.
    let window: RefCell<KeyMap<Arc<str>>> = RefCell::new(KeyMap::default());
    let keep = |refs: Vec<HitRef>| -> Result<Vec<HitRef>> {
        // The article shown for each story: the first met in the ranking.
        let mut shown: HashMap<StoryRef, Arc<str>> = HashMap::new();
        let mut seen = window.borrow_mut();
        seen.clear();
        let mut out = Vec::new();
        for h in rank(refs, &unlimited) {
            let first = first_doc(&h);
            let columns = reader.segment_columns(h.address.segment_ord)?;
            if let Some(key) = columns.keys.as_ref().and_then(|k| k.first(first)) {
                seen.insert(key, h.article.clone());
            }
            if out.len() == n {
                continue;
            }
            let story = columns.story(h.address.segment_ord, first, &lookup.stories);
            let article = shown.entry(story).or_insert_with(|| h.article.clone());
            if *article == h.article {
                out.push(h);
            }
        }
        Ok(out)
    };
    // Stories of several copies need a wider window to show `n` of them: start from the mean
    // number of articles of such a story.
    let stories = &lookup.stories;
    let per_story = stories
        .grouped_articles()
        .checked_div(stories.shared().len())
        .unwrap_or(1)
        .max(1);
    let mut hits = top_refs(
        reader,
        query,
        n,
        n.saturating_mul(per_story).saturating_mul(2),
        lede_boost,
        request,
        Some(&keep),
    )?;
    add_copies(reader, query, &lookup, &window.into_inner(), &mut hits)?;
    Ok(hits)
}

/// The first passage of a hit's article (its passages are neighbours, numbered from 1).
fn first_doc(h: &HitRef) -> DocId {
    h.address
        .doc_id
        .saturating_sub(u32::try_from(h.passage.saturating_sub(1)).unwrap_or(u32::MAX))
}

/// Fills `copies` of each article's first hit: the other articles of its story that `query` matches.
fn add_copies(
    reader: &Reader,
    query: &dyn Query,
    lookup: &StoryLookup<'_>,
    matched: &KeyMap<Arc<str>>,
    hits: &mut [HitRef],
) -> Result<()> {
    let mut found: Vec<Vec<Arc<str>>> = vec![Vec::new(); hits.len()];
    // The member keys to look for, each with the hit it would be a copy of.
    let mut wanted: KeyMap<usize> = KeyMap::default();
    let mut seen_articles: Vec<Arc<str>> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        if seen_articles.contains(&h.article) {
            continue;
        }
        seen_articles.push(h.article.clone());
        let story = lookup.of(h.address.segment_ord, first_doc(h))?;
        let Some(story) = lookup.stories.get(story) else {
            continue;
        };
        let own = reader
            .segment_columns(h.address.segment_ord)?
            .keys
            .as_ref()
            .and_then(|k| k.first(first_doc(h)));
        for &key in &story.members {
            if Some(key) == own {
                continue;
            }
            match matched.get(&key) {
                Some(article) => found[i].push(article.clone()),
                None => {
                    wanted.insert(key, i);
                }
            }
        }
    }
    let searcher = reader.searcher();
    let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    // Each key is looked up in the segments until found (about a microsecond a lookup); when that
    // costs more than reading the key of every match (a story of a thousand copies), the matches
    // are read instead.
    let lookups = wanted.len() * searcher.segment_readers().len();
    let firsts = if lookups as u64 > estimated_matches(&searcher, query) / LOOKUPS_PER_MATCH_READ {
        firsts_among_matches(reader, weight.as_ref(), &wanted)?
    } else {
        firsts_by_key(reader, weight.as_ref(), wanted)?
    };
    for (ord, firsts) in firsts {
        let docs: Vec<DocId> = firsts.iter().map(|&(doc, _)| doc).collect();
        let ids = reader.segment_columns(ord)?.article_ids(&docs);
        for (&(_, hit), id) in firsts.iter().zip(ids) {
            found[hit].push(id);
        }
    }
    for (h, mut copies) in hits.iter_mut().zip(found) {
        copies.sort();
        copies.dedup();
        h.copies = copies;
    }
    Ok(())
}

/// How many matches cost as much to read as one key lookup (measured: a lookup in a segment's key
/// dictionary about 1 us, a match's passage and key columns read about 50 ns).
const LOOKUPS_PER_MATCH_READ: u64 = 20;

/// An upper bound of the passages `query` matches: the sum of its terms' document frequencies.
fn estimated_matches(searcher: &tantivy::Searcher, query: &dyn Query) -> u64 {
    let mut total = 0u64;
    query.query_terms(&mut |term, _| {
        total = total.saturating_add(searcher.doc_freq(term).unwrap_or(u64::MAX / 4));
    });
    total
}

/// The matching wanted articles of one segment: (first passage, the hit it is a copy of).
type SegmentFirsts = (SegmentOrdinal, Vec<(DocId, usize)>);

/// The wanted articles the query matches, by segment, each key looked up.
fn firsts_by_key(
    reader: &Reader,
    weight: &dyn Weight,
    mut wanted: KeyMap<usize>,
) -> Result<Vec<SegmentFirsts>> {
    let searcher = reader.searcher();
    let key_field = reader.fields().key;
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if wanted.is_empty() {
            break;
        }
        let ord = ord as SegmentOrdinal;
        let columns = reader.segment_columns(ord)?;
        let keys = segment.inverted_index(key_field)?;
        let mut firsts: Vec<(DocId, usize)> = Vec::new();
        let mut here: Vec<u64> = Vec::new();
        for (&key, &hit) in &wanted {
            let term = Term::from_field_u64(key_field, key);
            let Some(mut postings) = keys
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            // A key names one article: found here, it is not looked for in later segments.
            here.push(key);
            while postings.doc() != TERMINATED {
                let doc = postings.doc();
                if segment.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                    firsts.push((doc, hit));
                }
                postings.advance();
            }
        }
        for key in here {
            wanted.remove(&key);
        }
        firsts.sort_unstable();
        // Kept when a passage of the article matches: the first match at or after its start is in it.
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut matching = Vec::new();
        for (first, hit) in firsts {
            let mut doc = scorer.doc();
            if doc < first {
                doc = scorer.seek(first);
            }
            if doc == TERMINATED {
                break;
            }
            if columns.first_doc(doc) == first {
                matching.push((first, hit));
            }
        }
        out.push((ord, matching));
    }
    Ok(out)
}

/// As [`firsts_by_key`], reading every match's article key instead of looking the keys up.
fn firsts_among_matches(
    reader: &Reader,
    weight: &dyn Weight,
    wanted: &KeyMap<usize>,
) -> Result<Vec<SegmentFirsts>> {
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let columns = reader.segment_columns(ord)?;
        let Some(keys) = columns.keys.as_ref() else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut firsts: Vec<(DocId, usize)> = Vec::new();
        let mut last = TERMINATED;
        weight.for_each_no_score(segment, &mut |docs| {
            for &doc in docs {
                let first = columns.first_doc(doc);
                if first == last || alive.is_some_and(|a| !a.is_alive(first)) {
                    continue;
                }
                last = first;
                if let Some(&hit) = keys.first(first).and_then(|k| wanted.get(&k)) {
                    firsts.push((first, hit));
                }
            }
        })?;
        firsts.sort_unstable();
        firsts.dedup();
        out.push((ord, firsts));
    }
    Ok(out)
}

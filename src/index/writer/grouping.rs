//! Story groups at the commit: every article the commit will hold (those of the last commit that the
//! run left in place, and the run's own) is grouped again by its signature (see
//! [`crate::index::stories`]), and the groups are written before the commit that names them.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use tantivy::{DocId, Searcher, SegmentOrdinal};

use crate::error::Result;
use crate::index::schema::names;
use crate::index::stories::{self, Member, Signature, Story};

/// The articles a run wrote, as grouping needs them: by key (an id written twice in a run is the
/// later article), those with a signature kept as members (about 140 bytes an article).
#[derive(Default)]
pub(crate) struct RunArticles {
    /// Key -> index in `members`, or `None` for an article without a signature (it has no copy, but
    /// replaces a committed article of its id all the same).
    index: HashMap<u64, Option<usize>>,
    members: Vec<Member<Origin>>,
}

impl RunArticles {
    pub(crate) fn new() -> RunArticles {
        RunArticles::default()
    }

    /// Records an article written (the later of two with one key replaces the earlier).
    pub(crate) fn insert(
        &mut self,
        key: u64,
        date: Option<i64>,
        signature: Option<Signature>,
        id: Box<str>,
    ) {
        let member = signature.map(|signature| Member {
            key,
            date,
            signature,
            origin: Origin::Run(id),
        });
        match (self.index.get(&key).copied().flatten(), member) {
            (Some(i), Some(m)) => self.members[i] = m,
            (Some(i), None) => {
                // The earlier article's member stays in place, no longer anyone's.
                self.members[i].origin = Origin::Gone;
                self.index.insert(key, None);
            }
            (None, Some(m)) => {
                self.index.insert(key, Some(self.members.len()));
                self.members.push(m);
            }
            (None, None) => {
                self.index.insert(key, None);
            }
        }
    }

    fn contains(&self, key: u64) -> bool {
        self.index.contains_key(&key)
    }
}

/// Where a member was found: written by this run (its id), or in the last commit.
pub(crate) enum Origin {
    Run(Box<str>),
    Committed(SegmentOrdinal, DocId),
    /// Replaced later in the run by an article without a signature.
    Gone,
}

/// Groups the commit's articles and writes the groups; returns the file's name.
///
/// `committed` is the last commit (in an incremental run), `touched` the files whose articles the
/// run deleted (changed, removed or indexed again), `written` the run's articles by key.
pub(super) fn write_stories(
    dir: &Path,
    committed: Option<&Searcher>,
    touched: &HashSet<String>,
    written: RunArticles,
) -> Result<String> {
    let mut committed_ones = Vec::new();
    if let Some(searcher) = committed {
        committed_members(searcher, touched, &written, &mut committed_ones)?;
    }
    let RunArticles { index, mut members } = written;
    drop(index);
    members.retain(|m| !matches!(m.origin, Origin::Gone));
    members.append(&mut committed_ones);
    let out = name_groups(&members, committed)?;
    stories::save(dir, &out)
}

/// The stories of every article of an index, as a commit computes them (for checking a commit's
/// story groups).
pub(crate) fn stories_of(searcher: &Searcher) -> Result<Vec<Story>> {
    let mut members = Vec::new();
    committed_members(searcher, &HashSet::new(), &RunArticles::new(), &mut members)?;
    name_groups(&members, Some(searcher))
}

/// Groups the members and names each group by its earliest member (by date, then id); sorted by
/// story id.
fn name_groups(members: &[Member<Origin>], committed: Option<&Searcher>) -> Result<Vec<Story>> {
    let groups = stories::group(members);
    let mut out = Vec::with_capacity(groups.len());
    let mut buf = String::new();
    for group in groups {
        // The earliest member names the story: ids are read only for those of the earliest date.
        let date = |i: usize| members[i].date.unwrap_or(i64::MAX);
        let Some(earliest) = group.iter().map(|&i| date(i)).min() else {
            continue;
        };
        let mut name: Option<String> = None;
        for &i in group.iter().filter(|&&i| date(i) == earliest) {
            let id = match (&members[i].origin, committed) {
                (Origin::Run(id), _) => id.to_string(),
                (Origin::Committed(seg, doc), Some(searcher)) => {
                    committed_id(searcher, *seg, *doc, &mut buf)?
                }
                (Origin::Committed(..), None) | (Origin::Gone, _) => continue,
            };
            if name.as_ref().is_none_or(|n| id < *n) {
                name = Some(id);
            }
        }
        let Some(id) = name else { continue };
        let mut keys: Vec<u64> = group.iter().map(|&i| members[i].key).collect();
        keys.sort_unstable();
        out.push(Story { id, members: keys });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The articles of the last commit that stay: alive, in a file the run left alone, with an id the
/// run did not write again.
fn committed_members(
    searcher: &Searcher,
    touched: &HashSet<String>,
    written: &RunArticles,
    members: &mut Vec<Member<Origin>>,
) -> Result<()> {
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let ff = reader.fast_fields();
        let Some(keys) = ff.column_opt::<u64>(names::KEY)? else {
            continue;
        };
        let Some(sigs) = ff.bytes(names::MINHASH)? else {
            continue;
        };
        // Every signature of the segment, read in the dictionary's order (one pass, no lookups).
        let mut by_ord: Vec<Option<Signature>> = Vec::with_capacity(sigs.num_terms());
        let mut stream = sigs
            .dictionary()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            by_ord.push(Signature::try_from(stream.key()).ok());
        }
        let files = ff.str(names::FILE)?;
        let dates = ff.date(names::DATE)?;
        let alive = reader.alive_bitset();
        // The touched files by their ordinal in the segment's column, looked up once each.
        let mut touched_ords: HashSet<u64> = HashSet::new();
        if let Some(files) = &files {
            for file in touched {
                if let Some(ord) = files
                    .dictionary()
                    .term_ord(file)
                    .map_err(tantivy::TantivyError::from)?
                {
                    touched_ords.insert(ord);
                }
            }
        }
        for doc in 0..reader.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let Some(key) = keys.first(doc) else {
                continue;
            };
            if written.contains(key) {
                continue;
            }
            if let Some(files) = &files {
                if files
                    .term_ords(doc)
                    .next()
                    .is_some_and(|ord| touched_ords.contains(&ord))
                {
                    continue;
                }
            }
            let Some(signature) = sigs
                .term_ords(doc)
                .next()
                .and_then(|ord| by_ord.get(ord as usize).copied().flatten())
            else {
                continue;
            };
            members.push(Member {
                key,
                date: dates.first(doc).map(|d| d.into_timestamp_secs()),
                signature,
                origin: Origin::Committed(seg as SegmentOrdinal, doc),
            });
        }
    }
    Ok(())
}

fn committed_id(
    searcher: &Searcher,
    seg: SegmentOrdinal,
    doc: DocId,
    buf: &mut String,
) -> Result<String> {
    buf.clear();
    let reader = searcher.segment_reader(seg);
    if let Some(col) = reader.fast_fields().str(names::ARTICLE)? {
        if let Some(ord) = col.term_ords(doc).next() {
            col.ord_to_str(ord, buf)
                .map_err(tantivy::TantivyError::from)?;
        }
    }
    Ok(buf.clone())
}

//! Copies of one story: articles whose texts are mostly the same (a wire story re-sent, corrected,
//! printed by several papers) are grouped, and each group is a story named by its earliest member.
//!
//! Similarity is the Jaccard similarity of the articles' word shingles (runs of [`SHINGLE_WORDS`]
//! words of the headline and text, lowercased), estimated by a MinHash signature of [`SIGNATURE`]
//! values (the least of each of 100 hash functions over the shingles; one-permutation hashing with
//! densification was tried first and was too noisy on short articles: two texts of two and three
//! shingles came out as copies). Each value is stored as its low byte: 100 bytes per article, in
//! the first passage's `minhash` column. Articles are paired when one
//! of [`BANDS`] bands of [`ROWS`] values is the same in both (locality-sensitive hashing), and a pair
//! is a copy when at least [`THRESHOLD`] of the signature's values agree (corrected for low bytes
//! agreeing by chance). Copies are joined transitively.
//!
//! Groups are computed again from every article's signature at each commit (new, changed and removed
//! articles all count), written to a file named by its content's hash before the commit whose payload
//! names it, like the file state: a commit and its stories always agree.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, IoOp, Result};
use crate::ingest::Article;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 2;
/// Values in a signature.
pub const SIGNATURE: usize = 100;
/// Bands of the locality-sensitive hashing, and values per band.
pub const BANDS: usize = 33;
pub const ROWS: usize = 3;
/// The least estimated Jaccard similarity of two copies.
pub const THRESHOLD: f64 = 0.6;
/// The least share of the shorter article's shingles found in the longer, for a copy with a
/// paragraph added or cut ...
pub const CONTAINMENT: f64 = 0.75;
/// ... with at least this estimated Jaccard similarity, and at least this many shingles in the shorter.
pub const CONTAINED_THRESHOLD: f64 = 0.35;
pub const MIN_CONTAINED_SHINGLES: u32 = 30;

const PREFIX: &str = "dateline-stories-";
const MAGIC: &[u8; 8] = b"DLSTORY1";

/// A signature: the low byte of each MinHash value.
/// A signature: one byte of each MinHash value, then the article's number of shingles (two bytes,
/// little-endian, at most 65,535).
pub type Signature = [u8; SIGNATURE + 2];

/// The number of shingles a signature was made of.
pub fn shingles(s: &Signature) -> u32 {
    u32::from(u16::from_le_bytes([s[SIGNATURE], s[SIGNATURE + 1]]))
}

/// The hashes of the words of an article as shingles are made of: its headline, then its
/// paragraphs, lowercased, split at anything that is not a letter or digit (hashed as they are read:
/// no word is copied).
fn words(article: &Article) -> Vec<u64> {
    let mut out = Vec::new();
    for text in std::iter::once(&article.headline).chain(&article.paragraphs) {
        word_hashes(text, &mut out);
    }
    out
}

/// Appends the hash of each word of `text` (see [`words`]).
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    const START: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h = START;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            h = (h ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(PRIME);
            in_word = true;
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h = (h ^ u64::from(l)).wrapping_mul(PRIME);
            }
            in_word = true;
        } else if in_word {
            out.push(mix(h));
            h = START;
            in_word = false;
        }
    }
    if in_word {
        out.push(mix(h));
    }
}

/// splitmix64's finaliser: every input bit moves every output bit.
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of an article's text, `None` when it has no words.
pub fn signature(article: &Article) -> Option<Signature> {
    signature_of_words(words(article), SHINGLE_WORDS)
}

/// As [`signature`] with shingles of another length (for measuring the choice).
pub fn signature_with(article: &Article, shingle_words: usize) -> Option<Signature> {
    signature_of_words(words(article), shingle_words.max(1))
}

/// Whether two signatures are copies of one story as the grouping decides it: one band alike, and
/// the estimated similarity at least [`THRESHOLD`].
pub fn same_story(a: &Signature, b: &Signature) -> bool {
    let banded = (0..BANDS)
        .any(|band| a[band * ROWS..(band + 1) * ROWS] == b[band * ROWS..(band + 1) * ROWS]);
    banded && copies(a, b)
}

/// Whether the estimated similarity makes two articles copies: a Jaccard similarity of at least
/// [`THRESHOLD`], or, for a copy with a long paragraph added or cut, the shorter one contained in the
/// longer for at least [`CONTAINMENT`] of its shingles with a Jaccard similarity of at least
/// [`CONTAINED_THRESHOLD`] (the shorter of [`MIN_CONTAINED_SHINGLES`] shingles or more).
pub fn copies(a: &Signature, b: &Signature) -> bool {
    let j = similarity(a, b);
    if j >= THRESHOLD {
        return true;
    }
    if j < CONTAINED_THRESHOLD {
        return false;
    }
    // |A ∩ B| = J |A ∪ B| = J (|A| + |B|) / (1 + J); short texts (template notices) are too noisy.
    let (na, nb) = (f64::from(shingles(a)), f64::from(shingles(b)));
    let shorter = na.min(nb);
    if shorter < f64::from(MIN_CONTAINED_SHINGLES) {
        return false;
    }
    j * (na + nb) / (1.0 + j) / shorter >= CONTAINMENT
}

/// The signature of a sequence of words with shingles of `shingle_words` words: for each of the
/// [`SIGNATURE`] hash functions (multiply-add with its own odd multiplier), the least value over the
/// shingles, kept as one byte of it.
fn signature_of_words(hashes: Vec<u64>, shingle_words: usize) -> Option<Signature> {
    if hashes.is_empty() {
        return None;
    }
    let shingle = |ws: &[u64]| {
        mix(ws
            .iter()
            .fold(0x6461_7465_u64, |acc, w| mix(acc ^ w).rotate_left(17)))
    };
    // A shingle met twice needs no removing: the least value of a set is that of its multiset.
    let shingles: Vec<u64> = if hashes.len() < shingle_words {
        vec![shingle(&hashes)]
    } else {
        hashes.windows(shingle_words).map(shingle).collect()
    };
    // Multiply-add on 32 bits (the high half of each shingle's hash): plain 32-bit lanes, which the
    // compiler runs several at a time; the order of the values, which MinHash uses, rests on their
    // well-mixed high bits.
    let (mul, add) = hash_functions();
    let mut mins = [u32::MAX; SIGNATURE];
    for &x in &shingles {
        let x = (x >> 32) as u32;
        for ((m, a), min) in mul.iter().zip(add).zip(mins.iter_mut()) {
            *min = (*min).min(x.wrapping_mul(*m).wrapping_add(*a));
        }
    }
    let mut out = [0u8; SIGNATURE + 2];
    let count = u16::try_from(shingles.len()).unwrap_or(u16::MAX);
    out[SIGNATURE..].copy_from_slice(&count.to_le_bytes());
    for (o, m) in out.iter_mut().zip(mins) {
        // One byte of the least value: copies agree on it, others by chance 1 time in 256.
        *o = (mix(u64::from(m)) & 0xff) as u8;
    }
    Some(out)
}

/// The multipliers (odd) and increments of the signature's hash functions, fixed forever: they are
/// part of the index format (signatures made with others would not compare).
fn hash_functions() -> &'static ([u32; SIGNATURE], [u32; SIGNATURE]) {
    static FUNCTIONS: std::sync::OnceLock<([u32; SIGNATURE], [u32; SIGNATURE])> =
        std::sync::OnceLock::new();
    FUNCTIONS.get_or_init(|| {
        let mut state = 0x5354_4f52_4945_5331_u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            (mix(state) >> 32) as u32
        };
        let mut mul = [0u32; SIGNATURE];
        let mut add = [0u32; SIGNATURE];
        for i in 0..SIGNATURE {
            mul[i] = next() | 1;
            add[i] = next();
        }
        (mul, add)
    })
}

/// The Jaccard similarity two signatures estimate (low bytes agree by chance 1 time in 256, which is
/// taken out).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let same = a[..SIGNATURE]
        .iter()
        .zip(&b[..SIGNATURE])
        .filter(|(x, y)| x == y)
        .count() as f64
        / SIGNATURE as f64;
    ((same - 1.0 / 256.0) / (1.0 - 1.0 / 256.0)).max(0.0)
}

/// One article as grouping sees it.
#[derive(Debug, Clone)]
pub struct Member<T> {
    /// The article's key (see [`crate::index::schema::article_key`]).
    pub key: u64,
    /// Seconds since the epoch; `None` when undated (undated articles come last).
    pub date: Option<i64>,
    pub signature: Signature,
    /// Whatever the caller needs to name the article later.
    pub origin: T,
}

/// Groups of at least two members (indices into `members`), each group in no particular order.
/// Articles alone in their group are left out.
pub fn group<T>(members: &[Member<T>]) -> Vec<Vec<usize>> {
    let n = members.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    // One band at a time, so memory holds one band's keys (12 bytes an article).
    let mut keys: Vec<(u32, u32)> = Vec::with_capacity(n);
    for band in 0..BANDS {
        keys.clear();
        for (i, m) in members.iter().enumerate() {
            let rows = &m.signature[band * ROWS..(band + 1) * ROWS];
            let mut k = 0u32;
            for &r in rows {
                k = (k << 8) | u32::from(r);
            }
            keys.push((k, i as u32));
        }
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            if run.len() < 2 {
                continue;
            }
            // Each member of a bucket against the bucket's first and the one before it: joined
            // transitively, this finds every copy in the bucket that has a copy there.
            for w in 1..run.len() {
                let b = run[w].1;
                for a in [run[0].1, run[w - 1].1] {
                    let (x, y) = (find(&mut parent, a), find(&mut parent, b));
                    if x == y {
                        continue;
                    }
                    let (ma, mb) = (&members[a as usize], &members[b as usize]);
                    if copies(&ma.signature, &mb.signature) {
                        parent[x as usize] = y;
                    }
                }
            }
        }
    }
    let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
    for i in 0..n as u32 {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i as usize);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    out.sort();
    out
}

/// A story of several articles: its id (its earliest member's: by date, then id) and its members'
/// keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub id: String,
    pub members: Vec<u64>,
}

/// Hashes an article key to itself: keys are already 64-bit hashes of ids, so a map of a million
/// of them needs no hashing of its own (building the map of a 1 GB archive's stories took a fifth of
/// a search).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// A map by article key (see [`KeyHasher`]).
pub type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Stories of several articles, and which story each such article belongs to.
#[derive(Debug, Clone, Default)]
pub struct Stories {
    stories: Vec<Story>,
    by_key: KeyMap<u32>,
}

/// Which story an article belongs to: one of several articles, or its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoryRef {
    Shared(u32),
    Own(u64),
}

impl Stories {
    pub fn new(stories: Vec<Story>) -> Stories {
        let members = stories.iter().map(|s| s.members.len()).sum();
        let mut by_key = KeyMap::with_capacity_and_hasher(members, Default::default());
        for (i, s) in stories.iter().enumerate() {
            for &k in &s.members {
                by_key.insert(k, i as u32);
            }
        }
        Stories { stories, by_key }
    }

    /// The story of the article with key `key`.
    pub fn of(&self, key: u64) -> StoryRef {
        match self.by_key.get(&key) {
            Some(&i) => StoryRef::Shared(i),
            None => StoryRef::Own(key),
        }
    }

    /// The story `r` names, when it has several articles.
    pub fn get(&self, r: StoryRef) -> Option<&Story> {
        match r {
            StoryRef::Shared(i) => self.stories.get(i as usize),
            StoryRef::Own(_) => None,
        }
    }

    /// Stories of several articles.
    pub fn shared(&self) -> &[Story] {
        &self.stories
    }

    /// Articles in stories of several articles.
    pub fn grouped_articles(&self) -> usize {
        self.by_key.len()
    }
}

fn io_error(dir: &Path, source: std::io::Error) -> Error {
    Error::Io {
        op: IoOp::WriteStories,
        path: dir.to_path_buf(),
        source,
    }
}

/// The bytes of a stories file: magic, count, then each story's id (length, UTF-8) and member keys
/// (count, little-endian u64s).
fn encode(stories: &[Story]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + stories.len() * 48);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(stories.len() as u64).to_le_bytes());
    for s in stories {
        out.extend_from_slice(&(s.id.len() as u32).to_le_bytes());
        out.extend_from_slice(s.id.as_bytes());
        out.extend_from_slice(&(s.members.len() as u32).to_le_bytes());
        for k in &s.members {
            out.extend_from_slice(&k.to_le_bytes());
        }
    }
    out
}

fn decode(bytes: &[u8]) -> Option<Vec<Story>> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        if rest.len() < n {
            return None;
        }
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Some(head)
    };
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let mut stories = Vec::new();
    for _ in 0..count {
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let id = std::str::from_utf8(take(len)?).ok()?.to_string();
        let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let keys = take(n.checked_mul(8)?)?;
        let members = keys
            .chunks_exact(8)
            .filter_map(|c| c.try_into().ok().map(u64::from_le_bytes))
            .collect();
        stories.push(Story { id, members });
    }
    take(0)?;
    Some(stories)
}

/// Writes the stories durably and returns the file's name (named by the hash of its content).
pub fn save(dir: &Path, stories: &[Story]) -> Result<String> {
    let bytes = encode(stories);
    let name = format!("{PREFIX}{}.bin", &blake3::hash(&bytes).to_hex()[..32]);
    // Written even when a file of that name is there: it may be damaged.
    let tmp = dir.join(format!("{PREFIX}partial.tmp"));
    let mut file = std::fs::File::create(&tmp).map_err(|e| io_error(dir, e))?;
    file.write_all(&bytes).map_err(|e| io_error(dir, e))?;
    file.sync_all().map_err(|e| io_error(dir, e))?;
    drop(file);
    std::fs::rename(&tmp, dir.join(&name)).map_err(|e| io_error(dir, e))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(name)
}

/// The stories of every article of the index `searcher` reads, computed from the articles'
/// signatures as a commit computes them (a commit's story file must equal this).
pub fn index_stories(searcher: &tantivy::Searcher) -> Result<Vec<Story>> {
    crate::index::writer::grouping::stories_of(searcher)
}

/// Why a stories file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoriesProblem {
    #[error("has an unexpected name")]
    BadName,
    #[error("is unreadable ({0})")]
    Unreadable(#[source] std::io::Error),
    #[error("is damaged")]
    Damaged,
}

/// Reads the stories file a commit names.
pub fn load(dir: &Path, name: &str) -> std::result::Result<Stories, StoriesProblem> {
    if !(name.starts_with(PREFIX) && name.ends_with(".bin") && !name.contains(['/', '\\'])) {
        return Err(StoriesProblem::BadName);
    }
    let bytes = std::fs::read(dir.join(name)).map_err(StoriesProblem::Unreadable)?;
    decode(&bytes)
        .map(Stories::new)
        .ok_or(StoriesProblem::Damaged)
}

/// Removes stories files (and temp files) other than `keep`.
pub fn remove_others(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && Some(name.as_str()) != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        let mut hashes = Vec::new();
        word_hashes(text, &mut hashes);
        signature_of_words(hashes, SHINGLE_WORDS).expect("words")
    }

    fn text(words: usize, seed: u64) -> Vec<String> {
        (0..words as u64)
            .map(|i| format!("w{}", mix(i ^ (seed << 32)) % 5000))
            .collect()
    }

    #[test]
    fn the_same_text_has_the_same_signature_and_unrelated_texts_share_little() {
        let a = text(300, 1).join(" ");
        let b = text(300, 2).join(" ");
        assert_eq!(sig(&a), sig(&a));
        assert!((similarity(&sig(&a), &sig(&a)) - 1.0).abs() < 1e-9);
        assert!(similarity(&sig(&a), &sig(&b)) < 0.1);
        assert!(signature_of_words(Vec::new(), SHINGLE_WORDS).is_none());
    }

    #[test]
    fn an_edited_copy_joins_and_a_shared_paragraph_does_not() {
        let original = text(400, 7);
        let mut edited = original.clone();
        // A few words changed and a closing paragraph added.
        for i in (0..400).step_by(60) {
            edited[i] = format!("changed{i}");
        }
        edited.extend(text(20, 8));
        // Another article sharing one paragraph (60 words) of the original.
        let mut other = text(340, 9);
        other.extend_from_slice(&original[100..160]);
        let members: Vec<Member<&str>> = [("a", &original), ("b", &edited), ("c", &other)]
            .into_iter()
            .enumerate()
            .map(|(i, (name, words))| Member {
                key: i as u64,
                date: None,
                signature: sig(&words.join(" ")),
                origin: name,
            })
            .collect();
        assert_eq!(group(&members), vec![vec![0, 1]]);
    }

    #[test]
    fn stories_read_back_and_damage_is_noticed() {
        let dir = tempfile::tempdir().expect("tmp");
        let stories = vec![
            Story {
                id: "a.txt".into(),
                members: vec![1, 2, 3],
            },
            Story {
                id: "é/b.txt".into(),
                members: vec![9, u64::MAX],
            },
        ];
        let name = save(dir.path(), &stories).expect("save");
        let loaded = load(dir.path(), &name).expect("load");
        assert_eq!(loaded.shared(), stories.as_slice());
        assert_eq!(loaded.of(2), StoryRef::Shared(0));
        assert_eq!(loaded.of(u64::MAX), StoryRef::Shared(1));
        assert_eq!(loaded.of(5), StoryRef::Own(5));
        let bytes = std::fs::read(dir.path().join(&name)).expect("read");
        std::fs::write(dir.path().join(&name), &bytes[..bytes.len() - 3]).expect("write");
        assert!(matches!(
            load(dir.path(), &name),
            Err(StoriesProblem::Damaged)
        ));
        assert!(matches!(
            load(dir.path(), "x.bin"),
            Err(StoriesProblem::BadName)
        ));
    }
}

//! What an index knows about the files it was built from (size, modification time, content hash), so
//! that a run re-reads only new and changed files and removes the articles of deleted ones.
//!
//! The state is a JSON file in the index directory, named by the hash of its content and written
//! (temp file, fsync, rename) before the commit whose payload names it: a commit and its state always
//! agree, and a run killed before its commit leaves the previous pair in force. Files no commit names are
//! removed by the next run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoOp, Result};

const PREFIX: &str = "dateline-state-";

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Label of the corpus root the file is under (empty for the first root).
    pub root: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when the file system gives none).
    pub mtime_ns: i128,
    /// blake3 of the content, hex.
    /// The blake3 hash of the content (hex in the file).
    #[serde(with = "hex_hash")]
    pub hash: [u8; 32],
    /// Articles the file gave (a JSON Lines file gives one per record; a text file one).
    #[serde(default = "one")]
    pub articles: u64,
}

fn one() -> u64 {
    1
}

/// A content hash as 64 hex digits in the JSON (32 bytes in memory: a million files' state is
/// about 100 MB smaller than with the hex strings held).
mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(64);
        for b in hash {
            out.push_str(&format!("{b:02x}"));
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let mut out = [0u8; 32];
        // An empty hash (never hashed) reads as zeros; anything else must be 64 hex digits.
        if text.is_empty() {
            return Ok(out);
        }
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(serde::de::Error::custom("a file hash is not 64 hex digits"));
        }
        for (i, pair) in bytes.chunks(2).enumerate() {
            let digits = std::str::from_utf8(pair).map_err(serde::de::Error::custom)?;
            out[i] = u8::from_str_radix(digits, 16).map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}

/// File id (the path below its root, as a text file's article id) -> the file's state.
pub type CorpusState = BTreeMap<String, FileState>;

/// Reads the state a commit names; a missing or unreadable state reads as empty (every file is then
/// indexed again, which replaces rather than duplicates).
pub fn load(dir: &Path, name: Option<&str>) -> CorpusState {
    name.filter(|n| is_state_name(n))
        .and_then(|n| std::fs::read(dir.join(n)).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Why a file state cannot be used (the next run then reads every file again).
#[derive(Debug, thiserror::Error)]
pub enum StateProblem {
    #[error("has an unexpected name")]
    BadName,
    #[error("is unreadable ({0})")]
    Unreadable(#[source] std::io::Error),
    #[error("is damaged ({0})")]
    Damaged(#[source] serde_json::Error),
}

/// Reads the state a commit names, saying what is wrong with it when it cannot be used.
pub fn load_checked(dir: &Path, name: &str) -> std::result::Result<CorpusState, StateProblem> {
    if !is_state_name(name) {
        return Err(StateProblem::BadName);
    }
    let bytes = std::fs::read(dir.join(name)).map_err(StateProblem::Unreadable)?;
    serde_json::from_slice(&bytes).map_err(StateProblem::Damaged)
}

fn is_state_name(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(".json") && !name.contains(['/', '\\'])
}

/// Passes writes through to `inner`, hashing what was written.
struct HashingWriter<W> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the state durably and returns its file name (named by the hash of its content).
///
/// The JSON is streamed to a temp file while it is hashed, never held whole in memory (it is about
/// 150 bytes per file: 150 MB for a million files).
pub fn save(dir: &Path, state: &CorpusState) -> Result<String> {
    write_state(dir, |w| {
        serde_json::to_writer(&mut *w, state).map_err(std::io::Error::other)
    })
}

/// Writes a state file through `content` (to a temp file, hashed as it goes, synced, then renamed to
/// the name of its hash); returns the name.
fn write_state(
    dir: &Path,
    content: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<String> {
    let io = |source| Error::Io {
        op: IoOp::WriteFileState,
        path: dir.to_path_buf(),
        source,
    };
    let tmp = dir.join(format!("{PREFIX}partial.tmp"));
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = HashingWriter {
        inner: std::io::BufWriter::with_capacity(1 << 20, file),
        hasher: blake3::Hasher::new(),
    };
    content(&mut out).map_err(io)?;
    out.flush().map_err(io)?;
    let name = format!("{PREFIX}{}.json", &out.hasher.finalize().to_hex()[..32]);
    let file = out.inner.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, dir.join(&name)).map_err(io)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(name)
}

/// The file state of a build into an empty index, written to a temp file as files are indexed rather
/// than held (a million files' state is about 170 MB in memory), and turned into the state file at the
/// commit. Entries are kept in the order met; [`load`] reads them into a map all the same.
pub struct StateSpill {
    path: std::path::PathBuf,
    out: std::io::BufWriter<std::fs::File>,
    /// Articles of the files written so far.
    pub articles: u64,
    /// Articles to take from a file's count at the end (replaced by later records of their ids).
    replaced: std::collections::HashMap<String, u64>,
}

const SPILL: &str = "dateline-state-spill.tmp";

impl StateSpill {
    pub fn create(dir: &Path) -> Result<StateSpill> {
        let path = dir.join(SPILL);
        let file = std::fs::File::create(&path).map_err(|source| Error::Io {
            op: IoOp::WriteFileState,
            path: path.clone(),
            source,
        })?;
        Ok(StateSpill {
            path,
            out: std::io::BufWriter::with_capacity(1 << 20, file),
            articles: 0,
            replaced: Default::default(),
        })
    }

    /// Records a file's state (each id once: a build into an empty index reads every file once).
    pub fn push(&mut self, id: &str, state: &FileState) -> Result<()> {
        self.articles += state.articles;
        let line =
            serde_json::to_string(&(id, state)).map_err(|e| self.io(std::io::Error::other(e)))?;
        writeln!(self.out, "{line}").map_err(|e| self.io(e))
    }

    /// Takes `n` articles from the count of the file `id` (written already or not).
    pub fn replaced(&mut self, id: String, n: u64) {
        *self.replaced.entry(id).or_default() += n;
        self.articles = self.articles.saturating_sub(n);
    }

    fn io(&self, source: std::io::Error) -> Error {
        Error::Io {
            op: IoOp::WriteFileState,
            path: self.path.clone(),
            source,
        }
    }

    /// Writes the state file from the spilled entries (as [`save`] does) and removes the spill.
    pub fn save(self, dir: &Path) -> Result<String> {
        let StateSpill {
            path,
            out,
            replaced,
            ..
        } = self;
        let io = |source| Error::Io {
            op: IoOp::WriteFileState,
            path: path.clone(),
            source,
        };
        let file = out.into_inner().map_err(|e| io(e.into_error()))?;
        drop(file);
        let reader = std::io::BufReader::new(std::fs::File::open(&path).map_err(io)?);
        let name = write_state(dir, |w| {
            use std::io::BufRead;
            w.write_all(b"{")?;
            for (i, line) in reader.lines().enumerate() {
                let line = line?;
                let (id, mut state): (String, FileState) =
                    serde_json::from_str(&line).map_err(std::io::Error::other)?;
                if let Some(n) = replaced.get(&id) {
                    state.articles = state.articles.saturating_sub(*n);
                }
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, &id).map_err(std::io::Error::other)?;
                w.write_all(b":")?;
                serde_json::to_writer(&mut *w, &state).map_err(std::io::Error::other)?;
            }
            w.write_all(b"}")
        })?;
        let _ = std::fs::remove_file(&path);
        Ok(name)
    }
}

pub fn remove_others(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && name != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_under_the_hash_of_its_content() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut state = CorpusState::new();
        for i in 0..3000 {
            state.insert(
                format!("{i}.txt"),
                FileState {
                    root: String::new(),
                    size: i,
                    mtime_ns: i128::from(i) * 1_000_000_007,
                    hash: *blake3::hash(&i.to_le_bytes()).as_bytes(),
                    articles: 1,
                },
            );
        }
        let name = save(dir.path(), &state).expect("save");
        let bytes = std::fs::read(dir.path().join(&name)).expect("read");
        assert_eq!(
            name,
            format!("{PREFIX}{}.json", &blake3::hash(&bytes).to_hex()[..32])
        );
        assert_eq!(load(dir.path(), Some(&name)), state);
        assert_eq!(load_checked(dir.path(), &name).ok(), Some(state.clone()));
        assert!(matches!(
            load_checked(dir.path(), "other.json"),
            Err(StateProblem::BadName)
        ));
        // The same state gets the same name; no temp file is left.
        assert_eq!(save(dir.path(), &state).ok(), Some(name.clone()));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![name]);
    }

    #[test]
    fn a_spilled_state_reads_back_as_the_map_with_replaced_articles_taken() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut spill = StateSpill::create(dir.path()).expect("spill");
        let mut want = CorpusState::new();
        for i in 0..500u64 {
            let st = FileState {
                root: if i % 2 == 0 {
                    String::new()
                } else {
                    "more".to_string()
                },
                size: i,
                mtime_ns: i128::from(i) * 7,
                hash: *blake3::hash(&i.to_le_bytes()).as_bytes(),
                articles: 3,
            };
            // Written in no particular order.
            let id = format!("{}.jsonl", (i * 7919) % 500);
            spill.push(&id, &st).expect("push");
            want.insert(id, st);
        }
        spill.replaced("7.jsonl".to_string(), 2);
        if let Some(s) = want.get_mut("7.jsonl") {
            s.articles = 1;
        }
        assert_eq!(spill.articles, 500 * 3 - 2);
        let name = spill.save(dir.path()).expect("save");
        assert_eq!(load_checked(dir.path(), &name).ok(), Some(want));
        assert!(!dir.path().join(SPILL).exists());
    }
}

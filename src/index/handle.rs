//! Opening an index: the tantivy index, its fields, and the dateline metadata kept in each commit
//! (schema version, corpus roots, the file state's name), checked before anything reads it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::files::truncated_files;
use super::schema::{build_schema, register_analyzers, Fields, SCHEMA_VERSION};
use crate::error::{Error, IoOp, Result};

/// One corpus root an index was built from, with the label that prefixes its article ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusRoot {
    /// Absolute path of the root.
    pub path: String,
    /// Empty for the first root of an index (its ids are plain relative paths); otherwise the prefix
    /// `LABEL:` of the ids of this root.
    pub label: String,
}

/// What dateline keeps in the commit payload of an index: written atomically with each commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    #[serde(default)]
    pub roots: Vec<CorpusRoot>,
    /// RFC 3339 time of the last indexing run's commit.
    #[serde(default)]
    pub last_indexed: Option<String>,
    /// Name of the file-state file of this commit (see [`super::state`]).
    #[serde(default)]
    pub state_file: Option<String>,
    /// Name of the story-groups file of this commit (see [`super::stories`]).
    #[serde(default)]
    pub stories_file: Option<String>,
}

/// An opened dateline index: the tantivy index, its fields and its metadata.
pub struct DatelineIndex {
    pub index: Index,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub path: PathBuf,
}

/// Whether a directory holds an index (a committed `meta.json`).
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// An index is a folder: a path that names a file (or anything else) is refused before it is used.
pub(crate) fn refuse_non_folder(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(Error::IndexNotFolder(dir.to_path_buf())),
        _ => Ok(()),
    }
}

/// The corpus roots the last commit of the index in `dir` names (empty when there is no index or it
/// names none). Read from the commit's metadata alone, so an index of another schema version still
/// tells where it was built from (a rebuild can then read the same folders).
pub fn remembered_roots(dir: &Path) -> Result<Vec<CorpusRoot>> {
    refuse_non_folder(dir)?;
    if !index_exists(dir) {
        return Ok(Vec::new());
    }
    let payload = Index::open_in_dir(dir)?.load_metas()?.payload;
    Ok(payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<IndexMeta>(p).ok())
        .map(|meta| meta.roots)
        .unwrap_or_default())
}

impl DatelineIndex {
    /// Opens an existing index, checking that dateline wrote it with this schema version.
    pub fn open(dir: &Path) -> Result<DatelineIndex> {
        refuse_non_folder(dir)?;
        if !index_exists(dir) {
            return Err(Error::MissingIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        if let Some((file, len)) = truncated_files(&index, dir)?.into_iter().next() {
            return Err(Error::Damaged {
                path: dir.to_path_buf(),
                detail: format!("{} is truncated to {len} bytes", file.display()),
            });
        }
        Self::from_index(index, dir)
    }

    /// Opens the index in `dir`, creating an empty one when there is none.
    pub fn open_or_create(dir: &Path) -> Result<DatelineIndex> {
        refuse_non_folder(dir)?;
        if index_exists(dir) {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            op: IoOp::CreateIndexDir,
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, _) = build_schema();
        let index = Index::create_in_dir(dir, schema)?;
        Self::from_index(index, dir)
    }

    /// An empty index in memory (tests, benches).
    pub fn create_in_ram() -> DatelineIndex {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        DatelineIndex {
            index,
            fields,
            meta: IndexMeta {
                schema_version: SCHEMA_VERSION,
                ..IndexMeta::default()
            },
            path: PathBuf::from("<memory>"),
        }
    }

    fn from_index(index: Index, dir: &Path) -> Result<DatelineIndex> {
        let payload = index.load_metas()?.payload;
        let (expected_schema, fields) = build_schema();
        let meta = match payload.as_deref().map(serde_json::from_str::<IndexMeta>) {
            Some(Ok(meta)) => meta,
            Some(Err(_)) => return Err(Error::ForeignIndex(dir.to_path_buf())),
            // Created but never committed by an indexing run: fine if the schema is ours.
            None => IndexMeta {
                schema_version: SCHEMA_VERSION,
                ..IndexMeta::default()
            },
        };
        if meta.schema_version != SCHEMA_VERSION {
            return Err(Error::SchemaVersion {
                path: dir.to_path_buf(),
                found: meta.schema_version.to_string(),
                expected: SCHEMA_VERSION,
            });
        }
        let same_schema = serde_json::to_string(&index.schema()).ok()
            == serde_json::to_string(&expected_schema).ok();
        if !same_schema {
            return Err(if payload.is_some() {
                Error::SchemaVersion {
                    path: dir.to_path_buf(),
                    found: format!("{} (with another field layout)", meta.schema_version),
                    expected: SCHEMA_VERSION,
                }
            } else {
                Error::ForeignIndex(dir.to_path_buf())
            });
        }
        register_analyzers(&index);
        Ok(DatelineIndex {
            index,
            fields,
            meta,
            path: dir.to_path_buf(),
        })
    }
}

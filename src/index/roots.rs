//! The corpus roots an index remembers, and the label each gives its article ids: the first root's ids
//! are plain relative paths, later roots' ids are prefixed `LABEL:`.

use std::path::{Path, PathBuf};

use super::handle::CorpusRoot;
use crate::error::{Error, Result};

/// The absolute path of a corpus root, or why it cannot be one (missing, unreadable, not a folder).
pub fn canonical_root(root: &Path) -> Result<PathBuf> {
    let canonical = std::fs::canonicalize(root).map_err(|source| Error::Corpus {
        path: root.to_path_buf(),
        source,
    })?;
    if !canonical.is_dir() {
        return Err(Error::Corpus {
            path: root.to_path_buf(),
            source: std::io::Error::other("not a directory"),
        });
    }
    Ok(canonical)
}

/// Assigns labels to the requested roots: known roots keep theirs; the first root of an index gets the
/// empty label; later ones get their folder name, made unique.
pub fn register_roots(
    known: &mut Vec<CorpusRoot>,
    roots: &[PathBuf],
) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for root in roots {
        let canonical = canonical_root(root)?;
        let key = canonical.to_string_lossy().to_string();
        let label = match known.iter().find(|r| r.path == key) {
            Some(r) => r.label.clone(),
            None => {
                let label = if known.is_empty() {
                    String::new()
                } else {
                    let base: String = canonical
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_else(|| "root".to_string())
                        .chars()
                        .map(|c| if c == ':' || c == '/' { '_' } else { c })
                        .collect();
                    let mut candidate = base.clone();
                    let mut n = 2;
                    while known.iter().any(|r| r.label == candidate) {
                        candidate = format!("{base}-{n}");
                        n += 1;
                    }
                    candidate
                };
                known.push(CorpusRoot {
                    path: key,
                    label: label.clone(),
                });
                label
            }
        };
        if !out.iter().any(|(p, _): &(PathBuf, String)| *p == canonical) {
            out.push((canonical, label));
        }
    }
    Ok(out)
}

//! The files of an index directory: which files a commit is made of, which ones a killed run left
//! behind (tantivy's temp files, segments no commit uses), and removing an old index's files without
//! touching anything else in the directory.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::index::{SegmentComponent, SegmentMeta};
use tantivy::Index;

use super::handle::DatelineIndex;
use crate::error::{Error, IoOp, Result};

/// The files a committed segment is made of.
pub(crate) fn segment_files(meta: &SegmentMeta) -> Vec<PathBuf> {
    let mut components = vec![
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
        SegmentComponent::Terms,
        SegmentComponent::Store,
    ];
    if meta.has_deletes() {
        components.push(SegmentComponent::Delete);
    }
    components
        .into_iter()
        .map(|c| meta.relative_path(c))
        .collect()
}

/// Segment files too short to hold tantivy's footer (tantivy 0.27 panics on some of them instead of
/// returning an error), with their sizes; missing files are left to the caller.
pub fn truncated_files(index: &Index, dir: &Path) -> Result<Vec<(PathBuf, u64)>> {
    let mut short = Vec::new();
    for meta in index.searchable_segment_metas()? {
        for file in segment_files(&meta) {
            if let Ok(m) = std::fs::metadata(dir.join(&file)) {
                if m.len() < FOOTER_MIN_BYTES {
                    short.push((file, m.len()));
                }
            }
        }
    }
    Ok(short)
}

/// The footer tantivy ends every file with: at least its length and magic number.
const FOOTER_MIN_BYTES: u64 = 8;

fn names_of(paths: impl IntoIterator<Item = PathBuf>) -> HashSet<String> {
    paths
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Files of the directory that the last commit does not use: leftovers of an interrupted run, removed
/// by the next `dateline index`. Returns their names and total size.
pub fn unused_files(handle: &DatelineIndex) -> Result<(Vec<String>, u64)> {
    let mut live = names_of(
        handle
            .index
            .searchable_segment_metas()?
            .iter()
            .flat_map(segment_files),
    );
    live.extend(
        [
            "meta.json",
            ".managed.json",
            ".tantivy-meta.lock",
            ".tantivy-writer.lock",
        ]
        .map(String::from),
    );
    live.extend(handle.meta.state_file.clone());
    live.extend(handle.meta.stories_file.clone());
    let entries = std::fs::read_dir(&handle.path).map_err(|source| Error::Io {
        op: IoOp::ReadIndexDir,
        path: handle.path.clone(),
        source,
    })?;
    // Tantivy lists every file it creates in .managed.json before writing it; only those (and temp
    // state and story files) are dateline's to remove. Anything else was put there by someone else.
    let managed = names_of(handle.index.directory().list_managed_files());
    let ours = |name: &str| {
        managed.contains(name)
            || name.starts_with(".tmp")
            || name.starts_with("dateline-state-")
            || name.starts_with("dateline-stories-")
    };
    let (mut unused, mut bytes) = (Vec::new(), 0);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && !live.contains(&name) && ours(&name) {
            bytes += entry.metadata().map_or(0, |m| m.len());
            unused.push(name);
        }
    }
    unused.sort();
    Ok((unused, bytes))
}

/// Removes the temp files a killed run can leave (tantivy writes `meta.json` through a `.tmpXXXXXX`
/// file and a rename); tantivy's garbage collection does not know them.
pub(crate) fn remove_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && entry.file_name().to_string_lossy().starts_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes the files of a tantivy index (those it lists in `.managed.json`, and its metadata), leaving
/// any other file of the directory alone.
pub(crate) fn remove_index_files(dir: &Path) -> Result<()> {
    let io_err = |source| Error::Io {
        op: IoOp::RemoveOldIndex,
        path: dir.to_path_buf(),
        source,
    };
    let managed: Vec<String> = std::fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let listed = managed.iter().map(String::as_str);
    for name in listed.chain(["meta.json", ".managed.json"]) {
        // Only plain file names: never follow a path out of the directory.
        if name.contains('/') || name.contains('\\') || name.starts_with("..") {
            continue;
        }
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    Ok(())
}

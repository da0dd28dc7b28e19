//! Checking an index: the cheap checks `info` shows (file state, files no commit uses) and the full
//! check of `verify` (every file's checksum, every segment opened, the file state against the index).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::index::{SegmentComponent, SegmentMeta};
use tantivy::Index;

use crate::error::{Error, Result};
use crate::schema::DatelineIndex;
use crate::state;

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub index: String,
    pub segments: usize,
    /// Files whose checksums were read.
    pub files_checked: usize,
    pub bytes_checked: u64,
    /// Damage: the index cannot be trusted (corrupt or missing files, segments that do not open).
    pub damaged: Vec<String>,
    /// Not damage, but worth knowing (leftovers of an interrupted run, a file state to rebuild).
    pub warnings: Vec<String>,
}

impl VerifyReport {
    /// Whether no damage was found (warnings do not count).
    pub fn is_sound(&self) -> bool {
        self.damaged.is_empty()
    }
}

/// The files a committed segment is made of.
fn segment_files(meta: &SegmentMeta) -> Vec<PathBuf> {
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
    let entries = std::fs::read_dir(&handle.path).map_err(|source| Error::Io {
        context: "cannot read the index directory",
        path: handle.path.clone(),
        source,
    })?;
    // Tantivy lists every file it creates in .managed.json before writing it; only those (and temp
    // and state files) are dateline's to remove. Anything else was put there by someone else.
    let managed = names_of(handle.index.directory().list_managed_files());
    let ours = |name: &str| {
        managed.contains(name) || name.starts_with(".tmp") || name.starts_with("dateline-state-")
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

/// Problems visible without reading the whole index (for `info`).
pub fn quick_problems(handle: &DatelineIndex) -> Vec<String> {
    let mut problems = Vec::new();
    match &handle.meta.state_file {
        Some(name) => {
            if let Err(why) = state::load_checked(&handle.path, name) {
                problems.push(format!(
                    "file state {name} {why}: the next index run reads every file again"
                ));
            }
        }
        None if handle.meta.last_indexed.is_some() => {
            problems.push("no file state: the next index run reads every file again".to_string())
        }
        None => {}
    }
    match unused_files(handle) {
        Ok((files, bytes)) if !files.is_empty() => problems.push(format!(
            "{} file(s), {bytes} bytes, not used by the last commit (left by an interrupted run): \
             the next index run removes them",
            files.len()
        )),
        Ok(_) => {}
        Err(e) => problems.push(e.to_string()),
    }
    problems
}

/// Verifies the index in `dir`: reads every file's checksum, opens every segment and compares the file
/// state with the articles. Damage is reported, not returned as an error; an error means there is no
/// index to check.
pub fn verify(dir: &Path) -> Result<VerifyReport> {
    if !crate::schema::index_exists(dir) {
        return Err(Error::MissingIndex(dir.to_path_buf()));
    }
    let mut report = VerifyReport {
        index: dir.display().to_string(),
        ..VerifyReport::default()
    };
    let handle = match DatelineIndex::open(dir) {
        Ok(h) => h,
        Err(e @ (Error::SchemaVersion { .. } | Error::ForeignIndex(_))) => return Err(e),
        Err(e) => {
            report.damaged.push(format!("the index does not open: {e}"));
            return Ok(report);
        }
    };
    check_files(&handle.index, dir, &mut report);
    if !report.damaged.is_empty() {
        report.warnings.extend(quick_problems(&handle));
        return Ok(report);
    }
    match handle.index.reader() {
        Ok(reader) => {
            let searcher = reader.searcher();
            report.segments = searcher.segment_readers().len();
            compare_state(&handle, &searcher, &mut report);
        }
        Err(e) => report
            .damaged
            .push(format!("the segments do not open: {e}")),
    }
    report.warnings.extend(quick_problems(&handle));
    Ok(report)
}

fn check_files(index: &Index, dir: &Path, report: &mut VerifyReport) {
    let metas = match index.searchable_segment_metas() {
        Ok(m) => m,
        Err(e) => {
            report.damaged.push(format!("meta.json unreadable: {e}"));
            return;
        }
    };
    for meta in &metas {
        for file in segment_files(meta) {
            match std::fs::metadata(dir.join(&file)) {
                Ok(m) => {
                    report.files_checked += 1;
                    report.bytes_checked += m.len();
                }
                Err(e) => report.damaged.push(format!("{}: {e}", file.display())),
            }
        }
    }
    match truncated_files(index, dir) {
        Ok(short) => report.damaged.extend(
            short
                .into_iter()
                .map(|(f, n)| format!("{}: truncated to {n} bytes", f.display())),
        ),
        Err(e) => report.damaged.push(e.to_string()),
    }
    if !report.damaged.is_empty() {
        // validate_checksum stops at the first missing file, and reads truncated ones unsafely.
        return;
    }
    match index.validate_checksum() {
        Ok(bad) => {
            let mut bad: Vec<String> = bad
                .into_iter()
                .map(|p| format!("{}: checksum mismatch", p.display()))
                .collect();
            bad.sort();
            report.damaged.extend(bad);
        }
        Err(e) => report.damaged.push(format!("checksums unreadable: {e}")),
    }
}

/// Every indexed article has a file state, and every file state an article.
fn compare_state(handle: &DatelineIndex, searcher: &tantivy::Searcher, report: &mut VerifyReport) {
    let Some(name) = &handle.meta.state_file else {
        return;
    };
    let Ok(files) = state::load_checked(&handle.path, name) else {
        return; // quick_problems says so.
    };
    let mut articles = 0u64;
    for segment in searcher.segment_readers() {
        let Ok(passages) = segment.fast_fields().u64(crate::schema::names::PASSAGE) else {
            report
                .damaged
                .push("a segment has no passage numbers".to_string());
            return;
        };
        articles += segment
            .doc_ids_alive()
            .filter(|&d| passages.first(d) == Some(1))
            .count() as u64;
    }
    if articles != files.len() as u64 {
        report.warnings.push(format!(
            "the file state lists {} files but the index holds {articles} articles: run \
             `dateline index --rebuild` to bring them together",
            files.len()
        ));
    }
}

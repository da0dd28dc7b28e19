//! Checking an index: the cheap checks `info` shows (file state, files no commit uses) and the full
//! check of `verify` (every file's checksum, every segment opened, the file state against the index).

use std::path::Path;

use tantivy::Index;

use super::files::{segment_files, truncated_files, unused_files};
use super::handle::{index_exists, refuse_non_folder, DatelineIndex};
use super::schema::names;
use super::{state, stories};
use crate::error::{Error, Result};

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    if let Some(name) = &handle.meta.stories_file {
        if let Err(why) = stories::load(&handle.path, name) {
            problems.push(format!(
                "story groups {name} {why}: copies are not collapsed until the next index run"
            ));
        }
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
    refuse_non_folder(dir)?;
    if !index_exists(dir) {
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
            compare_stories(&handle, &searcher, &mut report);
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

/// The commit's story groups are those its articles give (a warning: the next run writes them again).
fn compare_stories(
    handle: &DatelineIndex,
    searcher: &tantivy::Searcher,
    report: &mut VerifyReport,
) {
    let Some(name) = &handle.meta.stories_file else {
        return;
    };
    let Ok(stored) = stories::load(&handle.path, name) else {
        // Reported by `quick_problems`.
        return;
    };
    match stories::index_stories(searcher) {
        Ok(expected) if expected.as_slice() != stored.shared() => report.warnings.push(format!(
            "the story groups {name} ({} stories) are not those of the index's articles ({} \
             stories): the next index run writes them again",
            stored.shared().len(),
            expected.len()
        )),
        Ok(_) => {}
        Err(e) => report
            .damaged
            .push(format!("the story signatures do not read: {e}")),
    }
}

/// The index holds as many articles as the file state says its files gave.
fn compare_state(handle: &DatelineIndex, searcher: &tantivy::Searcher, report: &mut VerifyReport) {
    let Some(name) = &handle.meta.state_file else {
        return;
    };
    let Ok(files) = state::load_checked(&handle.path, name) else {
        return; // quick_problems says so.
    };
    let mut articles = 0u64;
    for segment in searcher.segment_readers() {
        let Ok(passages) = segment.fast_fields().u64(names::PASSAGE) else {
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
    let listed: u64 = files.values().map(|f| f.articles).sum();
    if articles != listed {
        report.warnings.push(format!(
            "the file state lists {listed} articles in {} files but the index holds {articles} \
             articles: a rebuild of the index brings them together",
            files.len()
        ));
    }
}

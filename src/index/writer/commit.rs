//! The last step of a run: one commit carrying the dateline metadata and naming the file state written
//! just before it, or, after a writer failure, a rollback that gives the space back. Then merges are
//! waited for and files no commit uses are removed.

use std::path::Path;

use tantivy::schema::TantivyDocument;
use tantivy::{IndexWriter, TantivyError};

use super::errors::write_error;
use super::{IndexEvent, NextState, MIN_MEMORY_PER_THREAD};
use crate::error::{Error, Result};
use crate::index::handle::{DatelineIndex, IndexMeta};
use crate::index::{state, stories};

/// Commits the run: the file state first (when it changed), then the index with `meta` as payload.
pub(super) fn commit(
    writer: &mut IndexWriter,
    dir: &Path,
    mut meta: IndexMeta,
    state: NextState,
) -> Result<()> {
    if let Some(e) = state.failed {
        return Err(e);
    }
    meta.last_indexed = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok();
    // An unchanged state keeps its file (the name is its hash); only a changed one is written.
    let state_name = match (meta.state_file.clone(), state.spill) {
        (_, Some(spill)) => spill.save(dir)?,
        (Some(name), None) if !state.changed && dir.join(&name).is_file() => name,
        (_, None) => state::save(dir, &state.files)?,
    };
    meta.state_file = Some(state_name.clone());
    let payload = serde_json::to_string(&meta).map_err(Error::Metadata)?;
    let mut prepared = writer.prepare_commit().map_err(|e| write_error(e, dir))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| write_error(e, dir))?;
    state::remove_others(dir, &state_name);
    stories::remove_others(dir, meta.stories_file.as_deref());
    Ok(())
}

/// Rolls back a run whose writer failed with `failure` and returns the error to report. Nothing is
/// committed; the last commit stays searchable.
pub(super) fn abandon(mut writer: IndexWriter, dir: &Path, failure: TantivyError) -> Error {
    // A writer thread failed; joining them tells why (the error `run` gives only says one stopped).
    let cause = match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(_) => failure,
    };
    // Give back the space the failed run took (on a full disk, that matters).
    if writer.rollback().is_ok() {
        let _ = writer.garbage_collect_files().wait();
    }
    write_error(cause, dir)
}

/// Drops what a run wrote without committing it (the run was stopped), and gives the space back.
pub(super) fn roll_back(mut writer: IndexWriter) {
    if writer.rollback().is_ok() {
        let _ = writer.garbage_collect_files().wait();
    }
}

/// After the commit: lets merges finish so the next run starts from a compact index, then drops files
/// no commit uses. The commit stands whatever happens here: a failed merge leaves more segments, not
/// less data.
pub(super) fn tidy(
    writer: IndexWriter,
    handle: &DatelineIndex,
    on_event: &mut impl FnMut(IndexEvent<'_>),
) {
    if let Err(e) = writer.wait_merging_threads() {
        on_event(IndexEvent::Notice {
            message: &format!("merging segments after the commit failed: {e}"),
        });
    }
    if let Ok(writer) = handle
        .index
        .writer_with_num_threads::<TantivyDocument>(1, MIN_MEMORY_PER_THREAD)
    {
        let _ = writer.garbage_collect_files().wait();
    }
}

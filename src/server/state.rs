//! What every request shares: the index folder, the token, and the open reader, reopened when a commit
//! has replaced the index's `meta.json` since it was opened (a commit by `dateline index` is seen by the
//! next request, without a restart).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use dateline::error::Result;
use dateline::index::Reader;

/// The state of a running server.
pub struct Shared {
    pub index: PathBuf,
    /// Every request must carry it when set.
    pub token: Option<String>,
    /// A Quickwit index to answer from instead of the local index.
    pub engine: Option<dateline::quickwit::EngineSpec>,
    open: Mutex<Option<(Stamp, Arc<Reader>)>>,
    /// Two turns per core for the work on the index (measured: one per core left the cores idle while
    /// answers were written; unbounded, 64 searches shared two cores and each took 64 times longer).
    turns: Arc<tokio::sync::Semaphore>,
}

/// What identifies a commit from outside: `meta.json`'s modification time and length (a commit writes
/// a new file and renames it into place).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(index: &std::path::Path) -> Stamp {
    let meta = std::fs::metadata(index.join("meta.json")).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Shared {
    pub fn new(
        index: PathBuf,
        token: Option<String>,
        engine: Option<dateline::quickwit::EngineSpec>,
    ) -> Shared {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Shared {
            index,
            token,
            engine,
            open: Mutex::new(None),
            turns: Arc::new(tokio::sync::Semaphore::new(cores * 2)),
        }
    }

    /// Waits for a turn on the index (two per core); the turn ends when the returned permit is
    /// dropped.
    pub async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.turns.clone().acquire_owned().await.ok()
    }

    /// The Quickwit index to answer from, opened for this request (its last push's manifest read
    /// again, so a push is seen by the next request), with the local index for fuzzy words when it is
    /// the one pushed; `None` for the local index (blocking).
    pub fn cluster(&self) -> Result<Option<dateline::quickwit::Cluster>> {
        let Some(spec) = &self.engine else {
            return Ok(None);
        };
        let mut cluster = dateline::quickwit::Cluster::open(spec)?;
        // The local index, when it is what was pushed there, expands fuzzy words.
        if dateline::index::index_exists(&self.index) {
            if let Ok(reader) = self.reader() {
                cluster.attach_local(&reader, &self.index);
            }
        }
        Ok(Some(cluster))
    }

    /// The reader of the index's last commit (blocking: call it off the async threads).
    pub fn reader(&self) -> Result<Arc<Reader>> {
        let now = stamp(&self.index);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((seen, reader)) = open.as_ref() {
            if *seen == now && now.is_some() {
                return Ok(reader.clone());
            }
        }
        let reader = Arc::new(Reader::open(&self.index)?);
        *open = Some((now, reader.clone()));
        Ok(reader)
    }
}

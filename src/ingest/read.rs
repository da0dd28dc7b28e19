//! Reading a file's bytes, bounded: no article is larger than [`MAX_FILE_BYTES`], and a file that is (or
//! grows to be while it is read) is skipped rather than held in memory.

use std::io::Read;
use std::path::Path;

use super::article::SkipReason;

/// Files larger than this are skipped: an article is never this big, and reading it would cost memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The whole content of the file at `path`, or why it is not read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, SkipReason> {
    let f = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let len = f
        .metadata()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Bounded even if the file grows while being read.
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

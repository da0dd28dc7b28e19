//! Turning tantivy's write errors into the library's: a busy lock is [`Error::Locked`], and a failure
//! with an I/O cause underneath (disk full, permission denied) is reported as that cause, so the user
//! reads "No space left on device" rather than a note about a writer thread.

use std::path::Path;

use tantivy::directory::error::{LockError, OpenWriteError};
use tantivy::TantivyError;

use crate::error::{Error, IoOp};

pub(super) fn map_writer_error(err: TantivyError, dir: &Path) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked(dir.to_path_buf()),
        other => write_error(other, dir),
    }
}

/// The I/O error underneath a tantivy error, when there is one (disk full, permission denied...).
fn io_cause(err: &TantivyError) -> Option<std::io::Error> {
    let found: Option<&std::io::Error> = match err {
        TantivyError::IoError(io) => Some(io),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    };
    if found.is_none() {
        // Some writer-thread failures reach us only as text ("... (os error 28)").
        if let TantivyError::InternalError(msg)
        | TantivyError::ErrorInThread(msg)
        | TantivyError::SystemError(msg) = err
        {
            let code = msg
                .rsplit_once("(os error ")
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(n, _)| n.parse::<i32>().ok());
            if let Some(code) = code {
                return Some(std::io::Error::from_raw_os_error(code));
            }
        }
    }
    let found = found.or_else(|| {
        let mut cause = std::error::Error::source(err);
        while let Some(c) = cause {
            if let Some(io) = c.downcast_ref::<std::io::Error>() {
                return Some(io);
            }
            cause = c.source();
        }
        None
    })?;
    Some(match found.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(found.kind(), found.to_string()),
    })
}

/// A failure while writing the index: the I/O cause when there is one, so the user reads "No space
/// left on device" rather than a note about a writer thread.
pub(super) fn write_error(err: TantivyError, dir: &Path) -> Error {
    match io_cause(&err) {
        Some(source) => Error::Io {
            op: IoOp::WriteIndex,
            path: dir.to_path_buf(),
            source,
        },
        None => Error::Tantivy(err),
    }
}

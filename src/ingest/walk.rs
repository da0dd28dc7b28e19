//! Walking corpus folders: every regular, non-hidden file below a root is an article candidate.
//!
//! Symbolic links are followed (a link loop is reported, not walked); hidden files and folders (a name
//! starting with `.`) are skipped, as are FIFOs, sockets and devices, which are never opened (opening a
//! FIFO would block). Entries come in file-name order, so ids and reports are deterministic.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::article::SkipReason;

/// A file found under a corpus root.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    /// Full path to read.
    pub path: PathBuf,
    /// The article id: the path below the root with `/` separators, prefixed with `LABEL:` for a
    /// secondary root.
    pub id: String,
    /// Where the path below the root starts in `id` (a walk holds every file it finds: the label and
    /// the relative path are not kept apart).
    rel_start: u32,
    /// Size in bytes when walked.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch when walked (0 when unknown).
    pub mtime_ns: i128,
}

impl CorpusFile {
    /// A file of the root labelled `label`, at `rel_path` below it.
    pub fn new(path: PathBuf, label: &str, rel_path: &str) -> CorpusFile {
        let id = article_id(label, rel_path);
        let rel_start = u32::try_from(id.len() - rel_path.len()).unwrap_or(0);
        CorpusFile {
            path,
            id,
            rel_start,
            size: 0,
            mtime_ns: 0,
        }
    }

    /// The path below the root with `/` separators (where path dates are read from).
    pub fn rel_path(&self) -> &str {
        self.id.get(self.rel_start as usize..).unwrap_or(&self.id)
    }

    /// The label of the root the file is under (empty for the first root of an index).
    pub fn label(&self) -> &str {
        match self.rel_start {
            0 => "",
            n => self.id.get(..n as usize - 1).unwrap_or(""),
        }
    }
}

/// One walk result: a file to read, or an entry that cannot be indexed and why.
#[derive(Debug)]
pub enum WalkItem {
    File(CorpusFile),
    Skip { path: PathBuf, reason: SkipReason },
}

/// The id of a file below a root: its relative path with `/` separators, prefixed by the root's label.
pub fn article_id(label: &str, rel_path: &str) -> String {
    if label.is_empty() {
        rel_path.to_string()
    } else {
        format!("{label}:{rel_path}")
    }
}

/// The id of `path`, a file or folder at or below `root`, with `label` the root's label. The one way ids
/// are made: a walked file's id, and the id prefix of a folder that could not be read, must agree.
pub fn id_below_root(root: &Path, path: &Path, label: &str) -> String {
    article_id(label, &rel_path_below(root, path))
}

/// `path` below `root` with `/` separators, each name as [`name_for_id`] writes it.
fn rel_path_below(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| name_for_id(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file or folder name as it appears in an id. A name that is not UTF-8 keeps every byte: each
/// invalid byte is written `%XX`, so two such names never share an id (a lossy U+FFFD would merge them).
pub fn name_for_id(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    if let Some(s) = name.to_str() {
        return std::borrow::Cow::Borrowed(s);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        std::borrow::Cow::Owned(out)
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy()
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Walks one corpus root. `label` prefixes the ids (empty for the first root of an index).
pub fn walk_root(root: &Path, label: &str) -> impl Iterator<Item = WalkItem> {
    walk_names(root, label).map(|item| match item {
        WalkItem::File(mut f) => {
            stat(&mut f);
            WalkItem::File(f)
        }
        skip => skip,
    })
}

/// Fills in a file's size and modification time (left 0 when the file cannot be read: it is then
/// opened, and skipped with the reason).
pub fn stat(file: &mut CorpusFile) {
    if let Ok(m) = std::fs::metadata(&file.path) {
        file.size = m.len();
        file.mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
    }
}

/// [`stat`] for many files on `threads` threads: on a re-run with few changes, looking the files up is
/// most of the work, and the kernel does it in parallel.
pub fn stat_all(files: &mut [CorpusFile], threads: usize) {
    let chunk = files.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        for part in files.chunks_mut(chunk) {
            scope.spawn(move || part.iter_mut().for_each(stat));
        }
    });
}

/// Like [`walk_root`], without size and time (0): call [`stat_all`] on the files.
pub fn walk_names(root: &Path, label: &str) -> impl Iterator<Item = WalkItem> {
    let label = label.to_string();
    let root_buf = root.to_path_buf();
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
        .filter_map(move |entry| match entry {
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root_buf.clone());
                let reason = if err.loop_ancestor().is_some() {
                    SkipReason::LinkLoop
                } else if let Some(io) = err.io_error() {
                    SkipReason::Unreadable(io.to_string())
                } else {
                    SkipReason::Unreadable(err.to_string())
                };
                Some(WalkItem::Skip { path, reason })
            }
            Ok(entry) => {
                let ft = entry.file_type();
                if ft.is_dir() {
                    return None;
                }
                let path = entry.path().to_path_buf();
                if !ft.is_file() {
                    return Some(WalkItem::Skip {
                        path,
                        reason: SkipReason::NotRegularFile,
                    });
                }
                let rel_path = rel_path_below(&root_buf, &path);
                Some(WalkItem::File(CorpusFile::new(path, &label, &rel_path)))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn ids_keep_the_bytes_of_names_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let root = Path::new("/corpus");
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9");
        let path = root.join(name).join("a.txt");
        assert_eq!(id_below_root(root, &path, ""), "caf%E9/a.txt");
        assert_eq!(id_below_root(root, &path, "more"), "more:caf%E9/a.txt");
        assert_eq!(id_below_root(root, root, ""), "");
        let f = CorpusFile::new(path.clone(), "more", "caf%E9/a.txt");
        assert_eq!(
            (f.id.as_str(), f.label(), f.rel_path()),
            ("more:caf%E9/a.txt", "more", "caf%E9/a.txt")
        );
        let f = CorpusFile::new(path, "", "a/b.txt");
        assert_eq!(
            (f.id.as_str(), f.label(), f.rel_path()),
            ("a/b.txt", "", "a/b.txt")
        );
    }
}

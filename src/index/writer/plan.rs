//! The first step of a run: walk the corpus roots and decide, from the previous run's file state, which
//! files to read (new ones, and those whose size or time changed or are too recent to trust), which are
//! unchanged, and which indexed articles have lost their files.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::index::state::CorpusState;
use crate::ingest::walk::{id_below_root, stat_all, walk_names, CorpusFile, WalkItem};
use crate::ingest::{format_of, SkipReason};

/// What a run will do.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Files to read, in walk order.
    pub files: Vec<CorpusFile>,
    /// Files whose size and time are as indexed.
    pub unchanged: u64,
    /// Indexed articles whose files are gone (and not below a folder that could not be read).
    pub missing: Vec<String>,
    /// Files and folders the walk could not use.
    pub skipped: Vec<(PathBuf, SkipReason)>,
}

/// Walks `roots` (each with its label) and compares what it finds with `previous`. Files modified after
/// `racy_after` (nanoseconds since the epoch) are read even when their size and time match.
/// With `forced_format` every file goes to the one reader; otherwise a name of no article format is
/// skipped.
pub(super) fn plan(
    roots: &[(PathBuf, String)],
    previous: &CorpusState,
    racy_after: i128,
    threads: usize,
    forced_format: bool,
) -> Plan {
    let mut plan = Plan::default();
    let mut walked = Vec::new();
    // Id prefixes of folders that could not be read: their articles are kept.
    let mut unreadable: Vec<String> = Vec::new();
    for (root, label) in roots {
        for item in walk_names(root, label) {
            match item {
                // A name that is no article format is skipped before it is read (and an article
                // indexed from it by an older dateline is removed, as its file is not walked).
                WalkItem::File(f) if !forced_format && format_of(&f.path).is_none() => {
                    plan.skipped.push((f.path, SkipReason::NotArticleFormat));
                }
                WalkItem::File(f) => walked.push(f),
                WalkItem::Skip { path, reason } => {
                    unreadable.push(id_below_root(root, &path, label));
                    plan.skipped.push((path, reason));
                }
            }
        }
    }
    stat_all(&mut walked, threads);
    let labels: HashSet<&str> = roots.iter().map(|(_, l)| l.as_str()).collect();
    let mut known = 0usize;
    let to_read: Vec<bool> = walked
        .iter()
        .map(|f| match previous.get(&f.id) {
            Some(p) => {
                known += 1;
                !(p.size == f.size
                    && p.mtime_ns == f.mtime_ns
                    && f.mtime_ns != 0
                    && f.mtime_ns < racy_after)
            }
            None => true,
        })
        .collect();
    plan.missing = missing_articles(previous, &labels, &walked, known, &unreadable);
    for (f, read) in walked.into_iter().zip(to_read) {
        if read {
            plan.files.push(f);
        } else {
            plan.unchanged += 1;
        }
    }
    plan
}

/// Articles of `previous` under the walked roots whose files were not found. Only looked for when fewer
/// of the indexed files were found (`known`) than are indexed under these roots.
fn missing_articles(
    previous: &CorpusState,
    labels: &HashSet<&str>,
    walked: &[CorpusFile],
    known: usize,
    unreadable: &[String],
) -> Vec<String> {
    let indexed_here = previous
        .values()
        .filter(|st| labels.contains(st.root.as_str()))
        .count();
    if known == indexed_here {
        return Vec::new();
    }
    let mut seen: Vec<&str> = walked.iter().map(|f| f.id.as_str()).collect();
    seen.sort_unstable();
    previous
        .iter()
        .filter(|(id, st)| {
            labels.contains(st.root.as_str()) && seen.binary_search(&id.as_str()).is_err()
        })
        .filter(|(id, _)| !unreadable.iter().any(|u| is_below(id, u)))
        .map(|(id, _)| id.clone())
        .collect()
}

/// Whether the article `id` is the file or folder `prefix`, or below it (an empty prefix, or one
/// ending in `:`, is a whole root).
fn is_below(id: &str, prefix: &str) -> bool {
    match id.strip_prefix(prefix) {
        Some(rest) => {
            prefix.is_empty() || prefix.ends_with(':') || rest.is_empty() || rest.starts_with('/')
        }
        None => false,
    }
}

/// The time after which a file is "racy" (see [`plan`]): two seconds before the last commit.
pub(super) fn racy_after(last_indexed: Option<&str>) -> i128 {
    /// Files modified less than this before the last commit are hashed even when size and time match.
    const RACY_WINDOW_NS: i128 = 2_000_000_000;
    last_indexed
        .and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .map_or(i128::MIN, |t| t.unix_timestamp_nanos() - RACY_WINDOW_NS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_folder_covers_the_articles_below_it_only() {
        assert!(is_below("2023/07/a.txt", "2023/07"));
        assert!(is_below("2023/07", "2023/07"));
        assert!(!is_below("2023/07b/a.txt", "2023/07"));
        assert!(!is_below("2023/0", "2023/07"));
        // The root of a secondary corpus: its id prefix is the label.
        assert!(is_below("more:x.txt", "more:"));
        assert!(is_below("x.txt", ""));
    }

    #[test]
    fn files_in_the_racy_window_are_read_again() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.txt"), "date 2023-01-01 Zinc.").expect("write");
        let roots = vec![(dir.path().to_path_buf(), String::new())];
        let first = plan(&roots, &CorpusState::new(), i128::MIN, 1, false);
        assert_eq!(first.files.len(), 1);
        let f = &first.files[0];
        let mut previous = CorpusState::new();
        previous.insert(
            f.id.clone(),
            crate::index::state::FileState {
                root: String::new(),
                size: f.size,
                mtime_ns: f.mtime_ns,
                hash: [0; 32],
                articles: 1,
            },
        );
        let trusted = plan(&roots, &previous, i128::MAX, 1, false);
        assert_eq!((trusted.files.len(), trusted.unchanged), (0, 1));
        let racy = plan(&roots, &previous, f.mtime_ns, 1, false);
        assert_eq!((racy.files.len(), racy.unchanged), (1, 0));
        assert!(racy.missing.is_empty());
        std::fs::remove_file(dir.path().join("a.txt")).expect("rm");
        let gone = plan(&roots, &previous, i128::MAX, 1, false);
        assert_eq!(gone.missing, vec![f.id.clone()]);
    }

    #[test]
    fn a_name_of_no_article_format_is_skipped_and_its_old_article_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.txt"), "date 2023-01-01 Zinc.").expect("write");
        std::fs::write(dir.path().join("README.md"), "# Zinc notes").expect("write");
        let roots = vec![(dir.path().to_path_buf(), String::new())];
        let first = plan(&roots, &CorpusState::new(), i128::MAX, 1, false);
        let read: Vec<&str> = first.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(read, ["a.txt"]);
        assert_eq!(first.skipped.len(), 1);
        assert!(first.skipped[0].0.ends_with("README.md"));
        assert_eq!(first.skipped[0].1, SkipReason::NotArticleFormat);
        // An index that took README.md as an article (before this rule) loses it.
        let mut previous = CorpusState::new();
        for id in ["a.txt", "README.md"] {
            previous.insert(
                id.to_string(),
                crate::index::state::FileState {
                    root: String::new(),
                    size: 0,
                    mtime_ns: 0,
                    hash: [0; 32],
                    articles: 1,
                },
            );
        }
        let again = plan(&roots, &previous, i128::MAX, 1, false);
        assert_eq!(again.missing, vec!["README.md".to_string()]);
    }
}

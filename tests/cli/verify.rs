//! `dateline verify` and the problems `info` reports: damage found and named, never a crash.

use crate::crash::{index_model, orphan_files, Corpus};
use crate::util::{code, stderr, stdout, Env};

fn verify_json(env: &Env) -> (i32, serde_json::Value) {
    let out = env.run(&["verify", "--format", "json"]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("verify JSON: {e}: {}{}", stdout(&out), stderr(&out)));
    (code(&out), report)
}

fn list(report: &serde_json::Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn flip_byte(path: &std::path::Path, at: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    let at = at.min(bytes.len() - 1);
    bytes[at] ^= 0xFF;
    std::fs::write(path, bytes).expect("write");
}

fn index_files(env: &Env, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(env.index())
        .expect("index dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn a_sound_index_verifies_and_damage_is_named() {
    let env = Env::new();
    let corpus = Corpus::new(env.corpus(), 5, 200);
    env.index_corpus();
    let (status, report) = verify_json(&env);
    assert_eq!(status, 0, "{report}");
    assert!(list(&report, "damaged").is_empty() && list(&report, "warnings").is_empty());
    let files = report["files_checked"].as_u64().unwrap_or_default();
    assert!(files >= 6, "{report}");
    assert_eq!(env.info()["problems"], serde_json::json!([]));
    assert_eq!(env.info()["articles"], corpus.model.len());

    // One flipped byte in the stored texts: that file is named, exit 1.
    let store = index_files(&env, "store");
    flip_byte(&store[0], 200);
    let (status, report) = verify_json(&env);
    assert_eq!(status, 1, "{report}");
    let damaged = list(&report, "damaged");
    let name = store[0]
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    assert_eq!(damaged.len(), 1, "{damaged:?}");
    assert!(damaged[0].contains(name.as_deref().unwrap_or("?")) && damaged[0].contains("checksum"));

    // A truncated postings file: named, and search fails with one line instead of a crash.
    let postings = index_files(&env, "idx");
    std::fs::write(&postings[0], b"short").expect("truncate");
    let (status, report) = verify_json(&env);
    assert_eq!(status, 1, "{report}");
    assert!(!list(&report, "damaged").is_empty());
    let out = env.run(&["search", "end"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("dateline verify"), "{}", stderr(&out));

    // A missing file, then an unreadable meta.json.
    std::fs::remove_file(&postings[0]).expect("rm");
    let (status, report) = verify_json(&env);
    assert_eq!(status, 1);
    assert!(list(&report, "damaged")
        .iter()
        .any(|d| d.contains("No such file")));
    std::fs::write(env.index().join("meta.json"), "{ not json").expect("write");
    let (status, report) = verify_json(&env);
    assert_eq!(status, 1);
    assert!(list(&report, "damaged")[0].contains("does not open"));
    let out = env.run(&["verify"]);
    assert!(stdout(&out).starts_with(&format!("{}: DAMAGED", env.index().display())));
}

#[test]
fn leftovers_and_a_lost_file_state_are_reported_and_then_repaired() {
    let env = Env::new();
    let corpus = Corpus::new(env.corpus(), 6, 100);
    env.index_corpus();
    // A segment file of a run killed before its commit: tantivy lists it in .managed.json first.
    let orphan = "0123456789abcdef0123456789abcdef.idx";
    std::fs::write(env.index().join(orphan), b"x").expect("write");
    let managed_path = env.index().join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_slice(&std::fs::read(&managed_path).expect("managed")).expect("list");
    managed.push(orphan.to_string());
    std::fs::write(&managed_path, serde_json::to_vec(&managed).expect("json")).expect("write");
    // A file dateline did not write is neither reported nor removed.
    std::fs::write(env.index().join("NOTES.txt"), b"mine").expect("write");
    std::fs::write(env.index().join(".tmpAbC123"), b"partial meta").expect("write");
    let state: Vec<_> = std::fs::read_dir(env.index())
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("dateline-state-"))
        .collect();
    assert_eq!(state.len(), 1);
    std::fs::write(&state[0], b"{ damaged").expect("write");

    let problems = env.info()["problems"].clone();
    let problems: Vec<String> = serde_json::from_value(problems).expect("problems list");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("is damaged") && problems[0].contains("reads every file"));
    assert!(problems[1].starts_with("2 file(s)"), "{problems:?}");
    let (status, report) = verify_json(&env);
    assert_eq!(status, 0, "warnings are not damage: {report}");
    assert_eq!(list(&report, "warnings").len(), 2, "{report}");

    // The next run reads everything again (nothing is lost or doubled) and removes the leftovers.
    env.index_corpus();
    assert_eq!(index_model(&env.index()), Ok(corpus.model.clone()));
    assert_eq!(orphan_files(&env.index()), vec!["NOTES.txt".to_string()]);
    assert_eq!(env.info()["problems"], serde_json::json!([]));
    assert_eq!(env.info()["articles"], corpus.model.len());
    assert_eq!(verify_json(&env).0, 0);
}

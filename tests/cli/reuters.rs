//! On the real archive (when `../shared/corpora/reuters-dev` exists): every name of
//! `../shared/eval/dev-names.tsv` must find exactly the listed articles in its date range.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::util::{code, stderr, stdout, Env};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

#[test]
fn names_find_exactly_the_listed_articles() {
    let corpus = shared().join("corpora/reuters-dev/articles");
    let names = shared().join("eval/dev-names.tsv");
    if !corpus.is_dir() || !names.is_file() {
        println!(
            "note: {} not found; skipping the real-corpus name test",
            corpus.display()
        );
        return;
    }
    let env = Env::new();
    let out = env.run(&["index", corpus.to_str().expect("utf-8"), "--quiet"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.info()["articles"], 10051);

    let table = std::fs::read_to_string(&names).expect("dev-names.tsv");
    let mut checked = 0;
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 4, "bad row: {line}");
        let (name, since, until) = (cols[0], cols[1], cols[2]);
        let expected: BTreeSet<String> = cols[3]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let quoted = format!("\"{name}\"");
        let out = env.run(&[
            "search", &quoted, "--since", since, "--until", until, "--all", "--format", "jsonl",
        ]);
        assert!(code(&out) <= 1, "{name}: {}", stderr(&out));
        let found: BTreeSet<String> = stdout(&out)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("jsonl");
                v["article"].as_str().expect("article").to_string()
            })
            .collect();
        let missing: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name} {since}..{until}: missing {missing:?}, extra {extra:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 60);
}

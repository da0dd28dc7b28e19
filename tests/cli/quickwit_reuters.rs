//! The Reuters dev archive pushed to a running Quickwit node: every name of
//! `../shared/eval/dev-names.tsv` must find the same articles (with the copies collapsed under
//! them) as the local index, timelines must count the same, and an incremental push that changes,
//! adds and deletes files must show only the new state.
//!
//! Runs when `DATELINE_QUICKWIT_URL` names a node's REST address (`http://127.0.0.1:7280`; the
//! Quickwit index `dateline-test-<pid>` is created and deleted), or is `standin` (the stand-in of
//! these tests, slower); otherwise it prints a note and passes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::quickwit::jsonl_hits;
use crate::standin::StandIn;
use crate::util::{code, hit_and_copies, stderr, Env};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Each hit and the copies under it, of `search ARGS --all --format jsonl`.
fn found(env: &Env, args: &[&str]) -> BTreeSet<String> {
    jsonl_hits(env, args)
        .iter()
        .flat_map(hit_and_copies)
        .collect()
}

fn timeline(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = env.run(&all);
    assert!(code(&out) <= 1, "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn the_reuters_archive_over_quickwit_finds_what_the_local_index_finds() {
    let articles = shared().join("corpora/reuters-dev/articles");
    let names = shared().join("eval/dev-names.tsv");
    let url = std::env::var("DATELINE_QUICKWIT_URL").unwrap_or_default();
    if url.is_empty() || !articles.is_dir() || !names.is_file() {
        println!(
            "note: set DATELINE_QUICKWIT_URL to a Quickwit node's address (and keep {} there) to run the Quickwit integration test; skipping it",
            articles.display()
        );
        return;
    }
    let standin = (url == "standin").then(StandIn::start);
    let url = standin.as_ref().map_or(url.clone(), |s| s.url.clone());
    let id = format!("dateline-test-{}", std::process::id());
    let engine = format!("{}/{id}", url.replace("http://", "quickwit://"));

    // The archive, and a small folder of our own to change.
    let env = Env::new();
    env.write("one.txt", "date 1987-03-10 Volcker spoke on tin.");
    env.write("two.txt", "date 1987-03-11 Yeutter spoke on tin.");
    env.write("three.txt", "date 1987-03-12 Baker spoke on tin.");
    let index = |env: &Env| {
        let out = env.run(&[
            "index",
            articles.to_str().expect("utf-8"),
            env.corpus().to_str().expect("utf-8"),
            "--quiet",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    };
    index(&env);
    let out = env.run(&["push", "--to", "quickwit", &url, "--index-id", &id]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    println!("{}", stderr(&out).trim());

    let table = std::fs::read_to_string(&names).expect("dev-names.tsv");
    let (mut checked, mut nonempty) = (0, 0);
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (name, since, until) = (cols[0], cols[1], cols[2]);
        let quoted = format!("\"{name}\"");
        let args = ["--since", since, "--until", until];
        let mut local_args = vec![quoted.as_str()];
        local_args.extend_from_slice(&args);
        let mut remote_args = local_args.clone();
        remote_args.extend_from_slice(&["--engine", &engine]);
        let local = found(&env, &local_args);
        nonempty += usize::from(!local.is_empty());
        assert_eq!(local, found(&env, &remote_args), "{name} {since}..{until}");
        checked += 1;
    }
    assert_eq!(checked, 60);
    // Fuzzy words, expanded from the local index that was pushed.
    for q in ["Volker~", "Yeuter~", "Reagen~", "Nakasone~2"] {
        let local = found(&env, &[q]);
        assert!(!local.is_empty(), "{q}");
        assert_eq!(local, found(&env, &[q, "--engine", &engine]), "{q}");
    }
    assert!(nonempty > 50, "most names are found: {nonempty}");
    for args in [
        vec!["Reagan", "Baker", "--by", "week"],
        vec!["\"Volcker\"", "--by", "day", "--within", "passage"],
        vec!["oil", "--by", "month", "--count", "articles"],
    ] {
        let mut remote = args.clone();
        remote.extend_from_slice(&["--engine", &engine]);
        assert_eq!(timeline(&env, &args), timeline(&env, &remote), "{args:?}");
    }

    // Change one file, add one, delete one: the next push shows only the new state.
    env.write("one.txt", "date 1987-03-10 Volcker spoke on copper.");
    env.write("four.txt", "date 1987-03-13 Lawson spoke on tin.");
    std::fs::remove_file(env.corpus().join("three.txt")).expect("rm");
    index(&env);
    let out = env.run(&["push", "--to", "quickwit", &url, "--index-id", &id]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The changed and the added file, and any article whose story the change regrouped.
    let summary = stderr(&out);
    assert!(summary.contains("pushed the changes"), "{summary}");
    assert!(summary.contains(" 1 removed"), "{summary}");
    let unchanged: u64 = summary
        .split(" unchanged")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the unchanged count");
    assert!(unchanged > 10_000, "{summary}");
    for q in ["spoke tin", "spoke copper", "Baker spoke", "Lawson"] {
        let remote = found(&env, &[q, "--engine", &engine]);
        assert_eq!(found(&env, &[q]), remote, "{q} after the incremental push");
    }

    if standin.is_none() {
        let client = dateline::quickwit::Client::new(&url).expect("client");
        let _ = client.delete(&format!("/api/v1/indexes/{id}"));
    }
}

//! `show`, `info`, `completions` and `man`.

use crate::util::{code, sample, stderr, stdout, Env};

#[test]
fn show_rebuilds_the_article_after_its_file_is_gone() {
    let env = Env::new();
    let long =
        "The council met again today and talked about the budget for the coming year. ".repeat(30);
    let text = format!(
        "date 2023-07-28 First   paragraph\nwraps here.\n\n{}\n\nLast one.\n",
        long.trim_end()
    );
    env.write("2023/a.txt", &text);
    env.index_corpus();
    std::fs::remove_dir_all(env.corpus()).expect("rm corpus");
    let out = env.run(&["show", "2023/a.txt", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["article"], "2023/a.txt");
    assert_eq!(v["date"], "2023-07-28");
    assert_eq!(v["headline"], "First paragraph wraps here.");
    let paragraphs: Vec<&str> = v["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| p.as_str().expect("string"))
        .collect();
    assert_eq!(
        paragraphs,
        vec!["First paragraph wraps here.", long.trim_end(), "Last one."]
    );
    assert!(v.get("highlights").is_none());
    // The long paragraph was several passages; `passages` gives each paragraph's range, and the text
    // output labels paragraphs with them, as hits do.
    let r = env.search_json(&["budget", "--all", "--per-article", "0"]);
    assert!(r.total_passages >= 3, "{}", r.total_passages);
    let ranges: Vec<(u64, u64)> = serde_json::from_value(v["passages"].clone()).expect("passages");
    let last = 1 + r.total_passages;
    assert_eq!(ranges, vec![(1, 1), (2, last), (last + 1, last + 1)]);
    let text = stdout(&env.run(&["show", "2023/a.txt"]));
    let labels: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(head, _)| head))
        .filter(|head| head.starts_with('¶'))
        .collect();
    let middle = format!("¶2-{last}");
    let end = format!("¶{}", last + 1);
    assert_eq!(labels, vec!["¶1", middle.as_str(), end.as_str()], "{text}");
    let budget_hit = r.hits.iter().map(|h| h.passage).max().unwrap_or(0);
    assert!((2..=last).contains(&budget_hit), "{budget_hit}");
}

/// `show --highlight` marks what `search` marks, fuzzy words and prefixes included.
#[test]
fn show_marks_fuzzy_and_prefix_matches() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    for query in ["Volker~", "Volck*", "volcker"] {
        let out = env.run(&[
            "show",
            "2022/volcker.txt",
            "--format",
            "json",
            "--highlight",
            query,
        ]);
        assert_eq!(code(&out), 0, "{query}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let p0 = v["paragraphs"][0].as_str().expect("p0");
        let marks: Vec<&str> = v["highlights"][0]
            .as_array()
            .expect("ranges")
            .iter()
            .filter_map(|r| Some(&p0[r[0].as_u64()? as usize..r[1].as_u64()? as usize]))
            .collect();
        assert_eq!(marks, vec!["Volcker"], "{query}");
    }
}

#[test]
fn show_highlights_and_formats() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let out = env.run(&[
        "show",
        "2023/07/niger.txt",
        "--format",
        "json",
        "--highlight",
        "bazoum OR soldiers",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p1 = v["paragraphs"][1].as_str().expect("p1");
    let range = &v["highlights"][1][0];
    let (a, b) = (
        range[0].as_u64().expect("a") as usize,
        range[1].as_u64().expect("b") as usize,
    );
    assert_eq!(&p1[a..b], "Bazoum");
    assert_eq!(v["highlights"][0].as_array().map(Vec::len), Some(0));
    assert_eq!(v["highlights"][2].as_array().map(Vec::len), Some(1));

    let out = env.run(&[
        "show",
        "2023/07/niger.txt",
        "--highlight",
        "bazoum",
        "--color",
        "always",
    ]);
    let text = stdout(&out);
    assert!(
        text.starts_with("\x1b[35m2023/07/niger.txt\x1b[0m  \x1b[32m2023-07-28"),
        "{text:?}"
    );
    assert!(text.contains("\x1b[1;31mBazoum\x1b[0m"), "{text:?}");
    let out = env.run(&[
        "show",
        "2023/07/niger.txt",
        "--highlight",
        "bazoum",
        "--format",
        "markdown",
    ]);
    let md = stdout(&out);
    assert!(md.starts_with("# The general who led a coup"), "{md}");
    assert!(md.contains("**Bazoum**"), "{md}");
}

#[test]
fn show_unknown_article_suggests_close_ids() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let out = env.run(&["show", "niger.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("no article 'niger.txt'") && err.contains("did you mean 2023/07/niger.txt"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn info_text_names_every_fact() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let out = env.run(&["info"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for needle in [
        "articles:       5",
        "passages:       9",
        "undated:        1 articles",
        "first date:     2022-03-15",
        "last date:      2024-01-28",
        &format!("schema version: {}", dateline::index::SCHEMA_VERSION),
        "corpus roots:",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let v = env.info();
    assert!(v["size_bytes"].as_u64().unwrap_or(0) > 0);
    assert!(v["last_indexed"].as_str().is_some_and(|s| s.len() >= 20));
    let root = v["roots"][0]["path"].as_str().expect("root path");
    assert!(root.ends_with("corpus"), "{root}");
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["completions", "bash"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("dateline") && stdout(&out).contains("--per-article"));
    let out = env.cmd().arg("man").output().expect("run");
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains(".TH dateline"), "{}", stdout(&out));
}

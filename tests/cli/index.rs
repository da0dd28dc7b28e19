//! `dateline index`: counts, skips, re-indexing, several roots, rebuild, schema version.

use crate::util::{code, sample, stderr, Env};

#[test]
fn indexes_and_counts_articles_passages_and_undated() {
    let env = Env::new();
    sample(&env);
    let out = env.index_corpus();
    let err = stderr(&out);
    assert!(
        err.contains("indexed 5 articles (9 passages, 1 undated)"),
        "{err}"
    );
    let info = env.info();
    assert_eq!(info["articles"], 5);
    assert_eq!(info["passages"], 9);
    assert_eq!(info["undated_articles"], 1);
    assert_eq!(info["first_date"], "2022-03-15");
    assert_eq!(info["last_date"], "2024-01-28");
    assert_eq!(info["schema_version"], dateline::schema::SCHEMA_VERSION);
}

#[test]
fn indexing_twice_gives_the_same_counts() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let first = env.info();
    env.index_corpus();
    let second = env.info();
    for key in [
        "articles",
        "passages",
        "undated_articles",
        "first_date",
        "last_date",
    ] {
        assert_eq!(first[key], second[key], "{key}");
    }
    // No passage is doubled: a word in one passage of one article is found once.
    let r = env.search_json(&["uranium", "--all", "--per-article", "0"]);
    assert_eq!(r.total_passages, 1);
}

#[test]
fn a_changed_file_replaces_its_old_passages() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 2023-01-01 The old text about zinc.\n\nSecond paragraph.\n",
    );
    env.index_corpus();
    env.write("a.txt", "date 2023-01-02 The new text about copper.\n");
    env.index_corpus();
    assert_eq!(env.search_json(&["zinc"]).total_passages, 0);
    let r = env.search_json(&["copper"]);
    assert_eq!(r.total_passages, 1);
    assert_eq!(r.hits[0].date.as_deref(), Some("2023-01-02"));
    assert_eq!(env.info()["passages"], 1);
}

#[test]
fn bad_files_are_skipped_with_a_reason_and_the_rest_indexed() {
    let env = Env::new();
    env.write("good.txt", "date 2023-01-01 A good article about zinc.\n");
    env.write("empty.txt", "");
    env.write("blank.txt", "date 2023-01-01\n\n   \n");
    env.write("binary.bin", b"\x89PNG\r\n\x1a\n\0\0\0IHDR");
    env.write("baddate.txt", "date 2023-02-30 An impossible date, zinc.\n");
    env.write("latin1.txt", b"date 2023-01-03 Caf\xe9 owners and zinc.\n");
    env.write(".hidden.txt", "date 2023-01-01 Hidden zinc.\n");
    env.write(".git/config.txt", "date 2023-01-01 Hidden folder zinc.\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env.corpus(), env.corpus().join("loop")).expect("symlink");
        std::os::unix::fs::symlink(
            env.corpus().join("nowhere.txt"),
            env.corpus().join("dangling.txt"),
        )
        .expect("symlink");
        let fifo = env.corpus().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.map(|s| s.success()).unwrap_or(false), "mkfifo");
    }
    let out = env.index_corpus();
    let err = stderr(&out);
    let expect = [
        ("empty.txt", "empty file"),
        ("blank.txt", "no text"),
        ("binary.bin", "binary file"),
        ("baddate.txt", "does not exist"),
        ("latin1.txt", "not valid UTF-8"),
    ];
    for (file, reason) in expect {
        let line = err.lines().find(|l| l.contains(file));
        let line = line.unwrap_or_else(|| panic!("no warning for {file}:\n{err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
    #[cfg(unix)]
    {
        assert!(
            err.lines()
                .any(|l| l.contains("loop") && l.contains("symbolic link loop")),
            "{err}"
        );
        assert!(
            err.lines()
                .any(|l| l.contains("dangling.txt") && l.contains("skipped")),
            "{err}"
        );
        assert!(
            err.lines()
                .any(|l| l.contains("pipe.txt") && l.contains("not a regular file")),
            "{err}"
        );
    }
    assert!(!err.contains("hidden"), "{err}");
    let r = env.search_json(&["zinc", "--all"]);
    let mut ids = crate::util::articles(&r.hits);
    ids.sort();
    assert_eq!(ids, vec!["baddate.txt", "good.txt", "latin1.txt"]);
    let undated = r
        .hits
        .iter()
        .find(|h| h.article == "baddate.txt")
        .map(|h| h.date.clone());
    assert_eq!(undated, Some(None));
}

#[test]
fn several_roots_get_stable_prefixed_ids() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc in the main corpus.\n");
    let wires = env.path().join("wires");
    std::fs::create_dir_all(&wires).expect("mkdir");
    std::fs::write(wires.join("a.txt"), "date 2023-01-02 Zinc on the wires.\n").expect("write");
    let corpus = env.corpus();
    let args = [
        "index",
        corpus.to_str().expect("utf-8"),
        wires.to_str().expect("utf-8"),
    ];
    for _ in 0..2 {
        let out = env.run(&args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let r = env.search_json(&["zinc", "--all"]);
        assert_eq!(crate::util::articles(&r.hits), vec!["a.txt", "wires:a.txt"]);
    }
    // Indexing the second root alone later keeps its label.
    let out = env.run(&["index", wires.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0);
    let r = env.search_json(&["zinc", "--all"]);
    assert_eq!(crate::util::articles(&r.hits), vec!["a.txt", "wires:a.txt"]);
    let info = env.info();
    assert_eq!(info["roots"].as_array().map(Vec::len), Some(2));
    assert_eq!(info["roots"][1]["label"], "wires");
}

#[test]
fn rebuild_starts_from_an_empty_index() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc.\n");
    env.write("b.txt", "date 2023-01-01 Zinc again.\n");
    env.index_corpus();
    std::fs::remove_file(env.corpus().join("b.txt")).expect("rm");
    env.index_corpus();
    assert_eq!(
        env.info()["articles"],
        2,
        "without --rebuild, articles of removed files stay"
    );
    let corpus = env.corpus();
    let out = env.run(&["index", corpus.to_str().expect("utf-8"), "--rebuild"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.info()["articles"], 1);
}

#[test]
fn an_index_of_another_schema_version_asks_for_a_rebuild() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc.\n");
    env.index_corpus();
    let meta_path = env.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).expect("meta.json");
    let current = format!(
        "\\\"schema_version\\\":{}",
        dateline::schema::SCHEMA_VERSION
    );
    let patched = meta.replace(&current, "\\\"schema_version\\\":999");
    assert_ne!(meta, patched, "payload not found in meta.json");
    std::fs::write(&meta_path, patched).expect("write meta");
    let out = env.run(&["search", "zinc"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("schema version 999") && err.contains("--rebuild"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Indexing into it without --rebuild is refused; --rebuild replaces it and keeps other files.
    std::fs::write(env.index().join("README.md"), "notes").expect("write readme");
    let corpus = env.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    assert_eq!(code(&env.run(&["index", corpus])), 2);
    let out = env.run(&["index", corpus, "--rebuild"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.search_json(&["zinc"]).total_passages, 1);
    assert!(env.index().join("README.md").is_file());
}

#[test]
fn quiet_prints_no_summary_and_the_summary_names_throughput() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc.\n");
    let corpus = env.corpus();
    let out = env.run(&["index", corpus.to_str().expect("utf-8"), "--quiet"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let out = env.run(&["index", corpus.to_str().expect("utf-8")]);
    let err = stderr(&out);
    assert!(
        err.contains("MB/s") && err.contains("0 files skipped"),
        "{err}"
    );
    assert!(
        !err.contains('\r'),
        "progress bar drawn when stderr is not a terminal: {err:?}"
    );
}

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
    assert_eq!(info["schema_version"], dateline::index::SCHEMA_VERSION);
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
    env.write("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0IHDR");
    env.write("README.md", "# Notes about zinc\n\nNot an article.\n");
    env.write("scans/page.pdf", b"%PDF-1.4 zinc");
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
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    // Skips make the run partial: exit status 3, and a last line saying so.
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    let skipped = if cfg!(unix) { 8 } else { 5 };
    assert!(
        err.lines()
            .last()
            .unwrap_or_default()
            .contains(&format!("partial run: {skipped} files or folders skipped")),
        "{err}"
    );
    let expect = [
        ("empty.txt", "empty file"),
        ("blank.txt", "no text"),
        ("binary.txt", "binary file"),
        ("README.md", "not an article format"),
        ("page.pdf", "not an article format"),
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
fn rebuild_starts_from_an_empty_index_and_keep_missing_keeps_gone_files() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc.\n");
    env.write("b.txt", "date 2023-01-01 Zinc again.\n");
    env.write("c.txt", "date 2023-01-01 Zinc once more.\n");
    env.index_corpus();
    let corpus = env.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    std::fs::remove_file(env.corpus().join("b.txt")).expect("rm");
    let out = env.run(&["index", corpus, "--keep-missing"]);
    assert!(
        stderr(&out).contains("0 removed, 2 unchanged"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        env.info()["articles"],
        3,
        "--keep-missing keeps the article of a gone file"
    );
    let out = env.run(&["index", corpus]);
    assert!(
        stderr(&out).contains("1 removed, 2 unchanged"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.info()["articles"], 2);
    let out = env.run(&["index", corpus, "--rebuild"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("2 added"), "{}", stderr(&out));
    assert_eq!(env.info()["articles"], 2);
}

/// Whether a line of stderr is the summary of an index run.
fn is_summary(line: &str) -> bool {
    line.starts_with("indexed ") || line.starts_with("the index is up to date with ")
}

/// The counts of the summary line: (added, updated, removed, unchanged, skipped).
fn counts(summary: &str) -> (u64, u64, u64, u64, u64) {
    let n = |word: &str| -> u64 {
        let at = summary
            .find(&format!(" {word}"))
            .unwrap_or_else(|| panic!("no '{word}' in {summary}"));
        summary[..at]
            .rsplit([' ', ':', ','])
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(u64::MAX)
    };
    (
        n("added"),
        n("updated"),
        n("removed"),
        n("unchanged"),
        n("skipped"),
    )
}

#[test]
fn re_runs_read_only_new_and_changed_files_and_remove_gone_ones() {
    let env = Env::new();
    for i in 0..5 {
        env.write(
            &format!("{i}.txt"),
            format!("date 2023-01-0{} Report {i} on zinc.\n", i + 1),
        );
    }
    let corpus = env.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    let run = || {
        let out = env.run(&["index", corpus]);
        let err = stderr(&out);
        let summary = err.lines().find(|l| is_summary(l)).unwrap_or_default();
        let c = counts(summary);
        assert_eq!(code(&out), if c.4 > 0 { 3 } else { 0 }, "{err}");
        c
    };
    assert_eq!(run(), (5, 0, 0, 0, 0));
    assert_eq!(run(), (0, 0, 0, 5, 0));
    // An unchanged run says what the index holds, not "indexed 0 articles".
    let again = stderr(&env.run(&["index", corpus]));
    assert!(
        again.contains("the index is up to date with 5 articles: 0 added"),
        "{again}"
    );
    assert!(!again.contains("indexed 0"), "{again}");
    // Touched but unchanged: read and hashed, not indexed again.
    let path = env.corpus().join("0.txt");
    let f = std::fs::File::options()
        .append(true)
        .open(&path)
        .expect("open");
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .expect("touch");
    drop(f);
    assert_eq!(run(), (0, 0, 0, 5, 0));
    // Changed, added, deleted, broken.
    env.write("1.txt", "date 2023-02-01 Report 1 on copper now.\n");
    env.write("new.txt", "date 2023-03-01 A new report on zinc.\n");
    std::fs::remove_file(env.corpus().join("2.txt")).expect("rm");
    env.write("3.txt", "");
    assert_eq!(run(), (1, 1, 1, 2, 1));
    let r = env.search_json(&["zinc", "--all"]);
    // 3.txt became empty: skipped, and its indexed article is kept rather than lost.
    assert_eq!(
        crate::util::articles(&r.hits),
        vec!["0.txt", "3.txt", "4.txt", "new.txt"]
    );
    assert_eq!(
        env.search_json(&["copper"]).hits[0].date.as_deref(),
        Some("2023-02-01")
    );
    assert_eq!(env.info()["articles"], 5);
    // One state file, the one the commit names.
    let states = std::fs::read_dir(env.index())
        .expect("index dir")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("dateline-state-")
        })
        .count();
    assert_eq!(states, 1);
}

#[test]
fn an_index_of_another_schema_version_asks_for_a_rebuild() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc.\n");
    env.index_corpus();
    let meta_path = env.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).expect("meta.json");
    let current = format!("\\\"schema_version\\\":{}", dateline::index::SCHEMA_VERSION);
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
    env.write("b.txt", "date 2023-01-02 More zinc.\n");
    let out = env.run(&["index", corpus.to_str().expect("utf-8")]);
    let err = stderr(&out);
    assert!(
        err.contains("MB/s")
            && err.contains("1 added, 0 updated, 0 removed, 1 unchanged, 0 skipped"),
        "{err}"
    );
    assert!(
        !err.contains('\r'),
        "progress bar drawn when stderr is not a terminal: {err:?}"
    );
}

/// The hostile fixture tree: every kind of bad file at once. The run completes, each skip is named
/// with its reason and counted, the exit status is 3 (partial), and everything readable is indexed.
#[cfg(unix)]
#[test]
fn a_hostile_tree_is_indexed_without_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let utf16 = |text: &str, little: bool| -> Vec<u8> {
        let mut bytes = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            bytes.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        bytes
    };
    env.write(
        "utf16le.txt",
        utf16("date 2023-01-02 Zinc little endian.", true),
    );
    env.write(
        "utf16be.txt",
        utf16("date 2023-01-02 Zinc big endian.", false),
    );
    env.write("bom.txt", "\u{FEFF}date 2023-01-02 Zinc after a BOM.");
    env.write("latin1.txt", b"date 2023-01-02 Zinc caf\xe9.".as_slice());
    let mut late_nul = b"date 2023-01-02 Zinc ".to_vec();
    late_nul.extend(b"filler ".repeat(2000));
    late_nul.extend(b"\0 tail.");
    env.write("late-nul.txt", late_nul);
    env.write("binary.txt", b"\x7fELF\x02\x01\x01\0\0\0\0\0");
    env.write("empty.txt", "");
    env.write("crlf.txt", "date 2023-01-02 Zinc one.\r\n\r\nZinc two.\r\n");
    env.write(
        "long-token.txt",
        format!("date 2023-01-02 zinc {} after.", "x".repeat(70_000)),
    );
    env.write(
        "long-line.txt",
        format!("date 2023-01-02 zinc {}", "word ".repeat(2_000_000)),
    );
    let big = std::fs::File::create(env.corpus().join("fifty-mb.txt")).expect("create");
    big.set_len(50 * 1024 * 1024).expect("sparse 50 MB file");
    for name in [&b"bad\xffname.txt"[..], &b"bad\xfename.txt"[..]] {
        let path = env.corpus().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "date 2023-01-02 Zinc under a non-UTF-8 name.").expect("write");
    }
    std::os::unix::fs::symlink(env.corpus(), env.corpus().join("loop")).expect("symlink");
    std::os::unix::fs::symlink("nowhere.txt", env.corpus().join("dangling.txt")).expect("symlink");
    let fifo = env.corpus().join("fifo.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let locked_file = env.write("locked/secret.txt", "date 2023-01-02 Zinc locked file.");
    let locked_dir = env.write("locked-dir/inner.txt", "date 2023-01-02 Zinc locked dir.");
    std::fs::set_permissions(&locked_file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked_dir = locked_dir.parent().expect("dir").to_path_buf();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads anything: then the two locked entries are indexed like the others.
    let permissions_apply = std::fs::read(&locked_file).is_err();
    if !permissions_apply {
        println!("note: running as root: permission-denied entries are readable and get indexed");
    }

    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let err = stderr(&out);
    assert_eq!(code(&out), 3, "{err}");
    let mut expect = vec![
        ("binary.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("fifty-mb.txt", "file too large (50 MiB, limit 16 MiB)"),
        ("loop", "symbolic link loop"),
        ("dangling.txt", "unreadable"),
        ("fifo.txt", "not a regular file"),
    ];
    if permissions_apply {
        expect.push(("secret.txt", "Permission denied"));
        expect.push(("locked-dir", "Permission denied"));
    }
    for (file, reason) in &expect {
        let line = err
            .lines()
            .find(|l| l.contains("skipped") && l.contains(file));
        let line = line.unwrap_or_else(|| panic!("no skip for {file}:\n{err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
    let summary = err.lines().find(|l| is_summary(l)).unwrap_or_default();
    assert_eq!(counts(summary).4, expect.len() as u64, "{summary}");
    for (file, warning) in [
        ("utf16le.txt", "UTF-16LE"),
        ("utf16be.txt", "UTF-16BE"),
        ("latin1.txt", "not valid UTF-8"),
        ("late-nul.txt", "NUL byte(s) replaced"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(warning)),
            "{file}: {err}"
        );
    }

    let r = env.search_json(&["zinc", "--all", "--copies", "show"]);
    let mut ids = crate::util::articles(&r.hits);
    ids.sort();
    let mut want = vec![
        "bad%FEname.txt",
        "bad%FFname.txt",
        "bom.txt",
        "crlf.txt",
        "late-nul.txt",
        "latin1.txt",
        "long-line.txt",
        "long-token.txt",
        "utf16be.txt",
        "utf16le.txt",
    ];
    if !permissions_apply {
        want.extend(["locked-dir/inner.txt", "locked/secret.txt"]);
        want.sort();
    }
    assert_eq!(ids, want);
    assert!(r
        .hits
        .iter()
        .all(|h| h.date.as_deref() == Some("2023-01-02")));
    // The long line is cut into passages of at most 150 words; the text after a 70 KB token is found.
    let long = env.search_json(&["word", "--all", "--per-article", "0"]);
    assert_eq!(long.total_passages, 2_000_001_u64.div_ceil(150));
    assert_eq!(
        env.search_json(&["after"]).hits[0].article,
        "long-token.txt"
    );
    let crlf = env.run(&["show", "crlf.txt", "--format", "json"]);
    let crlf: serde_json::Value = serde_json::from_slice(&crlf.stdout).expect("show json");
    assert_eq!(
        crlf["paragraphs"],
        serde_json::json!(["Zinc one.", "Zinc two."])
    );
}

/// A folder that cannot be read keeps its articles (its files may be back next time), also when its name
/// is not UTF-8: the guard must build the folder's id prefix the way the walk builds article ids
/// (`%XX` for each byte that is not UTF-8).
#[cfg(unix)]
#[test]
fn an_unreadable_folder_with_a_non_utf8_name_keeps_its_articles() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    env.write("top.txt", "date 2023-01-01 Zinc at the top.\n");
    let elsewhere = env.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    for name in ["a.txt", "b.txt"] {
        std::fs::write(
            elsewhere.join(name),
            "date 2023-01-02 Zinc in the folder.\n",
        )
        .expect("write");
    }
    let folder = env.corpus().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    std::os::unix::fs::symlink(&elsewhere, &folder).expect("symlink");
    env.index_corpus();
    let ids = crate::util::articles(&env.search_json(&["zinc", "--all", "--copies", "show"]).hits);
    assert_eq!(ids, vec!["caf%E9/a.txt", "caf%E9/b.txt", "top.txt"]);

    // The folder's target goes away: the link dangles, the folder is unreadable.
    std::fs::remove_dir_all(&elsewhere).expect("rm");
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    let err = stderr(&out);
    assert_eq!(code(&out), 3, "{err}");
    let summary = err.lines().find(|l| is_summary(l)).unwrap_or_default();
    assert_eq!(counts(summary), (0, 0, 0, 1, 1), "{err}");
    let ids = crate::util::articles(&env.search_json(&["zinc", "--all", "--copies", "show"]).hits);
    assert_eq!(ids, vec!["caf%E9/a.txt", "caf%E9/b.txt", "top.txt"]);
}

/// `dateline index` without a folder updates the folders the index was built from (not `./corpus`),
/// keeping their id prefixes.
#[test]
fn index_without_a_folder_updates_the_remembered_folders() {
    let env = Env::new();
    let (a, b) = (env.path().join("wire-a"), env.path().join("wire-b"));
    for (dir, name) in [(&a, "x.txt"), (&b, "y.txt")] {
        std::fs::create_dir_all(dir).expect("mkdir");
        std::fs::write(dir.join(name), "date 2023-01-01 Zinc news.\n").expect("write");
    }
    let out = env.run(&[
        "index",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    std::fs::write(b.join("z.txt"), "date 2023-01-02 More zinc news.\n").expect("write");
    // The working directory has no ./corpus: the remembered folders are used.
    let out = env.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    let summary = err.lines().find(|l| is_summary(l)).unwrap_or_default();
    assert_eq!(counts(summary), (1, 0, 0, 2, 0), "{err}");
    // x.txt and y.txt are one story (the same text): every copy listed.
    let ids = crate::util::articles(&env.search_json(&["zinc", "--all", "--copies", "show"]).hits);
    assert_eq!(ids, vec!["wire-b:y.txt", "wire-b:z.txt", "x.txt"]);
    assert_eq!(env.info()["roots"].as_array().map(Vec::len), Some(2));
}

/// A corpus folder that does not exist leaves no index behind; an index with nothing in it says so.
#[test]
fn a_missing_corpus_leaves_nothing_and_an_empty_index_says_so() {
    let env = Env::new();
    let out = env.run(&["index", "no-such-folder"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read corpus 'no-such-folder'"));
    assert!(!env.index().exists(), "an index was created");
    // Without a folder, a new index reads ./corpus; there is none here either.
    let out = env.run(&["index"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read corpus 'corpus'"));
    assert!(!env.index().exists(), "an index was created");

    std::fs::create_dir_all(env.corpus()).expect("mkdir");
    env.index_corpus();
    for args in [
        &["search", "zinc"][..],
        &["search", "zinc", "--format", "jsonl"],
        &["timeline", "zinc"],
    ] {
        let out = env.run(args);
        let err = stderr(&out);
        assert_eq!(code(&out), 1, "{args:?}: {err}");
        assert!(
            err.contains("is empty (hint: add articles with `dateline index"),
            "{args:?}: {err}"
        );
        assert!(!err.contains(" matches"), "{args:?}: {err}");
    }
}

/// A JSON Lines dump: one article per record, ids from the url, the id or `FILE#N`, bad records named
/// with their line; a changed dump replaces its articles, a removed one takes them all away.
#[test]
fn a_json_lines_dump_gives_one_article_per_record() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 Zinc in a text file.\n");
    let dump = [
        r#"{"url": "https://news.example/zinc-1", "title": "Zinc rises", "maintext": "Zinc rose in London.\n\nTraders cheered the zinc price.", "date_publish": "2023-07-28 14:05:00"}"#,
        r#"{"id": "wire-7", "text": "Zinc fell in Tokyo.", "date": "2023-07-29T09:00:00+09:00"}"#,
        "this line is not JSON",
        r#"{"body": "Zinc held steady in New York."}"#,
    ]
    .join("\n");
    env.write("dump.jsonl", &dump);
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("dump.jsonl") && l.contains("record 3: not JSON")),
        "{err}"
    );
    assert!(err.contains("indexed 4 articles"), "{err}");
    let r = env.search_json(&["zinc", "--all"]);
    let mut ids = crate::util::articles(&r.hits);
    ids.sort();
    assert_eq!(
        ids,
        [
            "a.txt",
            "dump.jsonl#4",
            "https://news.example/zinc-1",
            "wire-7"
        ]
    );
    let first = r
        .hits
        .iter()
        .find(|h| h.article == "https://news.example/zinc-1")
        .expect("the url record");
    assert_eq!(first.headline, "Zinc rises");
    assert_eq!(first.date.as_deref(), Some("2023-07-28"));
    // Two paragraphs: the second is passage 2.
    let all = env.search_json(&["traders", "--all", "--per-article", "0"]);
    assert_eq!(all.hits[0].passage, 2);
    let verify = env.run(&["verify", "--format", "json"]);
    assert_eq!(
        code(&verify),
        0,
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&verify.stdout).expect("json");
    assert_eq!(v["warnings"].as_array().map(Vec::len), Some(0), "{v}");

    // The dump changes: a record goes, another changes; the dump's articles are replaced.
    let changed = [
        r#"{"url": "https://news.example/zinc-1", "title": "Zinc rises again", "text": "Zinc rose once more."}"#,
        r#"{"body": "Zinc held steady in New York."}"#,
    ]
    .join("\n");
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("dump.jsonl", &changed);
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r = env.search_json(&["zinc", "--all"]);
    let mut ids = crate::util::articles(&r.hits);
    ids.sort();
    assert_eq!(
        ids,
        ["a.txt", "dump.jsonl#2", "https://news.example/zinc-1"]
    );
    assert!(r.hits.iter().any(|h| h.headline == "Zinc rises again"));
    assert_eq!(env.info()["articles"], 3);

    // The dump is removed: all of its articles go.
    std::fs::remove_file(env.corpus().join("dump.jsonl")).expect("rm");
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("2 removed"), "{}", stderr(&out));
    let r = env.search_json(&["zinc", "--all"]);
    assert_eq!(crate::util::articles(&r.hits), ["a.txt"]);
}

/// `--input-format` reads every file in one format whatever its name; `--field` names a record's
/// fields; a bad `--field` is a usage error.
#[test]
fn the_input_format_and_field_names_can_be_given() {
    let env = Env::new();
    env.write(
        "export.dat",
        "{\"guid\": \"g-1\", \"article_body\": \"Zinc rose.\", \"headline\": \"Zinc up\"}\n",
    );
    let corpus = env.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    let out = env.run(&["index", corpus]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("export.dat: not an article format"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--input-format"), "{}", stderr(&out));

    let out = env.run(&[
        "index",
        corpus,
        "--input-format",
        "jsonl",
        "--field",
        "text=article_body",
        "--field",
        "id=guid",
        "--field",
        "title=headline",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r = env.search_json(&["zinc"]);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(
        (r.hits[0].article.as_str(), r.hits[0].headline.as_str()),
        ("g-1", "Zinc up")
    );

    for bad in ["colour=red", "text", "text="] {
        let out = env.run(&["index", corpus, "--field", bad]);
        assert_eq!(code(&out), 2, "{bad}");
        assert!(
            stderr(&out).contains("PART=NAME") || stderr(&out).contains("part"),
            "{}",
            stderr(&out)
        );
    }
}

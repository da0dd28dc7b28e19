//! User errors: one line on stderr with a hint, exit status 2, never a panic.

use crate::util::{code, sample, stderr, Env};

fn assert_error(env: &Env, args: &[&str], needles: &[&str]) {
    let out = env.run(args);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err}");
    assert!(err.starts_with("dateline: "), "{err}");
    assert!(err.contains("hint:"), "{args:?}: no hint: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: missing {n:?} in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_index() {
    let env = Env::new();
    assert_error(
        &env,
        &["search", "niger"],
        &["no index at", "dateline index"],
    );
    assert_error(&env, &["info"], &["no index at"]);
    assert_error(&env, &["show", "a.txt"], &["no index at"]);
}

#[test]
fn bad_queries_name_the_column() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    assert_error(
        &env,
        &["search", "niger \"coup"],
        &["column 7", "unclosed quote"],
    );
    assert_error(
        &env,
        &["search", "(niger"],
        &["column 1", "unclosed parenthesis"],
    );
    assert_error(&env, &["search", "niger)"], &["column 6"]);
    assert_error(&env, &["search", "OR niger"], &["column 1"]);
    assert_error(&env, &["search", "a:(^"], &["column 3"]);
    assert_error(&env, &["search", "(*'\n"], &["syntax error"]);
    // A query starting with '-' comes after `--`, as in ripgrep.
    let out = env
        .cmd()
        .arg("search")
        .arg("--index")
        .arg(env.index())
        .args(["--", "- *"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no searchable words"),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .arg("search")
        .arg("--index")
        .arg(env.index())
        .args(["--format", "json", "--", "-coup niger"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_error(&env, &["search", ""], &["empty"]);
    let deep = format!("{}niger{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_error(&env, &["search", &deep], &["query rejected"]);
    // A query of only NOT x is everything without x: the articles never naming it, whole.
    let r = env.search_json(&["NOT niger", "--all", "--per-article", "0"]);
    assert_eq!((r.total_articles, r.total_passages), (2, 4));
    let mut articles: Vec<&str> = r.hits.iter().map(|h| h.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    assert_eq!(articles, ["2022/volcker.txt", "2024/ecowas.txt"]);
    // Within passages: every passage without it.
    let r = env.search_json(&[
        "NOT niger",
        "--all",
        "--per-article",
        "0",
        "--within",
        "passage",
    ]);
    assert_eq!(r.total_passages, 5);
}

#[test]
fn bad_dates_name_the_flag_and_value() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    assert_error(
        &env,
        &["search", "niger", "--since", "2023-02-30"],
        &["--since", "'2023-02-30'", "does not exist"],
    );
    assert_error(
        &env,
        &["search", "niger", "--until", "july"],
        &["--until", "'july'", "YYYY-MM-DD"],
    );
    assert_error(
        &env,
        &["search", "niger", "--on", "2023-13"],
        &["--on", "'2023-13'", "months run from 01 to 12"],
    );
    assert_error(
        &env,
        &["search", "niger", "--since", "1987-02-30"],
        &[
            "--since '1987-02-30': does not exist",
            "days to the end of their month",
        ],
    );
    assert_error(
        &env,
        &["search", "niger", "--since", "1200"],
        &["--since", "1678", "dates from 1678 to 2261 can be searched"],
    );
    assert_error(
        &env,
        &["search", "niger", "--since", "2024", "--until", "2023"],
        &["--since 2024-01-01 is after --until 2023-12-31"],
    );
}

#[test]
fn unwritable_output_and_missing_corpus() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let out = env.run(&[
        "search",
        "niger",
        "--output",
        "/nonexistent/dir/out.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot write output file '/nonexistent/dir/out.csv'"),
        "{}",
        stderr(&out)
    );
    assert_error(
        &env,
        &["index", "/nonexistent/corpus"],
        &["cannot read corpus '/nonexistent/corpus'"],
    );
}

/// `*oil` is not silently searched as `oil`: the error names the word and the hint the two ways out.
#[test]
fn a_leading_wildcard_is_an_error_with_a_hint() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    assert_error(
        &env,
        &["search", "*uranium"],
        &[
            "'*uranium' at column 1: a wildcard can only end a word",
            "hint: search uranium, or uranium* for the words that start with it",
        ],
    );
    assert_error(&env, &["timeline", "niger ?junta"], &["column 7"]);
}

/// An index path that names a file is one clear error, and the hint does not suggest a command that
/// would fail the same way.
#[test]
fn an_index_path_that_is_a_file() {
    let env = Env::new();
    sample(&env);
    let file = env.path().join("not-a-folder");
    std::fs::write(&file, "x").expect("write");
    let corpus = env.corpus();
    for args in [
        vec!["search", "niger"],
        vec!["timeline", "niger"],
        vec!["info"],
        vec!["verify"],
        vec!["show", "2022/volcker.txt"],
        vec!["index", corpus.to_str().expect("utf-8")],
    ] {
        let out = env
            .cmd()
            .args(&args)
            .arg("--index")
            .arg(&file)
            .output()
            .expect("run");
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("is not a folder"), "{args:?}: {err}");
        assert!(
            err.contains("hint: an index is a folder"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("dateline index CORPUS"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some("x"));
}

#[test]
fn clap_usage_errors_exit_2() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["search", "x", "--format", "xml"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
    let out = env
        .cmd()
        .args(["search", "x", "-n", "3", "--all"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
}

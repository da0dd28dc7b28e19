//! `push --to quickwit` and `--engine quickwit://`, against the stand-in node of [`crate::standin`]:
//! the same queries must find the same articles as the local index, incremental pushes must never
//! show two versions of an article, requests must stay under Quickwit's limits, and failures must
//! be retried or reported in one line.

use std::collections::BTreeSet;
use std::path::Path;

use crate::standin::StandIn;
use crate::util::{code, stderr, stdout, Env};

/// The bundled sample archive, indexed in a temp dir.
fn bundled() -> Env {
    let env = Env::new();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&from).expect("below the corpus");
            let bytes = std::fs::read(entry.path()).expect("read");
            env.write(rel.to_str().expect("utf-8"), bytes);
        }
    }
    env.index_corpus();
    env
}

fn push(env: &Env, node: &StandIn, id: &str) -> std::process::Output {
    env.run(&["push", "--to", "quickwit", &node.url, "--index-id", id])
}

/// Every hit of `search ARGS --all --format jsonl`, parsed, in order.
pub fn jsonl_hits(env: &Env, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--all", "--format", "jsonl"]);
    let out = env.run(&all);
    assert!(code(&out) <= 1, "search {args:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Article ids of every hit of a search, in order.
fn articles_of(env: &Env, args: &[&str]) -> Vec<String> {
    jsonl_hits(env, args)
        .iter()
        .map(|v| v["article"].as_str().expect("article").to_string())
        .collect()
}

/// The dates of every hit of a search, in order (`None` for undated).
fn dates_of(env: &Env, args: &[&str]) -> Vec<Option<String>> {
    jsonl_hits(env, args)
        .iter()
        .map(|v| v["date"].as_str().map(str::to_string))
        .collect()
}

/// Asserts that a command failed (exit 2) saying `says` on standard error.
fn fails_with(out: &std::process::Output, says: &str) {
    assert_eq!(code(out), 2, "{}", stderr(out));
    assert!(stderr(out).contains(says), "{}", stderr(out));
}

/// `search ... --format json` as JSON.
fn search_value(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = env.run(&all);
    assert!(code(&out) <= 1, "search {args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn set(v: Vec<String>) -> BTreeSet<String> {
    v.into_iter().collect()
}

const QUERIES: [&str; 12] = [
    "Niger",
    "coup junta",
    "\"Bazoum\"",
    "Niger -France",
    "Wagner OR Prigozhin",
    "\"military junta\"~3",
    "headline:Niger",
    "lede:coup",
    "elect*",
    "NOT Niger",
    "the election",
    "ECOWAS sanctions",
];

#[test]
fn the_same_queries_find_the_same_articles_and_passages_as_the_local_index() {
    let env = bundled();
    let node = StandIn::start();
    let out = push(&env, &node, "news");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("index created"), "{}", stderr(&out));
    let engine = node.engine("news");
    let mut nonempty = 0;
    for q in QUERIES {
        for within in ["article", "passage"] {
            for copies in ["collapse", "show"] {
                let base = ["--within", within, "--copies", copies, "--per-article", "0"];
                let mut local_args = vec![q];
                local_args.extend_from_slice(&base);
                let local = articles_of(&env, &local_args);
                let mut remote_args = local_args.clone();
                remote_args.extend_from_slice(&["--engine", &engine]);
                let remote = articles_of(&env, &remote_args);
                assert_eq!(
                    set(local.clone()),
                    set(remote.clone()),
                    "{q} within {within}, copies {copies}"
                );
                assert_eq!(local.len(), remote.len(), "{q} within {within}: hits");
                nonempty += usize::from(!local.is_empty());
            }
        }
    }
    assert!(nonempty >= 30, "most queries find something: {nonempty}");

    // Counts and the top hits' shape, as JSON.
    let local = search_value(&env, &["Niger"]);
    let remote = search_value(&env, &["Niger", "--engine", &engine]);
    assert_eq!(local["total_articles"], remote["total_articles"]);
    assert_eq!(local["total_stories"], remote["total_stories"]);
    assert_eq!(local["total_passages"], remote["total_passages"]);
    let hits = remote["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 10);
    assert!(
        hits.iter()
            .all(|h| !h["highlights"].as_array().expect("list").is_empty()),
        "snippets are marked"
    );
    let local = search_value(&env, &["Niger", "--within", "passage"]);
    let remote = search_value(&env, &["Niger", "--within", "passage", "--engine", &engine]);
    assert_eq!(local["total_passages"], remote["total_passages"]);
    assert_eq!(local["total_articles"], remote["total_articles"]);

    // Dates: the same hits within a range, by date.
    let dated = [
        "Niger",
        "--since",
        "2023-07-26",
        "--until",
        "2023-08",
        "--sort",
        "oldest",
    ];
    let local = articles_of(&env, &dated);
    let mut remote_args = dated.to_vec();
    remote_args.extend_from_slice(&["--engine", &engine]);
    let remote = articles_of(&env, &remote_args);
    assert!(!local.is_empty());
    assert_eq!(set(local), set(remote));
    let local = search_value(
        &env,
        &["Niger", "--since", "2023-07-26", "--until", "2023-08"],
    );
    let remote = search_value(
        &env,
        &[
            "Niger",
            "--since",
            "2023-07-26",
            "--until",
            "2023-08",
            "--engine",
            &engine,
        ],
    );
    assert_eq!(local["total_articles"], remote["total_articles"]);
    // Nothing in the dates: the same hint as for the local index.
    let local = env.run(&["search", "Niger", "--since", "2025-07"]);
    let remote = env.run(&["search", "Niger", "--since", "2025-07", "--engine", &engine]);
    assert_eq!((code(&local), code(&remote)), (1, 1));
    let hint =
        |out: &std::process::Output| stderr(out).split(" (hint: ").nth(1).map(str::to_string);
    assert!(hint(&remote).is_some_and(|h| h.contains("articles match outside these dates")));
    assert_eq!(hint(&local), hint(&remote));

    // By date, dated hits in order and the undated last, in both modes.
    for sort in ["oldest", "newest"] {
        for within in ["article", "passage"] {
            let args = [
                "Niger",
                "--sort",
                sort,
                "--within",
                within,
                "--per-article",
                "2",
            ];
            let local = dates_of(&env, &args);
            assert_eq!(local.last(), Some(&None), "an undated article matches");
            let mut remote_args = args.to_vec();
            remote_args.extend_from_slice(&["--engine", &engine]);
            assert_eq!(
                local,
                dates_of(&env, &remote_args),
                "{sort} within {within}"
            );
        }
    }
    let searches = node
        .lock()
        .requests
        .iter()
        .filter(|(_, p, b)| p.ends_with("/search") && b.contains("start_timestamp"))
        .count();
    assert!(
        searches > 0,
        "date filters go as start_timestamp/end_timestamp"
    );
}

#[test]
fn timelines_show_and_info_agree_with_the_local_index() {
    let env = bundled();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "news")), 0);
    let engine = node.engine("news");
    for args in [
        vec![
            "timeline", "Niger", "coup", "--by", "month", "--format", "json",
        ],
        vec![
            "timeline", "Niger", "--by", "week", "--within", "passage", "--format", "json",
        ],
        vec![
            "timeline", "election", "--by", "year", "--share", "--format", "json",
        ],
    ] {
        let local = env.run(&args);
        let mut remote_args = args.clone();
        remote_args.extend_from_slice(&["--engine", &engine]);
        let remote = env.run(&remote_args);
        assert_eq!(code(&remote), 0, "{}", stderr(&remote));
        let l: serde_json::Value = serde_json::from_slice(&local.stdout).expect("json");
        let r: serde_json::Value = serde_json::from_slice(&remote.stdout).expect("json");
        assert_eq!(l, r, "{args:?}");
    }
    let first = search_value(&env, &["Bazoum"]);
    let article = first["hits"][0]["article"]
        .as_str()
        .expect("a hit")
        .to_string();
    let local = env.run(&[
        "show",
        &article,
        "--format",
        "json",
        "--highlight",
        "Bazoum",
    ]);
    let remote = env.run(&[
        "show",
        &article,
        "--format",
        "json",
        "--highlight",
        "Bazoum",
        "--engine",
        &engine,
    ]);
    assert_eq!(code(&remote), 0, "{}", stderr(&remote));
    assert_eq!(stdout(&local), stdout(&remote));
    let unknown = env.run(&["show", "no/such.txt", "--engine", &engine]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no article 'no/such.txt'"),
        "{}",
        stderr(&unknown)
    );

    let info = env.info();
    let out = env.run(&["info", "--format", "json", "--engine", &engine]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let remote: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for key in [
        "articles",
        "passages",
        "undated_articles",
        "first_date",
        "last_date",
        "stories",
    ] {
        assert_eq!(info[key], remote[key], "{key}");
    }

    let list = env.path().join("names.txt");
    std::fs::write(&list, "Niger\nBazoum\nnothing-like-this\n").expect("write");
    let list = list.to_str().expect("utf-8");
    let local = env.run(&["batch", list, "--format", "json"]);
    let remote = env.run(&["batch", list, "--format", "json", "--engine", &engine]);
    assert_eq!(code(&remote), 0, "{}", stderr(&remote));
    let l: serde_json::Value = serde_json::from_slice(&local.stdout).expect("json");
    let r: serde_json::Value = serde_json::from_slice(&remote.stdout).expect("json");
    for (a, b) in l
        .as_array()
        .expect("rows")
        .iter()
        .zip(r.as_array().expect("rows"))
    {
        // The top article depends on scores, which differ between engines.
        for key in [
            "query",
            "articles",
            "passages",
            "stories",
            "first_date",
            "last_date",
        ] {
            assert_eq!(a[key], b[key], "{key} of {}", a["query"]);
        }
    }
}

#[test]
fn an_incremental_push_sends_changes_and_never_shows_two_versions() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 1987-03-02 Tin prices rose in London.\n\nTraders cited Bolivia.",
    );
    env.write("b.txt", "date 1987-03-03 Tin miners struck in Bolivia.");
    env.write("c.txt", "date 1987-03-04 Coffee fell.");
    env.write("undated.txt", "Tin talks without a date.");
    env.index_corpus();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "tin")), 0);
    let engine = node.engine("tin");
    assert_eq!(
        set(articles_of(&env, &["tin", "--engine", &engine])),
        set(vec!["a.txt".into(), "b.txt".into(), "undated.txt".into()])
    );
    // Undated articles are kept, and left out of a date range.
    assert_eq!(
        articles_of(&env, &["tin", "--since", "1987", "--engine", &engine]).len(),
        2
    );
    let undated: Vec<_> = node
        .lock()
        .docs
        .iter()
        .filter(|d| d.get("article").is_some_and(|a| a == "undated.txt"))
        .map(|d| (d["timestamp"].clone(), d["dated"].clone()))
        .collect();
    assert!(
        undated
            .iter()
            .all(|(t, d)| t == "1970-01-01T00:00:00Z" && d == 0),
        "{undated:?}"
    );

    // Change a, add d, remove c; an unchanged b is not sent again.
    env.write("a.txt", "date 1987-03-02 Copper prices rose in London.");
    env.write("d.txt", "date 1987-03-05 Tin stocks fell.");
    std::fs::remove_file(env.corpus().join("c.txt")).expect("rm");
    env.index_corpus();
    let before = node.lock().docs.len();
    let out = push(&env, &node, "tin");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 articles (2 passages) sent, 2 unchanged, 1 removed"),
        "{}",
        stderr(&out)
    );
    // 2 articles of 1 passage each: 2 passage and 2 article documents, and a manifest.
    assert_eq!(node.lock().docs.len(), before + 5);
    // Quickwit has not applied the deletes yet: the old a.txt and c.txt are still there, unseen.
    assert_eq!(
        set(articles_of(&env, &["tin", "--engine", &engine])),
        set(vec!["b.txt".into(), "d.txt".into(), "undated.txt".into()])
    );
    assert_eq!(
        articles_of(&env, &["copper", "--engine", &engine]),
        vec!["a.txt".to_string()]
    );
    assert!(articles_of(&env, &["coffee", "--engine", &engine]).is_empty());
    let hits = search_value(
        &env,
        &["prices", "--engine", &engine, "--within", "passage"],
    );
    assert_eq!(hits["total_passages"], 1, "one version of a.txt");
    node.apply_deletes();
    assert_eq!(
        articles_of(&env, &["copper", "--engine", &engine]),
        vec!["a.txt".to_string()]
    );
    assert!(articles_of(&env, &["coffee", "--engine", &engine]).is_empty());

    // Nothing changed: nothing is sent, and the deleted versions leave the manifest.
    let out = push(&env, &node, "tin");
    assert!(
        stderr(&out).contains("0 articles (0 passages) sent, 4 unchanged, 0 removed"),
        "{}",
        stderr(&out)
    );
    let manifest = node
        .lock()
        .docs
        .iter()
        .filter(|d| d.get("kind").is_some_and(|k| k == "m"))
        .map(|d| d["gen"].as_u64().unwrap_or(0))
        .max();
    assert_eq!(manifest, Some(3));
    assert_eq!(
        set(articles_of(&env, &["tin", "--engine", &engine])),
        set(vec!["b.txt".into(), "d.txt".into(), "undated.txt".into()])
    );
    // Again: nothing to send, and no new generation.
    let before = node.lock().docs.len();
    let out = push(&env, &node, "tin");
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("nothing to push"), "{}", stderr(&out));
    assert_eq!(node.lock().docs.len(), before);
}

#[test]
fn an_interrupted_push_is_invisible_and_a_lost_memory_pushes_everything_again() {
    let env = Env::new();
    env.write("a.txt", "date 1987-03-02 Tin prices rose.");
    env.write("b.txt", "date 1987-03-03 Tin miners struck.");
    env.index_corpus();
    let node = StandIn::start();
    // The manifest's request fails every time: the push stops after sending its documents.
    node.lock().failures = (0..3)
        .map(|_| ("\"kind\":\"m\"".to_string(), 500))
        .collect();
    let out = env.run(&[
        "push",
        "--to",
        "quickwit",
        &node.url,
        "--index-id",
        "tin",
        "--retries",
        "2",
    ]);
    assert_eq!(code(&out), 2);
    let sent = node.lock().docs.len();
    assert_eq!(sent, 4, "two articles of one passage each were sent");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("HTTP 500"), "{}", stderr(&out));
    let engine = node.engine("tin");
    let out = env.run(&["search", "tin", "--engine", &engine]);
    assert_eq!(code(&out), 2, "nothing pushed yet");
    assert!(
        stderr(&out).contains("nothing has been pushed"),
        "{}",
        stderr(&out)
    );
    node.lock().failures.clear();
    assert_eq!(code(&push(&env, &node, "tin")), 0);
    assert_eq!(
        articles_of(&env, &["tin", "--engine", &engine]).len(),
        2,
        "each article once"
    );

    // Without the memory of the last push, everything is sent under a generation of its own.
    std::fs::remove_dir_all(env.index().join("quickwit")).expect("rm memory");
    let out = push(&env, &node, "tin");
    assert!(
        stderr(&out).contains("pushed every article"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        articles_of(&env, &["tin", "--engine", &engine]).len(),
        2,
        "each article once"
    );
}

#[test]
fn busy_and_failing_nodes_are_retried_then_reported_in_one_line() {
    let env = Env::new();
    env.write("a.txt", "date 1987-03-02 Tin prices rose.");
    env.index_corpus();
    let node = StandIn::start();
    node.lock().failures = vec![("/ingest".into(), 429), ("/ingest".into(), 503)];
    let out = push(&env, &node, "tin");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ingests = node
        .lock()
        .requests
        .iter()
        .filter(|(_, p, _)| p.contains("/ingest"))
        .count();
    assert_eq!(
        ingests, 4,
        "two failures retried, then the documents and the manifest"
    );

    // A node that is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let out = env.run(&[
        "search",
        "tin",
        "--engine",
        &format!("quickwit://127.0.0.1:{port}/tin"),
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("Quickwit at http://127.0.0.1:") && err.contains("hint:"),
        "{err}"
    );

    // An unknown index, a bad address, a fuzzy word, a bad answer.
    let engine = node.engine("tin");
    let out = env.run(&["search", "tin", "--engine", &node.engine("other")]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`other` not found") && stderr(&out).contains("dateline push"),
        "{}",
        stderr(&out)
    );
    for bad in ["http://x:7280/tin", "quickwit://x:7280"] {
        let out = env.run(&["search", "tin", "--engine", bad]);
        assert_eq!(code(&out), 2, "{bad}");
        assert!(
            stderr(&out).contains("invalid search engine"),
            "{}",
            stderr(&out)
        );
    }
    let out = env.run(&["push", "--to", "quickwit", &node.url, "--index-id", "t1"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("'t1' is not a Quickwit index id (hint: a Quickwit index id is a letter"),
        "{}",
        stderr(&out)
    );
    // Fuzzy words need the local index that was pushed: elsewhere they are refused.
    let out = env
        .cmd()
        .args(["search", "tinn~", "--engine", &engine, "--index"])
        .arg(env.path().join("no-index"))
        .output()
        .expect("run");
    fails_with(&out, "fuzzy");
    let out = env
        .cmd()
        .args(["search", "tin"])
        .env("DATELINE_ENGINE", &engine)
        .arg("--index")
        .arg(env.index())
        .output()
        .expect("run");
    assert_eq!(
        code(&out),
        0,
        "DATELINE_ENGINE names the engine: {}",
        stderr(&out)
    );
    node.lock().failures = (0..5).map(|_| ("/search".to_string(), 502)).collect();
    let out = env.run(&["search", "tin", "--engine", &engine]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("HTTP 502") && stderr(&out).contains("after 3 tries"),
        "{}",
        stderr(&out)
    );
    node.lock().failures = vec![("_search".to_string(), 200)];
    let out = env.run(&["search", "tin", "--engine", &engine]);
    fails_with(&out, "the answer is not JSON");
    // A split that failed: the answer is partial, and said to be.
    node.lock().failures = vec![("/tin/search".to_string(), 206)];
    let out = env.run(&["search", "tin", "--engine", &engine]);
    fails_with(&out, "the answer is partial");
    let out = env.run(&["push", "--to", "elastic", &node.url]);
    fails_with(&out, "quickwit is the one engine");
}

#[test]
fn pushes_are_split_into_requests_under_the_size_asked_for() {
    let env = Env::new();
    for i in 0..60 {
        let body = format!(
            "date 1987-03-{:02} Tin report {i}.\n\n{}",
            1 + i % 28,
            "Prices of tin and copper moved. ".repeat(80)
        );
        env.write(&format!("t{i:02}.txt"), body);
    }
    env.index_corpus();
    let node = StandIn::start();
    let reader = dateline::index::Reader::open(&env.index()).expect("open");
    let client = dateline::quickwit::Client::new(&node.url).expect("client");
    let mut options = dateline::quickwit::push::PushOptions::new("tin");
    options.request_bytes = 64 * 1024;
    let mut events = Vec::new();
    let report = dateline::quickwit::push::push(&reader, &env.index(), &client, &options, |e| {
        events.push(e)
    })
    .expect("push");
    assert_eq!(report.sent_articles, 60);
    let sizes: Vec<usize> = node
        .lock()
        .requests
        .iter()
        .filter(|(_, p, _)| p.contains("/ingest"))
        .map(|(_, _, b)| b.len())
        .collect();
    assert!(sizes.len() > 3, "{sizes:?}");
    assert!(sizes.iter().all(|&s| s <= 64 * 1024), "{sizes:?}");
    assert_eq!(
        report.requests as usize,
        sizes.len(),
        "the documents, then the manifest"
    );
    assert!(matches!(
        events.first(),
        Some(dateline::quickwit::push::PushEvent::Start {
            articles: 60,
            full: true
        })
    ));
    // The index config carries dateline's tokens in whitespace fields, and a timestamp.
    let config = node.lock().config.clone().expect("created");
    assert_eq!(config["doc_mapping"]["timestamp_field"], "timestamp");
    let stem = config["doc_mapping"]["field_mappings"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "stem")
        .cloned()
        .expect("stem");
    assert_eq!(stem["tokenizer"], "whitespace");
    assert_eq!(stem["record"], "position");
}

#[test]
fn serve_answers_from_quickwit_as_the_command_line_does() {
    let env = bundled();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "news")), 0);
    let engine = node.engine("news");
    let server = crate::serve::Server::start(&env, &["--engine", &engine]);
    let page = server.get("/api/search?q=Niger&n=5");
    assert_eq!(page.status, 200, "{}", page.body);
    let cli = search_value(&env, &["Niger", "-n", "5", "--engine", &engine]);
    assert_eq!(page.json()["hits"], cli["hits"]);
    assert_eq!(page.json()["total_articles"], cli["total_articles"]);
    let export = server.get("/api/search.jsonl?q=Niger");
    assert_eq!(export.status, 200);
    let exported: Vec<String> = export
        .body
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("jsonl")["article"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(exported, articles_of(&env, &["Niger", "--engine", &engine]));
    let t = server.get("/api/timeline?q=Niger&by=month");
    assert_eq!(t.status, 200, "{}", t.body);
    let out = env.run(&["timeline", "Niger", "--by", "month", "--format", "json"]);
    let local: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(t.json(), local);
    let article = cli["hits"][0]["article"].as_str().expect("id").to_string();
    let a = server.get(&format!("/api/articles/{article}?highlight=Niger"));
    assert_eq!(a.status, 200, "{}", a.body);
    let out = env.run(&["show", &article, "--format", "json", "--highlight", "Niger"]);
    assert_eq!(
        a.json(),
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    );
    let info = server.get("/api/info");
    assert_eq!(info.json()["articles"], env.info()["articles"]);
    assert_eq!(info.json()["engine"], "quickwit");
    // Fuzzy words expand from the local index that was pushed, as on the command line.
    let fuzzy = server.get("/api/search?q=Tchani~&n=50");
    assert_eq!(fuzzy.status, 200, "{}", fuzzy.body);
    let cli = search_value(&env, &["Tchani~", "-n", "50", "--engine", &engine]);
    assert_eq!(fuzzy.json()["hits"], cli["hits"]);
    assert!(!cli["hits"].as_array().expect("hits").is_empty());
    server
        .get("/api/related?q=Niger")
        .assert_error(501, "local index");
    // The cluster failing: a JSON error with a status, not a page of HTML.
    node.lock().failures = (0..5).map(|_| ("_search".to_string(), 503)).collect();
    server
        .get("/api/search?q=Niger")
        .assert_error(502, "HTTP 503");
}

#[test]
fn exports_reach_past_the_10000_hits_that_paging_reaches() {
    let env = Env::new();
    for i in 0..2_600 {
        env.write(
            &format!("{}/t{i:04}.txt", i % 10),
            format!(
                "date 1987-{:02}-{:02} Tin report {i}.\n\nTin moved.\n\nTin again.\n\nTin closed.",
                1 + i % 12,
                1 + i % 28
            ),
        );
    }
    env.index_corpus();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "tin")), 0);
    let engine = node.engine("tin");
    let args = [
        "tin",
        "--within",
        "passage",
        "--per-article",
        "0",
        "--copies",
        "show",
    ];
    let local = articles_of(&env, &args);
    assert_eq!(local.len(), 10_400);
    let mut remote_args = args.to_vec();
    remote_args.extend_from_slice(&["--engine", &engine]);
    let remote = articles_of(&env, &remote_args);
    assert_eq!(remote.len(), 10_400);
    assert_eq!(set(local), set(remote));
    let scrolled = node
        .lock()
        .requests
        .iter()
        .filter(|(_, p, _)| p.contains("scroll"))
        .count();
    assert!(scrolled > 0, "past 10,000 hits the export scrolls");
}

#[test]
fn a_hit_names_the_passages_holding_the_words_it_lacks() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 1987-03-02 Tin prices rose in London.\n\nTraders met.\n\nBolivia cut exports.",
    );
    env.write("b.txt", "date 1987-03-03 Tin and Bolivia, side by side.");
    env.index_corpus();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "tin")), 0);
    let engine = node.engine("tin");
    let also = |args: &[&str]| -> Vec<(String, Vec<u64>)> {
        let v = search_value(&env, args);
        v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                let passages = h["also"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x["passage"].as_u64()).collect())
                    .unwrap_or_default();
                (h["article"].as_str().expect("id").to_string(), passages)
            })
            .collect()
    };
    let mut local = also(&["tin bolivia"]);
    let mut remote = also(&["tin bolivia", "--engine", &engine]);
    local.sort();
    remote.sort();
    assert_eq!(local, remote);
    assert!(remote.iter().any(|(_, a)| !a.is_empty()), "{remote:?}");
}

#[test]
fn fuzzy_words_are_expanded_from_the_local_index_that_was_pushed() {
    let env = bundled();
    let node = StandIn::start();
    assert_eq!(code(&push(&env, &node, "news")), 0);
    let engine = node.engine("news");
    for q in [
        "Tchani~",
        "Bazum~",
        "juntta~2",
        "Niger Tchiany~",
        "headline:Tchiany~",
    ] {
        for within in ["article", "passage"] {
            let local = articles_of(&env, &[q, "--within", within]);
            let remote = articles_of(&env, &[q, "--within", within, "--engine", &engine]);
            assert_eq!(set(local.clone()), set(remote), "{q} within {within}");
            if !q.starts_with("headline") {
                assert!(!local.is_empty(), "{q} finds something");
            }
        }
    }
    let local = search_value(&env, &["Tchani~"]);
    let remote = search_value(&env, &["Tchani~", "--engine", &engine]);
    let marked = |v: &serde_json::Value| -> Vec<String> {
        let h = &v["hits"][0];
        let snippet = h["snippet"].as_str().expect("snippet");
        h["highlights"]
            .as_array()
            .expect("highlights")
            .iter()
            .map(|r| {
                let (a, b) = (r[0].as_u64().expect("start"), r[1].as_u64().expect("end"));
                snippet[a as usize..b as usize].to_string()
            })
            .collect()
    };
    assert!(
        marked(&remote).iter().any(|w| w == "Tchiani"),
        "{:?}",
        marked(&remote)
    );
    assert_eq!(local["total_articles"], remote["total_articles"]);

    // The local index changed since the push: its words may not be the cluster's.
    env.write("extra.txt", "date 2023-08-01 Tchiani spoke again.");
    env.index_corpus();
    let out = env.run(&["search", "Tchani~", "--engine", &engine]);
    fails_with(&out, "fuzzy words ('Tchani~') are expanded");
}

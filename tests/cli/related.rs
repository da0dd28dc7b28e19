//! `dateline related`: a made-up name planted beside a query word in some articles, among many other
//! articles and names, ranks first with its counts checked by brute force; copies count once; the
//! query's own words are left out; `--by month`, CSV and the API agree.

use std::collections::BTreeSet;

use crate::util::{code, stderr, stdout, Env};

fn words(seed: u64, n: usize) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let syllables = [
        "ka", "lo", "mi", "ter", "sun", "dra", "vel", "po", "nis", "ar", "zen", "bro",
    ];
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let k = 2 + (state % 3) as usize;
            (0..k)
                .map(|j| syllables[((state >> (8 * j)) % 12) as usize])
                .collect()
        })
        .collect()
}

/// Writes the archive; returns the files holding the planted name.
fn archive(env: &Env) -> BTreeSet<String> {
    let mut planted = BTreeSet::new();
    for i in 0..240u64 {
        let mut w = words(i + 1, 60);
        // Everywhere: a name that says nothing about oil.
        w.insert(30, "the Ministry said".to_string());
        // A third of the articles are about oil.
        let oil = i % 3 == 0;
        if oil {
            w.insert(5, "oil".to_string());
        }
        // The planted name: beside oil in 15 articles, and in 2 others.
        let named = (oil && i % 9 == 0 && i < 135) || i == 1 || i == 2;
        if named {
            w.insert(6, "prices, said Zarkon Veltrop of".to_string());
        }
        // A decoy name spread evenly.
        if i % 4 == 1 {
            w.insert(20, "with Quilla Berrant".to_string());
        }
        let month = 1 + i / 80;
        let text = format!(
            "date 2023-{month:02}-{:02} {}.\n\n{}.\n",
            1 + i % 27,
            w[..30].join(" "),
            w[30..].join(" ")
        );
        let id = format!("a/{i:03}.txt");
        if named {
            planted.insert(id.clone());
        }
        env.write(&id, &text);
        // One of the named oil articles is sent three times: one story.
        if i == 0 {
            for copy in ["a/000-copy1.txt", "a/000-copy2.txt"] {
                env.write(copy, &text);
                planted.insert(copy.to_string());
            }
        }
    }
    planted
}

#[test]
fn a_planted_name_ranks_first_with_its_counts() {
    let env = Env::new();
    let planted = archive(&env);
    env.index_corpus();
    let out = env.run(&["related", "oil", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // 80 oil articles, two of them copies of a third: 80 stories of 82 articles.
    assert_eq!(r["stories"], 80);
    assert_eq!(r["sampled"], 80);
    assert_eq!(r["background"], 242);
    let first = &r["names"][0];
    assert_eq!(first["text"], "Zarkon Veltrop", "{r}");
    // The stories naming it (copies once), and every article of the archive naming it.
    assert_eq!(first["in_matches"], 15);
    assert_eq!(first["in_archive"], planted.len());
    let names: Vec<&str> = r["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    assert!(
        !names.contains(&"Ministry"),
        "a name everywhere is no news: {names:?}"
    );
    let words: Vec<&str> = r["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    assert!(!words.contains(&"oil"), "the query's own word: {words:?}");
    assert!(words.contains(&"prices"), "{words:?}");
    let scores: Vec<f64> = r["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n["score"].as_f64())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // By month: the name in each month of the oil articles that hold it.
    let by: serde_json::Value = serde_json::from_slice(
        &env.run(&["related", "oil", "--by", "month", "--format", "json"])
            .stdout,
    )
    .expect("json");
    let buckets = by["buckets"].as_array().expect("buckets");
    assert_eq!(
        buckets
            .iter()
            .map(|b| b["label"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["2023-01", "2023-02", "2023-03"]
    );
    let stories: u64 = buckets.iter().filter_map(|b| b["stories"].as_u64()).sum();
    assert_eq!(stories, 80);
    assert!(buckets
        .iter()
        .any(|b| b["names"][0]["text"] == "Zarkon Veltrop"));

    // CSV: the same first name; text names the sample and lists it.
    let out = env.run(&["related", "oil", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "bucket",
            "kind",
            "rank",
            "text",
            "in_matches",
            "in_archive",
            "score"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(
        (&rows[0][1], &rows[0][3], &rows[0][4]),
        ("name", "Zarkon Veltrop", "15")
    );
    let text = stdout(&env.run(&["related", "oil"]));
    assert!(
        text.starts_with("Mentioned with oil: 80 matching stories, against 242 articles"),
        "{text}"
    );
    assert!(text.contains("Zarkon Veltrop"), "{text}");

    // The API gives what the command line gives.
    let server = crate::serve::Server::start(&env, &[]);
    let api = server.get("/api/related?q=oil").json();
    assert_eq!(api, r);
    server.get("/api/related").assert_error(400, "empty");

    // Nothing matches: exit 1.
    let out = env.run(&["related", "platinum"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("no article matches platinum (hint: 'platinum' is not in the index"),
        "{}",
        stderr(&out)
    );
}

//! On the real archive (when `../shared/corpora/reuters-dev` exists): every name of
//! `../shared/eval/dev-names.tsv` must find exactly the listed articles in its date range.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::convert::{convert, Target, BOILERPLATE_WORDS, URL_PREFIX};
use crate::util::{code, stderr, stdout, Env};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn reuters_articles() -> PathBuf {
    shared().join("corpora/reuters-dev/articles")
}

/// The Reuters dev archive indexed once for all tests of this module; `None` (after a printed note)
/// when `../shared` does not hold it.
fn reuters(test: &str) -> Option<&'static Env> {
    static INDEX: OnceLock<Option<Env>> = OnceLock::new();
    let env = INDEX.get_or_init(|| {
        let corpus = reuters_articles();
        if !corpus.is_dir() || !shared().join("eval/dev-names.tsv").is_file() {
            return None;
        }
        let env = Env::new();
        let out = env.run(&["index", corpus.to_str().expect("utf-8"), "--quiet"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        Some(env)
    });
    if env.is_none() {
        println!(
            "note: {} not found; skipping {test}",
            reuters_articles().display()
        );
    }
    env.as_ref()
}

#[test]
fn names_find_exactly_the_listed_articles() {
    let Some(env) = reuters("the real-corpus name test") else {
        return;
    };
    assert_eq!(env.info()["articles"], 10051);
    names_are_exact(env);
}

/// The archive as one JSON Lines dump (`meta.jsonl`: `path` as the id, `body` as the text) finds the
/// same articles for every name as the text files do.
#[test]
fn names_find_the_same_articles_in_the_json_lines_dump() {
    let Some(_) = reuters("the JSON Lines name test") else {
        return;
    };
    let env = Env::new();
    let meta = shared().join("corpora/reuters-dev/meta.jsonl");
    std::fs::create_dir_all(env.corpus()).expect("corpus");
    std::fs::copy(&meta, env.corpus().join("reuters.jsonl")).expect("copy the dump");
    let corpus = env.corpus();
    let out = env.run(&[
        "index",
        corpus.to_str().expect("utf-8"),
        "--field",
        "id=path",
        "--field",
        "text=body",
        "--quiet",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.info()["articles"], 10051);
    names_are_exact(&env);
}

/// The archive converted into each other format (one JSON Lines dump, a saved web page per article
/// with boilerplate around it, one gzipped web archive) finds exactly the listed articles for every
/// name (ids map back through the url), and no word of the boilerplate is indexed.
#[test]
fn names_find_the_same_articles_in_every_archive_format() {
    let Some(_) = reuters("the archive-format name tests") else {
        return;
    };
    for target in [Target::Jsonl, Target::Html, Target::Warc] {
        let env = Env::new();
        let n = convert(&reuters_articles(), &env.corpus(), target).expect("convert");
        assert_eq!(n, 10051);
        let out = env.run(&["index", env.corpus().to_str().expect("utf-8"), "--quiet"]);
        assert_eq!(code(&out), 0, "{target:?}: {}", stderr(&out));
        assert_eq!(env.info()["articles"], 10051, "{target:?}");
        names_are_exact_as(&env, |id| {
            id.strip_prefix(URL_PREFIX).unwrap_or(id).to_string()
        });
        for word in BOILERPLATE_WORDS {
            let out = env.run(&["search", word]);
            assert_eq!(code(&out), 1, "{target:?}: '{word}' was indexed");
        }
    }
}

/// Every name of `dev-names.tsv` finds exactly its listed articles in its date range.
fn names_are_exact(env: &Env) {
    names_are_exact_as(env, str::to_string)
}

/// As [`names_are_exact`], the ids found mapped by `id_of` first.
fn names_are_exact_as(env: &Env, id_of: impl Fn(&str) -> String) {
    let names = shared().join("eval/dev-names.tsv");
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
        // Each hit and the copies of its story collapsed under it: nothing may be lost.
        let found: BTreeSet<String> = stdout(&out)
            .lines()
            .flat_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("jsonl");
                crate::util::hit_and_copies(&v)
            })
            .map(|id| id_of(&id))
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

/// A misspelling one edit away: drop, swap or change a letter near the middle, by turns.
fn misspell(name: &str, turn: usize) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let mid = chars.len() / 2;
    match turn % 3 {
        0 => {
            chars.remove(mid);
        }
        1 if chars[mid - 1] != chars[mid] => chars.swap(mid - 1, mid),
        _ => {
            chars[mid] = if chars[mid].eq_ignore_ascii_case(&'x') {
                'q'
            } else {
                'x'
            }
        }
    }
    chars.into_iter().collect()
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn misspelled_names_find_the_articles_of_the_name_with_exact_matches_first() {
    let Some(env) = reuters("the fuzzy name test") else {
        return;
    };
    let names = shared().join("eval/dev-names.tsv");
    let table = std::fs::read_to_string(&names).expect("dev-names.tsv");
    let mut distinct: Vec<&str> = table
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|n| !n.is_empty())
        .collect();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 20, "{distinct:?}");
    for (turn, name) in distinct.iter().enumerate() {
        let wrong = misspell(name, turn);
        assert_ne!(wrong.to_lowercase(), name.to_lowercase());
        let exact = env.search_json(&[&format!("\"{name}\""), "--all"]);
        let fuzzy = env.search_json(&[&format!("{wrong}~"), "--all", "--per-article", "0"]);
        let with_copies = |hits: &[crate::util::Hit]| -> BTreeSet<String> {
            hits.iter()
                .flat_map(|h| std::iter::once(h.article.clone()).chain(h.copy_ids.clone()))
                .collect()
        };
        let found = with_copies(&fuzzy.hits);
        let wanted = with_copies(&exact.hits);
        let recall = wanted.intersection(&found).count() as f64 / wanted.len().max(1) as f64;
        assert!(
            recall >= 0.95,
            "{wrong}~ found {:.0}% of the articles of \"{name}\"",
            recall * 100.0
        );
        // Passages holding the misspelled word itself come before every other match.
        let lower = wrong.to_lowercase();
        let holds: Vec<bool> = fuzzy
            .hits
            .iter()
            .map(|h| words_of(&h.text).contains(&lower))
            .collect();
        let first_other = holds.iter().position(|h| !h).unwrap_or(holds.len());
        assert!(
            holds[first_other..].iter().all(|h| !h),
            "{wrong}~: an exact match ranks below a fuzzy one"
        );
        // Every hit is marked somewhere in its snippet or lies beyond it.
        let marked = fuzzy
            .hits
            .iter()
            .filter(|h| !h.highlights.is_empty())
            .count();
        assert!(
            marked * 10 >= fuzzy.hits.len() * 9,
            "{wrong}~: fuzzy matches not highlighted"
        );
    }
}

#[test]
fn reagan_per_day_equals_a_brute_force_count() {
    let Some(env) = reuters("the real-corpus timeline test") else {
        return;
    };
    let corpus = reuters_articles();
    let mut want: std::collections::BTreeMap<String, u64> = Default::default();
    for entry in walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("article");
        let date = text
            .trim_start()
            .strip_prefix("date ")
            .map(|r| r[..10].to_string())
            .expect("dated");
        if words_of(&text).iter().any(|w| w == "reagan") {
            *want.entry(date).or_insert(0) += 1;
        }
    }
    let out = env.run(&["timeline", "\"Reagan\"", "--by", "day", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: std::collections::BTreeMap<String, u64> = v["series"][0]["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter(|b| b["articles"].as_u64() != Some(0))
        .map(|b| {
            (
                b["label"].as_str().expect("label").to_string(),
                b["articles"].as_u64().expect("n"),
            )
        })
        .collect();
    assert_eq!(got, want);
}

/// Pairs of people's names of the archive (surnames from `meta.jsonl`) that stand together in at least
/// two articles, each with the date range to search and every article of that range holding both as
/// whole words (the files read directly, not the index).
fn name_pairs() -> Vec<(String, String, String, String, BTreeSet<String>)> {
    let meta =
        std::fs::read_to_string(shared().join("corpora/reuters-dev/meta.jsonl")).expect("meta");
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut articles: Vec<(String, String)> = Vec::new();
    for line in meta.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("meta line");
        for person in v["people"].as_array().into_iter().flatten() {
            let surname = person
                .as_str()
                .unwrap_or("")
                .rsplit('-')
                .next()
                .unwrap_or("");
            if surname.len() >= 4 && surname.chars().all(|c| c.is_ascii_lowercase()) {
                names.insert(surname.to_string());
            }
        }
        let path = v["path"].as_str().expect("path").to_string();
        let date = v["date"].as_str().expect("date").to_string();
        articles.push((path, date));
    }
    // article -> (date, the names it holds as whole words)
    let mut holding: Vec<(String, String, BTreeSet<String>)> = Vec::new();
    for (path, date) in articles {
        let text = std::fs::read_to_string(reuters_articles().join(&path)).expect("article");
        let held: BTreeSet<String> = words_of(&text)
            .into_iter()
            .filter(|w| names.contains(w))
            .collect();
        if held.len() >= 2 {
            holding.push((path, date, held));
        }
    }
    let mut together: std::collections::BTreeMap<(String, String), Vec<String>> =
        Default::default();
    for (_, date, held) in &holding {
        let held: Vec<&String> = held.iter().collect();
        for (i, a) in held.iter().enumerate() {
            for b in &held[i + 1..] {
                together
                    .entry(((*a).clone(), (*b).clone()))
                    .or_default()
                    .push(date.clone());
            }
        }
    }
    let mut pairs: Vec<((String, String), Vec<String>)> = together
        .into_iter()
        .filter(|(_, dates)| dates.len() >= 2)
        .collect();
    // Forty pairs spread over the list, frequent and rare ones alike.
    let step = (pairs.len() / 40).max(1);
    pairs = pairs.into_iter().step_by(step).take(40).collect();
    pairs
        .into_iter()
        .map(|((a, b), mut dates)| {
            dates.sort();
            // From the first article to the middle one: the range leaves some articles out.
            let (since, until) = (dates[0].clone(), dates[dates.len() / 2].clone());
            let expected = holding
                .iter()
                .filter(|(_, date, held)| {
                    held.contains(&a) && held.contains(&b) && *date >= since && *date <= until
                })
                .map(|(path, _, _)| path.clone())
                .collect();
            (a, b, since, until, expected)
        })
        .collect()
}

/// The articles of the hits and the copies collapsed under them.
fn found_articles(out: &std::process::Output) -> BTreeSet<String> {
    stdout(out)
        .lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("jsonl");
            crate::util::hit_and_copies(&v)
        })
        .collect()
}

#[test]
fn two_names_find_exactly_the_articles_holding_both() {
    let Some(env) = reuters("the co-mention test") else {
        return;
    };
    let pairs = name_pairs();
    assert!(pairs.len() >= 30, "only {} pairs", pairs.len());
    let (mut articles, mut exact_in_passages, mut split) = (0, 0, 0);
    for (a, b, since, until, expected) in &pairs {
        let query = format!("\"{a}\" \"{b}\"");
        let search = |within: &str| {
            let out = env.run(&[
                "search", &query, "--since", since, "--until", until, "--all", "--format", "jsonl",
                "--within", within,
            ]);
            assert!(code(&out) <= 1, "{query}: {}", stderr(&out));
            out
        };
        let out = search("article");
        let found = found_articles(&out);
        let missing: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{query} {since}..{until}: missing {missing:?}, extra {extra:?}"
        );
        // Each hit holds both names, or names the passage where the other stands.
        for line in stdout(&out).lines() {
            let hit: serde_json::Value = serde_json::from_str(line).expect("jsonl");
            let mut words = words_of(hit["text"].as_str().expect("text"));
            for also in hit["also"].as_array().expect("also") {
                words.extend(words_of(also["snippet"].as_str().expect("snippet")));
            }
            assert!(
                words.contains(a) && words.contains(b),
                "{query}: {} ¶{} and its also passages lack a name",
                hit["article"],
                hit["passage"]
            );
        }
        // Within passages: a subset, the articles where they share a passage.
        let in_passages = found_articles(&search("passage"));
        assert!(in_passages.is_subset(&found), "{query}");
        exact_in_passages += usize::from(in_passages == found);
        split += found.len() - in_passages.len();
        articles += expected.len();
    }
    println!(
        "co-mention: {} pairs, {articles} articles, all exact within articles; \
         within passages {exact_in_passages} pairs exact, {split} articles missed",
        pairs.len()
    );
    assert!(
        split > 0,
        "no pair stands in different passages: the test shows nothing"
    );
}

//! Copies of one story: planted copies (a few words changed, a paragraph added, another headline)
//! are collapsed under one hit, counted as one story in totals and timelines, listed with
//! `--copies show`, and regrouped when articles are added, changed or removed; an article sharing
//! one paragraph with the story stays apart.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::{code, stderr, Env, Results};

/// Random text: `words` words from a made-up vocabulary, with `zinc` in it.
fn text(seed: u64, words: usize) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let syllables = [
        "ka", "lo", "mi", "ter", "sun", "dra", "vel", "po", "nis", "ar", "zen", "bro",
    ];
    let mut out = Vec::new();
    for i in 0..words {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if i == 7 {
            out.push("zinc".to_string());
            continue;
        }
        let n = 2 + (state % 3) as usize;
        let word: String = (0..n)
            .map(|k| syllables[((state >> (8 * k)) % syllables.len() as u64) as usize])
            .collect();
        out.push(word);
    }
    out
}

/// An article file: its date and paragraphs of `per` words.
fn article(date: &str, words: &[String], per: usize) -> String {
    let paragraphs: Vec<String> = words.chunks(per).map(|c| c.join(" ") + ".").collect();
    format!("date {date} {}\n", paragraphs.join("\n\n"))
}

fn search(env: &Env, args: &[&str]) -> Results {
    env.search_json(args)
}

fn hit<'a>(r: &'a Results, id: &str) -> Option<&'a crate::util::Hit> {
    r.hits.iter().find(|h| h.article == id)
}

#[test]
fn copies_of_a_story_collapse_count_once_and_regroup_when_the_archive_changes() {
    let env = Env::new();
    // 20 unrelated articles, one story of three copies, and one article sharing a paragraph of it.
    for i in 0..20u64 {
        env.write(
            &format!("other/{i:02}.txt"),
            article(&format!("2023-02-{:02}", 1 + i), &text(100 + i, 120), 40),
        );
    }
    let story = text(7, 160);
    env.write("s1.txt", article("2023-01-05", &story, 40));
    // A copy with a few words changed and a closing paragraph added.
    let mut edited = story.clone();
    for i in [20, 60, 110] {
        edited[i] = format!("changed{i}");
    }
    edited.extend(text(8, 30));
    env.write("s1b.txt", article("2023-01-06", &edited, 40));
    // A copy with another headline (the first paragraph rewritten).
    let mut retitled = story.clone();
    retitled.splice(0..6, text(9, 6));
    env.write("s1c.txt", article("2023-02-10", &retitled, 40));
    // Another article that shares one paragraph (40 words) with the story.
    let mut sharing = text(10, 120);
    sharing.extend_from_slice(&story[40..80]);
    env.write("u.txt", article("2023-01-07", &sharing, 40));
    let out = env.index_corpus();
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // info counts the stories and the copies.
    let info = env.info();
    assert_eq!(
        (&info["articles"], &info["stories"], &info["copies"]),
        (
            &serde_json::json!(24),
            &serde_json::json!(22),
            &serde_json::json!(2)
        )
    );
    // One hit per story by default; the copies under the best-ranked one.
    let r = search(&env, &["zinc", "--all"]);
    assert_eq!(r.total_articles, 24);
    assert_eq!(r.total_stories, 22);
    assert_eq!(r.hits.len(), 22);
    let shown: Vec<&crate::util::Hit> = r.hits.iter().filter(|h| h.story == "s1.txt").collect();
    assert_eq!(shown.len(), 1, "one hit for the story");
    let mut all: BTreeSet<String> = shown[0].copy_ids.iter().cloned().collect();
    all.insert(shown[0].article.clone());
    assert_eq!(
        all,
        ["s1.txt", "s1b.txt", "s1c.txt"].map(String::from).into()
    );
    assert_eq!(shown[0].copies, 2);
    let u = hit(&r, "u.txt").expect("the article sharing a paragraph is its own story");
    assert_eq!((u.copies, u.story.as_str()), (0, "u.txt"));
    for h in &r.hits {
        if h.story != "s1.txt" {
            assert_eq!((h.copies, &h.story), (0, &h.article), "{}", h.article);
        }
    }
    // Within passages: the same stories.
    let p = search(&env, &["zinc", "--all", "--within", "passage"]);
    assert_eq!((p.total_articles, p.total_stories), (24, 22));
    let p_story: Vec<_> = p.hits.iter().filter(|h| h.story == "s1.txt").collect();
    assert_eq!(p_story.len(), 1);
    assert_eq!(p_story[0].copies, 2);

    // Every copy as its own hit, each naming its story.
    let shown_all = search(&env, &["zinc", "--all", "--copies", "show"]);
    assert_eq!(shown_all.hits.len(), 24);
    assert_eq!(shown_all.total_stories, 22);
    for id in ["s1.txt", "s1b.txt", "s1c.txt"] {
        let h = hit(&shown_all, id).expect("every copy");
        assert_eq!((h.story.as_str(), h.copies), ("s1.txt", 0), "{id}");
    }

    // CSV exports collapse too, with the copies' ids in one cell.
    let out = env.run(&["search", "zinc", "--all", "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id_col, copies, copy_ids, story_col) =
        (col("article"), col("copies"), col("copy_ids"), col("story"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 22);
    let row = rows
        .iter()
        .find(|r| &r[story_col] == "s1.txt")
        .expect("the story's row");
    assert_eq!(&row[copies], "2");
    let mut ids: BTreeSet<&str> = row[copy_ids].split(';').collect();
    ids.insert(&row[id_col]);
    assert_eq!(ids, ["s1.txt", "s1b.txt", "s1c.txt"].into());

    // Timeline: stories once per bucket (s1 and s1b in January, s1c in February), articles all.
    let t: serde_json::Value = serde_json::from_slice(
        &env.run(&["timeline", "zinc", "--by", "month", "--format", "json"])
            .stdout,
    )
    .expect("timeline json");
    assert_eq!(t["count"], "stories");
    let months: BTreeMap<String, (u64, u64)> = t["series"][0]["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["label"].as_str().expect("label").to_string(),
                (
                    b["articles"].as_u64().expect("articles"),
                    b["stories"].as_u64().expect("stories"),
                ),
            )
        })
        .collect();
    // January: s1, s1b (one story) and u; February: 20 others and s1c.
    assert_eq!(months["2023-01"], (3, 2));
    assert_eq!(months["2023-02"], (21, 21));

    // The first copy removed: the story passes to the next earliest.
    std::fs::remove_file(env.corpus().join("s1.txt")).expect("rm");
    env.index_corpus();
    let r = search(&env, &["zinc", "--all"]);
    assert_eq!((r.total_articles, r.total_stories), (23, 22));
    let h = r
        .hits
        .iter()
        .find(|h| h.story == "s1b.txt")
        .expect("the story, now named by s1b");
    assert_eq!(h.copies, 1);
    // An earlier copy added: it names the story.
    env.write("s0.txt", article("2022-12-30", &story, 40));
    env.index_corpus();
    let r = search(&env, &["zinc", "--all", "--copies", "show"]);
    for id in ["s0.txt", "s1b.txt", "s1c.txt"] {
        assert_eq!(
            hit(&r, id).map(|h| h.story.as_str()),
            Some("s0.txt"),
            "{id}"
        );
    }
    // A copy rewritten into another story leaves the group.
    env.write("s1c.txt", article("2023-02-10", &text(11, 160), 40));
    env.index_corpus();
    let r = search(&env, &["zinc", "--all", "--copies", "show"]);
    assert_eq!(
        hit(&r, "s1c.txt").map(|h| h.story.as_str()),
        Some("s1c.txt")
    );
    assert_eq!(hit(&r, "s1b.txt").map(|h| h.story.as_str()), Some("s0.txt"));
    assert_eq!((r.total_articles, r.total_stories), (24, 23));
    // The groups the commit names are those of its articles.
    let out = env.run(&["verify", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", crate::util::stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("verify json");
    assert_eq!(report["warnings"], serde_json::json!([]), "{report}");
    assert_eq!(
        crate::crash::check_stories(&env.index()),
        Ok(1),
        "one story of several articles"
    );
}

/// The top hits by passage come from a window of the best passages, widened until enough stories
/// are shown; they must be the first hits of the ranking of every match (`--all`), copies included.
#[test]
fn top_passages_with_copies_collapsed_are_the_head_of_the_full_ranking() {
    let env = Env::new();
    let mut n = 0;
    for story in 0..24u64 {
        let mut words = text(500 + story, 90 + (story as usize % 5) * 20);
        // Scores differ from story to story: more of `zinc` and `lead` in some.
        for k in 0..(story % 4) {
            words[20 + 10 * k as usize] = "zinc".to_string();
        }
        if story % 3 == 0 {
            words[33] = "lead".to_string();
        }
        for copy in 0..=(story % 6) {
            let mut w = words.clone();
            if copy % 2 == 1 {
                w[50] = format!("edit{copy}");
            }
            env.write(
                &format!("s{story:02}/c{copy}.txt"),
                article(&format!("2023-03-{:02}", 1 + (copy + story) % 28), &w, 30),
            );
            n += 1;
        }
    }
    // One story of 40 copies with a rare word: its copies are found among the few matches rather
    // than looked up one by one.
    let mut rare = text(900, 80);
    rare[12] = "tungsten".to_string();
    for copy in 0..40 {
        env.write(
            &format!("t/{copy:02}.txt"),
            article(&format!("2023-04-{:02}", 1 + copy % 28), &rare, 40),
        );
        n += 1;
    }
    let out = env.index_corpus();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(n > 110);
    let rare_hit = search(&env, &["tungsten", "--within", "passage", "-n", "1"]);
    assert_eq!(rare_hit.hits.len(), 1);
    assert_eq!(rare_hit.hits[0].copy_ids.len(), 39);
    for query in [
        "zinc",
        "zinc lead",
        "lead OR zinc",
        "zinc -lead",
        "tungsten",
        "tungsten OR lead",
    ] {
        for mode in ["any", "all"] {
            let all = search(
                &env,
                &[query, "--within", "passage", "--match", mode, "--all"],
            );
            assert!(!all.hits.is_empty(), "{query}");
            for k in [1usize, 3, 10] {
                let top = search(
                    &env,
                    &[
                        query,
                        "--within",
                        "passage",
                        "--match",
                        mode,
                        "-n",
                        &k.to_string(),
                    ],
                );
                let key = |h: &crate::util::Hit| {
                    (
                        h.article.clone(),
                        h.passage,
                        h.score.to_bits(),
                        h.copy_ids.clone(),
                    )
                };
                let got: Vec<_> = top.hits.iter().map(key).collect();
                let want: Vec<_> = all.hits.iter().take(k).map(key).collect();
                assert_eq!(got, want, "{query} --match {mode} -n {k}");
            }
        }
    }
}

//! `dateline search`: query language, exact vs stemmed matching, dates, grouping, ordering.

use crate::util::{articles, code, marked, sample, stderr, stdout, Env};

fn sample_env() -> Env {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    env
}

#[test]
fn hits_carry_every_field() {
    let env = sample_env();
    let r = env.search_json(&["bazoum"]);
    assert_eq!(r.query, "bazoum");
    assert_eq!((r.since.as_deref(), r.until.as_deref()), (None, None));
    assert_eq!((r.total_passages, r.total_articles), (1, 1));
    let h = &r.hits[0];
    assert_eq!(h.rank, 1);
    assert!(h.score > 0.0);
    assert_eq!(h.article, "2023/07/niger.txt");
    assert_eq!(h.date.as_deref(), Some("2023-07-28"));
    assert_eq!(h.passage, 2);
    assert_eq!(
        h.headline,
        "The general who led a coup in Niger’s capital spoke on television."
    );
    assert_eq!(
        h.text,
        "Elections were promised by the junta. The elected president Bazoum is held."
    );
    assert_eq!(marked(h), vec!["Bazoum"]);
}

#[test]
fn unquoted_words_match_all_forms_and_exact_forms_rank_first() {
    let env = sample_env();
    let r = env.search_json(&["election", "--all", "--per-article", "0"]);
    // election, elections, elected (stem "elect") in three articles.
    assert_eq!(
        articles(&r.hits),
        vec![
            "2023/07/31/mali.txt",
            "2023/07/niger.txt",
            "2024/ecowas.txt"
        ]
    );
    // Passages holding the exact word outrank those with only another form.
    let exact: Vec<bool> = r
        .hits
        .iter()
        .map(|h| h.text.to_lowercase().contains("election "))
        .collect();
    let first_other = exact.iter().position(|e| !e).unwrap_or(exact.len());
    assert!(
        exact[first_other..].iter().all(|e| !e),
        "exact matches not first: {:?}",
        r.hits
    );
    let niger = r
        .hits
        .iter()
        .find(|h| h.article == "2023/07/niger.txt")
        .expect("niger hit");
    assert_eq!(marked(niger), vec!["Elections", "elected"]);
}

#[test]
fn quoted_words_match_the_exact_word_only() {
    let env = sample_env();
    let r = env.search_json(&["\"election\"", "--all", "--per-article", "0"]);
    assert_eq!(
        articles(&r.hits),
        vec!["2023/07/31/mali.txt", "2024/ecowas.txt"]
    );
    for h in &r.hits {
        assert_eq!(
            marked(h)
                .iter()
                .map(|s| s.to_lowercase())
                .collect::<Vec<_>>(),
            vec!["election"]
        );
    }
    // Case does not matter.
    assert_eq!(
        env.search_json(&["\"ELECTION\"", "--all"]).total_articles,
        2
    );
}

#[test]
fn curly_apostrophes_are_found_by_the_bare_name_and_straight_quotes() {
    let env = sample_env();
    let r = env.search_json(&["Niger", "--all", "--per-article", "0"]);
    assert!(r
        .hits
        .iter()
        .any(|h| h.passage == 1 && h.article == "2023/07/niger.txt"));
    let r = env.search_json(&["\"Niger's capital\""]);
    assert_eq!(r.total_passages, 1);
    assert_eq!(r.hits[0].passage, 1);
}

#[test]
fn phrases_slop_or_not_and_parentheses() {
    let env = sample_env();
    // (matching articles, passages of them holding a query term)
    let count = |q: &str, within: &str| {
        let r = env.search_json(&[q, "--all", "--per-article", "0", "--within", within]);
        assert_eq!(r.hits.len() as u64, r.total_passages, "{q} within {within}");
        (r.total_articles, r.total_passages)
    };
    for within in ["article", "passage"] {
        assert_eq!(count("\"central bank\"", within), (1, 2));
        assert_eq!(count("\"bank central\"", within), (0, 0));
        assert_eq!(count("\"spoke rates\"~3", within), (1, 1)); // spoke about interest rates
        assert_eq!(count("\"spoke rates\"~1", within), (0, 0));
        assert_eq!(count("ecowas OR senegal", within), (1, 2));
        assert_eq!(count("(mali OR senegal) election", within), (2, 2));
        // A phrase never runs across a paragraph break (`... on television.` / `Elections were ...`).
        assert_eq!(count("\"television elections\"", within), (0, 0));
        assert_eq!(count("\"television elections\"~3", within), (0, 0));
    }
    // Within passages: every word in one passage; `-coup` leaves out passages naming it.
    assert_eq!(count("niger -coup", "passage"), (2, 2));
    assert_eq!(count("niger NOT coup", "passage"), (2, 2));
    assert_eq!(count("bank AND analysts", "passage"), (1, 1));
    assert_eq!(count("coup president", "passage"), (0, 0));
    // Within articles (the default): `-coup` leaves out articles naming it anywhere, and words
    // may stand in different passages.
    assert_eq!(count("niger -coup", "article"), (1, 1));
    assert_eq!(count("niger NOT coup", "article"), (1, 1));
    assert_eq!(count("bank AND analysts", "article"), (1, 2));
    assert_eq!(count("coup president", "article"), (1, 2));
    let only_undated = env.search_json(&["niger -coup"]);
    assert_eq!(only_undated.hits[0].article, "notes/undated.txt");
}

#[test]
fn date_filters_are_inclusive_and_exclude_undated() {
    let env = sample_env();
    let ids = |extra: &[&str]| {
        let mut args = vec!["niger OR bank OR ecowas", "--all"];
        args.extend_from_slice(extra);
        articles(&env.search_json(&args).hits)
    };
    assert_eq!(ids(&[]).len(), 5);
    assert!(ids(&[]).contains(&"notes/undated.txt".to_string()));
    assert_eq!(
        ids(&["--since", "2023-07-28"]),
        vec![
            "2023/07/31/mali.txt",
            "2023/07/niger.txt",
            "2024/ecowas.txt"
        ]
    );
    assert_eq!(
        ids(&["--since", "2023-07-29"]),
        vec!["2023/07/31/mali.txt", "2024/ecowas.txt"]
    );
    // A partial --until is the end of the month: the 31st is in.
    assert_eq!(
        ids(&["--since", "2023-07", "--until", "2023-07"]),
        vec!["2023/07/31/mali.txt", "2023/07/niger.txt"]
    );
    assert_eq!(
        ids(&["--until", "2023-07-30"]),
        vec!["2022/volcker.txt", "2023/07/niger.txt"]
    );
    assert_eq!(
        ids(&["--on", "2023"]),
        vec!["2023/07/31/mali.txt", "2023/07/niger.txt"]
    );
    assert_eq!(ids(&["--on", "2023-07-31"]), vec!["2023/07/31/mali.txt"]);
    assert_eq!(ids(&["--on", "2021"]), Vec::<String>::new());
    let r = env.search_json(&["niger", "--since", "2023", "--until", "2023-07"]);
    assert_eq!(
        (r.since.as_deref(), r.until.as_deref()),
        (Some("2023-01-01"), Some("2023-07-31"))
    );
}

#[test]
fn per_article_limits_and_groups_passages() {
    let env = sample_env();
    let r = env.search_json(&["niger", "--all"]);
    assert_eq!((r.total_passages, r.total_articles), (4, 3));
    assert_eq!(r.hits.len(), 3);
    let r = env.search_json(&["niger", "--all", "--per-article", "0"]);
    assert_eq!(r.hits.len(), 4);
    let scores: Vec<f32> = r.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let r = env.search_json(&["niger", "--all", "--per-article", "2"]);
    assert_eq!(r.hits.len(), 4);
    // The two passages of one article are side by side.
    let pos: Vec<usize> = r
        .hits
        .iter()
        .enumerate()
        .filter(|(_, h)| h.article == "2023/07/niger.txt")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(pos.len(), 2);
    assert_eq!(pos[1], pos[0] + 1);
    let ranks: Vec<usize> = r.hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, vec![1, 2, 3, 4]);
}

#[test]
fn limit_all_and_sort_orders() {
    let env = sample_env();
    assert_eq!(
        env.search_json(&["niger OR bank OR ecowas", "-n", "2"])
            .hits
            .len(),
        2
    );
    let r = env.search_json(&["niger OR bank OR ecowas", "--all", "--sort", "newest"]);
    let dates: Vec<Option<String>> = r.hits.iter().map(|h| h.date.clone()).collect();
    assert_eq!(
        dates,
        vec![
            Some("2024-01-28".into()),
            Some("2023-07-31".into()),
            Some("2023-07-28".into()),
            Some("2022-03-15".into()),
            None
        ]
    );
    let r = env.search_json(&["niger OR bank OR ecowas", "--all", "--sort", "oldest"]);
    let first = r.hits.first().and_then(|h| h.date.clone());
    assert_eq!(first.as_deref(), Some("2022-03-15"));
    assert_eq!(r.hits.last().map(|h| h.date.clone()), Some(None));
}

/// Hits of one day under `--sort newest`/`oldest` come best first, not in article-id order.
#[test]
fn hits_of_one_day_are_ordered_by_score() {
    let env = Env::new();
    env.write("a.txt", "date 2023-05-01 Zinc was mentioned once here.\n");
    env.write(
        "b.txt",
        "date 2023-05-01 Zinc, zinc and more zinc: zinc prices and zinc mines.\n",
    );
    env.write("c.txt", "date 2023-05-02 Zinc again, a day later.\n");
    env.index_corpus();
    for sort in ["newest", "oldest"] {
        let r = env.search_json(&["zinc", "--all", "--sort", sort]);
        let ids: Vec<&str> = r.hits.iter().map(|h| h.article.as_str()).collect();
        let expected = if sort == "newest" {
            vec!["c.txt", "b.txt", "a.txt"]
        } else {
            vec!["b.txt", "a.txt", "c.txt"]
        };
        assert_eq!(ids, expected, "{sort}");
        let same_day: Vec<f32> = r
            .hits
            .iter()
            .filter(|h| h.date.as_deref() == Some("2023-05-01"))
            .map(|h| h.score)
            .collect();
        assert!(same_day[0] > same_day[1], "{sort}: {same_day:?}");
    }
}

#[test]
fn output_is_deterministic() {
    let env = sample_env();
    let a = env.run(&[
        "search",
        "niger OR the",
        "--all",
        "--per-article",
        "0",
        "--format",
        "jsonl",
    ]);
    let b = env.run(&[
        "search",
        "niger OR the",
        "--all",
        "--per-article",
        "0",
        "--format",
        "jsonl",
    ]);
    assert_eq!(code(&a), 0);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn exit_status_one_when_nothing_matches() {
    let env = sample_env();
    let out = env.run(&["search", "zzzz"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("no article matches"));
    let out = env.run(&["search", "zzzz", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["total_passages"], 0);
    assert_eq!(r["hits"].as_array().map(Vec::len), Some(0));
}

#[test]
fn default_index_is_built_from_the_corpus_folder_on_first_search() {
    let env = Env::new();
    sample(&env);
    let out = env
        .cmd()
        .args(["search", "bazoum", "--format", "jsonl"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building it from 'corpus/'"),
        "{}",
        stderr(&out)
    );
    assert!(env.path().join("index/meta.json").is_file());
    let hit: crate::util::Hit = serde_json::from_slice(&out.stdout).expect("one jsonl hit");
    assert_eq!(hit.article, "2023/07/niger.txt");
    // The second search uses it without a note.
    let out = env.cmd().args(["search", "bazoum"]).output().expect("run");
    assert_eq!(code(&out), 0);
    assert!(!stderr(&out).contains("building"), "{}", stderr(&out));
}

#[test]
fn dateline_index_env_sets_the_index_for_every_command() {
    let env = Env::new();
    sample(&env);
    let idx = env.path().join("elsewhere");
    let out = env
        .cmd()
        .env("DATELINE_INDEX", &idx)
        .args(["index", "corpus"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(idx.join("meta.json").is_file());
    let out = env
        .cmd()
        .env("DATELINE_INDEX", &idx)
        .args(["search", "bazoum"])
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!env.path().join("index").exists());
}

#[test]
fn top_n_equals_the_head_of_the_full_ranking_even_with_ties() {
    let env = Env::new();
    // 60 articles with the same two passages (equal scores), on different dates, plus a few
    // stronger ones: the top N must follow the tie order (date, id, passage) exactly.
    for i in 0..60 {
        let day = 1 + i % 28;
        let month = 1 + i / 28;
        env.write(
            &format!("t/{i:02}.txt"),
            format!("date 2020-{month:02}-{day:02} Zinc prices rose.\n\nZinc prices fell.\n"),
        );
    }
    for i in 0..3 {
        env.write(
            &format!("s/{i}.txt"),
            format!("date 2019-01-0{} Zinc zinc zinc report.\n", i + 1),
        );
    }
    env.index_corpus();
    for per_article in ["1", "0"] {
        let full = env
            .search_json(&["zinc", "--all", "--per-article", per_article])
            .hits;
        for n in [1, 3, 10, 25, 70] {
            let top =
                env.search_json(&["zinc", "-n", &n.to_string(), "--per-article", per_article]);
            let expected: Vec<_> = full.iter().take(n).cloned().collect();
            assert_eq!(top.hits, expected, "per-article {per_article}, n {n}");
            assert_eq!(top.total_passages, 123);
            assert_eq!(top.total_articles, 63);
        }
    }
}

#[test]
fn fuzzy_words_prefixes_and_the_fuzzy_flag() {
    let env = Env::new();
    sample(&env);
    env.write(
        "2023/08/bazum.txt",
        "date 2023-08-02 A village called Bazum held a fair.\n\nNothing else.\n",
    );
    env.index_corpus();
    // Bazum~ finds Bazum exactly and Bazoum one edit away; the exact match ranks first.
    let r = env.search_json(&["Bazum~", "--all", "--per-article", "0"]);
    assert_eq!(
        articles(&r.hits),
        vec!["2023/07/niger.txt", "2023/08/bazum.txt"]
    );
    assert_eq!(r.hits[0].article, "2023/08/bazum.txt");
    assert_eq!(marked(&r.hits[0]), vec!["Bazum"]);
    assert_eq!(marked(&r.hits[1]), vec!["Bazoum"]);
    // Without the tilde only the exact word matches; --fuzzy makes every unquoted word fuzzy.
    assert_eq!(env.search_json(&["Bazum", "--all"]).total_articles, 1);
    assert_eq!(
        env.search_json(&["Bazum", "--all", "--fuzzy"])
            .total_articles,
        2
    );
    // Quoted words stay exact under --fuzzy.
    assert_eq!(
        env.search_json(&["\"Bazum\"", "--all", "--fuzzy"])
            .total_articles,
        1
    );
    // Two edits: Bzum is two away from Bazoum.
    assert_eq!(env.search_json(&["Bzum~", "--all"]).total_articles, 1);
    assert_eq!(env.search_json(&["Bzum~2", "--all"]).total_articles, 2);
    // Prefixes run on the exact field and are highlighted.
    let r = env.search_json(&["Baz*", "--all", "--per-article", "0"]);
    assert_eq!(
        articles(&r.hits),
        vec!["2023/07/niger.txt", "2023/08/bazum.txt"]
    );
    let mut words: Vec<String> = r.hits.iter().flat_map(marked).collect();
    words.sort();
    assert_eq!(words, vec!["Bazoum", "Bazum"]);
    let out = env.run(&["search", "Bazum~3"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("fuzzy distance 3"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hyphenated_names_match_with_or_without_the_hyphen_and_joined() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 2023-01-01 Fighters linked to al-Qaida attacked.\n",
    );
    env.write("b.txt", "date 2023-01-02 A cell of al Qaida was found.\n");
    env.write(
        "c.txt",
        "date 2023-01-03 Alqaida is spelled as one word here.\n",
    );
    env.write(
        "d.txt",
        "date 2023-01-04 Al‑Qaida with a non-breaking hyphen.\n",
    );
    env.index_corpus();
    let ids = |q: &str| articles(&env.search_json(&[q, "--all"]).hits);
    assert_eq!(ids("al-Qaida"), vec!["a.txt", "b.txt", "c.txt", "d.txt"]);
    assert_eq!(
        ids("\"al-Qaida\""),
        vec!["a.txt", "b.txt", "c.txt", "d.txt"]
    );
    assert_eq!(ids("\"al Qaida\""), vec!["a.txt", "b.txt", "d.txt"]);
    assert_eq!(ids("alqaida"), vec!["a.txt", "c.txt", "d.txt"]);
    let r = env.search_json(&["alqaida", "--all"]);
    let a = r.hits.iter().find(|h| h.article == "a.txt").expect("a.txt");
    assert_eq!(marked(a), vec!["al-Qaida"]);
}

#[test]
fn match_any_ranks_passages_with_more_words_first_and_all_suggests_it() {
    let env = Env::new();
    env.write("one.txt", "date 2023-01-01 Copper rose.\n");
    env.write("two.txt", "date 2023-01-02 Copper and zinc rose.\n");
    env.write("three.txt", "date 2023-01-03 Copper, zinc and tin rose.\n");
    env.write("none.txt", "date 2023-01-04 Gold fell.\n");
    env.index_corpus();
    let r = env.search_json(&["copper zinc tin", "--match", "any", "--all"]);
    let order: Vec<&str> = r.hits.iter().map(|h| h.article.as_str()).collect();
    assert_eq!(order, vec!["three.txt", "two.txt", "one.txt"]);
    assert_eq!(
        env.search_json(&["copper zinc tin", "--all"])
            .total_articles,
        1
    );
    let out = env.run(&["search", "copper gold"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("try --match any"), "{}", stderr(&out));
    let out = env.run(&["search", "copper gold", "--match", "any"]);
    assert_eq!(code(&out), 0);
}

#[test]
fn accents_and_case_never_matter() {
    let env = Env::new();
    env.write("a.txt", "date 2023-01-01 The Nigérien army spoke.\n");
    env.write("b.txt", "date 2023-01-02 The NIGERIEN army spoke.\n");
    env.index_corpus();
    for q in [
        "nigerien",
        "Nigérien",
        "\"NIGÉRIEN\"",
        "nigerien~",
        "nigér*",
    ] {
        assert_eq!(
            articles(&env.search_json(&[q, "--all"]).hits),
            vec!["a.txt", "b.txt"],
            "{q}"
        );
    }
}

/// Nothing found: a word the index lacks is named with the closest indexed words and their article
/// counts; matches a date range leaves out are counted, with the index's first and last dates.
#[test]
fn nothing_found_says_why() {
    let env = sample_env();
    let nothing = |args: &[&str]| -> String {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        let out = env.run(&all);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        stderr(&out)
    };
    let err = nothing(&["Volker"]);
    assert!(
        err.contains(
            "no article matches Volker (hint: 'Volker' is not in the index: did you mean volcker \
             (1 article)? or try Volker~)"
        ),
        "{err}"
    );
    let err = nothing(&["Volker", "Bazoum"]);
    assert!(err.contains("'Volker' is not in the index"), "{err}");
    assert!(!err.contains("'Bazoum'"), "{err}");
    let err = nothing(&["xqzwv"]);
    assert!(
        err.contains("'xqzwv' is not in the index, nor any word close to it"),
        "{err}"
    );
    let err = nothing(&["Volcker", "--since", "2023"]);
    assert!(
        err.contains(
            "no article matches Volcker from 2023-01-01 on (hint: 1 article matches outside these \
             dates; the index holds 2022-03-15 to 2024-01-28)"
        ),
        "{err}"
    );
    // Words present, but never in one article: the hint to match any word.
    let err = nothing(&["Volcker", "Senegal"]);
    assert!(
        err.contains("every word must be in the same article; try --match any"),
        "{err}"
    );
    // Within passages, words that share an article but no passage: the hint says so.
    let err = nothing(&["coup", "president", "--within", "passage"]);
    assert!(
        err.contains(
            "no passage matches coup president (hint: 1 article holds the words in different \
             passages; leave out --within passage to find it)"
        ),
        "{err}"
    );
    let err = nothing(&["Volcker", "Senegal", "--within", "passage"]);
    assert!(
        err.contains("every word must be in one passage; try --match any"),
        "{err}"
    );
    // A missing word under NOT is no reason for finding nothing.
    assert_eq!(env.search_json(&["niger -xqzwv"]).total_articles, 3);
}

/// Very common words are not required unless quoted; a query of only such words is refused; lower-case
/// or/and/not between words get a note saying they are no operators.
#[test]
fn common_words_and_lowercase_operators() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 2023-01-01 Coffee exports from Brazil rose.\n",
    );
    env.write("b.txt", "date 2023-01-02 Coffee prices fell in the port.\n");
    env.write("c.txt", "date 2023-01-03 The port of Santos was closed.\n");
    env.index_corpus();
    let ids = |args: &[&str]| articles(&env.search_json(args).hits);

    // `or` is a common word: optional, so coffee and brazil are both required.
    assert_eq!(ids(&["coffee or brazil", "--all"]), vec!["a.txt"]);
    assert_eq!(ids(&["coffee OR brazil", "--all"]), vec!["a.txt", "b.txt"]);
    // `the` does not have to be in the passage, but quoted it does.
    assert_eq!(ids(&["the coffee", "--all"]), vec!["a.txt", "b.txt"]);
    assert_eq!(ids(&["\"the\" coffee", "--all"]), vec!["b.txt"]);

    let out = env.run(&["search", "coffee or brazil"]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    assert_eq!(
        err.trim_end(),
        "dateline: note: lower-case 'or' is not an operator (write OR to match either word)"
    );
    let out = env.run(&["search", "coffee OR brazil"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let out = env.run(&["timeline", "coffee and brazil", "--format", "csv"]);
    assert!(
        stderr(&out).contains("lower-case 'and' is not an operator"),
        "{}",
        stderr(&out)
    );

    let out = env.run(&["search", "the of"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("the query holds only very common words (the, of)")
            && err.contains("hint: they are in almost every passage; quote them"),
        "{err}"
    );
    assert_eq!(ids(&["\"the port\"", "--all"]), vec!["b.txt", "c.txt"]);
}

/// In text output a hit from a later passage carries its article's headline; a first passage does not
/// repeat it. Piped output is not wrapped.
#[test]
fn text_hits_from_later_passages_carry_the_headline() {
    let env = sample_env();
    let out = env.run(&["search", "Bazoum"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("2023/07/niger.txt  ¶2"), "{text}");
    assert_eq!(
        lines[1],
        "  — The general who led a coup in Niger’s capital spoke on television."
    );
    assert!(
        lines[2].starts_with("  Elections were promised by the junta."),
        "{text}"
    );
    let out = env.run(&["search", "television"]);
    let text = stdout(&out);
    assert!(text.contains("¶1"), "{text}");
    assert!(!text.contains('—'), "{text}");
}

/// A query that starts with `-` needs no `--`; the command's short flags stay flags.
#[test]
fn a_query_may_start_with_an_exclusion() {
    let env = sample_env();
    let expected = articles(&env.search_json(&["niger -mali", "--all"]).hits);
    assert_eq!(expected, vec!["2023/07/niger.txt", "notes/undated.txt"]);
    assert_eq!(
        articles(&env.search_json(&["-mali niger", "--all"]).hits),
        expected
    );
    assert_eq!(
        articles(&env.search_json(&["-mali", "niger", "--all"]).hits),
        expected
    );
    let out = env.run(&["search", "-Mali niger", "-n", "1", "-f", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
}

/// `headline:` limits a word or phrase to the headline, `lede:` to the first passage.
#[test]
fn headline_and_lede_scopes() {
    let env = Env::new();
    env.write(
        "a.txt",
        "date 2023-01-01 Zinc prices rose. Copper fell.\n\nLater, copper and more copper.\n",
    );
    env.write(
        "b.txt",
        "date 2023-01-02 Copper mines closed in the south.\n\nZinc was not mentioned first.\n",
    );
    env.write(
        "c.txt",
        "date 2023-01-03 Nothing on metals here.\n\nZinc and copper, at last.\n",
    );
    env.index_corpus();
    let ids = |q: &str| articles(&env.search_json(&[q, "--all"]).hits);
    assert_eq!(ids("copper"), vec!["a.txt", "b.txt", "c.txt"]);
    // The headline is the first sentence: a.txt's holds zinc, not copper.
    assert_eq!(ids("headline:copper"), vec!["b.txt"]);
    assert_eq!(ids("headline:zinc"), vec!["a.txt"]);
    assert_eq!(ids("headline:\"copper mines\""), vec!["b.txt"]);
    assert_eq!(ids("HEADLINE:mine"), vec!["b.txt"]);
    // The lede is the whole first passage.
    assert_eq!(ids("lede:copper"), vec!["a.txt", "b.txt"]);
    let hits = env
        .search_json(&["lede:zinc", "--all", "--per-article", "0"])
        .hits;
    assert!(hits.iter().all(|h| h.passage == 1), "{hits:?}");
    assert_eq!(articles(&hits), vec!["a.txt"]);
    assert_eq!(ids("zinc -headline:zinc"), vec!["b.txt", "c.txt"]);
    // An empty scope is a syntax error with its column.
    let out = env.run(&["search", "copper headline:"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("column 8"), "{}", stderr(&out));
}

#[test]
fn words_in_different_passages_match_their_article_and_the_hit_names_where_each_stands() {
    let env = sample_env();
    // `coup` stands in ¶1 of niger.txt, `president` in ¶2.
    let r = env.search_json(&["coup president"]);
    assert_eq!((r.total_articles, r.total_passages), (1, 2));
    let hit = &r.hits[0];
    assert_eq!(hit.article, "2023/07/niger.txt");
    let lacking = if hit.text.contains("coup") {
        "president"
    } else {
        "coup"
    };
    assert!(!hit.text.contains(lacking), "{hit:?}");
    assert_eq!(hit.also.len(), 1, "{hit:?}");
    let also = &hit.also[0];
    assert_ne!(also.passage, hit.passage);
    let also_marked: Vec<&str> = also
        .highlights
        .iter()
        .filter_map(|&(a, b)| also.snippet.get(a..b))
        .collect();
    assert_eq!(also_marked, vec![lacking]);
    // The passage named is the article's, and holds the word.
    let out = env.run(&["show", "2023/07/niger.txt", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paragraphs = shown["paragraphs"].as_array().expect("paragraphs");
    let ranges = shown["passages"].as_array().expect("passages");
    let holding = ranges
        .iter()
        .position(|r| r[0].as_u64() <= Some(also.passage) && Some(also.passage) <= r[1].as_u64())
        .expect("the also passage is in the article");
    assert!(paragraphs[holding]
        .as_str()
        .is_some_and(|p| p.contains(lacking) && p.contains(also.snippet.trim_end_matches('…'))));

    // Two passages per article: both are shown, nothing is left to name.
    let r = env.search_json(&["coup president", "--per-article", "2"]);
    assert_eq!(r.hits.len(), 2);
    assert!(r.hits.iter().all(|h| h.also.is_empty()), "{:?}", r.hits);
    // A hit holding every word names nothing more.
    let r = env.search_json(&["coup niger"]);
    assert!(r.hits.iter().all(|h| h.also.is_empty()), "{:?}", r.hits);
    // Within passages, no passage holds both.
    let out = env.run(&["search", "coup president", "--within", "passage"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));

    // CSV: the also passages as a column.
    let out = env.run(&["search", "coup president", "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    let column = headers
        .iter()
        .position(|h| h == "also_passages")
        .expect("also_passages column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][column].parse::<u64>().ok(), Some(also.passage));

    // Text: the also passage printed under the hit.
    let out = env.run(&["search", "coup president", "--color", "never"]);
    let text = stdout(&out);
    assert!(text.contains(&format!("also ¶{}:", also.passage)), "{text}");
    // The timeline counts the article the same way.
    let out = env.run(&["timeline", "coup president", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let total: u64 = t["series"][0]["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .filter_map(|b| b["articles"].as_u64())
        .sum();
    assert_eq!(total, 1);
    let out = env.run(&[
        "timeline",
        "coup president",
        "--format",
        "json",
        "--within",
        "passage",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let total: u64 = t["series"][0]["buckets"]
        .as_array()
        .map(|b| b.iter().filter_map(|b| b["articles"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(total, 0);
}

/// Whatever the query, every matching article is shown by at least one passage, `--per-article 0` lists
/// exactly the passages counted, and a double NOT is no NOT.
#[test]
fn every_matching_article_is_shown_and_totals_add_up() {
    let env = sample_env();
    for q in [
        "niger",
        "niger OR -mali",
        "NOT niger",
        "NOT NOT niger",
        "NOT (niger OR NOT mali)",
        "mali -(niger -coup)",
        "headline:(coup) niger",
        "lede:niger -france",
        "\"central bank\" OR senegal",
        "niger~ Tchian*",
        "coup president",
    ] {
        for within in ["article", "passage"] {
            let one = env.search_json(&[q, "--all", "--within", within]);
            let mut articles: Vec<&str> = one.hits.iter().map(|h| h.article.as_str()).collect();
            articles.sort_unstable();
            articles.dedup();
            assert_eq!(
                articles.len(),
                one.hits.len(),
                "{q} {within}: one hit per article"
            );
            assert_eq!(one.hits.len() as u64, one.total_articles, "{q} {within}");
            let all = env.search_json(&[q, "--all", "--per-article", "0", "--within", within]);
            assert_eq!(all.hits.len() as u64, all.total_passages, "{q} {within}");
            assert_eq!(all.total_articles, one.total_articles, "{q} {within}");
            // The timeline counts the same articles and passages.
            let out = env.run(&["timeline", q, "--within", within, "--format", "json"]);
            assert!(code(&out) <= 1, "{q}: {}", stderr(&out));
            let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
            let series = &t["series"][0];
            let sum = |key: &str| -> u64 {
                series["buckets"]
                    .as_array()
                    .expect("buckets")
                    .iter()
                    .filter_map(|b| b[key].as_u64())
                    .sum()
            };
            let undated = series["undated"].as_u64().expect("undated");
            let undated_passages = series["undated_passages"].as_u64().expect("undated");
            assert_eq!(
                (
                    sum("articles") + undated,
                    sum("passages") + undated_passages
                ),
                (all.total_articles, all.total_passages),
                "{q} {within}: timeline"
            );
        }
    }
    let twice = env.search_json(&["NOT NOT niger", "--all", "--per-article", "0"]);
    let once = env.search_json(&["niger", "--all", "--per-article", "0"]);
    assert_eq!(
        (twice.total_articles, twice.total_passages),
        (once.total_articles, once.total_passages)
    );
}

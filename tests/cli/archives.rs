//! Saved web pages, web archives and JSON Lines dumps: the readers through the command line, the
//! stored title, url, source and authors, searching and counting by source, ids shared by records.

use std::io::Write;

use crate::convert::{self, Target, BOILERPLATE_WORDS, URL_PREFIX};
use crate::util::{code, stderr, stdout, Env};

/// A small text archive in three folders, converted by the tests' converter.
fn text_archive(env: &Env) -> std::path::PathBuf {
    let src = env.path().join("text");
    let write = |rel: &str, body: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, body).expect("write");
    };
    write(
        "2023/zinc.txt",
        "date 2023-07-28 Zinc prices rose sharply on Friday as miners threatened a strike that could cut supply for weeks.\n\n\
         The metal gained four percent in London, its biggest daily rise this year, while copper was little changed.\n\n\
         Union leaders said talks with the mine owners had broken down over pay.\n",
    );
    write(
        "2023/lead.txt",
        "date 2023-08-02 Lead prices fell for a third day as stocks in London warehouses rose to a two-year high.\n\n\
         Dealers said demand from battery makers in Asia had slowed since the spring.\n",
    );
    write(
        "2024/tin.txt",
        "date 2024-01-15 Tin climbed to a nine-month high after floods shut mines in Indonesia, the largest exporter.\n\n\
         Smelters said they held enough ore for a month.\n",
    );
    src
}

fn ids(env: &Env, query: &str) -> Vec<String> {
    let r = env.search_json(&[query, "--all"]);
    let mut ids = crate::util::articles(&r.hits);
    ids.sort();
    ids
}

#[test]
fn web_pages_and_web_archives_give_the_articles_without_their_boilerplate() {
    for target in [Target::Html, Target::Warc, Target::Jsonl] {
        let env = Env::new();
        let src = text_archive(&env);
        assert_eq!(
            convert::convert(&src, &env.corpus(), target).expect("convert"),
            3
        );
        let out = env.index_corpus();
        assert!(
            stderr(&out).contains("indexed 3 articles"),
            "{target:?}: {}",
            stderr(&out)
        );
        if target == Target::Warc {
            assert!(
                stderr(&out).contains("3 web archive records passed over"),
                "{}",
                stderr(&out)
            );
        }
        assert_eq!(
            ids(&env, "prices"),
            [
                format!("{URL_PREFIX}2023/lead.txt"),
                format!("{URL_PREFIX}2023/zinc.txt")
            ],
            "{target:?}"
        );
        let r = env.search_json(&["union"]);
        let hit = &r.hits[0];
        assert_eq!(hit.date.as_deref(), Some("2023-07-28"), "{target:?}");
        assert_eq!(hit.passage, 3, "{target:?}: paragraphs become passages");
        assert_eq!(
            hit.url.as_deref(),
            Some(format!("{URL_PREFIX}2023/zinc.txt").as_str())
        );
        assert_eq!(hit.source.as_deref(), Some("archive.example"));
        assert!(
            hit.headline.starts_with("Zinc prices rose sharply"),
            "{target:?}: {}",
            hit.headline
        );
        assert_eq!(hit.title.as_deref(), Some(hit.headline.as_str()));
        if target != Target::Jsonl {
            for word in BOILERPLATE_WORDS {
                let out = env.run(&["search", word]);
                assert_eq!(
                    code(&out),
                    1,
                    "{target:?}: '{word}' was indexed: {}",
                    stdout(&out)
                );
            }
        }
    }
}

#[test]
fn titles_sources_and_authors_are_stored_searched_and_counted() {
    let env = Env::new();
    let dump = [
        r#"{"url": "https://www.reuters.com/a", "title": "Copper hits record", "maintext": "Copper rose to a record in London trading.", "date": "2023-03-01", "authors": ["Ann Lee", "Bo Chan"]}"#,
        r#"{"url": "https://www.reuters.com/b", "title": "Oil slips", "maintext": "Brent crude fell as copper demand cooled.", "date": "2023-03-02"}"#,
        r#"{"url": "https://apnews.com/c", "title": "Copper miners strike", "maintext": "Workers at two copper mines walked out.", "date": "2023-04-05", "author": "Cy Diaz"}"#,
        r#"{"id": "x-1", "title": "Markets wrap", "text": "Copper, oil and gold were mixed.", "source": "Example Wire", "date": "2023-04-06"}"#,
    ]
    .join("\n");
    env.write("dump.jsonl", &dump);
    env.write(
        "plain.txt",
        "date 2023-04-07 Copper fell in a plain text file.\n",
    );
    env.index_corpus();

    let r = env.search_json(&["copper", "--all"]);
    let by_id = |id: &str| r.hits.iter().find(|h| h.article == id).expect(id);
    let a = by_id("https://www.reuters.com/a");
    assert_eq!(a.title.as_deref(), Some("Copper hits record"));
    assert_eq!(
        a.source.as_deref(),
        Some("reuters.com"),
        "the url's host without www."
    );
    assert_eq!(a.authors, ["Ann Lee", "Bo Chan"]);
    assert_eq!(by_id("https://apnews.com/c").authors, ["Cy Diaz"]);
    assert_eq!(by_id("x-1").source.as_deref(), Some("Example Wire"));
    let plain = by_id("plain.txt");
    assert_eq!(
        (
            plain.title.as_deref(),
            plain.url.as_deref(),
            plain.source.as_deref()
        ),
        (None, None, None)
    );
    assert!(plain.authors.is_empty());

    // title: (an alias of headline:, the first sentence of an article without a title) and source:
    // in the query; --source, repeatable, any case.
    assert_eq!(
        ids(&env, "title:copper"),
        [
            "https://apnews.com/c",
            "https://www.reuters.com/a",
            "plain.txt"
        ]
    );
    assert_eq!(
        ids(&env, "copper source:Reuters.com"),
        ["https://www.reuters.com/a", "https://www.reuters.com/b"]
    );
    assert_eq!(ids(&env, "copper source:\"example wire\""), ["x-1"]);
    assert_eq!(ids(&env, "copper -source:reuters.com").len(), 3);
    let r = env.search_json(&[
        "copper",
        "--all",
        "--source",
        "APNEWS.COM",
        "--source",
        "example wire",
    ]);
    let mut got = crate::util::articles(&r.hits);
    got.sort();
    assert_eq!(got, ["https://apnews.com/c", "x-1"]);
    let out = env.run(&["search", "copper", "--source", "reuters"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "no article has the source 'reuters'; sources with most articles: reuters.com (2)"
        ),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["search", "copper", "source:"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("source: needs a name"),
        "{}",
        stderr(&out)
    );

    // CSV carries the columns.
    let out = env.run(&["search", "record", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    let row = reader.records().next().expect("row").expect("row");
    let cell = |name: &str| row[headers.iter().position(|h| h == name).expect(name)].to_string();
    assert_eq!(cell("title"), "Copper hits record");
    assert_eq!(cell("url"), "https://www.reuters.com/a");
    assert_eq!(cell("source"), "reuters.com");
    assert_eq!(cell("authors"), "Ann Lee; Bo Chan");

    // info lists the top sources with their article counts.
    let info = env.info();
    assert_eq!(info["sources"], 3);
    assert_eq!(info["top_sources"][0]["source"], "reuters.com");
    assert_eq!(info["top_sources"][0]["articles"], 2);
    let text = stdout(&env.run(&["info"]));
    assert!(
        text.contains("top sources:") && text.contains("reuters.com"),
        "{text}"
    );

    // show prints them.
    let out = env.run(&["show", "https://www.reuters.com/a", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["url"], "https://www.reuters.com/a");
    assert_eq!(v["authors"][1], "Bo Chan");
    let text = stdout(&env.run(&["show", "https://www.reuters.com/a"]));
    assert!(
        text.contains("reuters.com · by Ann Lee, Bo Chan · https://www.reuters.com/a"),
        "{text}"
    );

    // A timeline split by source: the top sources, then the rest as "other"; the counts are the
    // searches' counts.
    let out = env.run(&[
        "timeline", "copper", "--split", "source", "--top", "1", "--by", "year", "--format", "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let series = t["series"].as_array().expect("series");
    let labels: Vec<&str> = series
        .iter()
        .map(|s| s["query"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["reuters.com", "other"]);
    let total = |s: &serde_json::Value| -> u64 {
        s["buckets"]
            .as_array()
            .expect("buckets")
            .iter()
            .map(|b| b["articles"].as_u64().expect("n"))
            .sum()
    };
    assert_eq!(total(&series[0]), 2);
    assert_eq!(total(&series[1]), 3);
    let out = env.run(&[
        "timeline",
        "copper",
        "--source",
        "reuters.com",
        "--by",
        "year",
        "--format",
        "json",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(total(&t["series"][0]), 2);
    // Shares with --source: of that source's articles only (1 of the 2 reuters.com articles of 2023
    // holds "record"; of all 5 articles, 1).
    let out = env.run(&[
        "timeline",
        "record",
        "--share",
        "--by",
        "year",
        "--format",
        "json",
        "--source",
        "reuters.com",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(t["series"][0]["buckets"][0]["all_articles"], 2, "{t}");
    assert_eq!(t["series"][0]["buckets"][0]["share"], 0.5, "{t}");
    let out = env.run(&[
        "timeline", "record", "--share", "--by", "year", "--format", "json",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(t["series"][0]["buckets"][0]["all_articles"], 5, "{t}");
    assert_eq!(t["series"][0]["buckets"][0]["share"], 0.2, "{t}");
    // Split by source: each source's share is of its own articles, "other" of the rest.
    let out = env.run(&[
        "timeline",
        "walked OR record",
        "--split",
        "source",
        "--top",
        "1",
        "--share",
        "--by",
        "year",
        "--format",
        "json",
    ]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<(String, f64, u64)> = t["series"]
        .as_array()
        .expect("series")
        .iter()
        .map(|s| {
            let b = &s["buckets"][0];
            (
                s["query"].as_str().expect("label").to_string(),
                b["share"].as_f64().expect("share"),
                b["all_articles"].as_u64().expect("all"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("apnews.com".to_string(), 1.0, 1),
            ("other".to_string(), 0.25, 4)
        ],
        "ties go by name; other is every article but apnews.com's"
    );
    let out = env.run(&["timeline", "copper", "oil", "--split", "source"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
}

#[test]
fn two_records_with_one_id_keep_the_later_with_a_warning_naming_both() {
    let env = Env::new();
    env.write("a.jsonl", "{\"id\": \"s-1\", \"text\": \"Zinc first version.\"}\n{\"id\": \"s-2\", \"text\": \"Zinc old other.\"}\n{\"id\": \"s-2\", \"text\": \"Zinc other.\"}\n");
    env.write(
        "b/b.jsonl",
        "{\"id\": \"s-1\", \"text\": \"Zinc second version.\"}\n",
    );
    let out = env.index_corpus();
    let err = stderr(&out);
    assert!(
        err.contains("has the id 's-1' of")
            && err.contains("a.jsonl record 1")
            && err.contains("b.jsonl record 1"),
        "{err}"
    );
    assert!(
        err.contains("a.jsonl: record 2 is left out: record 3 has its id 's-2'"),
        "{err}"
    );
    let r = env.search_json(&["zinc", "--all"]);
    assert_eq!(r.hits.len(), 2, "one article per id");
    assert!(r.hits.iter().all(|h| !h.text.contains("old")));
    assert_eq!(env.info()["articles"], 2);
    let verify = env.run(&["verify"]);
    assert_eq!(code(&verify), 0, "{}{}", stdout(&verify), stderr(&verify));
    // Re-running changes nothing.
    let out = env.index_corpus();
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
    assert_eq!(env.search_json(&["zinc", "--all"]).hits.len(), 2);
    // A later run adds a file holding an id indexed from a file that has not changed: it replaces it.
    env.write("c.jsonl", "{\"id\": \"s-2\", \"text\": \"Zinc newest.\"}\n");
    let out = env.index_corpus();
    let err = stderr(&out);
    assert!(
        err.contains("c.jsonl record 1 has the id 's-2' of the indexed article from 'a.jsonl'"),
        "{err}"
    );
    let r = env.search_json(&["zinc", "--all"]);
    let texts: Vec<&str> = r.hits.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(r.hits.len(), 2, "{texts:?}");
    assert!(texts.contains(&"Zinc newest."), "{texts:?}");
    assert_eq!(env.info()["articles"], 2);
    let verify = env.run(&["verify"]);
    assert_eq!(code(&verify), 0, "{}{}", stdout(&verify), stderr(&verify));
}

#[test]
fn a_dump_larger_than_an_article_file_may_be_is_streamed() {
    let env = Env::new();
    let path = env.corpus().join("big.jsonl");
    std::fs::create_dir_all(env.corpus()).expect("mkdir");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    // 20 MiB, past the 16 MiB an article file may have: records padded with spaces.
    let pad = " ".repeat(100_000);
    for i in 0..210 {
        writeln!(
            f,
            "{{\"id\": \"r{i}\", \"text\": \"Record {i} about zinc.{pad}\"}}"
        )
        .expect("write");
    }
    f.flush().expect("flush");
    drop(f);
    assert!(std::fs::metadata(&path).expect("meta").len() > 20_000_000);
    // A dump named as the corpus: the hint names its folder.
    let out = env.run(&["index", path.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 2);
    let hint = format!(
        "hint: name the folder that holds it ({})",
        env.corpus().display()
    );
    assert!(stderr(&out).contains(&hint), "{}", stderr(&out));
    let out = env.index_corpus();
    assert!(
        stderr(&out).contains("indexed 210 articles"),
        "{}",
        stderr(&out)
    );
    // The dump's records are alike (copies of one story, collapsed by default): every one is there.
    assert_eq!(
        env.search_json(&["zinc", "--all", "--copies", "show"])
            .hits
            .len(),
        210
    );
}

/// Damaged inputs: each a warning naming the file and the record, the rest indexed.
#[test]
fn damaged_archives_keep_what_can_be_read() {
    let env = Env::new();
    let src = text_archive(&env);
    convert::convert(&src, &env.path().join("w"), Target::Warc).expect("convert");
    let whole = std::fs::read(env.path().join("w/archive.warc.gz")).expect("warc");
    env.write("cut.warc.gz", &whole[..whole.len() - 200]);
    env.write(
        "notes.jsonl",
        "{\"text\": \"Zinc notes.\"}\n[1, 2]\n{\"title\": \"no text\"}\n{\"text\": 5\n",
    );
    let mut deep = String::from("<html><body>");
    deep.push_str(&"<div>".repeat(100_000));
    deep.push_str("<p>Zinc at the bottom of a page nested a hundred thousand levels deep, which no one writes.</p>");
    deep.push_str("</body></html>");
    env.write("deep.html", &deep);
    env.write(
        "latin.html",
        b"<html><body><p>Zinc caf\xe9 owners in S\xe3o Paulo said trade was slow in the summer months and prices had risen.</p></body></html>".as_slice(),
    );
    let out = env.run(&["index", env.corpus().to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "cut.warc.gz: read error",
        "notes.jsonl: record 2: not a JSON object",
        "notes.jsonl: record 3: no text",
        "notes.jsonl: record 4: not JSON",
        "deep.html: elements nested",
        "latin.html: no charset declared and not UTF-8: read as Windows-1252",
    ] {
        assert!(err.contains(expected), "missing '{expected}' in {err}");
    }
    let found = ids(&env, "zinc");
    assert!(
        found.contains(&format!("{URL_PREFIX}2023/zinc.txt")),
        "{found:?}"
    );
    assert!(
        found.contains(&"notes.jsonl#1".to_string()) && found.contains(&"deep.html".to_string()),
        "{found:?}"
    );
    let r = env.search_json(&["paulo"]);
    assert!(
        r.hits[0].text.contains("café owners in São Paulo"),
        "{}",
        r.hits[0].text
    );
}

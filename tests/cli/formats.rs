//! Output formats: each parsed back and compared with the JSON hits field by field.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use crate::util::{code, sample, stderr, stdout, Env, Hit};

fn env_with_hostile_text() -> Env {
    let env = Env::new();
    sample(&env);
    env.write(
        "hostile.txt",
        "date 2023-08-01 =HYPERLINK(\"http://x\") zinc \"quoted\", commas; \x1b[31mred\x1b[0m \u{202E}evil\u{2028}sep zinc.\n",
    );
    env.index_corpus();
    env
}

fn json_hits(env: &Env, query: &str) -> Vec<Hit> {
    env.search_json(&[query, "--all", "--per-article", "0"])
        .hits
}

#[test]
fn jsonl_matches_json() {
    let env = env_with_hostile_text();
    let hits = json_hits(&env, "niger OR zinc");
    let out = env.export("niger OR zinc", "jsonl");
    let lines: Vec<Hit> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    assert_eq!(lines, hits);
    let hostile = hits
        .iter()
        .find(|h| h.article == "hostile.txt")
        .expect("hostile hit");
    // Escape sequences and bidi overrides are kept; U+2028 is white space and folds like a space.
    assert!(
        hostile
            .text
            .contains("\x1b[31mred\x1b[0m \u{202E}evil sep zinc."),
        "JSON must keep text exactly: {:?}",
        hostile.text
    );
}

#[test]
fn csv_and_tsv_round_trip_and_defuse_formulas() {
    let env = env_with_hostile_text();
    let hits = json_hits(&env, "niger OR zinc");
    for (format, delim) in [("csv", b','), ("tsv", b'\t')] {
        let out = env.export("niger OR zinc", format);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(out.stdout.as_slice());
        let headers = reader.headers().expect("header").clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            vec![
                "rank",
                "score",
                "article",
                "date",
                "passage",
                "headline",
                "title",
                "url",
                "source",
                "authors",
                "text",
                "snippet",
                "highlights",
                "also_passages",
                "copies",
                "copy_ids",
                "story"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), hits.len(), "{format}");
        for (row, hit) in rows.iter().zip(&hits) {
            assert_eq!(row[0].parse::<usize>().ok(), Some(hit.rank));
            assert_eq!(row[1].parse::<f32>().ok(), Some(hit.score));
            assert_eq!(&row[2], hit.article);
            assert_eq!(&row[3], hit.date.as_deref().unwrap_or(""));
            assert_eq!(row[4].parse::<u64>().ok(), Some(hit.passage));
            let undefused = |cell: &str| -> String {
                if cell.starts_with("'=") {
                    cell[1..].to_string()
                } else {
                    cell.to_string()
                }
            };
            assert_eq!(&row[6], hit.title.as_deref().unwrap_or(""));
            assert_eq!(&row[7], hit.url.as_deref().unwrap_or(""));
            assert_eq!(&row[8], hit.source.as_deref().unwrap_or(""));
            assert_eq!(&row[9], hit.authors.join("; "));
            assert_eq!(undefused(&row[10]), hit.text, "{format}: text cell");
            assert_eq!(undefused(&row[11]), hit.snippet);
            let ranges: Vec<(usize, usize)> = row[12]
                .split(';')
                .filter(|s| !s.is_empty())
                .map(|r| {
                    let (a, b) = r.split_once('-').expect("range");
                    (a.parse().expect("start"), b.parse().expect("end"))
                })
                .collect();
            assert_eq!(ranges, hit.highlights);
            if hit.article == "hostile.txt" {
                assert!(
                    row[10].starts_with("'=HYPERLINK"),
                    "formula not defused: {}",
                    &row[10]
                );
            }
        }
    }
}

#[test]
fn markdown_lists_hits_with_bold_matches() {
    let env = env_with_hostile_text();
    let out = env.run(&["search", "bazoum", "--format", "markdown"]);
    assert_eq!(code(&out), 0);
    let md = stdout(&out);
    assert!(md.starts_with("# Search: `bazoum`"), "{md}");
    assert!(md.contains("1 matching passages in 1 articles"), "{md}");
    assert!(
        md.contains("1. **2023-07-28** · `2023/07/niger.txt` · passage 2"),
        "{md}"
    );
    assert!(md.contains("**Bazoum**"), "{md}");
}

#[test]
fn text_output_colours_on_request_and_never_passes_control_characters() {
    let env = env_with_hostile_text();
    let out = env.run(&["search", "zinc", "--color", "never"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("2023-08-01  hostile.txt  ¶1"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "escape reached the terminal: {text:?}"
    );
    assert!(
        !text.contains('\u{202E}') && !text.contains('\u{2028}'),
        "{text:?}"
    );
    assert!(
        text.contains("1 of 1 matching passage shown (1 article)"),
        "{text}"
    );
    let out = env.run(&["search", "zinc", "--color", "always"]);
    let text = stdout(&out);
    assert!(text.contains("\x1b[1;31mzinc\x1b[0m"), "{text:?}");
    assert!(
        !text.contains("\x1b[31mred"),
        "article escape passed through: {text:?}"
    );
    // Piped output (not a terminal) has no colour by default.
    let out = env.run(&["search", "zinc"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn output_file_holds_the_export() {
    let env = env_with_hostile_text();
    let file = env.path().join("out.jsonl");
    let out = env.run(&[
        "search",
        "niger",
        "--all",
        "--format",
        "jsonl",
        "--output",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("output file");
    assert_eq!(written.lines().count(), 3);
}

/// Without --format, the output file's extension names the format; an explicit --format wins.
#[test]
fn the_output_extension_names_the_format() {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    let export = |name: &str, extra: &[&str]| -> String {
        let file = env.path().join(name);
        let mut args = vec![
            "search",
            "niger",
            "--all",
            "--output",
            file.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        let out = env.run(&args);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{name}");
        std::fs::read_to_string(&file).expect("output file")
    };
    let total = env.search_json(&["niger", "--all"]).hits.len();
    assert!(total >= 3, "{total}");

    let csv_text = export("hits.csv", &[]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().expect("csv header").get(2),
        Some("article")
    );
    assert_eq!(reader.records().count(), total);

    let tsv_text = export("hits.TSV", &[]);
    assert!(tsv_text.starts_with("rank\tscore\tarticle"), "{tsv_text}");

    let doc: crate::util::Results =
        serde_json::from_str(&export("hits.json", &[])).expect("a json document");
    assert_eq!(doc.hits.len(), total);

    for name in ["hits.jsonl", "hits.ndjson"] {
        let lines: Vec<Hit> = export(name, &[])
            .lines()
            .map(|l| serde_json::from_str(l).expect("one hit per line"))
            .collect();
        assert_eq!(lines.len(), total, "{name}");
    }
    assert!(export("hits.md", &[]).starts_with('#'));
    // An explicit format wins over the extension; an unknown extension is text.
    let forced = export("hits.csv", &["--format", "jsonl"]);
    assert!(
        serde_json::from_str::<Hit>(forced.lines().next().unwrap_or("")).is_ok(),
        "{forced}"
    );
    let text = export("hits.out", &[]);
    assert!(text.contains("matching passages"), "{text}");
}

#[test]
fn closed_stdout_is_not_an_error() {
    let env = Env::new();
    for i in 0..400 {
        env.write(
            &format!("a/{i}.txt"),
            format!("date 2023-01-01 Zinc report number {i}.\n\nMore zinc.\n"),
        );
    }
    env.index_corpus();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .current_dir(env.path())
        .args([
            "search",
            "zinc",
            "--all",
            "--per-article",
            "0",
            "--format",
            "jsonl",
            "--index",
        ])
        .arg(env.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    assert!(first.to_lowercase().contains("zinc"), "{first}");
    // The reader is dropped here: the pipe is closed while dateline still writes.
    let status = child.wait().expect("wait");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "{err}");
}

/// The printers on their own: every character a cell or string can hold comes back exactly.
#[test]
fn csv_and_json_cells_round_trip_exactly() {
    use dateline::output::{CsvPrinter, JsonPrinter, JsonlPrinter, SearchPrinter, SearchSummary};
    let nasty = "line\nbreak, \"quoted\" \r\n crlf\ttab NUL\0 ls\u{2028}ps\u{2029} bidi\u{202E} esc\x1b[31m c1\u{85} é 𝄞 ";
    let hit = dateline::search::Hit {
        rank: 1,
        score: 1.5,
        article: format!("dir/{nasty}.txt"),
        date: Some("2023-07-28".to_string()),
        passage: 3,
        headline: nasty.to_string(),
        meta: dateline::ingest::ArticleMeta {
            title: Some(nasty.to_string()),
            url: Some(format!("https://example.org/{nasty}")),
            source: Some(nasty.to_string()),
            authors: vec![nasty.to_string(), "B".to_string()],
        },
        text: nasty.to_string(),
        snippet: nasty.to_string(),
        highlights: vec![(0, 4)],
        also: vec![dateline::search::Also {
            passage: 7,
            snippet: nasty.to_string(),
            highlights: vec![(1, 3)],
        }],
        copies: vec![format!("copy/{nasty}.txt")],
        story: format!("first/{nasty}.txt"),
    };
    let summary = SearchSummary {
        query: nasty.to_string(),
        since: None,
        until: None,
        total_passages: Some(1),
        total_articles: Some(1),
        total_stories: Some(1),
        shown: 1,
    };
    let print = |printer: &mut dyn SearchPrinter| {
        printer.begin(&summary).expect("begin");
        printer.hit(&hit).expect("hit");
        printer.finish(&summary).expect("finish");
    };

    let mut json = Vec::new();
    print(&mut JsonPrinter::new(&mut json));
    let doc: crate::util::Results = serde_json::from_slice(&json).expect("json");
    assert_eq!(doc.query, nasty);
    let wire = Hit {
        rank: hit.rank,
        score: hit.score,
        article: hit.article.clone(),
        date: hit.date.clone(),
        passage: hit.passage,
        headline: hit.headline.clone(),
        title: hit.meta.title.clone(),
        url: hit.meta.url.clone(),
        source: hit.meta.source.clone(),
        authors: hit.meta.authors.clone(),
        text: hit.text.clone(),
        snippet: hit.snippet.clone(),
        highlights: hit.highlights.clone(),
        also: vec![crate::util::Also {
            passage: 7,
            snippet: nasty.to_string(),
            highlights: vec![(1, 3)],
        }],
        copies: 1,
        copy_ids: vec![format!("copy/{nasty}.txt")],
        story: format!("first/{nasty}.txt"),
    };
    assert_eq!(doc.hits, vec![wire.clone()]);

    let mut jsonl = Vec::new();
    print(&mut JsonlPrinter::new(&mut jsonl));
    let text = String::from_utf8(jsonl).expect("utf-8");
    assert_eq!(text.lines().count(), 1, "one line per hit: {text:?}");
    assert_eq!(
        serde_json::from_str::<Hit>(text.trim_end()).ok(),
        Some(wire)
    );

    for delimiter in [b',', b'\t'] {
        let mut out = Vec::new();
        print(&mut CsvPrinter::new(&mut out, delimiter));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][2], hit.article);
        for column in [5, 6, 8, 10, 11] {
            assert_eq!(&rows[0][column], nasty, "column {column}");
        }
        assert_eq!(&rows[0][7], format!("https://example.org/{nasty}"));
        assert_eq!(&rows[0][9], format!("{nasty}; B"));
        assert_eq!(&rows[0][13], "7", "also_passages");
        assert_eq!(&rows[0][14], "1", "copies");
        assert_eq!(&rows[0][15], format!("copy/{nasty}.txt"), "copy_ids");
        assert_eq!(&rows[0][16], format!("first/{nasty}.txt"), "story");
    }
}

//! `dateline timeline`: counts checked against a brute-force count over the files the test wrote.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use time::{Date, Duration, Month};

use crate::util::{code, stderr, stdout, Env};

#[derive(Debug, Deserialize)]
struct Wire {
    by: String,
    series: Vec<WireSeries>,
}

#[derive(Debug, Deserialize)]
struct WireSeries {
    query: String,
    buckets: Vec<WireBucket>,
    undated: u64,
}

#[derive(Debug, Deserialize)]
struct WireBucket {
    start: String,
    end: String,
    label: String,
    articles: u64,
    passages: u64,
    stories: u64,
    partial: bool,
    #[serde(default)]
    all_articles: Option<u64>,
    /// Present (and perhaps null) only with `--share`.
    #[serde(default, deserialize_with = "present")]
    share: Option<Option<f64>>,
}

/// A field that may be absent (`None`) or null (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<f64>>, D::Error> {
    Option::<f64>::deserialize(d).map(Some)
}

/// An article the test wrote: its date and paragraphs.
struct Written {
    date: Option<Date>,
    paragraphs: Vec<String>,
}

const WORDS: [&str; 5] = ["zinc", "copper", "tin", "gold", "lead"];

/// A corpus over 2019-12-20 .. 2021-02-10 (month ends, a 53-week ISO year, two new years), with
/// undated articles, built from a fixed pseudo-random sequence.
fn corpus(env: &Env) -> Vec<Written> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = Date::from_calendar_date(2019, Month::December, 20).expect("date");
    let mut out = Vec::new();
    let fixed = [
        (2020, Month::January, 31),
        (2020, Month::December, 31),
        (2021, Month::January, 2),
    ];
    for i in 0..150 {
        let date = match fixed.get(i) {
            Some(&(y, m, d)) => Some(Date::from_calendar_date(y, m, d).expect("date")),
            None if i % 17 == 0 => None,
            None => Some(start + Duration::days((next() % 418) as i64)),
        };
        let paragraphs: Vec<String> = (0..1 + next() % 3)
            .map(|_| {
                let a = WORDS[(next() % 5) as usize];
                let b = WORDS[(next() % 5) as usize];
                format!("Prices of {a} and {b} moved.")
            })
            .collect();
        let body = paragraphs.join("\n\n");
        match date {
            Some(d) => env.write(&format!("a/{i}.txt"), format!("date {d} {body}\n")),
            None => env.write(&format!("undated/{i}.txt"), format!("{body}\n")),
        };
        out.push(Written { date, paragraphs });
    }
    out
}

fn holds(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

fn label(by: &str, d: Date) -> String {
    match by {
        "day" => d.to_string(),
        "week" => {
            let (y, w, _) = d.to_iso_week_date();
            format!("{y:04}-W{w:02}")
        }
        "month" => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
        _ => format!("{:04}", d.year()),
    }
}

/// label -> (articles, passages), and undated articles, by brute force.
fn expected(
    written: &[Written],
    word: &str,
    by: &str,
    since: Option<Date>,
    until: Option<Date>,
) -> (BTreeMap<String, (u64, u64)>, u64) {
    let mut counts = BTreeMap::new();
    let mut undated = 0;
    for a in written {
        let passages = a.paragraphs.iter().filter(|p| holds(p, word)).count() as u64;
        if passages == 0 {
            continue;
        }
        match a.date {
            Some(d) if since.is_none_or(|s| d >= s) && until.is_none_or(|u| d <= u) => {
                let e = counts.entry(label(by, d)).or_insert((0, 0));
                e.0 += 1;
                e.1 += passages;
            }
            Some(_) => {}
            None if since.is_none() && until.is_none() => undated += 1,
            None => {}
        }
    }
    (counts, undated)
}

fn timeline_json(env: &Env, args: &[&str]) -> Wire {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = env.run(&all);
    assert!(code(&out) <= 1, "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
}

fn parse_date(s: &str) -> Date {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &f).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn counts_equal_a_brute_force_count_for_every_bucketing_and_range() {
    let env = Env::new();
    let written = corpus(&env);
    env.index_corpus();
    let ranges: [(Option<&str>, Option<&str>); 3] = [
        (None, None),
        (Some("2020-02-15"), Some("2020-11")),
        (Some("2020-12-29"), None),
    ];
    for by in ["day", "week", "month", "year"] {
        for (since, until) in ranges {
            let mut args = vec!["zinc", "copper OR tin", "--by", by];
            if let Some(s) = since {
                args.extend_from_slice(&["--since", s]);
            }
            if let Some(u) = until {
                args.extend_from_slice(&["--until", u]);
            }
            let wire = timeline_json(&env, &args);
            assert_eq!(wire.by, by);
            assert_eq!(wire.series.len(), 2);
            let since_d = since.map(parse_date);
            let until_d = until.map(|u| {
                if u.len() == 7 {
                    parse_date("2020-11-30")
                } else {
                    parse_date(u)
                }
            });
            for series in &wire.series {
                // Buckets are contiguous, each ending the day before the next starts.
                for pair in series.buckets.windows(2) {
                    assert_eq!(
                        parse_date(&pair[0].end) + Duration::days(1),
                        parse_date(&pair[1].start)
                    );
                }
                for b in &series.buckets {
                    assert_eq!(b.label, label(by, parse_date(&b.start)), "{by}");
                }
                let got: BTreeMap<String, (u64, u64)> = series
                    .buckets
                    .iter()
                    .filter(|b| b.articles > 0 || b.passages > 0)
                    .map(|b| (b.label.clone(), (b.articles, b.passages)))
                    .collect();
                let mut want = BTreeMap::new();
                let mut want_undated = 0;
                // A series with OR counts a passage once even when it holds both words.
                let words: Vec<&str> = series.query.split(" OR ").collect();
                for a in &written {
                    let passages = a
                        .paragraphs
                        .iter()
                        .filter(|p| words.iter().any(|w| holds(p, w)))
                        .count() as u64;
                    if passages == 0 {
                        continue;
                    }
                    match a.date {
                        Some(d)
                            if since_d.is_none_or(|s| d >= s) && until_d.is_none_or(|u| d <= u) =>
                        {
                            let e = want.entry(label(by, d)).or_insert((0, 0));
                            e.0 += 1;
                            e.1 += passages;
                        }
                        Some(_) => {}
                        None if since.is_none() && until.is_none() => want_undated += 1,
                        None => {}
                    }
                }
                assert_eq!(got, want, "{} by {by} {since:?}..{until:?}", series.query);
                assert_eq!(series.undated, want_undated, "{} undated", series.query);
                // The range runs from the first to the last bucket of the flags or of the hits.
                let first = series.buckets.first().map(|b| parse_date(&b.start));
                let last = series.buckets.last().map(|b| parse_date(&b.end));
                if let (Some(s), Some(f)) = (since_d, first) {
                    assert!(f <= s && label(by, f) == label(by, s));
                }
                if let (Some(u), Some(l)) = (until_d, last) {
                    assert!(l >= u && label(by, l) == label(by, u));
                }
            }
        }
    }
    let (z, _) = expected(&written, "zinc", "year", None, None);
    assert!(z.len() >= 2, "the corpus spans several years");
}

#[test]
fn month_holds_the_31st_and_a_week_spans_the_new_year() {
    let env = Env::new();
    env.write("a.txt", "date 2020-01-31 Nickel.\n");
    env.write("b.txt", "date 2020-12-31 Nickel.\n");
    env.write("c.txt", "date 2021-01-02 Nickel.\n");
    env.write("d.txt", "date 2021-01-04 Nickel.\n");
    env.index_corpus();
    let month = timeline_json(
        &env,
        &[
            "nickel", "--by", "month", "--since", "2020-01", "--until", "2020-02",
        ],
    );
    let jan = &month.series[0].buckets[0];
    assert_eq!(
        (
            jan.label.as_str(),
            jan.start.as_str(),
            jan.end.as_str(),
            jan.articles
        ),
        ("2020-01", "2020-01-01", "2020-01-31", 1)
    );
    let week = timeline_json(&env, &["nickel", "--by", "week", "--since", "2020-12-28"]);
    let labels: Vec<(&str, u64)> = week.series[0]
        .buckets
        .iter()
        .map(|b| (b.label.as_str(), b.articles))
        .collect();
    assert_eq!(labels, vec![("2020-W53", 2), ("2021-W01", 1)]);
    assert_eq!(week.series[0].buckets[0].end, "2021-01-03");
    // Whole months are not partial; a week the range starts inside of is, and so is the last week,
    // which the matches (the range's open end) stop inside of.
    assert!(month.series[0].buckets.iter().all(|b| !b.partial));
    let partial: Vec<bool> = week.series[0].buckets.iter().map(|b| b.partial).collect();
    assert_eq!(partial, vec![false, true]);
    let mid = timeline_json(
        &env,
        &[
            "nickel",
            "--by",
            "week",
            "--since",
            "2020-12-30",
            "--until",
            "2021-01-10",
        ],
    );
    let partial: Vec<bool> = mid.series[0].buckets.iter().map(|b| b.partial).collect();
    assert_eq!(partial, vec![true, false]);
}

#[test]
fn default_bucketing_csv_text_and_exit_status() {
    let env = Env::new();
    let written = corpus(&env);
    env.index_corpus();
    // The span is 418 days: 60 ISO weeks, the finest bucketing with at most 60 buckets.
    let wire = timeline_json(&env, &["zinc"]);
    assert_eq!(wire.by, "week");
    assert!((10..=60).contains(&wire.series[0].buckets.len()));
    // CSV parses back to the same counts.
    let out = env.run(&["timeline", "zinc", "gold", "--format", "csv"]);
    assert_eq!(code(&out), 0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        vec!["bucket", "series", "articles", "passages", "stories"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let both = timeline_json(&env, &["zinc", "gold"]);
    assert_eq!(rows.len(), both.series[0].buckets.len() * 2);
    for (i, row) in rows.iter().enumerate() {
        let series = &both.series[i % 2];
        let bucket = &series.buckets[i / 2];
        assert_eq!(
            (&row[0], &row[1]),
            (bucket.label.as_str(), series.query.as_str())
        );
        assert_eq!(row[2].parse::<u64>().ok(), Some(bucket.articles));
        assert_eq!(row[3].parse::<u64>().ok(), Some(bucket.passages));
        assert_eq!(row[4].parse::<u64>().ok(), Some(bucket.stories));
    }
    let (by_year, _) = expected(&written, "gold", "month", None, None);
    let total: u64 = by_year.values().map(|v| v.0).sum();
    assert_eq!(
        both.series[1]
            .buckets
            .iter()
            .map(|b| b.articles)
            .sum::<u64>(),
        total
    );
    // Text: a legend, one row per bucket, plain characters when piped.
    let out = env.run(&["timeline", "zinc", "gold", "--width", "60"]);
    let text = stdout(&out);
    assert!(
        text.contains("Stories per week (chosen from the span)"),
        "{text}"
    );
    assert!(text.contains("# zinc   = gold"), "{text}");
    assert!(!text.contains('\x1b'));
    let rows = text
        .lines()
        .filter(|l| l.starts_with("20") && l.contains("-W"))
        .count();
    assert_eq!(rows, both.series[0].buckets.len());
    let widest = text
        .lines()
        .filter(|l| l.starts_with("20"))
        .map(|l| l.chars().count())
        .max();
    assert!(
        widest.is_some_and(|w| w <= 60),
        "chart rows wider than 60 columns:\n{text}"
    );
    assert!(
        text.contains("undated stories (not in any bucket): zinc"),
        "{text}"
    );
    // Nothing found: exit 1; a bad plot name: exit 2.
    assert_eq!(code(&env.run(&["timeline", "platinum"])), 1);
    let out = env.run(&["timeline", "zinc", "--plot", "chart.pdf"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(".svg or .png"), "{}", stderr(&out));
}

/// An SVG file's source and its text nodes (trimmed); panics unless it is an SVG document.
fn svg_texts(path: &std::path::Path) -> (String, BTreeSet<String>) {
    let text = std::fs::read_to_string(path).expect("svg written");
    let doc = roxmltree::Document::parse(&text).expect("the SVG is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect();
    (text, texts)
}

#[test]
fn plots_are_svg_with_every_series_or_png() {
    let env = Env::new();
    corpus(&env);
    env.index_corpus();
    let svg = env.path().join("chart.svg");
    let out = env.run(&[
        "timeline",
        "zinc",
        "\"copper\"",
        "--plot",
        svg.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (text, texts) = svg_texts(&svg);
    assert!(
        texts.contains("zinc") && texts.contains("\"copper\""),
        "{texts:?}"
    );
    assert!(texts.contains("stories"), "no y axis title: {texts:?}");
    // The queries as typed, quotes only where typed.
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Stories per week, ") && t.ends_with(": zinc vs \"copper\"")),
        "no title: {texts:?}"
    );
    assert!(!text.contains('“'), "typographic quotes added");
    // Long queries: the title names the span only, and the legend every query.
    let long = [
        "zinc OR zincs OR zinced OR zincing OR zincy",
        "\"copper\" OR coppers OR coppered OR coppering",
        "copper OR zinc OR copper OR zinc OR copper",
        "zinc OR copper OR zinc OR copper OR zinc OR copper",
    ];
    let mut args = vec!["timeline", "--plot", svg.to_str().expect("utf-8")];
    args.extend(long);
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (_, texts) = svg_texts(&svg);
    let title = texts
        .iter()
        .find(|t| t.starts_with("Stories per "))
        .cloned()
        .unwrap_or_default();
    assert!(!title.contains("vs"), "{title}");
    for q in long {
        assert!(texts.contains(q), "{q} not in the legend: {texts:?}");
    }
    let png = env.path().join("chart.png");
    let out = env.run(&["timeline", "zinc", "--plot", png.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(&png).expect("png written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

/// `--share`: each bucket's matching articles over all its articles, counted by brute force; a month
/// without any article is null (JSON) or empty (CSV), not 0; `--source` narrows both counts.
#[test]
fn shares_are_matching_articles_over_all_articles_of_the_bucket() {
    let env = Env::new();
    let written = corpus(&env);
    env.index_corpus();
    let month = |d: Date| label("month", d);
    let mut all: BTreeMap<String, u64> = BTreeMap::new();
    let mut zinc: BTreeMap<String, u64> = BTreeMap::new();
    for w in &written {
        let Some(d) = w.date else { continue };
        *all.entry(month(d)).or_default() += 1;
        if w.paragraphs.iter().any(|p| holds(p, "zinc")) {
            *zinc.entry(month(d)).or_default() += 1;
        }
    }
    // A range reaching a month before the corpus: that bucket has no article at all.
    let t = timeline_json(
        &env,
        &[
            "zinc", "--share", "--by", "month", "--since", "2019-10", "--count", "articles",
        ],
    );
    let buckets = &t.series[0].buckets;
    assert_eq!(buckets[0].label, "2019-10");
    assert_eq!(buckets[0].all_articles, Some(0));
    assert_eq!(
        buckets[0].share,
        Some(None),
        "no article at all: empty, not 0%"
    );
    let mut checked = 0;
    for b in buckets.iter().skip(2) {
        let n_all = all.get(&b.label).copied().unwrap_or(0);
        let n_zinc = zinc.get(&b.label).copied().unwrap_or(0);
        assert_eq!(b.all_articles, Some(n_all), "{}", b.label);
        assert_eq!(b.articles, n_zinc, "{}", b.label);
        let share = b.share.expect("share field");
        if n_all > 0 {
            let want = n_zinc as f64 / n_all as f64;
            assert!((share.expect("a share") - want).abs() < 1e-9, "{}", b.label);
            checked += 1;
        } else {
            assert_eq!(share, None);
        }
    }
    assert!(checked >= 10, "{checked}");
    // CSV: the same, with an empty cell for the empty bucket.
    let out = env.run(&[
        "timeline", "zinc", "--share", "--by", "month", "--since", "2019-10", "--format", "csv",
        "--count", "articles",
    ]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "bucket",
            "series",
            "articles",
            "passages",
            "stories",
            "all_articles",
            "all_stories",
            "share"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][7], "");
    for (row, b) in rows.iter().zip(buckets) {
        let cell = &row[7];
        match b.share.flatten() {
            Some(x) => assert!((cell.parse::<f64>().expect("number") - x).abs() < 1e-9),
            None => assert_eq!(cell, ""),
        }
    }
    // Text: percentages, a dash for the empty bucket.
    let text = stdout(&env.run(&[
        "timeline", "zinc", "--share", "--by", "month", "--since", "2019-10", "--color", "never",
        "--count", "articles",
    ]));
    assert!(
        text.starts_with("Share of all articles per month"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("2019-10") && l.trim_end().ends_with('-')),
        "{text}"
    );
    assert!(text.contains('%'), "{text}");
    // Without --share nothing changes.
    let plain = timeline_json(&env, &["zinc", "--by", "month"]);
    assert!(plain.series[0]
        .buckets
        .iter()
        .all(|b| b.share.is_none() && b.all_articles.is_none()));
}

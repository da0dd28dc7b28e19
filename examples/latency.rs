//! Query latency on an existing index: the fixed mixed query set of `benches/queries.txt`,
//! each run many times in-process (top 10 by relevance, one passage per article, snippets read), with
//! and without a date range; then whole processes of the `dateline` binary (`search Q -n 10 --format
//! jsonl`) and one export of every hit (`search "oil prices" --all --format jsonl > /dev/null`).
//! Prints medians and 99th percentiles in milliseconds (as JSON with `--json`).
//!
//! ```sh
//! cargo run --release --example latency -- --index target/bench-index-200mb \
//!     --bin target/release/dateline
//! ```
//!
//! `benches/compare.sh` runs it after building the index; without `--bin` only the in-process figures
//! are measured. `--within passage` measures the passage search (every word in one passage) instead of
//! the default article search, `--rounds N` and `--processes N` set the repetitions, `--only QUERY` runs
//! one query (for profiles).
//!
//! `--peer-queries FILE` measures instead the 47 queries of `../shared/tools/peers/queries.tsv`
//! (`QUERY<TAB>[FROM..TO]`, words OR-ed: `--match any`), the set tantivy-cli is measured on by
//! `../shared/tools/peers/run.sh`: top 10 with snippets, in-process, undated and dated apart.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dateline::index::Reader;
use dateline::search::{search, MatchMode, SearchRequest, Within};
use dateline::text::dates::parse_range;
use serde::Serialize;

/// The mixed query set (names, topics, phrases, OR queries, an exclusion), one per line; shared with
/// the criterion bench.
const QUERY_SET: &str = include_str!("../benches/queries.txt");

/// Date ranges (inclusive) tried with every query: a year, a month, a decade.
const RANGES: &[(&str, &str)] = &[
    ("1987-01-01", "1987-12-31"),
    ("1996-05-01", "1996-05-31"),
    ("2000-01-01", "2009-12-31"),
];

struct Args {
    index: PathBuf,
    bin: Option<PathBuf>,
    rounds: usize,
    processes: usize,
    json: bool,
    /// Only this query (profiling).
    only: Option<String>,
    /// `--within passage`: the searches before matching whole articles.
    within: Within,
    /// The peers' query set (`QUERY<TAB>[FROM..TO]`), any-word mode.
    peer_queries: Option<PathBuf>,
    /// `--copies show`: copies of a story are not collapsed.
    show_copies: bool,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        index: PathBuf::from("index"),
        bin: None,
        rounds: 30,
        processes: 5,
        json: false,
        only: None,
        within: Within::Article,
        peer_queries: None,
        show_copies: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--index" => args.index = PathBuf::from(value()?),
            "--bin" => args.bin = Some(PathBuf::from(value()?)),
            "--rounds" => args.rounds = value()?.parse().context("--rounds")?,
            "--processes" => args.processes = value()?.parse().context("--processes")?,
            "--json" => args.json = true,
            "--only" => args.only = Some(value()?),
            "--show-copies" => args.show_copies = true,
            "--peer-queries" => args.peer_queries = Some(PathBuf::from(value()?)),
            "--within" => {
                args.within = match value()?.as_str() {
                    "passage" => Within::Passage,
                    "article" => Within::Article,
                    other => bail!("--within takes passage or article, not {other}"),
                }
            }
            other => bail!("unknown argument {other} (see the example's doc comment)"),
        }
    }
    Ok(args)
}

#[derive(Debug, Serialize)]
struct Figures {
    /// Milliseconds.
    median: f64,
    p99: f64,
    samples: usize,
}

fn figures(mut ms: Vec<f64>) -> Figures {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if ms.is_empty() {
            return f64::NAN;
        }
        let i = ((ms.len() as f64 - 1.0) * q).round() as usize;
        ms[i.min(ms.len() - 1)]
    };
    Figures {
        median: at(0.5),
        p99: at(0.99),
        samples: ms.len(),
    }
}

#[derive(Debug, Serialize)]
struct Report {
    index: String,
    passages: u64,
    segments: usize,
    queries: usize,
    in_process: Figures,
    in_process_dated: Figures,
    whole_process: Option<Figures>,
    export_all: Option<Figures>,
    export_all_hits: Option<usize>,
    /// Median in-process milliseconds of each query without a date range.
    per_query: Vec<(String, f64)>,
}

/// One search as the CLI runs it for `-n 10 --format jsonl`: top 10, snippets made for each hit.
fn top10(reader: &Reader, request: &SearchRequest) -> Result<usize> {
    let results = search(reader, request)?;
    let mut chars = 0;
    for hit in results.hits() {
        chars += hit?.snippet.len();
    }
    Ok(chars)
}

fn time_ms(f: impl FnOnce() -> Result<usize>) -> Result<(f64, usize)> {
    let t = Instant::now();
    let out = f()?;
    Ok((t.elapsed().as_secs_f64() * 1e3, out))
}

fn main() -> Result<()> {
    let args = parse_args()?;
    if let Some(path) = &args.peer_queries {
        return peer_queries(&args, path);
    }
    let queries: Vec<&str> = QUERY_SET.lines().filter(|l| !l.trim().is_empty()).collect();
    let reader = Reader::open(&args.index)
        .with_context(|| format!("cannot open the index {}", args.index.display()))?;
    let searcher = reader.searcher();
    let passages = searcher.num_docs();
    let segments = searcher.segment_readers().len();

    let mut plain = Vec::new();
    let mut dated = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); queries.len()];
    let requests: Vec<(SearchRequest, bool, usize)> = queries
        .iter()
        .enumerate()
        .filter(|(_, q)| args.only.as_deref().is_none_or(|o| o == **q))
        .flat_map(|(i, q)| {
            let mut all = vec![(request(q, args.within), false, i)];
            for (since, until) in RANGES {
                let mut r = request(q, args.within);
                if let Ok(range) = parse_range(Some(since), Some(until), None) {
                    r.dates = range;
                    all.push((r, true, i));
                }
            }
            all
        })
        .collect();
    // One warm-up pass (page cache, lazily opened columns), then the measured rounds.
    for (r, _, _) in &requests {
        top10(&reader, r)?;
    }
    for _ in 0..args.rounds {
        for (r, is_dated, i) in &requests {
            let (ms, _) = time_ms(|| top10(&reader, r))?;
            if *is_dated {
                dated.push(ms);
            } else {
                plain.push(ms);
                per_query[*i].push(ms);
            }
        }
    }

    let mut whole = None;
    let mut export = None;
    let mut export_hits = None;
    if let Some(bin) = &args.bin {
        let run = |extra: &[&str], q: &str| -> Result<(f64, usize)> {
            time_ms(|| {
                let mut cmd = Command::new(bin);
                cmd.args(["search", q]).args(extra);
                if args.within == Within::Passage {
                    cmd.args(["--within", "passage"]);
                }
                let out = cmd
                    .arg("--index")
                    .arg(&args.index)
                    .stderr(Stdio::null())
                    .output()
                    .with_context(|| format!("cannot run {}", bin.display()))?;
                Ok(out.stdout.iter().filter(|&&b| b == b'\n').count())
            })
        };
        let mut ms = Vec::new();
        for q in &queries {
            run(&["-n", "10", "--format", "jsonl"], q)?;
            for _ in 0..args.processes {
                ms.push(run(&["-n", "10", "--format", "jsonl"], q)?.0);
            }
        }
        whole = Some(figures(ms));
        let mut ms = Vec::new();
        run(&["--all", "--format", "jsonl"], "oil prices")?;
        for _ in 0..args.processes {
            let (t, lines) = run(&["--all", "--format", "jsonl"], "oil prices")?;
            ms.push(t);
            export_hits = Some(lines);
        }
        export = Some(figures(ms));
    }

    let report = Report {
        index: args.index.display().to_string(),
        passages,
        segments,
        queries: queries.len(),
        in_process: figures(plain),
        in_process_dated: figures(dated),
        whole_process: whole,
        export_all: export,
        export_all_hits: export_hits,
        per_query: queries
            .iter()
            .zip(per_query)
            .map(|(q, ms)| (q.to_string(), figures(ms).median))
            .collect(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "index {} ({} passages, {} segments), {} queries",
        report.index, report.passages, report.segments, report.queries
    );
    let line = |label: &str, f: &Figures| {
        println!(
            "{label:<44} median {:>8.3} ms   p99 {:>8.3} ms   ({} runs)",
            f.median, f.p99, f.samples
        )
    };
    line("in-process top 10 + snippets", &report.in_process);
    line(
        "in-process top 10 + snippets, date range",
        &report.in_process_dated,
    );
    for (q, ms) in &report.per_query {
        println!("    {q:<40} median {ms:>8.3} ms");
    }
    if let Some(f) = &report.whole_process {
        line("whole process -n 10 --format jsonl", f);
    }
    if let Some(f) = &report.export_all {
        line(
            &format!(
                "whole process \"oil prices\" --all ({} hits)",
                report.export_all_hits.unwrap_or(0)
            ),
            f,
        );
    }
    Ok(())
}

/// Top 10, one passage per article, no totals (as `search -n 10 --format jsonl` asks).
fn request(q: &str, within: Within) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.count = false;
    r.within = within;
    r
}

#[derive(Debug, Serialize)]
struct PeerReport {
    index: String,
    passages: u64,
    segments: usize,
    queries: usize,
    undated: Figures,
    dated: Figures,
    per_query: Vec<(String, f64)>,
}

/// The peers' query set in any-word mode (see the file's doc comment).
fn peer_queries(args: &Args, path: &PathBuf) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let reader = Reader::open(&args.index)
        .with_context(|| format!("cannot open the index {}", args.index.display()))?;
    let mut requests = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (q, range) = match line.split_once('\t') {
            Some((q, r)) => (q, Some(r.trim())),
            None => (line, None),
        };
        let mut r = request(q, args.within);
        r.match_mode = MatchMode::Any;
        r.collapse = !args.show_copies;
        if let Some(range) = range.filter(|r| !r.is_empty()) {
            let (since, until) = range
                .split_once("..")
                .with_context(|| format!("bad range {range}"))?;
            r.dates = parse_range(Some(since), Some(until), None)
                .map_err(|e| anyhow::anyhow!("bad range {range}: {e}"))?;
        }
        requests.push((line.to_string(), r, range.is_some()));
    }
    for (_, r, _) in &requests {
        top10(&reader, r)?;
    }
    let mut undated = Vec::new();
    let mut dated = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); requests.len()];
    for _ in 0..args.rounds {
        for (i, (_, r, is_dated)) in requests.iter().enumerate() {
            let (ms, _) = time_ms(|| top10(&reader, r))?;
            per_query[i].push(ms);
            if *is_dated {
                dated.push(ms);
            } else {
                undated.push(ms);
            }
        }
    }
    let searcher = reader.searcher();
    let report = PeerReport {
        index: args.index.display().to_string(),
        passages: searcher.num_docs(),
        segments: searcher.segment_readers().len(),
        queries: requests.len(),
        undated: figures(undated),
        dated: figures(dated),
        per_query: requests
            .iter()
            .zip(per_query)
            .map(|((q, _, _), ms)| (q.clone(), figures(ms).median))
            .collect(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "peer queries: undated median {:.3} ms p99 {:.3} ms; dated median {:.3} ms p99 {:.3} ms",
            report.undated.median, report.undated.p99, report.dated.median, report.dated.p99
        );
        for (q, ms) in &report.per_query {
            println!("    {q:<44} {ms:>8.3} ms");
        }
    }
    Ok(())
}

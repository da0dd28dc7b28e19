//! Indexing throughput and query latency on a generated corpus.
//!
//! The corpus is made on first use by `../shared/tools/gen_corpus.py` from the Reuters metadata into
//! `target/bench-corpus-<MB>mb` (size from `DATELINE_BENCH_MB`, default 20), and indexed once into
//! `target/bench-index-<MB>mb` for the query benches. Without `../shared` the bundled `corpus/` is used.
//!
//! Run: `cargo bench --bench throughput` (or `DATELINE_BENCH_MB=200 cargo bench --bench throughput`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dateline::analysis::{timeline, Bucketing, TimelineRequest};
use dateline::index::{index_corpus, index_exists, IndexRequest, Reader};
use dateline::output::{JsonlPrinter, SearchPrinter};
use dateline::search::{search, MatchMode, SearchRequest, Within};
use dateline::text::dates::{parse_range, DateRange};

/// The fixed mixed query set (names, topics, phrases, OR queries), shared with `examples/latency.rs`.
const QUERY_SET: &str = include_str!("queries.txt");

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The benchmark corpus and its size in bytes.
fn corpus() -> (PathBuf, u64) {
    let mb: u32 = std::env::var("DATELINE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let meta = manifest().join("../shared/corpora/reuters-dev/meta.jsonl");
    let tool = manifest().join("../shared/tools/gen_corpus.py");
    let out = manifest().join(format!("target/bench-corpus-{mb}mb"));
    let dir = if out.is_dir() {
        out
    } else if meta.is_file() && tool.is_file() {
        eprintln!("generating a {mb} MB corpus in {}", out.display());
        let status = Command::new("python3")
            .arg(&tool)
            .arg(&meta)
            .arg(&out)
            .args(["--mb", &mb.to_string()])
            .status();
        assert!(
            status.map(|s| s.success()).unwrap_or(false),
            "gen_corpus.py failed"
        );
        out
    } else {
        eprintln!("note: ../shared not found, benchmarking on the bundled corpus/");
        manifest().join("corpus")
    };
    let bytes = walk_bytes(&dir);
    (dir, bytes)
}

fn walk_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(8)
}

fn bench_indexing(c: &mut Criterion) {
    let (dir, bytes) = corpus();
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function(
        BenchmarkId::new("files_to_commit", format!("{} MB", bytes / 1_000_000)),
        |b| {
            b.iter(|| {
                let target = tempfile::tempdir().expect("temp dir");
                let request = IndexRequest::new(vec![dir.clone()], threads());
                index_corpus(target.path(), &request, |_| {}).expect("index")
            })
        },
    );
    group.finish();
}

/// The index of the bench corpus, built once into `target/bench-index-<MB>mb`.
fn reader() -> Reader {
    let (dir, _) = corpus();
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace("corpus", "index"))
        .unwrap_or_default();
    let index_dir = manifest().join("target").join(name);
    if index_exists(&index_dir) {
        match Reader::open(&index_dir) {
            Ok(reader) => return reader,
            // Written by another schema version: built again below.
            Err(e) => eprintln!("rebuilding {}: {e}", index_dir.display()),
        }
    }
    let mut request = IndexRequest::new(vec![dir.clone()], threads());
    request.rebuild = true;
    index_corpus(&index_dir, &request, |_| {}).expect("index");
    Reader::open(&index_dir).expect("open index")
}

/// A month timeline of a common word against exporting every passage of it (what a timeline would
/// cost if done through `search --all`).
fn bench_timeline(c: &mut Criterion) {
    let reader = reader();
    let mut group = c.benchmark_group("timeline_vs_export");
    group.sample_size(10);
    let by_month = TimelineRequest {
        queries: vec!["oil".to_string()],
        dates: DateRange::default(),
        by: Some(Bucketing::Month),
        match_mode: MatchMode::All,
        within: Within::Article,
        sources: Vec::new(),
        split_sources: None,
        share: false,
        count: Default::default(),
    };
    group.bench_function("timeline oil by month", |b| {
        b.iter(|| timeline(&reader, &by_month).expect("timeline"))
    });
    group.bench_function("search oil --all --per-article 0 as jsonl", |b| {
        b.iter(|| {
            let mut request = SearchRequest::new("oil");
            request.limit = None;
            request.per_article = 0;
            let results = search(&reader, &request).expect("search");
            let mut printer = JsonlPrinter::new(std::io::sink());
            for hit in results.hits() {
                printer.hit(&hit.expect("hit")).expect("write");
            }
            results.len()
        })
    });
    group.finish();
}

/// Top 10 with snippets over the mixed query set (one iteration runs every query once), as
/// `search Q -n 10 --format jsonl` does: no totals counted.
fn bench_queries(c: &mut Criterion) {
    let reader = reader();
    let queries: Vec<&str> = QUERY_SET.lines().filter(|l| !l.trim().is_empty()).collect();
    let ranges = [
        ("all dates", parse_range(None, None, None)),
        ("one year (1987)", parse_range(None, None, Some("1987"))),
        (
            "one month (1996-05)",
            parse_range(None, None, Some("1996-05")),
        ),
        (
            "a decade (2000-2009)",
            parse_range(Some("2000-01-01"), Some("2009-12-31"), None),
        ),
    ];
    let mut group = c.benchmark_group("search_top10_with_snippets");
    group.throughput(Throughput::Elements(queries.len() as u64));
    for (label, range) in ranges {
        let range = range.expect("range");
        group.bench_function(label, |b| {
            b.iter(|| {
                let mut hits = 0;
                for q in &queries {
                    let mut request = SearchRequest::new(*q);
                    request.dates = range;
                    request.count = false;
                    let results = search(&reader, &request).expect("search");
                    hits += results.hits().filter_map(Result::ok).count();
                }
                hits
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_indexing, bench_queries, bench_timeline);
criterion_main!(benches);

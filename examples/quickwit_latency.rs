//! Search latency over a Quickwit index beside the local index it was pushed from: the query set of
//! `benches/queries.txt`, top 10 by relevance with counts and snippets, each run `--rounds` times
//! through the library in one process, in turns (local, Quickwit, local, ...). Prints the medians in
//! milliseconds and their ratio, and how many HTTP requests one search makes.
//!
//! ```sh
//! dateline index CORPUS --index idx && dateline push --to quickwit http://127.0.0.1:7280 --index idx
//! cargo run --release --example quickwit_latency -- --index idx \
//!     --engine quickwit://127.0.0.1:7280/dateline
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dateline::index::Reader;
use dateline::quickwit::{Cluster, EngineSpec};
use dateline::search::{search, SearchRequest, Within};

const QUERY_SET: &str = include_str!("../benches/queries.txt");

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<()> {
    let mut index = PathBuf::from("index");
    let mut engine = None;
    let mut rounds = 5usize;
    let mut within = Within::Article;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--index" => index = PathBuf::from(args.next().context("--index DIR")?),
            "--engine" => engine = Some(args.next().context("--engine URL")?),
            "--rounds" => rounds = args.next().context("--rounds N")?.parse()?,
            "--within" => {
                within = match args.next().as_deref() {
                    Some("passage") => Within::Passage,
                    _ => Within::Article,
                }
            }
            other => bail!("unknown argument {other}"),
        }
    }
    let engine = engine.context("--engine quickwit://HOST:PORT/ID is needed")?;
    let reader = Reader::open(&index)?;
    let cluster = Cluster::open(&EngineSpec::parse(&engine)?)?;
    let queries: Vec<&str> = QUERY_SET.lines().filter(|l| !l.trim().is_empty()).collect();
    let (mut local, mut remote) = (Vec::new(), Vec::new());
    for q in &queries {
        let mut request = SearchRequest::new(*q);
        request.within = within;
        let (mut l, mut r) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            let results = search(&reader, &request)?;
            let hits: Vec<_> = results.hits().collect::<dateline::Result<_>>()?;
            l.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let found = cluster.search(&request)?;
            r.push(t.elapsed().as_secs_f64() * 1e3);
            if hits.len() != found.hits.len() {
                eprintln!(
                    "note: {q}: {} hits here, {} there",
                    hits.len(),
                    found.hits.len()
                );
            }
        }
        let (lm, rm) = (median(l), median(r));
        println!(
            "{q:<28} local {lm:8.2} ms   quickwit {rm:8.2} ms   x{:.1}",
            rm / lm
        );
        local.push(lm);
        remote.push(rm);
    }
    let (lm, rm) = (median(local), median(remote));
    println!(
        "median of {} queries ({} rounds each): local {lm:.2} ms, quickwit {rm:.2} ms (x{:.1})",
        queries.len(),
        rounds,
        rm / lm
    );
    Ok(())
}

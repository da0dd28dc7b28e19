//! Relevance harness: runs a set of queries through dateline and through a reference engine (SQLite FTS5
//! over the same passages) and prints P@10, nDCG@10, MRR@10, Recall@100 and the median query latency,
//! at article level (an article counts once, at the rank of its best passage).
//!
//! ```sh
//! cargo run --release --example eval -- --corpus ../shared/corpora/reuters-dev/articles \
//!     --set ../shared/eval/dev-topics.tsv
//! cargo run --release --example eval -- --corpus ../shared/corpora/reuters-dev/articles \
//!     --set ../shared/eval/dev-titles.tsv --match any --json
//! ```
//!
//! The dateline index is built in `target/eval-index` (or `--index DIR`) when missing; the FTS5 database is
//! built in memory from the same article files, one row per passage, with `porter unicode61
//! remove_diacritics 2` tokenisation and `bm25()` ranking.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dateline::index::{index_corpus, index_exists, IndexRequest, Reader};
use dateline::ingest::{parse_article, walk_root, WalkItem};
use dateline::search::{search, MatchMode, Ranking, SearchRequest, Within};
use dateline::text::passage::split_passages;
use serde::Serialize;

struct Args {
    corpus: PathBuf,
    index: PathBuf,
    set: PathBuf,
    match_mode: MatchMode,
    json: bool,
    reference: bool,
}

fn parse_args() -> Result<Args> {
    let mut corpus = None;
    let mut index = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/eval-index"));
    let mut set = None;
    let mut match_mode = MatchMode::All;
    let mut json = false;
    let mut reference = true;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--corpus" => corpus = it.next().map(PathBuf::from),
            "--index" => index = it.next().map(PathBuf::from).context("--index needs a value")?,
            "--set" => set = it.next().map(PathBuf::from),
            "--match" => {
                match_mode = match it.next().as_deref() {
                    Some("all") => MatchMode::All,
                    Some("any") => MatchMode::Any,
                    _ => bail!("--match takes all or any"),
                }
            }
            "--json" => json = true,
            "--no-reference" => reference = false,
            other => bail!("unknown argument {other}; usage: eval --corpus DIR --set TSV [--index DIR] [--match all|any] [--json] [--no-reference]"),
        }
    }
    Ok(Args {
        corpus: corpus.context("--corpus DIR is required")?,
        index,
        set: set.context("--set TSV is required")?,
        match_mode,
        json,
        reference,
    })
}

/// One judged query.
struct Judged {
    query: String,
    relevant: HashSet<String>,
}

fn load_set(path: &Path) -> Result<Vec<Judged>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((query, ids)) = line.split_once('\t') else {
            bail!("{}:{}: expected query<TAB>ids", path.display(), i + 1);
        };
        out.push(Judged {
            query: query.to_string(),
            relevant: ids
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Serialize)]
struct Metrics {
    engine: String,
    queries: usize,
    p_at_10: f64,
    ndcg_at_10: f64,
    mrr_at_10: f64,
    recall_at_100: f64,
    latency_median_ms: f64,
}

/// Article-level metrics of one ranking (ids in rank order, distinct).
fn score_one(ranking: &[String], relevant: &HashSet<String>) -> (f64, f64, f64, f64) {
    let top10 = &ranking[..ranking.len().min(10)];
    let hits10 = top10.iter().filter(|id| relevant.contains(*id)).count();
    let p10 = hits10 as f64 / 10.0;
    let dcg: f64 = top10
        .iter()
        .enumerate()
        .filter(|(_, id)| relevant.contains(*id))
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(10))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let ndcg = if ideal > 0.0 { dcg / ideal } else { 0.0 };
    let mrr = top10
        .iter()
        .position(|id| relevant.contains(id))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let top100 = &ranking[..ranking.len().min(100)];
    let found = top100.iter().filter(|id| relevant.contains(*id)).count();
    let recall = if relevant.is_empty() {
        0.0
    } else {
        found as f64 / relevant.len() as f64
    };
    (p10, ndcg, mrr, recall)
}

fn evaluate(
    engine: &str,
    set: &[Judged],
    mut run: impl FnMut(&str) -> Result<Vec<String>>,
) -> Result<Metrics> {
    let mut sums = (0.0, 0.0, 0.0, 0.0);
    let mut times = Vec::with_capacity(set.len());
    for j in set {
        let started = Instant::now();
        let ranking = run(&j.query)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let (p, n, m, r) = score_one(&ranking, &j.relevant);
        if std::env::var_os("DATELINE_EVAL_PER_QUERY").is_some() {
            // One line per query on stderr, to compare engines query by query.
            eprintln!("per-query\t{engine}\t{}\t{n:.3}\t{m:.3}", j.query);
        }
        sums = (sums.0 + p, sums.1 + n, sums.2 + m, sums.3 + r);
    }
    times.sort_by(f64::total_cmp);
    let q = set.len().max(1) as f64;
    Ok(Metrics {
        engine: engine.to_string(),
        queries: set.len(),
        p_at_10: sums.0 / q,
        ndcg_at_10: sums.1 / q,
        mrr_at_10: sums.2 / q,
        recall_at_100: sums.3 / q,
        latency_median_ms: times.get(times.len() / 2).copied().unwrap_or(0.0),
    })
}

/// The references: SQLite FTS5 over the same passages (`p`), and over whole articles (`a`).
struct Fts5 {
    db: rusqlite::Connection,
}

impl Fts5 {
    fn build(corpus: &Path) -> Result<Fts5> {
        let db = rusqlite::Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE p USING fts5(article UNINDEXED, text, \
             tokenize = 'porter unicode61 remove_diacritics 2'); \
             CREATE VIRTUAL TABLE a USING fts5(article UNINDEXED, text, \
             tokenize = 'porter unicode61 remove_diacritics 2');",
        )?;
        let tx = db.unchecked_transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO p(article, text) VALUES (?1, ?2)")?;
            let mut whole = tx.prepare("INSERT INTO a(article, text) VALUES (?1, ?2)")?;
            for item in walk_root(corpus, "") {
                let WalkItem::File(file) = item else { continue };
                let Ok(bytes) = std::fs::read(&file.path) else {
                    continue;
                };
                let Ok(parsed) = parse_article(&file.id, file.rel_path(), &bytes) else {
                    continue;
                };
                for passage in split_passages(&parsed.article.paragraphs) {
                    insert.execute(rusqlite::params![parsed.article.id, passage.text])?;
                }
                whole.execute(rusqlite::params![
                    parsed.article.id,
                    parsed.article.paragraphs.join("\n\n")
                ])?;
            }
        }
        tx.commit()?;
        Ok(Fts5 { db })
    }

    /// The query in FTS5 syntax: each word quoted (so punctuation cannot break the syntax), `OR` kept,
    /// words joined by AND (all) or OR (any).
    fn translate(query: &str, mode: MatchMode) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut pending_or = false;
        for word in query.split_whitespace() {
            if word == "OR" {
                pending_or = true;
                continue;
            }
            let cleaned: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            if cleaned.is_empty() {
                continue;
            }
            if !parts.is_empty() {
                let join = if pending_or || mode == MatchMode::Any {
                    "OR"
                } else {
                    "AND"
                };
                parts.push(join.to_string());
            }
            parts.push(format!("\"{cleaned}\""));
            pending_or = false;
        }
        parts.join(" ")
    }

    /// The ranking of `p` (one row per passage; an article counts at its best passage) or `a` (one row
    /// per whole article).
    fn search(&self, table: &str, query: &str, mode: MatchMode) -> Result<Vec<String>> {
        let fts = Self::translate(query, mode);
        // Best first: `rank` is bm25().
        let sql = format!("SELECT article FROM {table} WHERE {table} MATCH ?1 ORDER BY rank");
        let mut stmt = self.db.prepare_cached(&sql)?;
        let mut rows = stmt.query([fts])?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            if seen.insert(id.clone()) {
                out.push(id);
                if out.len() == 100 {
                    break;
                }
            }
        }
        Ok(out)
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let set = load_set(&args.set)?;
    if !index_exists(&args.index) {
        eprintln!("building the dateline index in {}", args.index.display());
        let request = IndexRequest::new(
            vec![args.corpus.clone()],
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .min(8),
        );
        index_corpus(&args.index, &request, |_| {})?;
    }
    let reader = Reader::open(&args.index)?;
    // Experiments: DATELINE_RANKING=plain, or single weights overridden by DATELINE_EXACT_BOOST,
    // DATELINE_PROXIMITY_BOOST, DATELINE_PROXIMITY_SLOP, DATELINE_LEDE_BOOST (passages), and for
    // articles DATELINE_ARTICLE_LEDE_BOOST, DATELINE_HEADLINE_BOOST, DATELINE_SPREAD_WEIGHT,
    // DATELINE_REPEAT_WEIGHT.
    let mut ranking = match std::env::var("DATELINE_RANKING").as_deref() {
        Ok("plain") => Ranking::PLAIN,
        _ => Ranking::default(),
    };
    let knob = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f32>().ok());
    if let Some(v) = knob("DATELINE_EXACT_BOOST") {
        ranking.exact_boost = v;
    }
    if let Some(v) = knob("DATELINE_PROXIMITY_BOOST") {
        ranking.proximity_boost = v;
    }
    if let Some(v) = knob("DATELINE_PROXIMITY_SLOP") {
        ranking.proximity_slop = v as u32;
    }
    if let Some(v) = knob("DATELINE_LEDE_BOOST") {
        ranking.lede_boost = v;
    }
    if let Some(v) = knob("DATELINE_ARTICLE_LEDE_BOOST") {
        ranking.article_lede_boost = v;
    }
    if let Some(v) = knob("DATELINE_HEADLINE_BOOST") {
        ranking.headline_boost = v;
    }
    if let Some(v) = knob("DATELINE_SPREAD_WEIGHT") {
        ranking.spread_weight = v;
    }
    if let Some(v) = knob("DATELINE_REPEAT_WEIGHT") {
        ranking.repeat_weight = v;
    }
    // DATELINE_WITHIN=passage: every required word in one passage (the ranking before articles).
    let within = match std::env::var("DATELINE_WITHIN").as_deref() {
        Ok("passage") => Within::Passage,
        _ => Within::Article,
    };
    eprintln!("ranking: {ranking:?}");
    let mut rows = Vec::new();
    rows.push(evaluate("dateline", &set, |q| {
        let mut request = SearchRequest::new(q);
        request.limit = Some(100);
        request.match_mode = args.match_mode;
        request.ranking = ranking;
        request.within = within;
        let results = search(&reader, &request)?;
        Ok(results.articles().map(String::from).collect())
    })?);
    if args.reference {
        eprintln!("building the SQLite FTS5 reference in memory");
        let fts = Fts5::build(&args.corpus)?;
        rows.push(evaluate("sqlite-fts5", &set, |q| {
            fts.search("p", q, args.match_mode)
        })?);
        rows.push(evaluate("sqlite-fts5-articles", &set, |q| {
            fts.search("a", q, args.match_mode)
        })?);
    }
    let name = args
        .set
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if args.json {
        let out: HashMap<&str, serde_json::Value> = HashMap::from([
            ("set", serde_json::json!(name)),
            (
                "match",
                serde_json::json!(match args.match_mode {
                    MatchMode::All => "all",
                    MatchMode::Any => "any",
                }),
            ),
            ("engines", serde_json::to_value(&rows)?),
        ]);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "set: {name} ({} queries), --match {:?}",
            set.len(),
            args.match_mode
        );
        println!("| engine | P@10 | nDCG@10 | MRR@10 | Recall@100 | median ms |");
        println!("|---|---|---|---|---|---|");
        for m in &rows {
            println!(
                "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} |",
                m.engine,
                m.p_at_10,
                m.ndcg_at_10,
                m.mrr_at_10,
                m.recall_at_100,
                m.latency_median_ms
            );
        }
    }
    Ok(())
}

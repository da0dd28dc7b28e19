//! Measures story grouping on a labelled set built from the Reuters dev archive: precision and recall
//! of "same story" pairs for edited copies at several edit rates, unrelated articles that share a
//! paragraph, random pairs, and the archive's own articles that share a title.
//!
//!     cargo run --release --example stories -- ../shared/corpora/reuters-dev
//!
//! Rows: one per shingle length and threshold; the index uses the shingle length and threshold of
//! `dateline::index::stories` (marked `*`).
//!
//! `--cost CORPUS INDEX` instead times what grouping adds to a run, on one thread: the signatures of
//! every article of CORPUS (parsing not counted), and grouping every article of INDEX as a commit
//! does (reading the signatures, bands, comparisons, naming the stories).

use std::collections::HashMap;
use std::path::Path;

use dateline::index::stories::{self, similarity, Signature, BANDS, ROWS};
use dateline::ingest::{parse_article, Article};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

struct Pair {
    a: Article,
    b: Article,
    same: bool,
    kind: &'static str,
}

fn words(a: &Article) -> usize {
    a.paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum()
}

/// Each word replaced with probability `rate` by a word of the vocabulary.
fn substitute(a: &Article, rate: f64, vocab: &[String], rng: &mut StdRng) -> Article {
    let mut out = a.clone();
    out.id.push_str("~edit");
    for p in &mut out.paragraphs {
        *p = p
            .split_whitespace()
            .map(|w| {
                if rng.random_bool(rate) {
                    vocab.choose(rng).cloned().unwrap_or_default()
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}

/// Words changed to turn `a` into `b` (1 - longest common subsequence / longer length), on words.
fn edit_ratio(a: &[&str], b: &[&str]) -> f64 {
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let lcs = prev[b.len()] as f64;
    1.0 - lcs / a.len().max(b.len()).max(1) as f64
}

fn banded(a: &Signature, b: &Signature) -> bool {
    (0..BANDS).any(|i| a[i * ROWS..(i + 1) * ROWS] == b[i * ROWS..(i + 1) * ROWS])
}

/// `--cost CORPUS INDEX`.
fn cost(corpus: &Path, index: &Path) {
    let mut signing = std::time::Duration::ZERO;
    let (mut articles, mut words_seen) = (0u64, 0u64);
    for entry in walkdir::WalkDir::new(corpus).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let id = entry.path().to_string_lossy().into_owned();
        if let Ok(parsed) = parse_article(&id, &id, &bytes) {
            let started = std::time::Instant::now();
            let signature = stories::signature(&parsed.article);
            signing += started.elapsed();
            articles += 1;
            words_seen += words(&parsed.article) as u64;
            std::hint::black_box(signature);
        }
    }
    println!(
        "signatures: {articles} articles ({words_seen} words) in {:.2} s on one thread",
        signing.as_secs_f64()
    );
    let handle = match dateline::index::DatelineIndex::open(index) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{}: {e}", index.display());
            return;
        }
    };
    let Ok(reader) = handle.index.reader() else {
        return;
    };
    let searcher = reader.searcher();
    let started = std::time::Instant::now();
    match stories::index_stories(&searcher) {
        Ok(found) => println!(
            "grouping at the commit: {} stories of several articles ({} articles) in {:.2} s",
            found.len(),
            found.iter().map(|s| s.members.len()).sum::<usize>(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => eprintln!("{e}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--cost") {
        match (args.get(2), args.get(3)) {
            (Some(corpus), Some(index)) => cost(Path::new(corpus), Path::new(index)),
            _ => eprintln!("usage: stories --cost CORPUS INDEX"),
        }
        return;
    }
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpora/reuters-dev".into());
    let root = Path::new(&root);
    let mut all: Vec<(String, Article)> = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("articles"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root.join("articles"))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        if let Ok(parsed) = parse_article(&rel, &rel, &bytes) {
            all.push((rel, parsed.article));
        }
    }
    eprintln!("{} articles read", all.len());
    let mut rng = StdRng::seed_from_u64(1987);
    let vocab: Vec<String> = all
        .iter()
        .take(2000)
        .flat_map(|(_, a)| a.paragraphs.iter().flat_map(|p| p.split_whitespace()))
        .map(str::to_string)
        .collect();
    let long: Vec<&Article> = all
        .iter()
        .map(|(_, a)| a)
        .filter(|a| words(a) >= 50)
        .collect();
    let sample: Vec<&Article> = long.choose_multiple(&mut rng, 500).copied().collect();
    let mut pairs: Vec<Pair> = Vec::new();
    for (i, a) in sample.iter().enumerate() {
        let other = sample[(i + 1) % sample.len()];
        for (rate, kind) in [
            (0.02, "edited 2%"),
            (0.05, "edited 5%"),
            (0.10, "edited 10%"),
            (0.20, "edited 20%"),
        ] {
            pairs.push(Pair {
                a: (*a).clone(),
                b: substitute(a, rate, &vocab, &mut rng),
                same: true,
                kind,
            });
        }
        // A paragraph added (another article's), the last one cut, another headline: with 2% of
        // the words changed.
        let mut added = substitute(a, 0.02, &vocab, &mut rng);
        added.paragraphs.push(other.paragraphs[0].clone());
        pairs.push(Pair {
            a: (*a).clone(),
            b: added,
            same: true,
            kind: "paragraph added",
        });
        if a.paragraphs.len() >= 4 {
            let mut cut = substitute(a, 0.02, &vocab, &mut rng);
            cut.paragraphs.pop();
            pairs.push(Pair {
                a: (*a).clone(),
                b: cut,
                same: true,
                kind: "paragraph cut",
            });
        }
        let mut headline = substitute(a, 0.02, &vocab, &mut rng);
        headline.headline = other.headline.clone();
        pairs.push(Pair {
            a: (*a).clone(),
            b: headline,
            same: true,
            kind: "other headline",
        });
        // Unrelated articles sharing one paragraph of `a`.
        let mut shared = (*other).clone();
        let p = rng.random_range(0..a.paragraphs.len());
        shared
            .paragraphs
            .insert(shared.paragraphs.len() / 2, a.paragraphs[p].clone());
        pairs.push(Pair {
            a: (*a).clone(),
            b: shared,
            same: false,
            kind: "shares a paragraph",
        });
        for _ in 0..10 {
            let b = sample[rng.random_range(0..sample.len())];
            if b.id != a.id {
                pairs.push(Pair {
                    a: (*a).clone(),
                    b: b.clone(),
                    same: false,
                    kind: "random pair",
                });
            }
        }
    }
    // The archive's own articles sharing a title: the same story when at most 10% of the words
    // differ, another when more than half do (in between: left out).
    let mut by_title: HashMap<String, Vec<&Article>> = HashMap::new();
    for (_, a) in &all {
        by_title
            .entry(a.headline.to_lowercase())
            .or_default()
            .push(a);
    }
    let mut real = 0;
    let mut titles: Vec<_> = by_title.into_iter().filter(|(_, v)| v.len() > 1).collect();
    titles.sort_by(|a, b| a.0.cmp(&b.0));
    'titles: for (_, group) in titles {
        for i in 0..group.len() {
            for j in i + 1..group.len() {
                let (a, b) = (group[i], group[j]);
                let wa: Vec<&str> = a
                    .paragraphs
                    .iter()
                    .flat_map(|p| p.split_whitespace())
                    .collect();
                let wb: Vec<&str> = b
                    .paragraphs
                    .iter()
                    .flat_map(|p| p.split_whitespace())
                    .collect();
                if wa.len() > 3000 || wb.len() > 3000 {
                    continue;
                }
                let r = edit_ratio(&wa, &wb);
                let (same, kind) = if r <= 0.10 {
                    (true, "archive: same title, <=10% differs")
                } else if r > 0.5 {
                    (false, "archive: same title, >50% differs")
                } else {
                    continue;
                };
                pairs.push(Pair {
                    a: a.clone(),
                    b: b.clone(),
                    same,
                    kind,
                });
                real += 1;
                if real >= 20_000 {
                    break 'titles;
                }
            }
        }
    }
    if std::env::var_os("NO_HEADLINE").is_some() {
        for p in &mut pairs {
            p.a.headline.clear();
            p.b.headline.clear();
        }
    }
    let mut kinds: Vec<&str> = Vec::new();
    for p in &pairs {
        if !kinds.contains(&p.kind) {
            kinds.push(p.kind);
        }
    }
    println!("labelled pairs: {}", pairs.len());
    for k in &kinds {
        let n = pairs.iter().filter(|p| p.kind == *k).count();
        let same = pairs.iter().filter(|p| p.kind == *k && p.same).count();
        println!("  {k}: {n} pairs ({} same story)", same);
    }
    println!();
    println!(
        "shingle threshold | {} | precision (<=10% edits) | recall (<=10% edits)",
        kinds.join(" | ")
    );
    for shingle in [1usize, 2, 3, 4, 5] {
        let sigs: Vec<Option<(Signature, Signature)>> = pairs
            .iter()
            .map(|p| {
                Some((
                    stories::signature_with(&p.a, shingle)?,
                    stories::signature_with(&p.b, shingle)?,
                ))
            })
            .collect();
        // Jaccard thresholds alone, then (for the index's shingles) the index's rule: Jaccard, or
        // containment for a long paragraph added or cut (threshold 0 marks it).
        let rules: &[f64] = if shingle == stories::SHINGLE_WORDS {
            &[0.6, 0.7, 0.8, 0.0]
        } else {
            &[0.6, 0.7, 0.8]
        };
        for &threshold in rules {
            let decide = |s: &Option<(Signature, Signature)>| {
                s.as_ref().is_some_and(|(a, b)| {
                    if threshold == 0.0 {
                        stories::same_story(a, b)
                    } else {
                        banded(a, b) && similarity(a, b) >= threshold
                    }
                })
            };
            let mut cells = Vec::new();
            for k in &kinds {
                let (mut n, mut yes) = (0, 0);
                for (p, s) in pairs.iter().zip(&sigs) {
                    if p.kind == *k {
                        n += 1;
                        yes += usize::from(decide(s));
                    }
                }
                cells.push(format!("{:.3}", yes as f64 / n.max(1) as f64));
            }
            // Precision and recall over every pair, the edited copies up to 10% counting as the
            // positives (20% edits left out of both).
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for (p, s) in pairs.iter().zip(&sigs) {
                if p.kind == "edited 20%" {
                    continue;
                }
                match (p.same, decide(s)) {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    _ => {}
                }
            }
            let mark = if shingle == stories::SHINGLE_WORDS && threshold == 0.0 {
                "*"
            } else {
                " "
            };
            let rule = if threshold == 0.0 {
                format!(
                    "J>={} or C>={} (J>={})",
                    stories::THRESHOLD,
                    stories::CONTAINMENT,
                    stories::CONTAINED_THRESHOLD
                )
            } else {
                format!("{threshold:.1}")
            };
            println!(
                "{mark}{shingle} {rule} | {} | {:.4} | {:.4}",
                cells.join(" | "),
                tp as f64 / (tp + fp).max(1) as f64,
                tp as f64 / (tp + fn_).max(1) as f64
            );
        }
    }
}

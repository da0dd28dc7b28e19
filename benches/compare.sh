#!/usr/bin/env bash
# The performance table of the README for dateline on this machine, beside raw tantivy in the same
# run: ../shared/tools/peers/run.sh (tantivy-cli 0.24, one stemmed text field, passages as documents,
# no snippets) indexes the same corpus and runs its 47 queries; then dateline indexes it RUNS times
# (wall time, MB/s, peak RSS, index size / input) and runs the same 47 queries in-process, words
# OR-ed (`--match any`), top 10 with snippets, by passage and by article (examples/latency.rs
# --peer-queries), then its own mixed set (whole processes and an export of every hit of "oil prices").
#
#   benches/compare.sh [MB] [RUNS]      (defaults: 200 MB, 3 index runs; medians are printed)
#
# Without ../shared/tools/peers the tantivy column is left out.
# The corpus goes to target/bench-corpus-<MB>mb (made by ../shared/tools/gen_corpus.py from the Reuters
# metadata when missing; 200 MB takes about 1 GB of disk in small files). Each index run starts from
# an empty folder with the corpus read once beforehand (warm page cache). The index of the last run
# is kept in target/compare-index-<MB>mb for the query measures and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
RUNS=${2:-3}
cargo build --release --quiet --bin dateline --example latency
BIN=target/release/dateline
source benches/common.sh
bench_corpus "$MB"
INDEX=target/compare-index-${MB}mb
trap 'rm -rf "$INDEX"' EXIT

PEERS=../shared/tools/peers
peer='{}'
if [ -x "$PEERS/run.sh" ] || [ -f "$PEERS/run.sh" ]; then
  peer=$(bash "$PEERS/run.sh" "$SRC" "target/peer-tantivy-${MB}mb" | tail -1)
  rm -rf "target/peer-tantivy-${MB}mb/index"
fi
input=$(find "$SRC" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$SRC" -type f | wc -l)
index_runs "$BIN" "$SRC" "$INDEX" "$RUNS"
wall=$WALL; peak=$PEAK
size=$(du -sb "$INDEX" | cut -f1)
lat=$(target/release/examples/latency --index "$INDEX" --bin "$BIN" --json)
qpass='{}'; qart='{}'
if [ -f "$PEERS/queries.tsv" ]; then
  qpass=$(target/release/examples/latency --index "$INDEX" --peer-queries "$PEERS/queries.tsv" --within passage --rounds 10 --json)
  qart=$(target/release/examples/latency --index "$INDEX" --peer-queries "$PEERS/queries.tsv" --rounds 10 --json)
fi

echo "dateline $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "corpus $SRC: $files files, $(awk -v b="$input" 'BEGIN { printf "%.1f", b / 1e6 }') MB; index runs: ${WALLS[*]} s (median of $RUNS)"
echo
python3 - "$input" "$wall" "$peak" "$size" "$lat" "$peer" "$qpass" "$qart" <<'EOF'
import json, sys
inp, wall, peak, size = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
lat = json.loads(sys.argv[5])
peer, qpass, qart = json.loads(sys.argv[6]), json.loads(sys.argv[7]), json.loads(sys.argv[8])
if peer:
    t_search = peer["undated_median_ms"] + peer["fetch_top10_median_ms"]
    side = [
        ("index: input to committed index", f"{peer['index_s']:.1f} s (+{peer['prepare_jsonl_s']:.1f} s making the JSONL)",
         f"{wall:.1f} s", f"{wall / peer['index_s']:.2f}"),
        ("peak RSS while indexing", f"{peer['index_peak_rss_mb']} MB", f"{peak / 1024:.0f} MB",
         f"{peak / 1024 / peer['index_peak_rss_mb']:.2f}"),
        ("index size / input", f"{peer['index_size_ratio']:.2f}", f"{size / inp:.2f}",
         f"{size / inp / peer['index_size_ratio']:.2f}"),
    ]
    for label, q in (("by passage", qpass), ("by article (the default)", qart)):
        if not q:
            continue
        side.append((f"47 queries, any word, top 10, in-process, median, {label}",
                     f"{peer['undated_median_ms']:.3f} + {peer['fetch_top10_median_ms']:.3f} fetch = {t_search:.3f} ms",
                     f"{q['undated']['median']:.3f} ms (with snippets)", f"{q['undated']['median'] / t_search:.2f}"))
        side.append((f"the same, p99, {label}", f"{peer['undated_p99_ms']:.2f} ms", f"{q['undated']['p99']:.2f} ms",
                     f"{q['undated']['p99'] / peer['undated_p99_ms']:.2f}"))
        side.append((f"the same with a date range, median, {label}", f"{peer['dated_median_ms']:.3f} ms",
                     f"{q['dated']['median']:.3f} ms", f"{q['dated']['median'] / peer['dated_median_ms']:.2f}"))
    print(f"| measure | {peer['peer']} | dateline | ratio |")
    print("|---|---|---|---|")
    for row in side:
        print("| " + " | ".join(row) + " |")
    print()
def f(x):
    return f"{x['median']:.2f} / {x['p99']:.2f} ms"
rows = [
    ("index: files to committed index", f"{wall:.1f} s"),
    ("index rate", f"{inp / 1e6 / wall:.1f} MB/s"),
    ("index peak RSS", f"{peak / 1024:.0f} MB"),
    ("index size / input", f"{size / inp:.2f} ({size / 1e6:.0f} MB)"),
    (f"top 10 + snippets, in-process, median / p99 ({lat['queries']} queries)", f(lat["in_process"])),
    ("same with a date range, median / p99", f(lat["in_process_dated"])),
    ("whole process `search Q -n 10 --format jsonl`, median / p99", f(lat["whole_process"])),
    (f"whole process `search \"oil prices\" --all --format jsonl` ({lat['export_all_hits']} hits), median",
     f"{lat['export_all']['median']:.0f} ms"),
]
print("| measure | dateline |")
print("|---|---|")
for k, v in rows:
    print(f"| {k} | {v} |")
print()
print(f"index: {lat['passages']} passages in {lat['segments']} segments")
print("in-process median per query (no date range):")
for q, ms in lat["per_query"]:
    print(f"  {q:<28} {ms:.2f} ms")
EOF

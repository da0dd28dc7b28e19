#!/usr/bin/env bash
# Indexing speed and memory by archive format: the generated archive (../shared/tools/gen_corpus.py,
# 200 MB by default) as text files, then converted by examples/convert.rs into one JSON Lines dump,
# one saved web page per article (with navigation, cookie notice, related links and footer around the
# text) and one gzipped web archive of those pages. Each format is indexed RUNS times from an empty
# index with a warm page cache; the medians of wall time and peak RSS are printed, with the rate in
# MB of article text per second (the text archive's size over the time: the same articles in every
# format) and in MB of the format's own bytes per second.
#
#   benches/formats.sh [MB] [RUNS]      (defaults: 200 MB, 3 runs; FORMATS="text jsonl" for some only)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
RUNS=${2:-3}
cargo build --release --quiet --bin dateline --example convert
BIN=target/release/dateline
source benches/common.sh
bench_corpus "$MB"
WORK=target/formats-${MB}mb
mkdir -p "$WORK"
for f in jsonl html warc; do
  [ -d "$WORK/$f" ] || target/release/examples/convert "$SRC" "$WORK/$f" "$f"
done
INDEX=$WORK/index
trap 'rm -rf "$INDEX"' EXIT
bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s}'; }
text_bytes=$(bytes "$SRC")
printf '%-6s %10s %9s %12s %12s %10s\n' format input_MB wall_s text_MB/s own_MB/s peak_MB
for f in ${FORMATS:-text jsonl html warc}; do
  dir=$SRC; [ "$f" = text ] || dir=$WORK/$f
  own=$(bytes "$dir")
  index_runs "$BIN" "$dir" "$INDEX" "$RUNS"
  awk -v f="$f" -v own="$own" -v text="$text_bytes" -v w="$WALL" -v p="$PEAK" 'BEGIN {
    printf "%-6s %10.1f %9.2f %12.1f %12.1f %10.0f\n", f, own/1e6, w, text/1e6/w, own/1e6/w, p/1024 }'
done

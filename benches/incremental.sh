#!/usr/bin/env bash
# Re-index timings: a full index of a generated corpus, a re-run with nothing changed, and a re-run with
# 1% of the files changed, added or deleted (a third each). Prints the median of RUNS runs of each.
#
#   benches/incremental.sh [MB] [RUNS]      (defaults: 200 MB, 3 runs)
#
# The corpus goes to target/bench-corpus-<MB>mb (made by ../shared/tools/gen_corpus.py when missing);
# the index and the working copy to a temp dir that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
RUNS=${2:-3}
cargo build --release --quiet
BIN=target/release/dateline
SRC=target/bench-corpus-${MB}mb
if [ ! -d "$SRC" ]; then
  python3 ../shared/tools/gen_corpus.py ../shared/corpora/reuters-dev/meta.jsonl "$SRC" --mb "$MB"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
secs() { # run the command, print the wall time in seconds
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
source benches/common.sh
full=(); same=(); changed=()
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/corpus" "$WORK/index"
  cp -r "$SRC" "$WORK/corpus"
  full+=("$(secs "$BIN" index "$WORK/corpus" --index "$WORK/index" --quiet)")
  same+=("$(secs "$BIN" index "$WORK/corpus" --index "$WORK/index" --quiet)")
  mapfile -t files < <(find "$WORK/corpus" -type f | sort | awk -v r="$run" 'NR % 100 == r % 100')
  n=${#files[@]}
  for i in "${!files[@]}"; do
    f=${files[$i]}
    case $((i % 3)) in
      0) printf '\n\nAn added paragraph about zinc, run %s.\n' "$run" >> "$f" ;;
      1) cp "$f" "${f%.txt}-copy.txt" ;;
      2) rm "$f" ;;
    esac
  done
  changed+=("$(secs "$BIN" index "$WORK/corpus" --index "$WORK/index" --quiet)")
done
f=$(printf '%s\n' "${full[@]}" | median)
s=$(printf '%s\n' "${same[@]}" | median)
c=$(printf '%s\n' "${changed[@]}" | median)
echo "corpus: $SRC ($(du -sm "$SRC" | cut -f1) MB on disk), $RUNS runs, 1% = $n files"
printf 'full index:          %.2f s\n' "$f"
printf 'nothing changed:     %.2f s (%.1f%% of full)\n' "$s" "$(awk -v a="$s" -v b="$f" 'BEGIN { print 100 * a / b }')"
printf '1%% changed/added/deleted: %.2f s (%.1f%% of full)\n' "$c" "$(awk -v a="$c" -v b="$f" 'BEGIN { print 100 * a / b }')"

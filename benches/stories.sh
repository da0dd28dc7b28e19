#!/usr/bin/env bash
# The cost of story grouping: index time and peak RSS of the generated archive (default 200 MB) with
# this tree's dateline and with the commit before story groups (BEFORE, default 5ac050f), run in turns
# (before, after, before, ...) so that the machine's noise falls on both alike. Prints medians, the
# ratio, and how many stories of several articles the index holds.
#
#     benches/stories.sh [MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
MB=${1:-200}
RUNS=${2:-3}
BEFORE=${BEFORE:-5ac050f}
bench_corpus "$MB"
cargo build --release --quiet
OLD=target/before-stories
if [ ! -x "$OLD/target/release/dateline" ]; then
  rm -rf "$OLD"
  git worktree add --force --detach "$OLD" "$BEFORE" >/dev/null
  (cd "$OLD" && CARGO_TARGET_DIR=target cargo build --release --quiet)
fi
declare -a old_wall old_rss old_cpu new_wall new_rss new_cpu
for _ in $(seq "$RUNS"); do
  index_runs "$OLD/target/release/dateline" "$SRC" target/bench-index-stories "1"
  old_wall+=("$WALL"); old_rss+=("$PEAK"); old_cpu+=("$CPU")
  index_runs target/release/dateline "$SRC" target/bench-index-stories "1"
  new_wall+=("$WALL"); new_rss+=("$PEAK"); new_cpu+=("$CPU")
done
ow=$(printf '%s\n' "${old_wall[@]}" | median); nw=$(printf '%s\n' "${new_wall[@]}" | median)
oc=$(printf '%s\n' "${old_cpu[@]}" | median); nc=$(printf '%s\n' "${new_cpu[@]}" | median)
orss=$(printf '%s\n' "${old_rss[@]}" | median); nrss=$(printf '%s\n' "${new_rss[@]}" | median)
echo "archive: $SRC ($(du -sh "$SRC" | cut -f1)), $RUNS runs each, in turns"
echo "without story groups ($BEFORE): index ${ow} s (runs: ${old_wall[*]}), CPU ${oc} s (${old_cpu[*]}), peak RSS $((orss / 1024)) MB"
echo "with story groups (this tree):   index ${nw} s (runs: ${new_wall[*]}), CPU ${nc} s (${new_cpu[*]}), peak RSS $((nrss / 1024)) MB"
awk -v a="$ow" -v b="$nw" -v c="$oc" -v d="$nc" 'BEGIN { printf "ratio with/without: wall %.3f, CPU %.3f\n", b / a, d / c }'
f=$(ls target/bench-index-stories/dateline-stories-*.bin)
python3 - "$f" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[8:16])[0]; o = 16; members = 0
for _ in range(n):
    l = struct.unpack('<I', b[o:o + 4])[0]; o += 4 + l
    m = struct.unpack('<I', b[o:o + 4])[0]; o += 4 + 8 * m; members += m
print(f"stories of several articles: {n} ({members} articles)")
PY

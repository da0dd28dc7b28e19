#!/usr/bin/env bash
# `batch` and `related` at archive scale: 1,000 name queries (capitalised names of two or three words
# found in the generated archive, drawn evenly from rare to common) run by `dateline batch`, and
# `related oil` as a whole process, against the generated archive (default 200 MB) indexed into
# target/bench-index-<MB>mb. Prints medians of RUNS runs.
#
#     benches/batch.sh [MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
MB=${1:-200}
RUNS=${2:-3}
bench_corpus "$MB"
cargo build --release --quiet
BIN=target/release/dateline
INDEX=target/bench-index-${MB}mb
if ! "$BIN" info --index "$INDEX" >/dev/null 2>&1; then
  "$BIN" index "$SRC" --index "$INDEX" --rebuild --quiet
fi
NAMES=target/batch-names-${MB}mb.txt
python3 - "$SRC" "$NAMES" <<'PY'
import collections, os, random, re, sys
src, out = sys.argv[1], sys.argv[2]
files = []
for root, _, names in os.walk(src):
    files.extend(os.path.join(root, n) for n in names)
random.seed(1987)
counts = collections.Counter()
name = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
for path in random.sample(sorted(files), min(20000, len(files))):
    with open(path, encoding="utf-8", errors="replace") as f:
        counts.update(set(name.findall(f.read())))
ranked = [n for n, c in counts.most_common() if c >= 2]
step = max(1, len(ranked) // 1000)
chosen = ranked[::step][:1000]
with open(out, "w") as f:
    f.writelines(f'"{n}"\n' for n in chosen)
print(f"{len(chosen)} names of {len(ranked)} seen at least twice in a sample of 20,000 articles")
PY
times=()
for _ in $(seq "$RUNS"); do
  t=$( { /usr/bin/time -f '%e' "$BIN" batch "$NAMES" --index "$INDEX" -o target/batch-out.csv; } 2>&1 | tail -1)
  times+=("$t")
done
echo "batch of $(wc -l < "$NAMES") names: median $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]})"
echo "rows with an error: $(awk -F, 'NR > 1 && $NF != ""' target/batch-out.csv | wc -l)"
times=()
for _ in $(seq "$RUNS"); do
  t=$( { /usr/bin/time -f '%e' "$BIN" related oil --index "$INDEX" > target/related-oil.txt; } 2>&1 | tail -1)
  times+=("$t")
done
echo "related oil: median $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]}); $(head -1 target/related-oil.txt)"

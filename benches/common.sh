# Shared by the benchmark scripts (sourced, not run).

# The median of the numbers on standard input, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# index_runs BIN SRC INDEX RUNS: indexes SRC into an empty INDEX RUNS times, each after reading SRC once
# (warm page cache); sets WALLS, RSS and CPUS (arrays of seconds, KiB and user+system CPU seconds),
# WALL, PEAK and CPU (their medians).
index_runs() {
  local bin=$1 src=$2 index=$3 runs=$4 out
  WALLS=(); RSS=(); CPUS=()
  for _ in $(seq "$runs"); do
    rm -rf "$index"
    find "$src" -type f -print0 | xargs -0 cat > /dev/null
    out=$( { /usr/bin/time -f '%e %M %U %S' "$bin" index "$src" --index "$index" --quiet; } 2>&1 | tail -1)
    WALLS+=("$(echo "$out" | cut -d' ' -f1)")
    RSS+=("$(echo "$out" | cut -d' ' -f2)")
    CPUS+=("$(echo "$out" | awk '{print $3 + $4}')")
  done
  WALL=$(printf '%s\n' "${WALLS[@]}" | median)
  PEAK=$(printf '%s\n' "${RSS[@]}" | median)
  CPU=$(printf '%s\n' "${CPUS[@]}" | median)
}

# bench_corpus MB: sets SRC to the generated archive of about MB megabytes (target/bench-corpus-<MB>mb),
# made by ../shared/tools/gen_corpus.py from the Reuters metadata when missing.
bench_corpus() {
  SRC=target/bench-corpus-$1mb
  if [ ! -d "$SRC" ]; then
    python3 ../shared/tools/gen_corpus.py ../shared/corpora/reuters-dev/meta.jsonl "$SRC" --mb "$1"
  fi
}

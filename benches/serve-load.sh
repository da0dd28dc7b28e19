#!/usr/bin/env bash
# Load on `dateline serve`: top-10 searches (the queries of benches/queries.txt, in turn) at 1, 8 and 64
# connections with wrk, on an existing index; prints wrk's requests/s, latency percentiles and errors,
# and the server's RSS before and after.
#
#   benches/serve-load.sh [INDEX] [SECONDS]     (defaults: target/bench-index-200mb, 20 s per level)
#
# Needs wrk (Debian: apt-get install wrk). The index comes from `dateline index` (for the 210 MB archive:
# python3 ../shared/tools/gen_corpus.py ../shared/corpora/reuters-dev/meta.jsonl target/bench-corpus-200mb
# --mb 200, then dateline index target/bench-corpus-200mb --index target/bench-index-200mb).
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:-target/bench-index-200mb}
SECONDS_PER_LEVEL=${2:-20}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release --quiet --bin dateline
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/release/dateline serve --index "$INDEX" --bind "127.0.0.1:$PORT" > /dev/null &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.1; done
LUA=$(mktemp --suffix .lua)
python3 - "$LUA" <<'PY'
import sys, urllib.parse
queries = [l.strip() for l in open("benches/queries.txt") if l.strip()]
paths = ["/api/search?n=10&q=" + urllib.parse.quote(q) for q in queries]
with open(sys.argv[1], "w") as f:
    f.write("local paths = {" + ",".join('"%s"' % p for p in paths) + "}\n")
    f.write("local i = 0\n")
    f.write("request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
PY
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' "/proc/$PID/status"; }
# Warm up: every query once.
for q in $(seq 16); do curl -s "http://127.0.0.1:$PORT/api/search?q=oil" > /dev/null; done
echo "server RSS before: $(rss)"
for c in 1 8 64; do
  echo "== $c connection(s), ${SECONDS_PER_LEVEL}s"
  wrk -t "$(( c < 2 ? 1 : 2 ))" -c "$c" -d "${SECONDS_PER_LEVEL}s" --latency -s "$LUA" "http://127.0.0.1:$PORT" \
    | grep -E "Requests/sec|Non-2xx|Socket errors|requests in|^ +(50|75|90|99)%"
done
echo "server RSS after: $(rss)"
rm -f "$LUA"

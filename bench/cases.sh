#!/usr/bin/env bash
# Durable submissions per second on one backend, for bench/run.sh: a fresh yiwang (sandbox SMS,
# so the applicant can register), prepared by bench/cases-setup.mjs, then wrk with 64
# connections filing and submitting cases (bench/submit.lua). Prints "RATE P99 CASES": the
# requests per second, wrk's p99, and the cases in the database afterwards (which must be at
# least the requests wrk counted in both runs, or the figure is refused).
#
#   bench/cases.sh BUILD_DIR DB DURATION      (DB: sqlite or a postgres:// URI)
set -euo pipefail
O=$1 DB=$2 DURATION=$3
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/yw-bench-cases-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$O/yiwang" serve --listen "127.0.0.1:$port" --data "$work/data" --db "$DB" --web web/dist --sandbox \
  2>"$work/yiwang.log" >/dev/null & pid=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
read -r cookie csrf item material < <(YW_BIN="$O/yiwang" node bench/cases-setup.mjs "http://127.0.0.1:$port" "$work/data" "$DB")
export BENCH_COOKIE=$cookie BENCH_CSRF=$csrf BENCH_ITEM=$item BENCH_MATERIAL=$material
BENCH_RUN=warm-$$ wrk -t2 -c64 -d2s -s bench/submit.lua "http://127.0.0.1:$port" > "$work/warm.out"
BENCH_RUN=run-$$ wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/submit.lua "http://127.0.0.1:$port" > "$work/wrk.out"
if grep -q "Non-2xx" "$work/wrk.out"; then echo "submissions failed:" >&2; cat "$work/wrk.out" >&2; tail -20 "$work/yiwang.log" >&2; exit 1; fi
rate=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
reqs=$(awk '/requests in/ {print $1}' "$work/wrk.out")
warm=$(awk '/requests in/ {print $1}' "$work/warm.out")
if [[ "$DB" == postgres* ]]; then
  cases=$(psql -XAtq "$DB" -c "SELECT count(*) FROM cases WHERE state = 'submitted'")
else
  cases=$(sqlite3 "$work/data/yiwang.db" "SELECT count(*) FROM cases WHERE state = 'submitted'")
fi
# Every answered request must have made its own case (a replayed key would not).
if [ "$cases" -lt $((warm + reqs)) ]; then echo "only $cases cases for $((warm + reqs)) acknowledged submissions" >&2; exit 1; fi
echo "$rate $p99 $cases"

#!/usr/bin/env bash
# A scoped clerk's inbox over BENCH_CASES synthetic cases on one backend, for bench/run.sh: the
# demo region and its cases (`yiwang demo --cases N`, written through the cases module's loader),
# a fresh yiwang on them, a window clerk of one district department (bench/inbox-setup.mjs), then
# wrk with 32 connections on the first and second pages of GET /api/v1/inbox (bench/inbox.lua).
# Prints "RATE P50 P95 P99 CASES OPEN": requests per second, latencies in ms, the cases in the
# database and the open tasks of the clerk's department.
#
#   bench/inbox.sh BUILD_DIR DB DURATION [N]     (DB: sqlite or a postgres:// URI; N: BENCH_CASES)
#
# On SQLite a data folder filled earlier can be named by BENCH_INBOX_DATA: it is filled there if
# it has no database yet, and copied for the run (the run adds staff), so the next run reuses it.
set -euo pipefail
O=$1 DB=$2 DURATION=$3 N=${4:-${BENCH_CASES:-1000000}}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/yw-bench-inbox-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
demo() { "$O/yiwang" demo --data "$1" --db "$DB" --cases "$N" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }; }
if [[ "$DB" != postgres* && -n "${BENCH_INBOX_DATA:-}" ]]; then
  demo "$BENCH_INBOX_DATA"       # tops the kept folder up to N (nothing to do when it has them)
  mkdir -p "$work/data"
  cp -r --reflink=auto "$BENCH_INBOX_DATA"/. "$work/data/"
else
  demo "$work/data"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$O/yiwang" serve --listen "127.0.0.1:$port" --data "$work/data" --db "$DB" --web "${BENCH_WEB:-web/dist}" \
  2>"$work/yiwang.log" >/dev/null & pid=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
setup=$(YW_BIN="$O/yiwang" node bench/inbox-setup.mjs "http://127.0.0.1:$port" "$work/data" "$DB") ||
  { echo "inbox setup failed" >&2; tail -20 "$work/yiwang.log" >&2; exit 1; }
read -r cookie _ dept <<<"$setup"
export BENCH_COOKIE=$cookie
# Warm-up: the readers' pages of the index and the cases come in on first touch.
wrk -t2 -c32 -d3s -s bench/inbox.lua "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/inbox.lua "http://127.0.0.1:$port" > "$work/wrk.out"
if grep -q "Non-2xx" "$work/wrk.out"; then echo "inbox requests failed:" >&2; cat "$work/wrk.out" >&2; tail -20 "$work/yiwang.log" >&2; exit 1; fi
rate=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
lat=$(awk '$1=="LATENCY" {print $2, $3, $4}' "$work/wrk.out")
[ -n "$lat" ] || { echo "wrk printed no latencies:" >&2; cat "$work/wrk.out" >&2; exit 1; }
read -r p50 p95 p99 <<<"$lat"
q() { if [[ "$DB" == postgres* ]]; then psql -XAtq "$DB" -c "$1"; else sqlite3 "$work/data/yiwang.db" "$1"; fi; }
cases=$(q "SELECT count(*) FROM cases")
open=$(q "SELECT count(*) FROM case_tasks WHERE state = 'open' AND department_id = '$dept'")
echo "$rate $p50 $p95 $p99 $cases $open"

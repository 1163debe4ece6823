#!/usr/bin/env bash
# make bench: yiwang against its ceilings, in one run on this machine, so every figure is also
# a ratio that survives a noisy neighbour.
#
#   HTTP:  nginx serving a small static file  vs  yiwang /healthz, a static asset, a division read
#          (wrk, keep-alive, 64 connections, 2 threads, DURATION seconds each)
#   Store: raw SQLite, one INSERT per transaction, synchronous=FULL (one fsync per write)
#          vs yw_store_write from 64 threads (group commit; every write durable before its answer)
#   Catalog: 100,000 items (`yiwang demo --scale`, or the data folder BENCH_CATALOG names, kept
#          from an earlier run: writing them takes a while): search GET /api/v1/items?q= with 2-
#          and 4-character queries (bench/search.lua), 32 connections, p50 and p99, goal p99 <
#          20 ms; guide reads GET /api/v1/items/{code} over 100 popular items (bench/guide.lua)
#          as a share of nginx's static rate, goal ≥ 50%
#   Cases: durable submissions (POST /api/v1/cases with submit, 64 connections, bench/submit.lua)
#          on SQLite (default workers, and 16) and PostgreSQL, against the raw SQLite one-fsync
#          ceiling above, goal ≥ 3×
#   Inbox: a window clerk of one district department pages GET /api/v1/inbox (first page, and the
#          second through its cursor: bench/inbox.lua) over BENCH_CASES (1,000,000) cases that
#          `yiwang demo --cases` wrote, 32 connections, SQLite and PostgreSQL (bench/inbox.sh;
#          BENCH_INBOX_DATA names a SQLite data folder to fill once and reuse), goal p95 < 100 ms
#   OIDC:  client-credentials tokens (POST /oauth/token, client_secret_basic, ES256 JWT)
#          vs npm oidc-provider issuing the same token, driven by wrk with bench/token.lua
#
# Appends a dated section to bench/RESULTS.md.
set -euo pipefail
O=${1:-build}
DURATION=${DURATION:-10}
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/yw-bench-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
rate() {  # url -> requests/s
  wrk -t2 -c64 -d"${DURATION}s" --latency "$1" > "$work/wrk.out"
  awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out"
}
p99() { awk '$1=="99%" {print $2}' "$work/wrk.out"; }

# The static file both servers serve: the smallest hashed asset of the web app.
asset=$(cd web/dist && find assets -type f ! -name '*.gz' -printf '%s %p\n' | sort -n | head -1 | cut -d' ' -f2)
[ -n "$asset" ] || { echo "web/dist has no assets: run make web" >&2; exit 1; }

# nginx: 2 workers (one per core), access log off, open files cached: the ceiling, tuned.
nport=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  keepalive_requests 1000000;
  # A tuned ceiling: descriptors cached, so nginx does not open the file per request.
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nport; root $root/web/dist; etag on; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" & pids+=($!)

yport=$(free_port)
"$O/yiwang" serve --listen "127.0.0.1:$yport" --data "$work/data" --web web/dist 2>"$work/yiwang.log" >/dev/null & pids+=($!)
wait_port "http://127.0.0.1:$nport/$asset"
wait_port "http://127.0.0.1:$yport/healthz"

echo "warming up…"
wrk -t2 -c64 -d2s "http://127.0.0.1:$yport/$asset" >/dev/null
wrk -t2 -c64 -d2s "http://127.0.0.1:$nport/$asset" >/dev/null

nginx_rps=$(rate "http://127.0.0.1:$nport/$asset");                  nginx_p99=$(p99)
health_rps=$(rate "http://127.0.0.1:$yport/healthz");                health_p99=$(p99)
asset_rps=$(rate "http://127.0.0.1:$yport/$asset");                  asset_p99=$(p99)
div_rps=$(rate "http://127.0.0.1:$yport/api/v1/divisions/341302");   div_p99=$(p99)

echo "client-credentials tokens: yiwang vs oidc-provider (ES256 on both)…"
# The same request to both (bench/token.lua); a run with any non-200 answer is not a figure.
token_rate() {  # url -> tokens/s
  wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/token.lua "$1" > "$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then echo "token requests failed at $1:" >&2; cat "$work/wrk.out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out"
}
read -r cc_id cc_secret < <(YW_BIN="$O/yiwang" node bench/oidc-setup.mjs "http://127.0.0.1:$yport" "$work/data" sqlite)
oport=$(free_port)
node bench/oidc-provider.mjs "$oport" bench-client "$cc_secret" >"$work/oidc-provider.log" 2>&1 & pids+=($!)
wait_port "http://127.0.0.1:$oport/.well-known/openid-configuration"
BENCH_BASIC=$(printf '%s:%s' "$cc_id" "$cc_secret" | base64 -w0) wrk -t2 -c64 -d2s -s bench/token.lua "http://127.0.0.1:$yport/oauth/token" >/dev/null
yw_tok=$(BENCH_BASIC=$(printf '%s:%s' "$cc_id" "$cc_secret" | base64 -w0) token_rate "http://127.0.0.1:$yport/oauth/token"); yw_tok_p99=$(p99)
BENCH_BASIC=$(printf '%s:%s' bench-client "$cc_secret" | base64 -w0) wrk -t2 -c64 -d2s -s bench/token.lua "http://127.0.0.1:$oport/token" >/dev/null
op_tok=$(BENCH_BASIC=$(printf '%s:%s' bench-client "$cc_secret" | base64 -w0) token_rate "http://127.0.0.1:$oport/token"); op_tok_p99=$(p99)

echo "store: raw SQLite vs group commit…"
sqlite_rate=$("$O/bench_sqlite_fsync" "$work/raw" "$DURATION" | awk -F= '/inserts_per_sec/ {print $2}')
store_rate=$("$O/bench_store_write" "$work/store" "$DURATION" | awk -F= '/writes_per_sec/ {print $2}')

echo "catalog: ${SEARCH_ITEMS:=100000} items…"
# The demo region and SEARCH_ITEMS synthetic items, written through the catalog's own loaders
# (index included). A data folder kept from an earlier run (BENCH_CATALOG) is used as it is.
cat_data=${BENCH_CATALOG:-$work/search}
[ -n "${BENCH_CATALOG:-}" ] && [ -e "$cat_data/yiwang.db" ] ||
  "$O/yiwang" demo --data "$cat_data" --scale "$SEARCH_ITEMS" >"$work/demo.log" 2>&1
sport=$(free_port)
"$O/yiwang" serve --listen "127.0.0.1:$sport" --data "$cat_data" --web web/dist 2>"$work/search.log" >/dev/null & pids+=($!)
wait_port "http://127.0.0.1:$sport/healthz"
catalog_rate() {  # lua script, connections -> requests/s, with wrk.out kept for p99
  wrk -t2 -c"$2" -d"${DURATION}s" --latency -s "$1" "http://127.0.0.1:$sport" > "$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then echo "catalog requests failed ($1):" >&2; cat "$work/wrk.out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out"
}
# A longer warm-up: the readers' page caches fill on first touch.
wrk -t2 -c32 -d5s -s bench/search.lua "http://127.0.0.1:$sport" >/dev/null
search_rps=$(catalog_rate bench/search.lua 32); search_p99=$(p99)
search_p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
# The 100 items an applicant is likeliest to open: the first page of the list, most popular first.
export GUIDE_CODES=$(curl -fsS "http://127.0.0.1:$sport/api/v1/items?limit=100" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.map(i=>i.code).join(",")))')
wrk -t2 -c64 -d2s -s bench/guide.lua "http://127.0.0.1:$sport" >/dev/null
guide_rps=$(catalog_rate bench/guide.lua 64); guide_p99=$(p99)

echo "cases: durable submissions, SQLite and PostgreSQL…"
read -r sub_sqlite sub_sqlite_p99 _ < <(bench/cases.sh "$O" sqlite "$DURATION")
# The same with 16 workers (setting threads): writes waiting together share a commit.
read -r sub_sqlite16 sub_sqlite16_p99 _ < <(YW_THREADS=16 bench/cases.sh "$O" sqlite "$DURATION")
read -r sub_pg sub_pg_p99 _ < <(scripts/with-postgres.sh bash -c 'bench/cases.sh "$0" "$YW_TEST_PG" "$1"' "$O" "$DURATION")

echo "inbox: a scoped clerk over ${BENCH_CASES:=1000000} cases, SQLite and PostgreSQL…"
read -r inbox_sq inbox_sq_p50 inbox_sq_p95 inbox_sq_p99 _ < <(bench/inbox.sh "$O" sqlite "$DURATION" "$BENCH_CASES")
read -r inbox_pg inbox_pg_p50 inbox_pg_p95 inbox_pg_p99 _ < <(scripts/with-postgres.sh bash -c 'bench/inbox.sh "$0" "$YW_TEST_PG" "$1" "$2"' "$O" "$DURATION" "$BENCH_CASES")

echo "password logins (argon2id verify)…"
pw_line=$("$O/bench_password_verify" "$DURATION")
pw_rate=$(echo "$pw_line" | sed -n 's/.*verifies_per_sec=\([0-9.]*\).*/\1/p')
pw_core=$(echo "$pw_line" | sed -n 's/.*per_core=\([0-9.]*\).*/\1/p')

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
under() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? "met" : "missed") }'; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
report=$(cat <<MD

## $(date -u +%Y-%m-%d) — commit $commit — $(nproc) cores, ${DURATION} s per figure

| what | rate | p99 | vs ceiling |
|---|---:|---:|---:|
| nginx, static \`$asset\` (ceiling) | $nginx_rps req/s | $nginx_p99 | 100% |
| yiwang \`/healthz\` (reads the database) | $health_rps req/s | $health_p99 | $(pct "$health_rps" "$nginx_rps") |
| yiwang static \`$asset\` | $asset_rps req/s | $asset_p99 | $(pct "$asset_rps" "$nginx_rps") (goal ≥ 100%) |
| yiwang \`/api/v1/divisions/341302\` | $div_rps req/s | $div_p99 | $(pct "$div_rps" "$nginx_rps") (goal ≥ 60%) |
| raw SQLite, 1 insert per transaction, synchronous=FULL (ceiling) | $sqlite_rate writes/s | | 1× |
| \`yw_store_write\`, 64 threads, group commit, durable | $store_rate writes/s | | $(times "$store_rate" "$sqlite_rate") (goal ≥ 5×) |
| npm oidc-provider $(node -p "require('./node_modules/oidc-provider/package.json').version"), client-credentials tokens, ES256 JWT (reference) | $op_tok tokens/s | $op_tok_p99 | 1× |
| yiwang \`POST /oauth/token\`, client credentials, ES256 JWT | $yw_tok tokens/s | $yw_tok_p99 | $(times "$yw_tok" "$op_tok") (goal ≥ 2×) |
| search \`GET /api/v1/items?q=\`, $SEARCH_ITEMS items, 2- and 4-character queries, 32 clients (p50 $search_p50) | $search_rps req/s | $search_p99 | goal p99 < 20 ms |
| guide reads \`GET /api/v1/items/{code}\`, 100 popular items of $SEARCH_ITEMS, 64 clients | $guide_rps req/s | $guide_p99 | $(pct "$guide_rps" "$nginx_rps") of nginx (goal ≥ 50%) |
| submissions \`POST /api/v1/cases\` (case, material reference, first task, trail, audit: one durable write), 64 clients, SQLite | $sub_sqlite /s | $sub_sqlite_p99 | $(times "$sub_sqlite" "$sqlite_rate") the raw one-fsync ceiling (goal ≥ 3×) |
| the same, SQLite, \`threads = 16\` | $sub_sqlite16 /s | $sub_sqlite16_p99 | $(times "$sub_sqlite16" "$sqlite_rate") |
| the same on PostgreSQL 15 (synchronous_commit on) | $sub_pg /s | $sub_pg_p99 | $(times "$sub_pg" "$sqlite_rate") |
| inbox page, scoped clerk, $BENCH_CASES cases, \`GET /api/v1/inbox\` first and second page, 32 clients, SQLite (p50 $inbox_sq_p50 ms) | $inbox_sq req/s | $inbox_sq_p99 ms | p95 $inbox_sq_p95 ms: goal p95 < 100 ms $(under "$inbox_sq_p95" 100) |
| inbox page, scoped clerk, $BENCH_CASES cases, the same on PostgreSQL 15 (p50 $inbox_pg_p50 ms) | $inbox_pg req/s | $inbox_pg_p99 ms | p95 $inbox_pg_p95 ms: goal p95 < 100 ms $(under "$inbox_pg_p95" 100) |
| password logins: argon2id verify (t=2, m=19 MiB, p=1), all cores | $pw_rate /s ($pw_core per core) | | $(times "$pw_core" 15) Keycloak's ≈ 15/s per vCPU (goal ≥ 2×) |
MD
)
echo "$report"
[ -f bench/RESULTS.md ] || printf '# Benchmark results\n' > bench/RESULTS.md
echo "$report" >> bench/RESULTS.md
echo "appended to bench/RESULTS.md"

#!/usr/bin/env bash
# Runs every suite and prints one closing line "N passed, M failed".
#
#   scripts/test.sh [build-dir]
#
# The whole run happens inside a throwaway PostgreSQL cluster (scripts/with-postgres.sh), so the
# unit tests of the store and the API and browser suites run on SQLite and on PostgreSQL.
# FUZZ_SECONDS (default 60) sets how long each fuzz target runs.
set -uo pipefail
O=${1:-build}
cd "$(dirname "$0")/.."

if [ -z "${YW_TEST_PG:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$O"
fi

passed=0
failed=0
failures=()
log_dir=$O/test-logs
mkdir -p "$log_dir"

count() {  # suite-name passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  if [ "$3" -gt 0 ]; then failures+=("$1"); fi
  printf '  %-40s %4d passed %4d failed\n' "$1" "$2" "$3"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== unit tests (cmocka, AddressSanitizer + UBSan)"
for t in "$O"/asan/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  log=$log_dir/$name.log
  "$t" >"$log" 2>&1
  rc=$?
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed, or a sanitizer fired
  [ "$f" -gt 0 ] && tail -40 "$log"
  count "unit/$name" "$p" "$f"
done

echo "== fuzz targets (${FUZZ_SECONDS:-60} s each)"
for t in "$O"/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  corpus=$O/fuzz/corpus/$name
  mkdir -p "$corpus"
  seeds=tests/fuzz/seeds/$name
  log=$log_dir/$name.log
  if "$t" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$log_dir/$name-" "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1; then
    count "fuzz/$name" 1 0
  else
    tail -40 "$log"
    count "fuzz/$name" 0 1
  fi
done

rm -rf /dev/shm/yw-fuzz-*   # the request fuzzer's throwaway store

echo "== crash test (kill -9 under write load)"
if [ -x tests/crash/run.sh ]; then
  if tests/crash/run.sh "$O" >"$log_dir/crash.log" 2>&1; then
    count "crash/sqlite" 1 0
  else
    tail -40 "$log_dir/crash.log"
    count "crash/sqlite" 0 1
  fi
fi
# The same promise end to end: applications over HTTP while the server is killed (issue 6).
if node tests/crash/cases.mjs "$O" >"$log_dir/crash-cases.log" 2>&1; then
  tail -1 "$log_dir/crash-cases.log"
  count "crash/cases" 1 0
else
  tail -40 "$log_dir/crash-cases.log"
  count "crash/cases" 0 1
fi

# node --test with the TAP reporter ends with "# pass N" and "# fail M".
node_suite() {  # label dir db
  local log=$log_dir/${1//\//-}.log
  YW_TEST_DB=$3 node --test --test-reporter=tap "$2"/*.test.mjs >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -gt 0 ]; then grep -E -B2 -A30 '^not ok|^# Subtest' "$log" | grep -v '^# Subtest' | head -120; fi
  count "$1" "$p" "$f"
}

# Every server the API and browser suites start leaves its log here, for the privacy scan.
export YW_TEST_LOG_DIR=$log_dir/servers
rm -rf "$YW_TEST_LOG_DIR"

echo "== API tests (node --test, real server)"
node_suite api/sqlite tests/api sqlite
node_suite api/postgres tests/api "$YW_TEST_PG"

echo "== browser tests (playwright-core + Debian chromium)"
node_suite e2e/sqlite tests/e2e sqlite
node_suite e2e/postgres tests/e2e "$YW_TEST_PG"

echo "== privacy: no full ID or mobile number in any server log of this run"
if ls "$YW_TEST_LOG_DIR"/*.log >/dev/null 2>&1 &&
   node tests/privacy/scan-logs.mjs "$YW_TEST_LOG_DIR"/*.log >"$log_dir/privacy.log" 2>&1; then
  tail -1 "$log_dir/privacy.log"
  count "privacy/server-logs" 1 0
else
  tail -20 "$log_dir/privacy.log" 2>/dev/null || echo "no server logs were kept"
  count "privacy/server-logs" 0 1
fi

echo
if [ ${#failures[@]} -gt 0 ]; then echo "failed suites: ${failures[*]} (logs in $log_dir)"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

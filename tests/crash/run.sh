#!/usr/bin/env bash
# Crash test: kill -9 the writer under load, reopen, and demand that every write it had
# acknowledged is on disk and that the audit chain still verifies.
#
#   tests/crash/run.sh BUILD_DIR          (uses BUILD_DIR/asan/crash_writer)
#
# CRASH_ROUNDS (default 20) rounds, each on a fresh data directory, each killed after a random
# 0.2–1.5 s. Prints one line per round and a final PASS or FAIL line; exits non-zero on any
# loss. The data of a failed round is kept for inspection.
set -u

build=${1:?usage: tests/crash/run.sh BUILD_DIR}
writer=$build/asan/crash_writer
rounds=${CRASH_ROUNDS:-20}

if [ ! -x "$writer" ]; then
	echo "crash: FAIL — $writer is not built"
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yw-crash.XXXXXX")
failed=0
total=0

for round in $(seq "$rounds"); do
	dir=$tmp/round$round
	mkdir -p "$dir"
	"$writer" "$dir/data" >"$dir/acked" 2>"$dir/writer.log" &
	pid=$!
	delay=$(awk -v seed="$RANDOM$round" 'BEGIN { srand(seed); printf "%.2f", 0.2 + rand() * 1.3 }')
	sleep "$delay"
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		echo "round $round: FAIL — the writer stopped on its own (exit $?):"
		sed 's/^/    /' "$dir/writer.log"
		failed=$((failed + 1))
		continue
	fi
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	if result=$("$writer" --check "$dir/data" "$dir/acked" 2>"$dir/check.log"); then
		echo "round $round: killed after ${delay}s: $result"
		acked=${result#acked=}
		total=$((total + ${acked%% *}))
		rm -rf "$dir"
	else
		echo "round $round: FAIL after ${delay}s: $result (kept in $dir)"
		sed 's/^/    /' "$dir/check.log"
		failed=$((failed + 1))
	fi
done

if [ "$failed" -eq 0 ] && [ "$total" -eq 0 ]; then
	echo "crash: FAIL — no write was acknowledged in $rounds rounds, nothing was tested"
	failed=1
fi
if [ "$failed" -eq 0 ]; then
	rm -rf "$tmp"
	echo "crash: PASS — $rounds kill -9 rounds, $total acknowledged writes, none lost, audit chain intact"
	exit 0
fi
echo "crash: FAIL — $failed of $rounds rounds lost acknowledged writes or broke the audit chain (data in $tmp)"
exit 1

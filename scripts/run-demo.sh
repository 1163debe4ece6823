#!/usr/bin/env bash
# make run: serve the demo region at http://127.0.0.1:PORT. Every start loads the region 宿州市
# (`yiwang demo`: departments, items, themes; it changes nothing once they are there). On the
# first start with a data folder its people — staff, and applicants when the server runs with
# --sandbox — are seeded through the server's own API (scripts/seed-demo.mjs), which needs the
# server up; so the server starts in the background, the seed runs once, and this script then
# waits on the server, passing Ctrl-C on to it.
#
#   scripts/run-demo.sh BUILD_DIR DATA_DIR DB PORT [serve flags…]
set -euo pipefail
O=$1 DATA=$2 DB=$3 PORT=$4
shift 4
cd "$(dirname "$0")/.."
url=http://127.0.0.1:$PORT

mkdir -p "$DATA"
"$O/yiwang" migrate --data "$DATA" --db "$DB"
# A data folder from before the demo region (or with its own departments) may refuse parts of it:
# then the server still serves what is there.
"$O/yiwang" demo --data "$DATA" --db "$DB" ||
  echo "run-demo: the demo region was not loaded in full (see above); serving what is there" >&2
"$O/yiwang" serve --listen "127.0.0.1:$PORT" --data "$DATA" --db "$DB" "$@" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' INT TERM

up=0
for _ in $(seq 1 100); do
  if node -e "fetch('$url/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    up=1
    break
  fi
  kill -0 $server 2>/dev/null || break
  sleep 0.2
done
if [ "$up" = 1 ] && [ ! -e "$DATA/demo-staff.json" ]; then
  node scripts/seed-demo.mjs --url "$url" --data "$DATA" --db "$DB" --bin "$O/yiwang" ||
    echo "run-demo: the demo region was not seeded (see above); the server keeps running" >&2
fi
wait $server

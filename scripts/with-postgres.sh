#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster, then removes the cluster:
#
#   scripts/with-postgres.sh build/asan/test_store
#
# The cluster lives in a fresh temporary directory, listens only on a Unix socket inside it,
# trusts local connections (nothing else can reach it) and keeps fsync on, so durability tests
# mean what they say. The command sees YW_TEST_PG=postgresql:///yiwang?host=<dir>&user=postgres.
# Whatever happens, the server is stopped and the directory removed; the command's exit code is
# returned.
set -euo pipefail

if [ $# -lt 1 ]; then
	echo "usage: $0 COMMAND [ARGS…]" >&2
	exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
	echo "with-postgres: $PGBIN/initdb not found (apt-get install postgresql-15)" >&2
	exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/yw-pg.XXXXXX")
data=$dir/data
pid=

# initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			kill -KILL "$pid" 2>/dev/null || true
		# The postmaster is not our child, so wait for it by polling its pid.
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$dir"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket directory must be reachable by whoever runs the command, root or not.
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
chmod 755 "$dir"

as_postgres "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
	>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

if ! as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c unix_socket_permissions=0777 -c fsync=on -c max_connections=200" \
	start >/dev/null; then
	cat "$dir/server.log" >&2
	exit 1
fi
pid=$(head -n 1 "$data/postmaster.pid")

"$PGBIN/createdb" -h "$dir" -U postgres yiwang

export YW_TEST_PG="postgresql:///yiwang?host=$dir&user=postgres"
set +e
"$@"
rc=$?
set -e
exit "$rc"

#!/usr/bin/env bash
# Runs CMD... with a private, throwaway PostgreSQL cluster, as in shared/design/RECIPES.md
# "PostgreSQL": a new cluster in a temporary folder (initdb --auth=trust --no-sync), started on
# a free port on 127.0.0.1 with a private socket folder and fsync=off, stopped and removed when
# CMD ends. Nothing is shared with any other run or with a system cluster.
# Exports SMARTAP_TEST_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable: the
# PostgreSQL store tests then run (and fail if the server is unreachable).
# As root the cluster runs as the postgres user (initdb refuses root); otherwise as the
# current user. PG_BIN overrides the folder of initdb and pg_ctl.
# Composes with scripts/with-keyring.sh either way round. Exit code: CMD's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi

# The server binaries: PG_BIN, else the newest /usr/lib/postgresql/N/bin (Debian), else PATH.
if [ -z "${PG_BIN:-}" ]; then
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			PG_BIN=$d
			break
		fi
	done
fi
if [ -z "${PG_BIN:-}" ] && command -v initdb >/dev/null 2>&1; then
	PG_BIN=$(dirname "$(command -v initdb)")
fi
if [ -z "${PG_BIN:-}" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
	echo "with-postgres: initdb/pg_ctl not found (install postgresql, or set PG_BIN)" >&2
	exit 1
fi

# Who runs the cluster.
as_db=()
if [ "$(id -u)" -eq 0 ]; then
	if ! id postgres >/dev/null 2>&1; then
		echo "with-postgres: running as root needs the postgres user (install postgresql)" >&2
		exit 1
	fi
	as_db=(runuser -u postgres --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smartap-pg.XXXXXX")
chmod 0700 "$tmp"
if [ "${#as_db[@]}" -gt 0 ]; then
	chown postgres: "$tmp"
fi
data=$tmp/data
sock=$tmp/sock
started=0

# Runs a command as the cluster's user, from the cluster's folder (which that user can read).
db() { (cd "$tmp" && "${as_db[@]}" "$@"); }

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "$started" -eq 1 ]; then
		db "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

db mkdir -m 0700 "$sock"
if ! db "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync >"$tmp/initdb.log" 2>&1; then
	echo "with-postgres: initdb failed:" >&2
	cat "$tmp/initdb.log" >&2
	exit 1
fi

# A free port: probe a random one; a race with another process is caught by pg_ctl failing
# to start, and then another port is tried.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	port_free "$port" || continue
	if db "$PG_BIN/pg_ctl" -D "$data" -l "$tmp/server.log" -t 30 -w \
		-o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
		started=1
		break
	fi
	echo "with-postgres: start on port $port failed (attempt $attempt)" >&2
done
if [ "$started" -ne 1 ]; then
	echo "with-postgres: could not start PostgreSQL; server log:" >&2
	cat "$tmp/server.log" >&2 2>/dev/null || true
	exit 1
fi

export SMARTAP_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"

set +e
"$@"
rc=$?
set -e
exit "$rc"

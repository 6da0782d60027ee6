#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the case store's postgres tests and print the URL.
#
#   eval "$(scripts/ci-postgres.sh)"  # exports WATCHLIST_TEST_POSTGRES_URL, WATCHLIST_TEST_PGDATA and _PG_CTL
#   .venv/bin/pytest -m postgres tests/cases
#   scripts/ci-postgres.sh --stop "$WATCHLIST_TEST_PGDATA" "$WATCHLIST_TEST_PG_CTL"
#
# Installs Debian's postgresql if missing (via scripts/ci-system-deps.sh), runs initdb under
# /tmp as the `postgres` user (or the current user when not root), listens on 127.0.0.1 only
# on a free port, creates database `watchlist_test`. `--stop PGDATA PG_CTL` stops such a
# cluster and removes its folder (scripts/test.sh does so on exit).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    db="$2"; pg_ctl="$3"
    as_pg "'$pg_ctl' -D '$db' -m fast -w stop" >/dev/null
    rm -rf "$(dirname "$db")"
    echo "# PostgreSQL stopped: $db" >&2
    exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    bash "$here/ci-system-deps.sh" >&2
fi
bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

port="${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
data="$(mktemp -d /tmp/watchlist-pg.XXXXXX)"

if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$data"
fi
dbuser="$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )"

as_pg "'$bindir/initdb' -D '$data/db' -U '$dbuser' --auth=trust -E UTF8 --no-locale" >&2
as_pg "'$bindir/pg_ctl' -D '$data/db' -l '$data/log' -w -o \"-h 127.0.0.1 -p $port -k '$data' -c fsync=off\" start" >&2
as_pg "'$bindir/createdb' -h 127.0.0.1 -p $port -U '$dbuser' watchlist_test" >&2

echo "# PostgreSQL running: PGDATA=$data/db; stop: $bindir/pg_ctl -D $data/db stop" >&2
echo "export WATCHLIST_TEST_POSTGRES_URL=postgresql://$dbuser@127.0.0.1:$port/watchlist_test"
echo "export WATCHLIST_TEST_PGDATA=$data/db WATCHLIST_TEST_PG_CTL=$bindir/pg_ctl"

#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages, a virtual environment with the
# project and its test extras, a throwaway PostgreSQL, then pytest. Extra arguments go to pytest.
# The PostgreSQL started here is stopped on exit, whatever pytest returns; the exit status is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ci-system-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

postgres_env="$(bash scripts/ci-postgres.sh)"
eval "$postgres_env"  # WATCHLIST_TEST_POSTGRES_URL, WATCHLIST_TEST_PGDATA, WATCHLIST_TEST_PG_CTL
stop_postgres() {
    if [ -n "${WATCHLIST_TEST_PGDATA:-}" ]; then
        bash scripts/ci-postgres.sh --stop "$WATCHLIST_TEST_PGDATA" "${WATCHLIST_TEST_PG_CTL:-pg_ctl}" >&2 || true
    fi
}
trap stop_postgres EXIT

status=0
.venv/bin/python -m pytest "$@" || status=$?
exit "$status"

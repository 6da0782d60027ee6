#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages, a virtual environment with the
# project and its test extras, a throwaway PostgreSQL, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ci-system-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
eval "$(bash scripts/ci-postgres.sh)"
exec .venv/bin/python -m pytest "$@"

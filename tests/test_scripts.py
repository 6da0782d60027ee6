"""scripts/test.sh: pytest's exit status, and the PostgreSQL it started stopped on the way out.

The script runs in a copy of the repository's layout whose helpers are stubs (no packages are
installed, no server started), so what is checked is the script's own control flow.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

POSTGRES_STUB = """#!/usr/bin/env bash
if [ "${1:-}" = "--stop" ]; then echo "stopped $2 $3" >> "$LOG"; exit 0; fi
echo started >> "$LOG"
echo "export WATCHLIST_TEST_POSTGRES_URL=postgresql://x@127.0.0.1:1/t"
echo "export WATCHLIST_TEST_PGDATA=/tmp/pg-stub/db WATCHLIST_TEST_PG_CTL=/usr/bin/pg_ctl-stub"
"""
PYTHON_STUB = """#!/usr/bin/env bash
# `python3 -m venv .venv` makes a .venv whose python 'runs pytest' with the status the test asks for
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\ncase "$*" in *pytest*) echo "pytest $*" >> "$LOG"; exit $PYTEST_STATUS;; esac\\n' \\
    > "$3/bin/python"
  chmod +x "$3/bin/python"
fi
"""


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "test.sh", tmp_path / "scripts" / "test.sh")
    _executable(tmp_path / "scripts" / "ci-system-deps.sh", "#!/usr/bin/env bash\n")
    _executable(tmp_path / "scripts" / "ci-postgres.sh", POSTGRES_STUB)
    (tmp_path / "bin").mkdir()
    _executable(tmp_path / "bin" / "python3", PYTHON_STUB)
    return tmp_path


@pytest.mark.parametrize("status", [0, 1, 5])
def test_test_sh_stops_postgres_and_returns_pytests_status(sandbox: Path, status: int) -> None:
    log = sandbox / "log"
    env = {**os.environ, "PATH": f"{sandbox / 'bin'}:{os.environ['PATH']}", "LOG": str(log),
           "PYTEST_STATUS": str(status)}
    done = subprocess.run(["bash", str(sandbox / "scripts" / "test.sh"), "-q", "tests/x"], check=False, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == status, done.stderr
    assert log.read_text().splitlines() == [
        "started", "pytest -m pytest -q tests/x", "stopped /tmp/pg-stub/db /usr/bin/pg_ctl-stub"]


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == ["bash scripts/test.sh"]
    assert "```bash\nbash scripts/test.sh\n```" in readme

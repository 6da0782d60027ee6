"""CLI fixtures: a tiny list loaded the way a user loads one, and a runner that goes through
`main.run` (exit codes and the one-line error as a user sees them)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from watchlist.cli import main

MINI = [  # source 'mini' (named after its file)
    {"id": "t-1", "schema": "Person", "properties": {
        "name": ["Ivan Petrovich IVANOV"], "birthDate": ["1970-05-03"], "nationality": ["ru"]}},
    {"id": "t-2", "schema": "Vessel", "properties": {"name": ["OCEAN STAR"], "imoNumber": ["IMO 1234567"]}},
    {"id": "t-3", "schema": "Company", "properties": {"name": ["Blue Lotus Trading Company Limited"]}},
]


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`cli(*args)` runs `watchlist ARGS` through `main.run` at 80 columns: exit code, stdout, stderr."""
    monkeypatch.setenv("COLUMNS", "80")

    def run(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["watchlist", *args])
        capsys.readouterr()
        try:
            main.run()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini_lists(home: Path, tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """WATCHLIST_HOME with the list 'mini' loaded by `watchlist fetch --from`."""
    path = tmp_path / "mini.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in MINI), encoding="utf-8")
    result = cli("fetch", "--from", str(path))
    assert result.code == 0, result.err
    return home

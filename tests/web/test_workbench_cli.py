"""`watchlist users ...`: create users for the workbench from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchlist.cases import open_case_store
from watchlist.cli.main import app
from watchlist.settings import Settings


def test_users_create_list_deactivate(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHLIST_DATABASE_URL", raising=False)
    runner = CliRunner()
    made = runner.invoke(app, ["users", "create", "sue", "--role", "supervisor"])
    assert made.exit_code == 0, made.output
    password = made.output.split("password: ")[1].strip()
    piped = runner.invoke(app, ["users", "create", "ana", "--password-stdin"], input="a long secret here\n")
    assert piped.exit_code == 0 and "password:" not in piped.output
    assert runner.invoke(app, ["users", "create", "bob", "--role", "boss"]).exit_code != 0
    assert "sue" in runner.invoke(app, ["users", "list"]).output
    store = open_case_store(Settings(home=home))
    assert store.authenticate("sue", password) is not None
    assert store.authenticate("ana", "a long secret here") is not None
    assert runner.invoke(app, ["users", "deactivate", "sue"]).exit_code == 0
    assert store.authenticate("sue", password) is None
    assert [r.action for r in store.audit_log(action="user")] == ["user.deactivate", "user.create", "user.create"]
    assert store.audit_log(action="user")[0].actor.startswith("cli")
    store.close()

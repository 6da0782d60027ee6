"""`watchlist keys create|list|revoke` and `serve`'s refusal of open mode off loopback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from watchlist.api.keys import KeyStore
from watchlist.cli.main import app
from watchlist.errors import ConfigError
from watchlist.settings import Settings


def test_keys_create_list_revoke(home: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "partner-bank", "--admin"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("wl_")
    store = KeyStore.open(Settings.from_env().db_path)
    found = store.verify(secret)
    assert found is not None and found.name == "partner-bank" and found.is_admin
    listed = runner.invoke(app, ["keys", "list"])
    assert "partner-bank" in listed.stdout and secret not in listed.stdout
    assert runner.invoke(app, ["keys", "revoke", "partner-bank"]).exit_code == 0
    assert store.verify(secret) is None
    again = runner.invoke(app, ["keys", "revoke", "partner-bank"])
    assert isinstance(again.exception, Exception) and getattr(again.exception, "status", 0) == 400


def test_serve_refuses_open_mode_on_public_host(home: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--open"])
    assert isinstance(result.exception, ConfigError)
    assert "loopback" in result.exception.message

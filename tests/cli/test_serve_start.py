"""`serve` says where the workbench is, and a port in use is one line (exit 2)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from watchlist.cli import serve


@pytest.mark.parametrize("command", ["serve", "workbench"])
def test_a_port_in_use_is_one_line(home: Path, cli, command: str) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli(command, "--port", str(port))
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.strip() == f"error: port {port} is in use on 127.0.0.1: pick another with --port N"


def test_start_up_names_the_workbench_url(home: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw))
    monkeypatch.setattr(serve, "server_app", lambda settings: object())
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = cli("serve", "--port", str(port))
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == f"workbench: http://127.0.0.1:{port}/"
    assert started["port"] == port
    assert serve.startup_lines("0.0.0.0", 8000, False)[0] == "workbench: http://127.0.0.1:8000/"

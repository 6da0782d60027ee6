"""The README's Quick start, run as written: every command of its fenced block, top to bottom.

The commands are read from the README itself, so the README cannot drift from the CLI. They run
in a scratch folder laid out like a checkout (`examples/` beside `../shared`), with `watchlist`
on the PATH and HOME in the scratch folder (the block's `~/watchlist-data` lands there). The one
change: `serve` gets a free port instead of 8000, and is stopped once it answers.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tests.conftest import LISTS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def fenced_blocks(section: str, language: str) -> list[str]:
    """The `language` fenced blocks of the README's `## section`."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", body, flags=re.DOTALL)


def quick_start_commands() -> list[str]:
    lines = (line.split("  #", 1)[0].strip() for line in fenced_blocks("Quick start", "bash")[0].splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_the_quick_start_is_parsed_from_the_readme() -> None:
    commands = quick_start_commands()
    assert commands[0].startswith("export WATCHLIST_HOME=")
    assert commands[1].startswith("watchlist fetch --from ../shared/data/lists/")
    assert any(c.startswith("watchlist batch examples/customers.csv") for c in commands)
    assert "watchlist scan examples/article.txt --html report.html" in commands
    assert commands[-1].startswith("watchlist serve")
    for path in re.findall(r"examples/\S+", " ".join(commands)):
        assert (ROOT / path).is_file(), f"the README names {path}, which is not shipped"


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A scratch checkout: repo/examples -> the real examples, shared -> the shared data; env for the shell."""
    if not LISTS.is_dir():
        pytest.fail(f"shared list files not found at {LISTS}")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "shared").symlink_to(LISTS.parents[1])
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "watchlist"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m watchlist.cli.main "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHLIST_")}
    env.update(HOME=str(tmp_path / "home"), PATH=f"{bin_dir}:{env['PATH']}", COLUMNS="80",
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p))
    return repo, env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(command: str, repo: Path, env: dict[str, str]) -> None:
    """Start `serve`, wait until it names the workbench and answers /healthz, then stop it."""
    port = _free_port()
    args = shlex.split(command.replace("--port 8000", f"--port {port}"))
    assert "--port" in args and str(port) in args, "the Quick start's serve names --port 8000"
    server = subprocess.Popen(args, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300  # a loaded machine builds the index slowly
        while time.monotonic() < deadline:
            assert server.poll() is None, server.communicate()[1]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"`{command}` did not answer within 300 s")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert err.splitlines()[0] == f"workbench: http://127.0.0.1:{port}/"


@pytest.mark.integration
@pytest.mark.slow
def test_the_quick_start_runs_as_written(checkout: tuple[Path, dict[str, str]]) -> None:
    repo, env = checkout
    exports: list[str] = []
    for command in quick_start_commands():
        if command.startswith("export "):
            exports.append(command)
            continue
        if command.startswith("watchlist serve"):
            _serve(command, repo, {**env, **_exported(exports, env)})
            continue
        done = subprocess.run(["bash", "-c", "; ".join([*exports, command])], check=False, cwd=repo, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stderr, command
    assert (repo / "results.jsonl").stat().st_size > 0
    assert (repo / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert (Path(env["HOME"]) / "watchlist-data").is_dir()  # the block's WATCHLIST_HOME was used
    python = fenced_blocks("Quick start", "python")[0]
    done = subprocess.run([sys.executable, "-c", python], check=False, cwd=repo,
                          env={**env, **_exported(exports, env)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ofac-20157" in done.stdout  # the Python example finds Kim Jong Un


def _exported(exports: list[str], env: dict[str, str]) -> dict[str, str]:
    """The variables the block's `export` lines set, as bash expands them."""
    script = "; ".join([*exports, "env -0"])
    out = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    pairs = (item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {k: v for k, v in pairs if k.startswith("WATCHLIST_")}

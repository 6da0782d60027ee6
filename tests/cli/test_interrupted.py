"""Ctrl-C during a batch run: one line and exit 130, no traceback from the run or its workers (the terminal
sends SIGINT to every process of the run), and the run resumes where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.batch.batch_helpers import ROWS, write_csv

# Ctrl-C as a terminal's process gets it: a run started from a background job inherits SIGINT ignored.
RUN = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); sys.argv[0] = 'watchlist'; "
       "from watchlist.cli.main import run; run()")


def _rows_done(ckpt: Path) -> int:
    try:
        return int(json.loads(ckpt.read_text(encoding="utf-8"))["rows_done"])
    except (OSError, ValueError, KeyError):
        return 0


def test_ctrl_c_is_one_line_and_the_run_resumes(mini_lists: Path, tmp_path: Path) -> None:
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(6000 // len(ROWS) + 1) for r in ROWS][:6000]
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-c", RUN, "batch", str(source), "--output", str(out), "--workers", "2",
            "--chunk-size", "50", "--no-progress"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), WATCHLIST_HOME=str(mini_lists))
    proc = subprocess.Popen(args, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True)
    ckpt = out.with_name(out.name + ".checkpoint.json")
    deadline = time.monotonic() + 180
    while _rows_done(ckpt) < 200:
        assert proc.poll() is None, "the run ended before Ctrl-C"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the run and its workers
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "error: interrupted (a batch run goes on where it stopped when run again)\n", err
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=True)
    assert "(resumed after " in done.stderr + done.stdout  # not screened again from the first row
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [r["id"] for r in rows]

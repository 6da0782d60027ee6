"""A batch run killed mid-way (SIGKILL, no clean-up) resumes without redoing finished chunks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.batch.batch_helpers import ROWS, make_engine, write_csv

from watchlist.batch import BatchOptions
from watchlist.batch.local import LocalBatch, checkpoint_path
from watchlist.engine import Engine

CHUNK = 10
# The killed run: the CLI's backend over a saved index, slowed to a chunk every 50 ms.
SCRIPT = """
import sys, time
from pathlib import Path

import pytest
from watchlist.batch import BatchOptions
from watchlist.batch.local import LocalBatch
from watchlist.engine import Engine

index, source, out, workers, chunk = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), *map(int, sys.argv[4:])

def slowly(rows):
    time.sleep(0.05)

LocalBatch(Engine.from_index_file(index), BatchOptions(workers=workers, chunk_size=chunk)).run(source, out, progress=slowly)
"""


def _rows(n: int) -> list[dict[str, str]]:
    return [dict(r, id=f"{r['id']}-{i}") for i in range(n // len(ROWS) + 1) for r in ROWS][:n]


def _rows_done(ckpt: Path) -> int:
    try:
        return int(json.loads(ckpt.read_text(encoding="utf-8"))["rows_done"])
    except (OSError, ValueError, KeyError):
        return 0


def _kill_after(args: list[str], ckpt: Path, rows: int) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, *args], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while _rows_done(ckpt) < rows:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-chunk, no clean-up
        proc.wait()


def test_killed_run_resumes_without_redoing_finished_chunks(tmp_path: Path) -> None:
    for workers in (1, 2):
        engine = make_engine()
        index = engine.save_index(tmp_path / "names.idx")
        rows = _rows(400)
        source = write_csv(tmp_path / "in.csv", rows)
        whole = tmp_path / f"whole-{workers}.jsonl"
        options = BatchOptions(workers=workers, chunk_size=CHUNK)
        LocalBatch(Engine.from_index_file(index), options).run(source, whole)

        out = tmp_path / f"out-{workers}.jsonl"
        ckpt = checkpoint_path(out)
        _kill_after([str(index), str(source), str(out), str(workers), str(CHUNK)], ckpt, 100)
        done = _rows_done(ckpt)
        assert 100 <= done < len(rows) and done % CHUNK == 0  # killed part-way, at a chunk boundary

        screened: list[int] = []
        stats = LocalBatch(Engine.from_index_file(index), options).run(source, out, progress=screened.append)
        assert stats.skipped == done and screened[0] == done  # the finished chunks, reported done
        assert stats.rows == len(rows) - done == sum(screened[1:])  # and none of them screened again
        assert out.read_bytes() == whole.read_bytes()
        assert not ckpt.exists()


def test_a_worker_that_cannot_open_the_index_stops_the_run_with_one_line(tmp_path: Path) -> None:
    from watchlist.batch import local
    from watchlist.errors import ConfigError

    (tmp_path / "broken.idx").write_bytes(b"not an index")
    local._init_worker(str(tmp_path / "broken.idx"), BatchOptions())
    try:
        with pytest.raises(ConfigError, match="could not open the index"):
            local._screen_chunk([{"id": "1", "name": "Kim Jong Un"}], "jsonl")
    finally:
        local._WORKER_ERROR = None


def test_workers_replaced_mid_run_give_the_same_lines(tmp_path: Path) -> None:
    engine = make_engine()
    source = write_csv(tmp_path / "in.csv", _rows(120))
    whole, recycled = tmp_path / "whole.jsonl", tmp_path / "recycled.jsonl"
    LocalBatch(engine, BatchOptions(workers=1, chunk_size=10)).run(source, whole)
    # two workers, each replaced by a fresh one every 2 chunks (6 generations of workers)
    LocalBatch(engine, BatchOptions(workers=2, chunk_size=10, worker_rows=20)).run(source, recycled)
    assert recycled.read_bytes() == whole.read_bytes()


# Two pools replacing their workers every two chunks, each fork slowed so that the two pools' forks would
# overlap: prints how many forks were ever under way at once.
OVERLAPPING_FORKS = """
import os, sys, threading, time
from pathlib import Path

from tests.batch.batch_helpers import make_engine
from watchlist.batch import BatchOptions
from watchlist.batch.local import LocalBatch

fork, lock, forking = os.fork, threading.Lock(), [0, 0]  # under way now, most at once

def slow_fork():
    with lock:
        forking[0] += 1
        forking[1] = max(forking)
    time.sleep(0.02)
    pid = fork()
    if pid:
        with lock:
            forking[0] -= 1
    return pid

os.fork = slow_fork
source, out = Path(sys.argv[1]), Path(sys.argv[2])
for run in range(3):
    LocalBatch(make_engine(), BatchOptions(workers=2, chunk_size=2, worker_rows=4)).run(source, out, resume=False)
print(forking[1])
"""


def test_workers_are_forked_one_at_a_time(tmp_path: Path) -> None:
    # A worker forked while another pool's fork was under way inherited the pipe that tells that pool its
    # worker has exited: the pool waited forever for it, and the run hung (seen in CI).
    rows = [{"id": str(i), "schema": "Person", "name": f"Kim Jong Un {i}", "birth_date": "", "country": ""}
            for i in range(24)]
    source = write_csv(tmp_path / "in.csv", rows)
    whole = tmp_path / "whole.jsonl"
    LocalBatch(make_engine(), BatchOptions(workers=1)).run(source, whole)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = tmp_path / "out.jsonl"
    try:
        run = subprocess.run([sys.executable, "-c", OVERLAPPING_FORKS, str(source), str(out)], env=env,
                             timeout=120, check=True, start_new_session=True, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung while its workers were replaced")
    assert run.stdout.split() == ["1"]
    assert out.read_bytes() == whole.read_bytes()

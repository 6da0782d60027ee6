"""A process killed mid-load leaves the previous snapshot in force and intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from watchlist.model import Entity, Name, Schema
from watchlist.sources.base import ParsedList
from watchlist.store import Store

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from watchlist.model import Entity, Name, Schema
    from watchlist.sources.base import ParsedList
    from watchlist.store import Store

    def entities():
        for i in range(20000):
            if i == 7000:  # several batches are written but not committed
                print("loading", flush=True)
                sys.stdin.read()  # block until the parent kills us
            yield Entity(id=f"un-new{i}", schema=Schema.PERSON, names=(Name(f"New {i}"),))

    store = Store.open(Path(sys.argv[1]))
    store.load(ParsedList(source="un", format="test", files=(), entities=entities))
    print("finished", flush=True)
    """
)


def _first(n: int) -> list[Entity]:
    return [Entity(id=f"un-{i}", schema=Schema.PERSON, names=(Name(f"Old {i}"),)) for i in range(n)]


def test_sigkill_mid_load_keeps_previous_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "watchlist.db"
    with Store.open(db) as store:
        first = store.load(ParsedList("un", "test", (), lambda: iter(_first(10000))))
        version = store.version()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "loading"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    with Store.open(db) as store:
        [status] = store.sources()
        assert status.version == first.snapshot.id
        assert store.version() == version
        assert [s.id for s in store.snapshots("un")] == [first.snapshot.id]
        ids = {e.id for e in store.entities()}
        assert ids == {f"un-{i}" for i in range(10000)}
        # and the store still loads normally afterwards
        result = store.load(ParsedList("un", "test", (), lambda: iter(_first(10001))))
        assert result.status == "new" and result.added == 1

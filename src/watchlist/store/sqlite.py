"""The versioned list store: one SQLite file, snapshots per source, write -> verify -> activate.

`Store` opens the file (schema, WAL mode) and composes the three sides of the store:
`loading` (all-or-nothing loads), `history` (diffs, pruning, events) and `reading`
(active snapshots and their entities). WAL mode lets readers in other processes keep
reading the old snapshot while a load is running.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from watchlist.errors import ConfigError
from watchlist.store.loading import MIN_RATIO, Loading, canonical_json, entity_hash, hash_files, loading_order
from watchlist.store.schema import SCHEMA, SCHEMA_VERSION

__all__ = ["MIN_RATIO", "Store", "canonical_json", "entity_hash", "hash_files", "loading_order"]


class Store(Loading):
    """Versioned local store of the published lists (see docs/store.md).

    Thread-safe: one connection, every public method holds a lock. Open one Store per process.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, keep_snapshots: int) -> None:
        self._conn = conn
        self.path = path
        self.keep_snapshots = keep_snapshots
        self._lock = threading.RLock()

    # -- lifecycle ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path, keep_snapshots: int = 10) -> Store:
        """Open (or create) the store at `path`: creates the folder and schema, WAL mode."""
        if keep_snapshots < 1:
            raise ConfigError(f"keep_snapshots={keep_snapshots}: keep at least 1 snapshot per source")
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create {path.parent}: {exc.strerror}; set WATCHLIST_HOME") from exc
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.execute("PRAGMA journal_size_limit=67108864")  # truncate the WAL file to 64 MB after use
            conn.executescript(SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) != SCHEMA_VERSION:
                conn.close()
                raise ConfigError(
                    f"{path} has store schema version {row[0]}, this watchlist needs {SCHEMA_VERSION}; "
                    "move the file away and load the lists again"
                )
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{path} is not a usable watchlist store ({exc}); move it away or point WATCHLIST_HOME elsewhere"
            ) from exc
        return cls(conn, path, keep_snapshots)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

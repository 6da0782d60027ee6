"""Batch screening: stream a file of parties through the matcher and write one result per row.

Two backends behind one protocol (`BatchEngine`): `LocalBatch` (worker processes on one
machine, resumable) and `SparkBatch` (the same matcher inside Spark tasks; needs the
`spark` extra). Both call `screen_records` in `watchlist.batch.core`, so for the same input
and index they give the same results.

Monitoring (`monitor`) re-screens portfolios when the lists change; its state
(portfolios, parties, current hits) lives beside it in `monitor_state`.
"""

from __future__ import annotations

from watchlist.batch.core import FIELDS, BatchEngine, BatchOptions, BatchStats, screen_records
from watchlist.batch.io import ColumnMap

__all__ = ["FIELDS", "BatchEngine", "BatchOptions", "BatchStats", "ColumnMap", "get_batch_engine", "screen_records"]


def get_batch_engine(name: str) -> type[BatchEngine]:
    """The batch backend called `name` ('local' or 'spark'); Spark is imported only when asked for."""
    from watchlist.errors import ConfigError

    if name == "local":
        from watchlist.batch.local import LocalBatch

        return LocalBatch
    if name == "spark":
        try:
            from watchlist.batch.spark import SparkBatch
        except ImportError as exc:
            raise ConfigError("Spark batch needs: pip install 'watchlist[spark]' (and Java 17+)") from exc
        return SparkBatch
    raise ConfigError(f"unknown batch engine {name!r}: use 'local' or 'spark'")

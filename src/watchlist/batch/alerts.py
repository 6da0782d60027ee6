"""Hits of a batch run become alerts in the workbench queue (`watchlist batch --alerts`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from watchlist.batch.core import Record, Result
from watchlist.cases import AlertIn, CaseStore
from watchlist.engine import Engine
from watchlist.errors import NotFoundError
from watchlist.store import canonical_json, entity_hash

FLUSH = 1000


def batch_alerts(
    engine: Engine, source: Path, records: Iterable[Record], results: Iterable[Result], run_id: str | None = None
) -> Iterator[AlertIn]:
    """One alert per decided match (`match: true`) of each row; rows and results in the same order."""
    for record, result in zip(records, results, strict=False):
        for match in result.get("matches") or ():
            if not match.get("match"):
                continue
            try:
                entity = engine.get(str(match["id"]))
            except NotFoundError:
                continue  # delisted since the run: nothing left to review
            yield AlertIn(
                source="batch",
                party_key=f"{source.name}#{result['id']}",
                record=_plain(record),
                entity_id=entity.id,
                entity_hash=entity_hash(canonical_json(entity)),
                score=float(match["score"]),
                entity_caption=entity.caption,
                query_name=str(record.get("name") or ""),
                matched_name=str(match.get("matched_name") or ""),
                datasets=tuple(entity.datasets),
                programs=tuple(entity.programs),
                entity=entity.to_dict(),
                run_id=run_id,
            )


def raise_alerts(cases: CaseStore, alerts: Iterable[AlertIn]) -> int:
    """Add alerts in chunks; returns how many were added."""
    added = 0
    chunk: list[AlertIn] = []
    for alert in alerts:
        chunk.append(alert)
        if len(chunk) >= FLUSH:
            added += len(cases.add_alerts(chunk))
            chunk = []
    if chunk:
        added += len(cases.add_alerts(chunk))
    return added


def _plain(record: Record) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [], ())}

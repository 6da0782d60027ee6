"""Hits of a batch run become alerts in the workbench queue (`watchlist batch --alerts`).

Alerts are raised through `watchlist.cases.raising.raise_alerts`, so running the same file
again raises nothing new for a row and listed party that already have an alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from watchlist.batch.core import Record, Result, to_query
from watchlist.cases import AlertIn, CaseStore
from watchlist.cases.raising import Raised
from watchlist.cases.raising import raise_alerts as raise_new_alerts
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError
from watchlist.match.types import MatchResult
from watchlist.model import Entity


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
            hit = explained_hit(engine, record, entity, match)
            yield AlertIn.from_result("batch", f"{source.name}#{result['id']}", _plain(record), hit, run_id)


def explained_hit(engine: Engine, record: Mapping[str, Any], entity: Entity, match: Mapping[str, Any]) -> MatchResult:
    """A result line's match as the matcher explains it (the score as the run gave it), with the
    listed party's records."""
    score = float(match["score"])
    matched_name = str(match.get("matched_name") or "")
    referents = engine.parties().party(entity.id).referents
    try:
        compared = engine.compare(to_query(record), entity)
    except QueryError:
        why = (f"'{record.get('name')}' matched the listed name '{matched_name}': {score:.2f}",)
        return MatchResult(entity, score, True, str(record.get("name") or ""), matched_name, {}, why, referents)
    return replace(compared, score=score, match=True, matched_name=matched_name or compared.matched_name,
                   referents=referents)


def raise_alerts(cases: CaseStore, alerts: Iterable[AlertIn]) -> Raised:
    """Raise the alerts no earlier alert of the same pair answers (see `watchlist.cases.raising`)."""
    return raise_new_alerts(cases, alerts)


def _plain(record: Record) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [], ())}

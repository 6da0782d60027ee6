"""A listed party's records for the workbench: each list's record side by side, and its alerts.

Several lists may publish one party (`watchlist.store.links`); the entity and alert pages
show the party once, with its records together, so a decision is made on the party.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from watchlist.cases import Alert, AlertFilter, CaseStore, PageRequest
from watchlist.engine import Engine
from watchlist.errors import WatchlistError
from watchlist.model import Entity
from watchlist.store.links import Link
from watchlist.web.labels import property_label


@dataclass(frozen=True, slots=True)
class SourceRecord:
    id: str
    datasets: tuple[str, ...]
    published: str | None  # the list's publication date
    listed_on: tuple[str, ...]  # the record's designation dates


@dataclass(frozen=True, slots=True)
class LinkedRecords:
    """The records of one party: columns, and rows of (label, one cell per record)."""

    records: list[SourceRecord]
    rows: list[tuple[str, list[list[str]]]]
    links: list[Link] = field(default_factory=list)


def linked_records(engine: Engine, entity_id: str) -> LinkedRecords | None:
    """The party's records when more than one list publishes it; None otherwise."""
    try:
        parties = engine.parties()
    except WatchlistError:
        return None
    party = parties.party(entity_id)
    records = parties.records(entity_id) if len(party.referents) > 1 else []
    if len(records) < 2:
        return None
    published = _published(engine)
    columns = [SourceRecord(r.id, r.datasets, next((published[d] for d in r.datasets if d in published), None),
                            r.listed_on) for r in records]
    return LinkedRecords(columns, _rows(records), list(party.links))


def party_alerts(cases: CaseStore, referents: tuple[str, ...], limit: int = 20) -> list[Alert]:
    """Alerts on any of the party's records (alerts raised before the records were linked included)."""
    found: dict[int, Alert] = {}
    for record_id in referents:
        for alert in cases.alerts(AlertFilter(entity_id=record_id), PageRequest(limit=limit)).alerts:
            found[alert.id] = alert
    return sorted(found.values(), key=lambda a: -a.id)[:limit]


def _rows(records: list[Entity]) -> list[tuple[str, list[list[str]]]]:
    props = [r.properties() for r in records]
    names: list[str] = []
    for p in props:
        names += [n for n in p if n not in names]
    schema = records[0].schema
    return [(property_label(name, schema), [p.get(name, []) for p in props]) for name in names]


def _published(engine: Engine) -> dict[str, Any]:
    if engine.store is None:
        return {}
    return {s.name: s.published for s in engine.store.sources()}


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a long list on a page (the lists page's additions): items, and links to the others."""

    items: list[Any]
    number: int
    pages: int
    total: int
    prev_url: str | None
    next_url: str | None

    SIZE = 100

    @classmethod
    def of(cls, items: list[Any], number: int, url: Callable[[int], str]) -> Paged:
        pages = max(1, -(-len(items) // cls.SIZE))
        number = min(max(1, number), pages)
        start = (number - 1) * cls.SIZE
        return cls(items[start : start + cls.SIZE], number, pages, len(items),
                   url(number - 1) if number > 1 else None, url(number + 1) if number < pages else None)

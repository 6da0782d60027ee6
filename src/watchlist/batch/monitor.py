"""Portfolio monitoring: after a list update, re-screen only the parties the update can affect.

For every source whose active snapshot moved since the last run, the store's diff names
the entities added, changed and removed. A party is re-screened when

- it has a current hit on a changed or removed entity (the hit may change or clear), or
- an added or changed entity's names reach it in a reverse screen: the entity is screened
  against an index of the portfolio's names, so candidate retrieval finds the parties
  it could match the same way a query finds listed names.

Each re-screened party's new hits are compared with its stored ones: `new`, `changed`
(the listed entity's content changed) and `cleared`. A new hit that an analyst already
closed in the workbench (`CaseStore.decision_for`) for the same entity content is
`suppressed`, never raised again; once the listing changes it is raised as an alert again.
New and changed hits become workbench alerts (source 'monitor').
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from watchlist.batch.core import to_query
from watchlist.batch.io import INPUT_FORMATS, ColumnMap, detect_format, read_records
from watchlist.batch.monitor_state import Hit, MonitorStore, Party
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError
from watchlist.match.types import MatchResult, Query
from watchlist.model import Entity, Name, Schema
from watchlist.settings import Settings
from watchlist.store import canonical_json, entity_hash

REVERSE_LIMIT = 200  # parties taken per changed entity from the reverse screen
SCREEN_LIMIT = 25


class Decisions(Protocol):
    """What monitoring needs from the case store (watchlist.cases.CaseStore satisfies it)."""

    def decision_for(self, party_key: str, entity_id: str) -> Any: ...
    def add_alerts(self, alerts: Any) -> list[int]: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class HitChange:
    kind: str  # new | changed | cleared | suppressed
    portfolio: str
    party_id: str
    entity_id: str
    score: float
    caption: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "portfolio": self.portfolio, "party_id": self.party_id,
                "entity_id": self.entity_id, "score": round(self.score, 6), "caption": self.caption}


@dataclass(slots=True)
class MonitorReport:
    mode: str  # add | delta | full | unchanged
    version: str
    screened: int = 0
    parties: int = 0
    errors: int = 0
    changed_entities: int = 0
    alerts: int = 0
    removed: int = 0  # parties `add --replace` dropped from their portfolio
    changes: list[HitChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "version": self.version, "screened": self.screened, "parties": self.parties,
                "errors": self.errors, "changed_entities": self.changed_entities, "alerts": self.alerts,
                "removed": self.removed,
                "summary": {k: self.count(k) for k in ("new", "changed", "cleared", "suppressed")},
                "changes": [c.to_dict() for c in self.changes]}


class Monitor:
    def __init__(self, engine: Engine, state: MonitorStore, cases: Decisions | None = None) -> None:
        if engine.store is None:
            raise NotFoundError("monitoring needs the list store: open the engine with Engine.open(settings)")
        self.engine = engine
        self.store = engine.store
        self.state = state
        self.cases = cases

    @classmethod
    def open(cls, settings: Settings) -> Monitor:
        engine = Engine.open(settings)
        cases: Decisions | None
        try:
            from watchlist.cases import open_case_store
        except ImportError:  # the workbench's case store is optional
            cases = None
        else:
            cases = open_case_store(settings)
        return cls(engine, MonitorStore.open(settings.db_path), cases)

    def close(self) -> None:
        self.state.close()
        if self.cases is not None:
            self.cases.close()
        self.engine.close()

    # -- portfolios ------------------------------------------------------------------

    def add(self, file: Path, name: str, columns: ColumnMap | None = None, input_format: str | None = None,
            replace: bool = False) -> MonitorReport:
        """Register or update a portfolio; new and changed parties are screened now."""
        fmt = detect_format(file, input_format, INPUT_FORMATS)
        records = read_records(file, fmt, columns or ColumnMap())
        changed, removed = self.state.upsert_parties(name, records, source=str(file), replace=replace)
        index = self.engine.ready_index()
        report = MonitorReport("add", index.version, parties=self.state.party_count(), removed=len(removed))
        if self.state.state("snapshots") is None:
            self.state.set_state("snapshots", self._snapshots())
        self._rescreen(changed, report)
        return report

    def status(self) -> dict[str, Any]:
        return {"portfolios": self.state.portfolios(), "parties": self.state.party_count(),
                "hits": self.state.hit_count(), "snapshots": self.state.state("snapshots"),
                "last_run": self.state.last_run()}

    # -- runs ----------------------------------------------------------------------------

    def run(self, full: bool = False) -> MonitorReport:
        """Re-screen what the list updates since the last run can affect (everything with `full`)."""
        self.state.require_parties()
        index = self.engine.reload()
        current = self._snapshots()
        last = self.state.state("snapshots")
        report = MonitorReport("full", index.version, parties=self.state.party_count())
        parties: list[Party]
        changed_ids = None if full or last is None else self._changed_entities(last, current)
        if changed_ids is None:
            parties = list(self.state.parties())
        else:
            report.mode = "delta" if changed_ids else "unchanged"
            report.changed_entities = len(changed_ids)
            keys = self.state.parties_hitting(self._with_parties(changed_ids)) | self._reverse_screen(changed_ids)
            parties = self.state.get_parties(keys)
        self._rescreen(parties, report)
        self.state.set_state("snapshots", current)
        self.state.record_run(index.version, report.mode, report.screened, report.to_dict()["summary"])
        return report

    def _snapshots(self) -> dict[str, int]:
        return {s.name: s.version for s in self.store.sources()}

    def _changed_entities(self, last: dict[str, int], current: dict[str, int]) -> set[str] | None:
        """Ids added, changed or removed since `last`; None when only a full re-screen is safe."""
        ids: set[str] = set()
        for source in sorted(set(last) | set(current)):
            old, new = last.get(source), current.get(source)
            if old == new:
                continue
            if new is None:
                return None  # a source was dropped: re-screen everything
            if old is None:
                ids.update(e.id for e in self.store.entities([source]))
                continue
            try:
                diff = self.store.diff(source, old=old, new=new)
            except NotFoundError:
                return None  # the old snapshot was pruned
            ids.update(e.id for e in diff.added)
            ids.update(e.id for e in diff.removed)
            ids.update(c.id for c in diff.changed)
        return ids

    def _with_parties(self, changed_ids: set[str]) -> set[str]:
        """The changed records' ids and the ids of the parties they belong, or belonged, to: hits are on
        parties, and a party stays listed (changed) when one of its lists drops it."""
        return changed_ids | {party.id for party in self.engine.parties_of(changed_ids).values()}

    def _reverse_screen(self, entity_ids: Iterable[str]) -> set[tuple[str, str]]:
        """Parties whose names the given listed entities' names reach (portfolio index)."""
        index = self.engine.index
        listed = [index.entities[index.by_id[i]] for i in sorted(entity_ids) if i in index.by_id]
        if not listed:
            return set()
        parties = Engine.from_entities(_party_entities(self.state.parties()))
        if not parties.index.entities:
            return set()
        out: set[tuple[str, str]] = set()
        for entity in listed:
            names = tuple(n.value for n in entity.names if n.value.strip())[:25]
            if not names:
                continue
            try:
                query = Query(names=names, schema=entity.schema)
                hits = parties.screen(query, limit=REVERSE_LIMIT, threshold=0.0)
            except QueryError:
                continue
            for hit in hits:
                portfolio, _, party_id = hit.entity.id.partition("\x1f")
                out.add((portfolio, party_id))
        return out

    def _rescreen(self, parties: Iterable[Party], report: MonitorReport) -> None:
        run_id = uuid.uuid4().hex[:12]
        alerts: list[Any] = []
        for party in parties:
            try:
                results = self.engine.screen(to_query(party.record), limit=SCREEN_LIMIT)
            except QueryError:
                report.errors += 1
                continue
            report.screened += 1
            old = self.state.hits(party.portfolio, party.party_id)
            new: list[Hit] = []
            for result in results:
                if not result.match:
                    continue
                entity = result.entity
                digest = entity_hash(canonical_json(entity))
                new.append(Hit(party.portfolio, party.party_id, entity.id, digest, result.score, entity.caption))
                before = old.get(entity.id)
                if before is not None and before.entity_hash == digest:
                    continue  # the same hit as last time
                kind = "new" if before is None else "changed"
                if self._decided(party.key, entity.id, digest):
                    kind = "suppressed"
                else:
                    alerts.append(self._alert(party, result, run_id))
                report.changes.append(HitChange(kind, party.portfolio, party.party_id, entity.id,
                                                result.score, entity.caption))
            current = {h.entity_id for h in new}
            for entity_id, hit in old.items():
                if entity_id not in current:
                    report.changes.append(HitChange("cleared", party.portfolio, party.party_id, entity_id,
                                                    hit.score, hit.caption))
            self.state.set_hits(party.portfolio, party.party_id, new)
        alerts = [a for a in alerts if a is not None]
        if alerts and self.cases is not None:
            report.alerts = len(self._raise(alerts))

    def _raise(self, alerts: list[Any]) -> list[int]:
        """New alerts, none for a pair that already has an open one (see `watchlist.cases.raising`)."""
        from watchlist.cases import CaseStore
        from watchlist.cases.raising import raise_alerts

        if isinstance(self.cases, CaseStore):
            return raise_alerts(self.cases, alerts).added
        return self.cases.add_alerts(alerts) if self.cases is not None else []

    def _decided(self, party_key: str, entity_id: str, digest: str) -> bool:
        """An analyst closed this party/entity pair while the entity had this content."""
        return has_decision(self.cases, party_key, entity_id, digest)

    def _alert(self, party: Party, result: MatchResult, run_id: str) -> Any:
        if self.cases is None:
            return None
        from watchlist.cases import AlertIn

        record = {k: v for k, v in party.record.items() if v not in (None, "")}
        record["portfolio"] = party.portfolio
        return AlertIn.from_result("monitor", party.key, record, result, run_id=run_id)


def has_decision(cases: Decisions | None, party_key: str, entity_id: str, entity_hash: str) -> bool:
    """Whether the case store holds a closing decision for this pair made on this entity content."""
    if cases is None:
        return False
    decision = cases.decision_for(party_key, entity_id)
    return decision is not None and getattr(decision, "entity_hash", None) == entity_hash


def _party_entities(parties: Iterable[Party]) -> list[Entity]:
    out = []
    for party in parties:
        name = party.record.get("name")
        names = [str(n) for n in (name if isinstance(name, list) else [name]) if n and str(n).strip()]
        if not names:
            continue
        try:
            schema = Schema.parse(str(party.record.get("schema") or "LegalEntity"))
        except ValueError:
            schema = Schema.LEGAL_ENTITY
        out.append(Entity(id=f"{party.portfolio}\x1f{party.party_id}", schema=schema,
                          names=tuple(Name(n) for n in names), datasets=(party.portfolio,)))
    return out

"""Raising alerts without duplicates: a (screened party, listed party) pair has at most one open alert.

Every producer (`batch --alerts`, `scan --alerts`, monitoring) raises through `raise_alerts`.
For each alert it looks at the pair's earlier alerts, where the listed party is matched by
any of its records' ids (a party's id may move to another of its records when lists change):

- an open alert for the pair: nothing new (`already_open`);
- a closed one (a false positive, or an approved true match) and the listing has not changed
  since that decision: nothing new (`already_decided`); the decision stands;
- a closed one and the listing changed since: a new alert, which `earlier_decision` links to
  the decision it re-opens the question of;
- none: a new alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from watchlist.cases.model import PAGE_MAX, Alert, AlertFilter, AlertIn, Decision, PageRequest
from watchlist.cases.store import CaseStore

FLUSH = 1000  # alerts written per transaction
CLOSING = ("false_positive", "true_match")


@dataclass(slots=True)
class Raised:
    """What one run raised: the new alerts' ids, and how many it did not raise again, by reason."""

    added: list[int] = field(default_factory=list)
    already_open: int = 0
    already_decided: int = 0

    def __len__(self) -> int:
        return len(self.added)

    def summary(self) -> str:
        new = len(self.added)
        skipped = [f"{n:,} {why}" for n, why in ((self.already_open, "already open"),
                                                  (self.already_decided, "already decided")) if n]
        return f"{new:,} new alert{'' if new == 1 else 's'}" + (f" ({', '.join(skipped)})" if skipped else "")


def raise_alerts(cases: CaseStore, alerts: Iterable[AlertIn]) -> Raised:
    """Add the alerts no earlier alert of the same pair answers; in chunks of FLUSH."""
    raised = Raised()
    seen: set[tuple[str, str]] = set()  # pairs raised by this run (a file may repeat a row)
    chunk: list[AlertIn] = []
    for alert in alerts:
        pair = (alert.party_key, alert.entity_id)
        if pair in seen:
            raised.already_open += 1
            continue
        seen.add(pair)
        verdict = _verdict(cases, alert)
        if verdict == "already_open":
            raised.already_open += 1
        elif verdict == "already_decided":
            raised.already_decided += 1
        else:
            chunk.append(alert)
        if len(chunk) >= FLUSH:
            raised.added += cases.add_alerts(chunk)
            chunk = []
    if chunk:
        raised.added += cases.add_alerts(chunk)
    return raised


def pair_alerts(cases: CaseStore, party_key: str, referents: Sequence[str]) -> list[Alert]:
    """The alerts raised for this screened party and any record of this listed party, newest first."""
    ids = set(referents)
    found: list[Alert] = []
    page = PageRequest(limit=PAGE_MAX)
    while True:
        result = cases.alerts(AlertFilter(party_key=party_key), page)
        found += [a for a in result.alerts if a.entity_id in ids or ids & set(a.referents)]
        if result.next_cursor is None:
            return found
        page = PageRequest(limit=PAGE_MAX, after=result.next_cursor)


def earlier_decision(cases: CaseStore, alert: Alert) -> Decision | None:
    """The closing decision on an earlier alert of the same pair (which this alert re-opens), if any."""
    for earlier in pair_alerts(cases, alert.party_key, alert.referents):
        if earlier.id < alert.id and earlier.status in CLOSING:
            decision = _closing_decision(cases, earlier)
            if decision is not None:
                return decision
    return None


def _verdict(cases: CaseStore, alert: AlertIn) -> str:
    earlier = pair_alerts(cases, alert.party_key, alert.referents)
    if any(a.is_open for a in earlier):
        return "already_open"
    for closed in earlier:  # newest first
        decision = _closing_decision(cases, closed)
        decided_hash = decision.entity_hash if decision is not None else closed.entity_hash
        if decided_hash == alert.entity_hash:
            return "already_decided"
        return "new"  # the listing changed since the latest decision: ask again
    return "new"


def _closing_decision(cases: CaseStore, alert: Alert) -> Decision | None:
    closing = [d for d in cases.decisions(alert.id) if d.status_after in CLOSING]
    return closing[-1] if closing else None

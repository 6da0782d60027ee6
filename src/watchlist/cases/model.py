"""The workbench's records: alerts, decisions, users, sessions, audit lines, and their vocabulary.

Plain frozen dataclasses, no database: `watchlist.cases.store` reads and writes them.
Alerts come from batch runs, monitoring, document scans or an analyst (`source`);
people close them with decisions (`watchlist.cases.decisions` holds the rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from watchlist.errors import WatchlistError
from watchlist.store import canonical_json, entity_hash

# -- vocabulary -------------------------------------------------------------------

AlertSource = Literal["batch", "monitor", "scan", "manual"]
AlertStatus = Literal["open", "escalated", "pending_approval", "true_match", "false_positive"]
Outcome = Literal["true_match", "false_positive", "escalate"]
Role = Literal["analyst", "supervisor", "admin"]

ALERT_SOURCES: tuple[str, ...] = ("batch", "monitor", "scan", "manual")
ALERT_STATUSES: tuple[str, ...] = ("open", "escalated", "pending_approval", "true_match", "false_positive")
OPEN_STATUSES: tuple[str, ...] = ("open", "escalated", "pending_approval")
OUTCOMES: tuple[str, ...] = ("true_match", "false_positive", "escalate")
ROLES: tuple[str, ...] = ("analyst", "supervisor", "admin")
APPROVER_ROLES: frozenset[str] = frozenset({"supervisor", "admin"})

SESSION_HOURS = 8
USER_NAME_MAX = 64  # characters
PAGE_MAX = 500


class DecisionError(WatchlistError):
    """A decision that does not fit the alert's state (already closed, awaiting approval)."""

    status = 409


# -- records ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertIn:
    """A hit to be reviewed, as producers (batch, monitor, scan) hand it over.

    `party_key` is the producer's stable key of the screened party (customer id,
    batch row key, document path + party name): with `entity_id` it identifies the
    pair that `decision_for` answers for. `record` is the screened record as JSON
    (name, birth_date, country, id_number, schema, ... as the producer has them).
    `entity_hash` is the listed entity's content hash when it hit
    (``watchlist.store.entity_hash(canonical_json(entity))``), so a later change of
    the listing can reopen the question. `entity` is the entity's JSON
    (``Entity.to_dict()``), kept so the review still shows what hit after a delisting.
    """

    source: str
    party_key: str
    record: dict[str, Any]
    entity_id: str
    entity_hash: str
    score: float
    entity_caption: str = ""
    query_name: str = ""
    matched_name: str = ""
    explanation: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    entity: dict[str, Any] | None = None
    run_id: str | None = None

    @classmethod
    def from_result(
        cls, source: str, party_key: str, record: dict[str, Any], result: Any, run_id: str | None = None
    ) -> AlertIn:
        """Build from a `watchlist.match.types.MatchResult` (duck-typed: cases need not know the matcher).

        The one way every producer (batch, monitor, scan, the workbench) makes an alert: it keeps
        the score, the names matched and the explanation ('Why it hit'), and the ids of the list
        records behind the listed party (`referents`, kept with the entity's JSON)."""
        entity = result.entity
        referents = list(getattr(result, "referents", ()) or (entity.id,))
        return cls(
            source=source,
            party_key=party_key,
            record=record,
            entity_id=entity.id,
            entity_hash=entity_hash(canonical_json(entity)),
            score=float(result.score),
            entity_caption=entity.caption,
            query_name=result.query_name,
            matched_name=result.matched_name,
            explanation=tuple(result.explanation),
            features=dict(result.features),
            datasets=tuple(entity.datasets),
            programs=tuple(entity.programs),
            entity={**entity.to_dict(), "referents": referents},
            run_id=run_id,
        )

    @property
    def referents(self) -> tuple[str, ...]:
        """The ids of the list records behind the listed party."""
        return _referents(self.entity, self.entity_id)


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    source: str
    party_key: str
    record: dict[str, Any]
    entity_id: str
    entity_hash: str
    score: float
    entity_caption: str
    query_name: str
    matched_name: str
    explanation: tuple[str, ...]
    features: dict[str, float]
    datasets: tuple[str, ...]
    programs: tuple[str, ...]
    entity: dict[str, Any] | None
    run_id: str | None
    status: str
    created_at: str
    updated_at: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def referents(self) -> tuple[str, ...]:
        """The ids of the list records behind the listed party (its own id for an alert of one record)."""
        return _referents(self.entity, self.entity_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "party_key": self.party_key,
            "record": self.record,
            "entity_id": self.entity_id,
            "entity_hash": self.entity_hash,
            "score": self.score,
            "entity_caption": self.entity_caption,
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "explanation": list(self.explanation),
            "features": self.features,
            "datasets": list(self.datasets),
            "programs": list(self.programs),
            "referents": list(self.referents),
            "run_id": self.run_id,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which alerts a queue shows. Empty fields do not filter."""

    status: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    dataset: str | None = None
    program: str | None = None
    source: str | None = None
    created_from: str | None = None  # ISO date or datetime, inclusive
    created_to: str | None = None  # ISO date or datetime, inclusive of the whole day
    party_key: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Keyset paging: `after` is the `next_cursor` of the previous page."""

    limit: int = 50
    after: str | None = None
    order: Literal["newest", "score"] = "newest"


@dataclass(frozen=True, slots=True)
class AlertPage:
    alerts: list[Alert]
    next_cursor: str | None  # None: this is the last page


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision on an alert (append-only). `action` is an outcome, 'approve' or 'reject'."""

    id: int
    alert_id: int
    action: str
    comment: str
    user: str
    role: str
    at: str
    status_after: str
    party_key: str
    entity_id: str
    entity_hash: str

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    created_at: str

    @property
    def can_approve(self) -> bool:
        return self.role in APPROVER_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str
    created_at: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: str
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


def _fields(record: Decision | AuditRecord) -> dict[str, Any]:
    """A record's fields by name, in declaration order (values as they are)."""
    return {k: getattr(record, k) for k in record.__slots__}


def _referents(entity: dict[str, Any] | None, entity_id: str) -> tuple[str, ...]:
    found = (entity or {}).get("referents")
    return tuple(str(r) for r in found) if isinstance(found, list) and found else (entity_id,)

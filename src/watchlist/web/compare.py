"""Side-by-side comparison of a screened record and a listed party, field by field.

Each row is marked `agree`, `conflict` or `missing` (one side has no value), so an
analyst sees at a glance what supports and what contradicts the hit. Every mark comes
from the matcher's own comparisons (`watchlist.match.features`), and the names' from the
engine's compare score: the table never disagrees with the score it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.match.features import (
    birth_date_agreement,
    candidate_countries,
    country_agreement,
    identifier_match,
    schemata_compatible,
)
from watchlist.match.types import Query
from watchlist.model import Entity, Schema
from watchlist.settings import Settings
from watchlist.text.countries import to_country_code
from watchlist.text.dates import parse_date_prefix

Mark = Literal["agree", "conflict", "missing"]
NAME_KEYS = ("name", "names", "query_name")
DATE_KEYS = ("birth_date", "birth_dates", "dob", "date_of_birth")
COUNTRY_KEYS = ("country", "countries", "nationality", "nationalities", "jurisdiction")
ID_KEYS = ("id_number", "id_numbers", "identifiers", "passport", "imo")


@dataclass(frozen=True, slots=True)
class FieldComparison:
    field: str
    query: tuple[str, ...]
    candidate: tuple[str, ...]
    mark: Mark
    note: str = ""


def compare_record(record: dict[str, Any], entity: Entity, engine: Engine | None = None) -> list[FieldComparison]:
    """Compare the screened record (as stored with the alert) with the listed party."""
    return [
        compare_names(record, entity, engine or Engine(Settings())),
        compare_schema(record, entity),
        compare_birth_dates(record, entity),
        compare_countries(record, entity),
        compare_identifiers(record, entity),
    ]


def compare_names(record: dict[str, Any], entity: Entity, engine: Engine) -> FieldComparison:
    """The names as the engine scores them (`Engine.compare`, on the names and the type)."""
    names = _values(record, *NAME_KEYS)
    listed = tuple(n.value for n in entity.names)
    if not names:
        return FieldComparison("Name", names, listed, "missing")
    result = engine.compare(Query.build(names, schema=_schema(record)), entity, explain=False)
    score = result.score
    closest = f"; closest listed name '{result.matched_name}'" if result.matched_name else ""
    if result.match:
        return FieldComparison("Name", names, listed, "agree", f"names score {score:.0%}, a match{closest}")
    return FieldComparison("Name", names, listed, "conflict", f"names score {score:.0%}, below the match threshold")


def compare_schema(record: dict[str, Any], entity: Entity) -> FieldComparison:
    given = _values(record, "schema")
    listed = (entity.schema.value,)
    if not given:
        return FieldComparison("Type", given, listed, "missing")
    schema = _schema(record)
    ok = schema is not None and schemata_compatible(schema, entity.schema)
    return FieldComparison("Type", given, listed, "agree" if ok else "conflict")


def compare_birth_dates(record: dict[str, Any], entity: Entity) -> FieldComparison:
    given = _values(record, *DATE_KEYS)
    dates = [d for d in (parse_date_prefix(v) for v in given) if d]
    agreement, _ = birth_date_agreement(dates, entity.birth_dates)
    if not dates or not entity.birth_dates:
        return FieldComparison("Birth date", given, entity.birth_dates, "missing")
    if agreement > 0:
        return FieldComparison("Birth date", given, entity.birth_dates, "agree")
    note = "same year, another day: the matcher does not count it" if agreement == 0 else ""
    return FieldComparison("Birth date", given, entity.birth_dates, "conflict", note)


def compare_countries(record: dict[str, Any], entity: Entity) -> FieldComparison:
    given = _values(record, *COUNTRY_KEYS)
    codes = {c for c in (to_country_code(v) for v in given) if c}
    listed = tuple(sorted(candidate_countries(entity)))
    agreement = country_agreement(codes, entity)
    if agreement == 0:
        return FieldComparison("Country", given, listed, "missing")
    common = ", ".join(sorted({c.split("-")[0] for c in codes} & set(listed)))
    return FieldComparison("Country", given, listed, "agree" if agreement > 0 else "conflict", common)


def compare_identifiers(record: dict[str, Any], entity: Entity) -> FieldComparison:
    given = _values(record, *ID_KEYS)
    listed = tuple(f"{i.value} ({i.type.value})" for i in entity.identifiers)
    if not given or not listed:
        return FieldComparison("Identifiers", given, listed, "missing")
    found = identifier_match(given, entity)
    return FieldComparison("Identifiers", given, listed, "agree" if found else "conflict", found or "")


def _values(record: dict[str, Any], *keys: str) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        out.extend(str(v).strip() for v in items if v is not None and str(v).strip())
    return tuple(dict.fromkeys(out))


def _schema(record: dict[str, Any]) -> Schema | None:
    given = _values(record, "schema")
    if not given:
        return None
    try:
        return Schema.parse(given[0])
    except (ValueError, QueryError):
        return None

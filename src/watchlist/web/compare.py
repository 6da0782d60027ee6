"""Side-by-side comparison of a screened record and a listed entity, field by field.

Each row is marked `agree`, `conflict` or `missing` (one side has no value), so an
analyst sees at a glance what supports and what contradicts the hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz import fuzz

from watchlist.match.features import schemata_compatible
from watchlist.model import Entity, Schema
from watchlist.text.countries import to_country_code
from watchlist.text.dates import parse_date_prefix

Mark = Literal["agree", "conflict", "missing"]


@dataclass(frozen=True, slots=True)
class FieldComparison:
    field: str
    query: tuple[str, ...]
    candidate: tuple[str, ...]
    mark: Mark
    note: str = ""


def _values(record: dict[str, Any], *keys: str) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        out.extend(str(v).strip() for v in items if v is not None and str(v).strip())
    return tuple(dict.fromkeys(out))


def _name_key(value: str) -> str:
    return " ".join(sorted(re.findall(r"\w+", value.casefold())))


def _compare_names(query: tuple[str, ...], candidate: tuple[str, ...]) -> tuple[Mark, str]:
    if not query or not candidate:
        return "missing", ""
    best = max(fuzz.token_sort_ratio(_name_key(q), _name_key(c)) for q in query for c in candidate)
    if best >= 90:
        return "agree", f"closest names {best:.0f}% alike"
    return "conflict", f"closest names only {best:.0f}% alike"


def _date_range(value: str) -> tuple[str, str] | None:
    if "/" in value:
        low, _, high = value.partition("/")
        low_p, high_p = parse_date_prefix(low), parse_date_prefix(high)
        if low_p and high_p:
            return low_p, high_p + "~"
        return None
    parsed = parse_date_prefix(value)
    return (parsed, parsed + "~") if parsed else None


def _dates_agree(query: str, candidate: str) -> bool:
    q, c = _date_range(query), _date_range(candidate)
    if q is None or c is None:
        return query == candidate
    # Prefix dates: '1970' covers '1970-05-03'. Ranges overlap when neither ends before the other starts.
    return not (q[1] < c[0] or c[1] < q[0]) or q[0].startswith(c[0]) or c[0].startswith(q[0])


def _countries(values: Iterable[str]) -> set[str]:
    out = set()
    for value in values:
        code = to_country_code(value)
        out.add(code or value.casefold())
    return out


def _id_key(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def compare_record(record: dict[str, Any], entity: Entity) -> list[FieldComparison]:
    """Compare the screened record (as stored with the alert) with the listed entity."""
    rows: list[FieldComparison] = []

    q_names = _values(record, "name", "names", "query_name")
    c_names = tuple(n.value for n in entity.names)
    mark, note = _compare_names(q_names, c_names)
    rows.append(FieldComparison("Name", q_names, c_names, mark, note))

    q_schema = _values(record, "schema")
    c_schema = (entity.schema.value,)
    if not q_schema:
        rows.append(FieldComparison("Type", (), c_schema, "missing"))
    else:
        try:
            parsed = Schema.parse(q_schema[0])
            ok = schemata_compatible(parsed, entity.schema)
        except ValueError:
            ok = False
        rows.append(FieldComparison("Type", q_schema, c_schema, "agree" if ok else "conflict"))

    q_dates = _values(record, "birth_date", "birth_dates", "dob", "date_of_birth")
    c_dates = entity.birth_dates
    if not q_dates or not c_dates:
        rows.append(FieldComparison("Birth date", q_dates, c_dates, "missing"))
    else:
        ok = any(_dates_agree(q, c) for q in q_dates for c in c_dates)
        rows.append(FieldComparison("Birth date", q_dates, c_dates, "agree" if ok else "conflict"))

    q_countries = _values(record, "country", "countries", "nationality", "nationalities", "jurisdiction")
    c_countries = tuple(dict.fromkeys(entity.nationalities + entity.countries))
    if not q_countries or not c_countries:
        rows.append(FieldComparison("Country", q_countries, c_countries, "missing"))
    else:
        common = _countries(q_countries) & _countries(c_countries)
        rows.append(FieldComparison("Country", q_countries, c_countries, "agree" if common else "conflict",
                                    ", ".join(sorted(common))))

    q_ids = _values(record, "id_number", "id_numbers", "identifiers", "passport", "imo")
    c_ids = tuple(f"{i.value} ({i.type.value})" for i in entity.identifiers)
    if not q_ids or not c_ids:
        rows.append(FieldComparison("Identifiers", q_ids, c_ids, "missing"))
    else:
        wanted = {_id_key(v) for v in q_ids}
        common_ids = [i.value for i in entity.identifiers if _id_key(i.value) in wanted]
        rows.append(FieldComparison("Identifiers", q_ids, c_ids, "agree" if common_ids else "conflict",
                                    ", ".join(common_ids)))
    return rows

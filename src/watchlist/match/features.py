"""Attribute evidence beside the name: birth dates, countries, identifiers, schema.

Each function is pure and says in its docstring what it measures; its result
is +1 (agrees), -1 (conflicts) or 0 (nothing to compare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Final

from watchlist.model import Entity, Schema
from watchlist.text.dates import DateParts, date_parts, telling_days

LEGAL_ENTITY: Final = Schema.LEGAL_ENTITY  # constants: see logic_v1.PERSON
PERSON: Final = Schema.PERSON


def schemata_compatible(query: Schema | None, candidate: Schema) -> bool:
    """A person never matches a vessel; organisation kinds match each other; LegalEntity matches parties."""
    if query is None or query is candidate:
        return True
    if query.is_organization and candidate.is_organization:
        return True
    if LEGAL_ENTITY in (query, candidate):
        return (query if candidate is LEGAL_ENTITY else candidate) is PERSON
    return False


@cache  # one set per schema, asked for by every query
def compatible_schemata(query: Schema | None) -> frozenset[Schema] | None:
    if query is None:
        return None
    return frozenset(s for s in Schema if schemata_compatible(query, s))


def birth_date_agreement(query: Iterable[str], candidate: Iterable[str]) -> tuple[int, str]:
    """Birth dates: +1 if one agrees to the precision both give, -1 if both sides have dates and none agree.

    Day and month swapped (03-05 vs 05-03) count as agreement: lists transpose them.
    """
    q_dates = [d for v in query for d in date_parts(v)]
    c_dates = [d for v in candidate for d in date_parts(v)]
    if not q_dates or not c_dates:
        return 0, ""
    best = -1
    for qy, qm, qd in q_dates:
        for cy, cm, cd in c_dates:
            if qy != cy:
                continue
            if qm is None or cm is None or qm == cm and (qd is None or cd is None or qd == cd) or qd is not None and cd is not None and qm == cd and qd == cm:
                best = max(best, 1)
            else:
                best = max(best, 0)  # same year, other day: a weak conflict we do not count
    return best, f"query {', '.join(query)} vs listed {', '.join(candidate)}"


def exact_birth_date(query: Iterable[str], candidate: Iterable[str]) -> bool:
    """A whole birth date (year, month and day) the same on both sides, day and month swapped or not."""
    q_days = {d for v in query for d in date_parts(v) if d[2] is not None}
    c_days = {d for v in candidate for d in date_parts(v) if d[2] is not None}
    return bool(q_days & c_days) or any((y, d, m) in c_days for y, m, d in q_days)


def telling_birth_date(query: Iterable[str], candidate: Iterable[str]) -> bool:
    """A telling whole birth date (see telling_days) the same on both sides, as written."""
    return born_on_a_day(telling_days(query), candidate)


def born_on_a_day(days: frozenset[DateParts], candidate: Iterable[str]) -> bool:
    """Whether the candidate's birth dates give one of these telling days (a query's, told once)."""
    return bool(days) and not days.isdisjoint(telling_days(candidate))


def candidate_countries(entity: Entity) -> set[str]:
    out = set(entity.nationalities) | set(entity.countries)
    out.update(a.country for a in entity.addresses if a.country)
    out.update(i.country for i in entity.identifiers if i.country)
    return {c.split("-")[0] for c in out}


def country_agreement(query: Iterable[str], entity: Entity) -> int:
    """Countries: +1 if the query's country is among the entity's nationalities/countries, -1 if it has others only."""
    q = {c.split("-")[0] for c in query}
    c = candidate_countries(entity)
    if not q or not c:
        return 0
    return 1 if q & c else -1


_ID_CLEAN: Final = re.compile(r"[^0-9A-Z]")
MIN_IDENTIFIER_LENGTH: Final = 4  # letters and digits: a shorter number is not compared


def normalize_identifier(value: str) -> str:
    cleaned = _ID_CLEAN.sub("", value.upper())
    return cleaned[3:] if cleaned.startswith("IMO") and cleaned[3:].isdigit() else cleaned


def identifier_match(query: Iterable[str], entity: Entity) -> str | None:
    """Identifiers: the listed identifier (passport, IMO, national ID...) the query's number equals, if any."""
    wanted = {normalize_identifier(v) for v in query}
    wanted = {w for w in wanted if len(w) >= MIN_IDENTIFIER_LENGTH}
    if not wanted:
        return None
    for ident in entity.identifiers:
        if normalize_identifier(ident.value) in wanted:
            label = ident.note or ident.type.value
            return f"{label} {ident.value}"
    return None


"""Screening queries and match results, shared by every interface (CLI, API, batch, scan)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from watchlist.errors import QueryError
from watchlist.match.features import MIN_IDENTIFIER_LENGTH, normalize_identifier
from watchlist.model import Entity, Schema
from watchlist.text.dates import parse_date_prefix

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Query:
    """What we know about the party being screened.

    `countries` holds nationality, residence or jurisdiction codes alike
    (lower-case ISO 3166 alpha-2); `identifiers` any ID numbers (passport,
    IMO, national ID, ...) as given.
    """

    names: tuple[str, ...]
    schema: Schema | None = None
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    id: str | None = None  # the caller's key for this query (batch row id, API query key)
    warnings: tuple[str, ...] = ()  # qualifiers a lenient build left out, each naming its field and value

    def __post_init__(self) -> None:
        if not any(n.strip() for n in self.names):
            raise QueryError("the query has no name: give at least one non-empty name")

    @classmethod
    def build(
        cls,
        name: str | Iterable[str],
        schema: str | Schema | None = None,
        birth_date: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        id_number: str | Iterable[str] | None = None,
        id: str | None = None,
        *,
        lenient: bool = False,
    ) -> Query:
        """Build a query from loose values (CLI options, CSV cells); validates each.

        A qualifier that cannot be read (a schema, birth date or country) is a QueryError; with
        `lenient` (a batch row) it is left out instead and named in `warnings`, as is an
        identifier with too few letters or digits to compare, so the party is still screened on
        its name. A missing or empty name is always an error.
        """
        warnings: list[str] = []
        notes: list[str] = []  # what was read otherwise than written, the qualifier kept
        names = _values(name)
        parsed_schema = _read("schema", _values(schema) if isinstance(schema, str) else (), _check_schema,
                              lenient, warnings)
        dates = tuple(either_order(value, notes) for value in _values(birth_date))
        birth_dates = _read("birth_date", dates, _check_date, lenient, warnings)
        countries = _read("country", _values(country), _check_country, lenient, warnings)
        identifiers = _values(id_number)
        if lenient:
            identifiers = _read("id_number", identifiers, _check_identifier, lenient, warnings)
        qualified = birth_dates or countries or identifiers
        fallback = "screened without it" if qualified else "screened on the name alone"
        return cls(
            names=names,
            schema=schema if isinstance(schema, Schema) else (parsed_schema[0] if parsed_schema else None),
            birth_dates=birth_dates,
            countries=countries,
            identifiers=identifiers,
            id=id,
            warnings=(*notes, *(f"{w}; {'screened against every schema' if w.startswith('schema') else fallback}"
                                for w in warnings)),
        )


_SLASHED_DATE: Final = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")  # 02/03/1966: day or month first?


def either_order(value: str, notes: list[str]) -> str:
    """A numeric date written month first ('12/25/1966') as that date; one that reads either way
    ('02/03/1966') as its year alone, with a note: read day first (as the lists write dates) it would
    conflict with a listed 3 February 1966 it may well be. Any other value as it is."""
    m = _SLASHED_DATE.match(value)
    if m is None:
        return value
    first, second, year = int(m[1]), int(m[2]), m[3]
    if 1 <= first <= 12 < second <= 31:
        return f"{year}-{first:02d}-{second:02d}"
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        notes.append(f"birth_date {value!r} reads day first or month first; screened on its year {year}")
        return year
    return value


def check_threshold(threshold: float | None) -> float | None:
    """A match threshold as given, or None for the algorithm's own; outside [0, 1] is a QueryError."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise QueryError(f"threshold {threshold} is outside [0, 1]")
    return threshold


def _values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(v.strip() for v in value if v and v.strip())


def _read(field: str, values: tuple[str, ...], check: Callable[[str], T], lenient: bool,
          warnings: list[str]) -> tuple[T, ...]:
    """Each value checked; with `lenient`, one that cannot be read is left out and noted in `warnings`."""
    out: list[T] = []
    for value in values:
        try:
            out.append(check(value))
        except QueryError:
            if not lenient:
                raise
            warnings.append(f"{field} {value!r} could not be read")
    return tuple(out)


def _check_schema(value: str) -> Schema:
    try:
        return Schema.parse(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc


def _check_date(value: str) -> str:
    parsed = parse_date_prefix(value)
    if parsed is None:
        raise QueryError(f"birth date {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return parsed


def _check_identifier(value: str) -> str:
    if len(normalize_identifier(value)) < MIN_IDENTIFIER_LENGTH:
        raise QueryError(f"identifier {value!r} has too few letters or digits to compare")
    return value


def _check_country(value: str) -> str:
    from watchlist.text.countries import to_country_code  # rigour's territories take 0.1 s to import

    code = to_country_code(value)
    if code is None:
        raise QueryError(f"country {value!r} is not a known country name or ISO 3166 code")
    return code


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One listed entity a query may refer to, with the score and why.

    `features` are the named evidence values (yente's `features`); `explanation`
    says the same in sentences an analyst reads. Where lists publish one party in
    several records, `entity` is the party (all the records' values under one id),
    `referents` every record's id (as yente's merged entities), and `matched_record`
    the record whose name matched best.
    """

    entity: Entity
    score: float
    match: bool
    query_name: str
    matched_name: str
    features: dict[str, float] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()
    referents: tuple[str, ...] = ()
    matched_record: Entity | None = None

    @property
    def record_ids(self) -> tuple[str, ...]:
        """The ids of the list records behind this result (the entity's own when it is one record)."""
        return self.referents or (self.entity.id,)

    def to_dict(self) -> dict[str, Any]:
        record = self.matched_record or self.entity
        return {
            "id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema.value,
            "score": round(self.score, 4),
            "match": self.match,
            "datasets": list(self.entity.datasets),
            "programs": list(self.entity.programs),
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "explanation": list(self.explanation),
            "referents": list(self.record_ids),
            "matched_source": {"id": record.id, "datasets": list(record.datasets)},
        }

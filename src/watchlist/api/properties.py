"""FollowTheMoney property names (as yente and OpenRefine send them) -> `Query.build` arguments.

Properties that carry no screening evidence for our matcher (address, notes, ...)
are accepted and left out of the query; the echoed `query` shows what was used.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

from watchlist.errors import QueryError
from watchlist.match.types import Query
from watchlist.model import Schema, ftm_schema
from watchlist.model.ftm import FTM_PROPERTIES

NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
NAME_PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "motherName", "lastName")
DATE_PROPS = ("birthDate",)
COUNTRY_PROPS = (
    "nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag", "registrationCountry",
)  # fmt: skip
ID_PROPS = (
    "idNumber", "passportNumber", "imoNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
    "vatCode", "leiCode", "swiftBic", "mmsi", "callSign", "serialNumber", "okpoCode", "bikCode",
    "dunsCode", "npiCode", "uniqueEntityId", "cryptoWallet", "otherId",
)  # fmt: skip
USED_PROPS = NAME_PROPS + NAME_PART_PROPS + DATE_PROPS + COUNTRY_PROPS + ID_PROPS

# Labels for OpenRefine's property suggest and data extension.
PROPERTY_LABELS: dict[str, str] = {
    "name": "Name", "alias": "Other name", "weakAlias": "Weak alias", "previousName": "Previous name",
    "firstName": "First name", "lastName": "Last name", "birthDate": "Birth date",
    "birthPlace": "Place of birth", "nationality": "Nationality", "citizenship": "Citizenship",
    "country": "Country", "mainCountry": "Country of origin", "jurisdiction": "Jurisdiction", "address": "Address", "idNumber": "ID number",
    "passportNumber": "Passport number", "imoNumber": "IMO number", "registrationNumber": "Registration number",
    "taxNumber": "Tax number", "swiftBic": "SWIFT/BIC", "mmsi": "MMSI", "callSign": "Call sign",
    "program": "Sanctions program", "createdAt": "Listed on", "notes": "Notes", "sourceUrl": "Source link",
}  # fmt: skip

# FtM's qualified names (the schema that defines each property), as yente's property suggest gives them.
PROPERTY_QNAMES: dict[str, str] = {
    "name": "Thing:name", "alias": "Thing:alias", "weakAlias": "Thing:weakAlias",
    "previousName": "Thing:previousName", "firstName": "Person:firstName", "lastName": "Person:lastName",
    "birthDate": "Person:birthDate", "birthPlace": "Person:birthPlace", "nationality": "Person:nationality",
    "citizenship": "Person:citizenship", "country": "Thing:country", "mainCountry": "LegalEntity:mainCountry",
    "jurisdiction": "LegalEntity:jurisdiction", "address": "Thing:address", "idNumber": "LegalEntity:idNumber",
    "passportNumber": "Person:passportNumber", "imoNumber": "Vessel:imoNumber",
    "registrationNumber": "LegalEntity:registrationNumber", "taxNumber": "LegalEntity:taxNumber",
    "swiftBic": "LegalEntity:swiftBic", "mmsi": "Vessel:mmsi", "callSign": "Vessel:callSign",
    "program": "Thing:program", "createdAt": "Thing:createdAt", "notes": "Thing:notes", "sourceUrl": "Thing:sourceUrl",
}  # fmt: skip

# FtM schemata yente clients may send that we screen as one of ours: a public body is an organization.
FTM_QUERY_SCHEMATA = {"PublicBody": "Organization"}

MAX_VALUES = 50  # values per property
MAX_VALUE_LENGTH = 1000  # characters per value


@dataclass(frozen=True, slots=True)
class ParsedExample:
    query: Query
    used: dict[str, list[str]]  # the properties that went into the query, cleaned
    by_identifiers: bool = False  # no name: matched on its identifiers alone (the query's names are them)

    def echo(self, properties: dict[str, Values]) -> dict[str, list[str]]:
        """The query as yente echoes it: every property of its FtM schema (the ones used, cleaned; the others
        as sent), and the name parts joined as aliases. Properties the schema has not are left out."""
        out = dict(self.used)
        joined = joined_name_parts(self.used)
        if joined:  # as yente's combine_names: the joined parts are aliases
            out["alias"] = list(dict.fromkeys([*out.get("alias", []), *joined]))
        schema = ftm_schema(self.query.schema) if self.query.schema else "LegalEntity"
        allowed = FTM_PROPERTIES.get(schema, frozenset())
        for prop in properties:
            if prop in out or prop not in allowed:
                continue
            try:
                values = values_of(properties, prop)
            except QueryError:  # an unused property's odd value is ignored, as before, not refused
                continue
            if values:
                out[prop] = values
        return out


Values = str | int | float | list[Any]


def values_of(properties: dict[str, Values], prop: str) -> list[str]:
    """The property's values as trimmed, distinct strings; numbers are read as text (`[1965]` -> `1965`)."""
    raw = properties.get(prop, [])
    items = raw if isinstance(raw, list) else [raw]
    if len(items) > MAX_VALUES:
        raise QueryError(f"property {prop!r} has {len(items)} values; send at most {MAX_VALUES}")
    out = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise QueryError(f"a value of {prop!r} is not text or a number")
        value = item if isinstance(item, str) else (str(int(item)) if float(item).is_integer() else str(item))
        if len(value) > MAX_VALUE_LENGTH:
            raise QueryError(
                f"a value of {prop!r} is {len(value)} characters long; the limit is {MAX_VALUE_LENGTH}"
            )
        if "\x00" in value:
            raise QueryError(f"a value of {prop!r} contains a NUL character")
        value = value.strip()
        if value and value not in out:
            out.append(value)
    return out


def to_query(
    schema: str, properties: dict[str, Values], key: str | None = None, identifiers_alone: bool = False
) -> ParsedExample:
    """Build a screening query from FtM-style properties; QueryError names what is wrong.

    The `used` echo holds the values as the query reads them: countries as codes (`Russia` -> `ru`).
    With `identifiers_alone`, a query with identifiers and no name is kept (`by_identifiers`), its
    identifiers standing in for its names (as yente, /match matches it on its identifiers).
    """
    used: dict[str, list[str]] = {}
    sent_countries: list[str] = []
    for prop in USED_PROPS:
        values = values_of(properties, prop)
        if prop in COUNTRY_PROPS:
            sent_countries += values
            values = _country_codes(values)
        if values:
            used[prop] = values
    names = list(dict.fromkeys([*(v for p in NAME_PROPS for v in used.get(p, [])), *joined_name_parts(used)]))
    ids = [v for p in ID_PROPS for v in used.get(p, [])]
    by_identifiers = not names and identifiers_alone and bool(ids)
    if by_identifiers:
        names = ids
    if not names:
        raise QueryError(
            "the query has no name: give at least one non-empty `name` (or firstName/lastName) or an identifier"
            if identifiers_alone
            else "the query has no name: give at least one non-empty `name` (or firstName/lastName)"
        )
    if not schema.strip():
        raise QueryError(
            "the query has no schema: use Person, Organization, Company, LegalEntity, Vessel or Aircraft"
        )
    try:
        parsed_schema = Schema.parse(FTM_QUERY_SCHEMATA.get(schema.strip(), schema))
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    # Lenient, as yente (followthemoney drops a value it cannot clean): a birth date, country or
    # identifier that cannot be read never fails the batch; the query is screened without it, and its
    # response's `warnings` name it.
    query = Query.build(
        names,
        schema=parsed_schema,
        birth_date=[v for p in DATE_PROPS for v in used.get(p, [])],
        country=sent_countries,
        id_number=[] if by_identifiers else ids,
        id=key,
        lenient=True,
    )
    if by_identifiers:  # its identifiers are its names: kept whole
        query = replace(query, identifiers=tuple(ids))
    for prop in DATE_PROPS:  # echoed as read
        used.pop(prop, None)
    if query.birth_dates:
        used[DATE_PROPS[0]] = list(query.birth_dates)
    return ParsedExample(query, used, by_identifiers)


def joined_name_parts(used: dict[str, list[str]]) -> list[str]:
    """The name parts' values joined in FtM's order (firstName ... lastName), each combination of them (at
    most MAX_VALUES): names the query is screened on beside any it gives, as yente's followthemoney
    `combine_names` adds them to every query."""
    parts = [used[p] for p in NAME_PART_PROPS if p in used]
    if not parts:
        return []
    return [" ".join(combination) for combination in itertools.islice(itertools.product(*parts), MAX_VALUES)]


def _country_codes(values: list[str]) -> list[str]:
    """The values that name a country, as its code, each once (as the echo shows them; Query.build names
    the others in the query's warnings)."""
    from watchlist.text.countries import to_country_code  # rigour's territories take 0.1 s to import

    return list(dict.fromkeys(code for v in values if (code := to_country_code(v)) is not None))

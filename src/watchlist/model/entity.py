"""The one entity model every source is parsed into.

Property names follow FollowTheMoney (FtM) where they fit, so an entity exports
as an FtM JSON line with `to_ftm()`. Everything is frozen: parsers build
entities, nobody changes them afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Schema(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    LEGAL_ENTITY = "LegalEntity"
    VESSEL = "Vessel"
    AIRCRAFT = "Aircraft"

    @classmethod
    def parse(cls, value: str) -> Schema:
        """Accept FtM names and common spellings ('person', 'entity', 'ship')."""
        key = value.strip().lower().replace("_", "").replace(" ", "")
        found = _SCHEMA_ALIASES.get(key)
        if found is None:
            known = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown schema {value!r}; expected one of {known}")
        return found

    @property
    def is_party(self) -> bool:
        """Persons and organisations (not assets such as vessels)."""
        return self in (Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)

    @property
    def is_organization(self) -> bool:
        return self in (Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)


_SCHEMA_ALIASES: dict[str, Schema] = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "company": Schema.COMPANY,
    "legalentity": Schema.LEGAL_ENTITY,
    "thing": Schema.LEGAL_ENTITY,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "airplane": Schema.AIRCRAFT,
}


class NameKind(StrEnum):
    """The quality of a name, as FtM property names."""

    NAME = "name"  # primary name
    ALIAS = "alias"  # strong a.k.a.
    WEAK_ALIAS = "weakAlias"  # low-quality a.k.a. (OFAC 'weak', UN 'Low', UK 'Low quality')
    PREVIOUS_NAME = "previousName"  # f.k.a.


@dataclass(frozen=True, slots=True)
class Name:
    value: str
    kind: NameKind = NameKind.NAME
    lang: str | None = None  # ISO 639 code where the source says it
    original_script: bool = False  # published in a non-Latin script

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "kind": self.kind.value}
        if self.lang:
            out["lang"] = self.lang
        if self.original_script:
            out["original_script"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Name:
        return cls(
            value=data["value"],
            kind=NameKind(data.get("kind", "name")),
            lang=data.get("lang"),
            original_script=bool(data.get("original_script", False)),
        )


class IdType(StrEnum):
    """Identifier types, valued as the FtM property that holds them."""

    PASSPORT = "passportNumber"
    NATIONAL_ID = "idNumber"
    IMO = "imoNumber"
    MMSI = "mmsi"
    CALL_SIGN = "callSign"
    REGISTRATION = "registrationNumber"
    TAX_ID = "taxNumber"
    SWIFT_BIC = "swiftBic"
    CRYPTO_WALLET = "cryptoWallet"
    AIRCRAFT_SERIAL = "serialNumber"
    OTHER = "otherId"


@dataclass(frozen=True, slots=True)
class Identifier:
    type: IdType
    value: str
    country: str | None = None  # ISO 3166 alpha-2, lower-case
    note: str | None = None  # the source's own label, e.g. 'Diplomatic Passport'

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type.value, "value": self.value}
        if self.country:
            out["country"] = self.country
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Identifier:
        return cls(IdType(data["type"]), data["value"], data.get("country"), data.get("note"))


@dataclass(frozen=True, slots=True)
class Address:
    full: str
    city: str | None = None
    country: str | None = None  # ISO 3166 alpha-2, lower-case

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("full", self.full), ("city", self.city), ("country", self.country)) if v}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Address:
        return cls(data.get("full", ""), data.get("city"), data.get("country"))


@dataclass(frozen=True, slots=True)
class Entity:
    """A listed party or asset.

    `id` is stable across reloads: `un-<REFERENCE_NUMBER>`, `ofac-<ent_num>`,
    `eu-<logicalId>`, `uk-<unique id>`; FtM entities keep their own id.

    Dates are ISO 8601 prefixes ("1970", "1970-05", "1970-05-03"); a range
    that the source gives ("1968 to 1970") is an interval "1968/1970".
    Countries are lower-case ISO 3166 alpha-2 codes (FtM style), or longer
    FtM codes for regions ("ua-cri").
    """

    id: str
    schema: Schema
    names: tuple[Name, ...]
    datasets: tuple[str, ...] = ()  # the sources that list it: 'un', 'ofac-sdn', ...
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # residence, jurisdiction, vessel flag, address country
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    source_url: str | None = None
    # Further FtM properties the source publishes (gender, position, flag, ...).
    extra: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("entity has no id")
        if not self.names:
            raise ValueError(f"entity {self.id} has no name")

    @property
    def caption(self) -> str:
        """The name to show: the first primary name in Latin script."""
        for name in self.names:
            if name.kind is NameKind.NAME and not name.original_script:
                return name.value
        return self.names[0].value

    def names_of(self, *kinds: NameKind) -> tuple[str, ...]:
        return tuple(n.value for n in self.names if n.kind in kinds)

    def extra_values(self, prop: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.extra if k == prop)

    def identifier_values(self, *types: IdType) -> tuple[str, ...]:
        return tuple(i.value for i in self.identifiers if not types or i.type in types)

    def merge(self, other: Entity) -> Entity:
        """Combine two records of one entity (e.g. OFAC SDN and non-SDN)."""
        if other.id != self.id:
            raise ValueError(f"cannot merge {self.id} with {other.id}")
        return replace(
            self,
            names=_union(self.names, other.names),
            datasets=_union(self.datasets, other.datasets),
            birth_dates=_union(self.birth_dates, other.birth_dates),
            birth_places=_union(self.birth_places, other.birth_places),
            nationalities=_union(self.nationalities, other.nationalities),
            countries=_union(self.countries, other.countries),
            addresses=_union(self.addresses, other.addresses),
            identifiers=_union(self.identifiers, other.identifiers),
            programs=_union(self.programs, other.programs),
            listed_on=_union(self.listed_on, other.listed_on),
            remarks=_union(self.remarks, other.remarks),
            source_url=self.source_url or other.source_url,
            extra=_union(self.extra, other.extra),
        )

    # -- serialisation -----------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict(to_dict(e)) == e`. Empty fields are left out."""
        out: dict[str, Any] = {
            "id": self.id,
            "schema": self.schema.value,
            "names": [n.to_dict() for n in self.names],
        }
        for key in _PLAIN_TUPLES:
            values = getattr(self, key)
            if values:
                out[key] = list(values)
        if self.addresses:
            out["addresses"] = [a.to_dict() for a in self.addresses]
        if self.identifiers:
            out["identifiers"] = [i.to_dict() for i in self.identifiers]
        if self.source_url:
            out["source_url"] = self.source_url
        if self.extra:
            out["extra"] = [list(pair) for pair in self.extra]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        plain = {key: tuple(data.get(key, ())) for key in _PLAIN_TUPLES}
        return cls(
            id=data["id"],
            schema=Schema(data["schema"]),
            names=tuple(Name.from_dict(n) for n in data["names"]),
            addresses=tuple(Address.from_dict(a) for a in data.get("addresses", ())),
            identifiers=tuple(Identifier.from_dict(i) for i in data.get("identifiers", ())),
            source_url=data.get("source_url"),
            extra=tuple((k, v) for k, v in data.get("extra", ())),
            **plain,
        )

    def properties(self) -> dict[str, list[str]]:
        """FtM-style properties: property name -> values."""
        props: dict[str, list[str]] = {}

        def add(prop: str, values: Iterable[str]) -> None:
            for value in values:
                if value and value not in props.setdefault(prop, []):
                    props[prop].append(value)

        for name in self.names:
            add(name.kind.value, [name.value])
        add("birthDate", self.birth_dates)
        add("birthPlace", self.birth_places)
        add("nationality", self.nationalities)
        add("country", self.countries)
        add("address", [a.full for a in self.addresses])
        for ident in self.identifiers:
            add(ident.type.value, [ident.value])
        add("program", self.programs)
        add("createdAt", self.listed_on)
        add("notes", self.remarks)
        add("sourceUrl", [self.source_url] if self.source_url else [])
        for prop, value in self.extra:
            add(prop, [value])
        return {k: v for k, v in props.items() if v}

    def to_ftm(self) -> dict[str, Any]:
        """One FollowTheMoney entity (as in an `entities.ftm.json` line): FtM schema, property and
        dataset names (see `watchlist.model.ftm`)."""
        from watchlist.model.ftm import to_ftm

        return to_ftm(self)


_PLAIN_TUPLES = (
    "datasets",
    "birth_dates",
    "birth_places",
    "nationalities",
    "countries",
    "programs",
    "listed_on",
    "remarks",
)


def _union(left: tuple[Any, ...], right: tuple[Any, ...]) -> tuple[Any, ...]:
    return left + tuple(x for x in right if x not in left)

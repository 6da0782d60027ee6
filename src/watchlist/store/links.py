"""Cross-list links: which records of different lists are one party, and why.

A link rests on what the records themselves say, strongest first:

1. `un_reference`: a record cites the UN reference number of a UN record (UK and EU
   records do), or two records cite the same one.
2. `identifier`: the same passport, national id, IMO, registration, tax or SWIFT/BIC
   number, of the same kind, and of the same country where both records give one.
3. `name_birth_date`: people with the same name (word for word, in any order) and the
   same full date of birth (day, month and year: a birth year alone never links).
4. `name_country`: organisations or vessels with the same name (legal forms folded:
   'Corp' is 'Corporation') and a country in common, where a record's countries
   include the country whose sanctions regime lists it.

Names alone never link two records. Records of one list are never linked to each
other (a list that publishes two records means two designations), and a party holds
at most one record per list: a link that would put two records of one list in one
party is not made. The party's id is its UN record's id, else the id of the record
of the first list (by list name).
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.common import un_reference
from watchlist.text.countries import to_country_code
from watchlist.text.tokens import schema_kind, tokenize_name

FORMAT_VERSION: Final = 1  # of the saved linkage: raise when Party or Link change
UN_DATASET: Final = "un"
LINKING_IDS: Final = frozenset({
    IdType.PASSPORT, IdType.NATIONAL_ID, IdType.IMO, IdType.REGISTRATION, IdType.TAX_ID, IdType.SWIFT_BIC,
})  # fmt: skip
MIN_ID_LENGTH: Final = 5  # shorter numbers ('1234') are too common to name one party
MAX_ID_HOLDERS: Final = 4  # a number that many records carry is a placeholder, not evidence
NOT_COUNTRIES: Final = frozenset({"zz"})  # 'Global ...' regimes name no country
MIN_NAME_WORDS: Final = 2  # a one-word name is too common to link on, even with a second fact
_PARENTHESES: Final = re.compile(r"\([^()]*\)")
_REGULATIONS: Final = re.compile(r"\b([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?) Sanctions Regulations")
_PROGRAM_WORD: Final = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Link:
    """Two records of one party, the kind of evidence, and that evidence in words."""

    source: str
    target: str
    kind: str  # un_reference | identifier | name_birth_date | name_country
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Party:
    """One party: its stable id, its records (the id's record first) and the links that join them."""

    id: str
    referents: tuple[str, ...]
    links: tuple[Link, ...] = ()


class Linkage:
    """The parties of a set of records. A record no link joins is a party of its own."""

    def __init__(self, parties: Iterable[Party]) -> None:
        self._parties: dict[str, Party] = {}
        self._party_of: dict[str, str] = {}
        for party in parties:
            self._parties[party.id] = party
            for record in party.referents:
                self._party_of[record] = party.id

    def party_id(self, record_id: str) -> str:
        return self._party_of.get(record_id, record_id)

    def party(self, record_id: str) -> Party:
        """The party a record (or a party id) belongs to."""
        return self._parties.get(self.party_id(record_id)) or Party(record_id, (record_id,))

    def parties(self) -> list[Party]:
        """The parties of more than one record."""
        return list(self._parties.values())

    def links(self) -> list[Link]:
        return [link for party in self._parties.values() for link in party.links]

    def __len__(self) -> int:
        return len(self._parties)

    def save(self, path: Path) -> None:
        """Write atomically (a reader never sees half a file), through a partial file of this writer's
        own: two requests that make the same links at once each write theirs, and the last one stays."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((FORMAT_VERSION, list(self._parties.values())), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> Linkage | None:
        """The linkage saved at `path`, or None when there is none or it is of another format."""
        try:
            with path.open("rb") as fh:
                version, parties = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
            return None
        return cls(parties) if version == FORMAT_VERSION else None


EMPTY: Final = Linkage(())


def link_records(entities: Sequence[Entity]) -> Linkage:
    """The parties among these records, from the links their own data supports. Records of no list
    (a portfolio, a bare name) are never linked, and records of one list only have nothing to link."""
    entities = [e for e in entities if e.datasets]
    if len({d for e in entities for d in e.datasets}) < 2:
        return Linkage(())
    by_id = {e.id: e for e in entities}
    groups = _Groups(by_id)
    for link in _strong_links(entities, by_id):
        groups.join(link)
    for link in _name_links(entities):
        groups.join(link)
    return Linkage(groups.parties())


def merge_party(party: Party, records: Sequence[Entity]) -> Entity:
    """One entity for a party: the union of its records' values, under the party's id."""
    first, *rest = records
    merged = replace(first, id=party.id)
    for record in rest:
        merged = merged.merge(replace(record, id=party.id))
    return merged


# -- evidence ------------------------------------------------------------------------


def cited_un_references(entity: Entity) -> set[str]:
    """The UN reference numbers a record is, or cites."""
    refs = set()
    if UN_DATASET in entity.datasets and entity.id.startswith("un-"):
        refs.add(entity.id.removeprefix("un-"))
    for prop in ("unReference", "unscId"):
        for value in entity.extra_values(prop):
            ref = un_reference(value)
            if ref:
                refs.add(ref)
    return refs


def identifier_key(kind: IdType, value: str) -> str | None:
    """An identifier as compared: upper-case letters and digits only; None if too short to link on."""
    text = "".join(ch for ch in value.upper() if ch.isalnum())
    if kind is IdType.IMO:
        text = text.removeprefix("IMO")
    if len(text) < MIN_ID_LENGTH or (kind is not IdType.SWIFT_BIC and not any(ch.isdigit() for ch in text)):
        return None
    return text


def name_keys(entity: Entity) -> dict[tuple[str, ...], str]:
    """Each strong name of a record as a sorted tuple of its words (parenthesised asides dropped),
    with the name as written."""
    kind = schema_kind(entity.schema)
    keys: dict[tuple[str, ...], str] = {}
    for name in entity.names:
        if name.kind is NameKind.WEAK_ALIAS:
            continue
        tokens = tokenize_name(_PARENTHESES.sub(" ", name.value), kind)
        if len(tokens) >= MIN_NAME_WORDS:
            keys.setdefault(tuple(sorted(t.text for t in tokens)), name.value)
    return keys


def regime_countries(entity: Entity) -> set[str]:
    """Countries whose sanctions regime lists the record: 'DPRK3', 'RUSSIA-EO14024', 'Russia', and
    'North Korea Sanctions Regulations' in a remark."""
    found = set()
    for program in entity.programs:
        word = _PROGRAM_WORD.match(program)
        for text in (program, word.group(0) if word else ""):
            code = to_country_code(text) if len(text) > 3 else None
            if code and code not in NOT_COUNTRIES:
                found.add(code)
                break
    for remark in entity.remarks:
        for country in _REGULATIONS.findall(remark):
            code = to_country_code(country)
            if code and code not in NOT_COUNTRIES:
                found.add(code)
    return found


def record_countries(entity: Entity) -> set[str]:
    """Every country a record names for itself, and its regime's."""
    countries = set(entity.countries) | set(entity.nationalities)
    countries |= {a.country for a in entity.addresses if a.country}
    return countries | regime_countries(entity)


def full_birth_dates(entity: Entity) -> set[str]:
    return {d for d in entity.birth_dates if len(d) == 10}


def same_kind(a: Entity, b: Entity) -> bool:
    """Records that can be one party: two people, two organisations, two vessels, two aircraft."""
    if a.schema is b.schema:
        return True
    return a.schema.is_organization and b.schema.is_organization


# -- links ---------------------------------------------------------------------------


def _strong_links(entities: Sequence[Entity], by_id: dict[str, Entity]) -> Iterator[Link]:
    yield from _un_reference_links(entities)
    yield from _identifier_links(entities, by_id)


def _un_reference_links(entities: Sequence[Entity]) -> Iterator[Link]:
    citing: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        for ref in cited_un_references(entity):
            citing[ref].append(entity)
    for ref, records in citing.items():
        records.sort(key=_party_order)
        head = records[0]
        for other in records[1:]:
            if same_kind(head, other):
                yield Link(head.id, other.id, "un_reference", f"{other.id} cites UN reference {ref}")


def _identifier_links(entities: Sequence[Entity], by_id: dict[str, Entity]) -> Iterator[Link]:
    holders: dict[tuple[IdType, str], list[tuple[str, str | None]]] = defaultdict(list)
    for entity in entities:
        for ident in entity.identifiers:
            key = identifier_key(ident.type, ident.value) if ident.type in LINKING_IDS else None
            if key is not None and (entity.id, ident.country) not in holders[(ident.type, key)]:
                holders[(ident.type, key)].append((entity.id, ident.country))
    for (kind, key), records in holders.items():
        if not 1 < len(records) <= MAX_ID_HOLDERS:
            continue
        # A number given without a country links only where the holders that say one agree on it.
        ambiguous = len({country for _, country in records if country}) > 1
        for i, (left, left_country) in enumerate(records):
            for right, right_country in records[i + 1 :]:
                if left_country != right_country and (ambiguous or (left_country and right_country)):
                    continue
                a, b = by_id[left], by_id[right]
                if not _other_lists(a, b) or not same_kind(a, b):
                    continue
                where = f" ({left_country or right_country})" if left_country or right_country else ""
                yield Link(left, right, "identifier", f"same {kind.value} {key}{where}")


def _name_links(entities: Sequence[Entity]) -> Iterator[Link]:
    """Records of different lists with the same name and a second fact in common."""
    by_name: dict[tuple[str, ...], list[tuple[Entity, str]]] = defaultdict(list)
    for entity in entities:
        for key, written in name_keys(entity).items():
            by_name[key].append((entity, written))
    for records in by_name.values():
        if len(records) < 2 or len({d for e, _ in records for d in e.datasets}) < 2:
            continue
        for i, (left, name) in enumerate(records):
            for right, _ in records[i + 1 :]:
                link = _name_link(left, right, name)
                if link is not None:
                    yield link


def _name_link(left: Entity, right: Entity, name: str) -> Link | None:
    if not _other_lists(left, right) or not same_kind(left, right):
        return None
    if left.schema is Schema.PERSON:
        dates = full_birth_dates(left) & full_birth_dates(right)
        if dates:
            return Link(left.id, right.id, "name_birth_date", f"same name '{name}' and birth date {min(dates)}")
        return None
    countries = record_countries(left) & record_countries(right)
    if countries:
        return Link(left.id, right.id, "name_country", f"same name '{name}' and country {min(countries)}")
    return None


def _other_lists(a: Entity, b: Entity) -> bool:
    return not set(a.datasets) & set(b.datasets)


def _party_order(entity: Entity) -> tuple[bool, str, str]:
    """The record whose id a party takes: the UN record's, else that of the first list by name."""
    return (UN_DATASET not in entity.datasets, entity.datasets[0] if entity.datasets else "", entity.id)


class _Groups:
    """Union-find over record ids; a join that would put two records of one list together is refused."""

    def __init__(self, by_id: dict[str, Entity]) -> None:
        self._by_id = by_id
        self._parent: dict[str, str] = {}
        self._datasets: dict[str, set[str]] = {}
        self._links: dict[str, list[Link]] = {}

    def _root(self, record: str) -> str:
        parent = self._parent.setdefault(record, record)
        if parent != record:
            parent = self._parent[record] = self._root(parent)
        return parent

    def _lists(self, root: str) -> set[str]:
        found = self._datasets.get(root)
        if found is None:
            found = self._datasets[root] = set(self._by_id[root].datasets)
        return found

    def join(self, link: Link) -> bool:
        left, right = self._root(link.source), self._root(link.target)
        if left == right:
            self._links.setdefault(left, []).append(link)
            return True
        if self._lists(left) & self._lists(right):
            return False
        self._parent[right] = left
        self._datasets[left] = self._lists(left) | self._lists(right)
        self._links[left] = self._links.get(left, []) + self._links.pop(right, []) + [link]
        return True

    def parties(self) -> Iterator[Party]:
        members: dict[str, list[Entity]] = defaultdict(list)
        for record in self._parent:
            members[self._root(record)].append(self._by_id[record])
        for root, records in members.items():
            if len(records) < 2:
                continue
            records.sort(key=_party_order)
            yield Party(records[0].id, tuple(r.id for r in records), tuple(self._links.get(root, ())))


class Parties:
    """A linkage over an index's records, with each linked party's merged entity (made on first use)."""

    def __init__(self, linkage: Linkage, lookup: Callable[[str], Entity | None]) -> None:
        self.linkage = linkage
        self._lookup = lookup
        self._merged: dict[str, Entity] = {}

    def party_id(self, record_id: str) -> str:
        return self.linkage.party_id(record_id)

    def party(self, record_id: str) -> Party:
        return self.linkage.party(record_id)

    def records(self, record_id: str) -> list[Entity]:
        """The party's source records, the party id's record first."""
        found = (self._lookup(r) for r in self.party(record_id).referents)
        return [e for e in found if e is not None]

    def entity(self, record_id: str) -> Entity | None:
        """The party a record belongs to, as one entity (the record itself when nothing links to it)."""
        party = self.party(record_id)
        if len(party.referents) < 2:
            return self._lookup(record_id)
        merged = self._merged.get(party.id)
        if merged is None:
            records = self.records(party.id)
            if not records:
                return None
            merged = self._merged[party.id] = merge_party(party, records)
        return merged

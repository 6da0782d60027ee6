"""Helpers shared by the parsers: an entity builder, text cleaning, error messages.

`EntityBuilder` is the one mutable thing in a parser: it collects what a record
publishes (deduplicating as it goes) and `build()` returns the frozen `Entity`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree
from rigour.text.scripts import is_latin

from watchlist.bounded import release_element
from watchlist.errors import SourceError
from watchlist.model import Address, Entity, Identifier, IdType, Name, NameKind, Schema
from watchlist.text.countries import to_country_code
from watchlist.text.dates import parse_date, parse_date_prefix

_SPACES = re.compile(r"\s+")
# A UN Security Council reference number: 'KPe.050', 'QDi.001' (two capitals, i(ndividual) or e(ntity)).
UN_REFERENCE = re.compile(r"\b([A-Z]{2})([ieIE])\.\s?(\d{3})\b")


def un_reference(value: str | None) -> str | None:
    """The UN reference number a text starts with or cites: 'KPe.050. Mansudae ...' -> 'KPe.050'
    ('QDE.145' as written is 'QDe.145')."""
    if not value:
        return None
    found = UN_REFERENCE.search(value)
    return f"{found.group(1)}{found.group(2).lower()}.{found.group(3)}" if found else None


def clean(value: object) -> str | None:
    """Collapse whitespace; '', '-0-', 'N/A' and None -> None."""
    if value is None:
        return None
    text = str(value)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if not text or text in ("-0-", "-0", "N/A", "n/a", "NULL", "None"):
        return None
    return text


# What a list writes into a name field beside the name: a note on its kind ('Encep Nurjaman (birth
# name)') or the person's birth ('... Al-Hadad, born 1 Jan. 1953 (Oman passport ...)', '... born in 1963').
_NAME_NOTE = re.compile(
    r"\s*\((?:birth|maiden|real|true|former) name\)\s*$"  # a note on the name's kind
    r"|,?\s+born\s+(?:on\s+)?\d{1,2}[\s.]+[a-z]{3}.*$"  # ', born 1 Jan. 1953 ...'
    r"|,\s*born\s+in\s.*$|\s+born\s+in\s+\d{4}.*$",  # ', born in Kandahar ...', ' born in 1963'
    re.IGNORECASE,
)


def name_parts(text: str) -> list[str]:
    """The names one name field holds: split on ';', each without a note beside it; a part that
    would be left without a letter is kept as written."""
    parts = []
    for part in text.split(";"):
        part = part.strip()
        name = _NAME_NOTE.sub("", part).strip(" ,")
        name = name if any(c.isalpha() for c in name) else part
        if name and name not in parts:
            parts.append(name)
    return parts


def has_non_latin(text: str) -> bool:
    """True when any letter of `text` is outside the Latin script."""
    if text.isascii():
        return False
    return any(ch.isalpha() and not is_latin(ch) for ch in text)


def source_error(path: Path | str, where: str, what: str) -> SourceError:
    """'consolidated.xml line 4812: INDIVIDUAL DATAID=123 has no name'."""
    name = Path(path).name if str(path) else "<input>"
    location = f"{name} {where}".strip()
    return SourceError(f"{location}: {what}")


class EntityBuilder:
    """Collects one record's values; `build()` makes the frozen Entity."""

    __slots__ = (
        "addresses",
        "birth_dates",
        "birth_places",
        "countries",
        "dataset",
        "extra",
        "id",
        "identifiers",
        "listed_on",
        "names",
        "nationalities",
        "programs",
        "remarks",
        "schema",
        "source_url",
    )  # fmt: skip

    def __init__(self, id: str, schema: Schema, dataset: str) -> None:
        self.id = id
        self.schema = schema
        self.dataset = dataset
        self.names: list[Name] = []
        self.birth_dates: list[str] = []
        self.birth_places: list[str] = []
        self.nationalities: list[str] = []
        self.countries: list[str] = []
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []
        self.programs: list[str] = []
        self.listed_on: list[str] = []
        self.remarks: list[str] = []
        self.source_url: str | None = None
        self.extra: list[tuple[str, str]] = []

    # -- adders: each ignores empty values and duplicates -------------------

    def add_name(
        self,
        value: object,
        kind: NameKind = NameKind.NAME,
        lang: str | None = None,
        original_script: bool | None = None,
    ) -> None:
        text = clean(value)
        if text is None:
            return
        # A field of no name but separators (';') is kept as written: dropped, it could leave the
        # record without a name, and a parser stops the file there.
        for i, part in enumerate(name_parts(text) or [text]):
            # 'Azim Adhajani; Azim Agha-Jani': one field, several names; those after the first are aliases.
            part_kind = NameKind.ALIAS if i and kind is NameKind.NAME else kind
            script = has_non_latin(part) if original_script is None else original_script
            if not any(n.value == part and n.kind == part_kind for n in self.names):
                self.names.append(Name(part, part_kind, lang or None, script))

    def add_birth_date(self, value: object) -> None:
        """An ISO prefix or interval already; anything else is parsed with `parse_date_prefix`."""
        text = clean(value)
        if text is None:
            return
        if "/" in text and all(_is_iso_prefix(p) for p in text.split("/", 1)):
            date: str | None = text
        else:
            date = parse_date(text)
        if date and date not in self.birth_dates:
            self.birth_dates.append(date)

    def add_birth_place(self, value: object) -> None:
        _append(self.birth_places, clean(value))

    def add_nationality(self, value: object) -> None:
        _append(self.nationalities, _country_code(value))

    def add_country(self, value: object) -> None:
        _append(self.countries, _country_code(value))

    def add_address(self, full: object, city: object = None, country: object = None) -> None:
        """`country` may be a name or a code; the address's country also goes into `countries`."""
        text = clean(full)
        code = to_country_code(str(country)) if clean(country) else None
        if text is None:
            if code:
                _append(self.countries, code)
            return
        address = Address(text, clean(city), code)
        if address not in self.addresses:
            self.addresses.append(address)
        if code:
            _append(self.countries, code)

    def add_identifier(
        self, type: IdType, value: object, country: object = None, note: object = None
    ) -> None:
        text = clean(value)
        if text is None:
            return
        code = to_country_code(str(country)) if clean(country) else None
        ident = Identifier(type, text, code, clean(note))
        if any(i.type == type and i.value == text for i in self.identifiers):
            return
        self.identifiers.append(ident)

    def add_program(self, value: object) -> None:
        _append(self.programs, clean(value))

    def add_listed_on(self, value: object) -> None:
        text = clean(value)
        if text:
            _append(self.listed_on, parse_date_prefix(text))

    def add_remark(self, value: object) -> None:
        _append(self.remarks, clean(value))

    def add_extra(self, prop: str, value: object) -> None:
        text = clean(value)
        if text and (prop, text) not in self.extra:
            self.extra.append((prop, text))

    # -----------------------------------------------------------------------

    def build(self) -> Entity:
        """Primary names first; a record whose names are all aliases gets its first alias promoted."""
        if not self.names:
            raise ValueError(f"entity {self.id} has no name")
        names = sorted(self.names, key=lambda n: n.kind is not NameKind.NAME)
        return Entity(
            id=self.id,
            schema=self.schema,
            names=tuple(names),
            datasets=(self.dataset,),
            birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places),
            nationalities=tuple(self.nationalities),
            countries=tuple(self.countries),
            addresses=tuple(self.addresses),
            identifiers=tuple(self.identifiers),
            programs=tuple(self.programs),
            listed_on=tuple(self.listed_on),
            remarks=tuple(self.remarks),
            source_url=self.source_url,
            extra=tuple(self.extra),
        )


def local(tag: object) -> str:
    """'{ns}name' -> 'name' (lxml tags; comments and PIs give '')."""
    if not isinstance(tag, str):
        return ""
    return tag if tag[:1] != "{" else tag.rsplit("}", 1)[-1]


def iter_xml(
    path: Path, tags: frozenset[str], root_attrs: dict[str, str] | None = None
) -> Iterator[etree._Element]:
    """Stream the elements whose local name is in `tags`, namespace or not.

    The root's attributes are copied into `root_attrs` when given. Each element is
    cleared after the caller is done with it, so memory stays flat. Malformed or
    truncated XML raises SourceError with the file and line.
    """
    depth = 0
    inside = 0
    try:
        for event, el in etree.iterparse(
            str(path), events=("start", "end"), huge_tree=True, resolve_entities=False, no_network=True
        ):
            if event == "start":
                if depth == 0 and root_attrs is not None:
                    root_attrs.update({local(k): v for k, v in el.attrib.items()})
                depth += 1
                if local(el.tag) in tags:
                    inside += 1
                continue
            depth -= 1
            if local(el.tag) in tags:
                inside -= 1
                if inside == 0:
                    yield el
                    release_element(el)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        raise source_error(path, f"line {line}", f"malformed or truncated XML ({exc.msg})") from exc


def text_of(el: etree._Element | None, *path: str) -> str | None:
    """The cleaned text of the first descendant at `path` (local names), or of `el` itself."""
    node = el
    for step in path:
        if node is None:
            return None
        node = next((c for c in node if local(c.tag) == step), None)
    if node is None:
        return None
    return clean(node.text)


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c.tag) == name]


def descendants(el: etree._Element, name: str) -> Iterator[etree._Element]:
    for node in el.iter():
        if local(node.tag) == name:
            yield node


def texts(el: etree._Element, name: str) -> list[str]:
    """Cleaned texts of every descendant with local name `name`."""
    return [t for t in (clean(n.text) for n in descendants(el, name)) if t]


def join(parts: Iterable[object], sep: str = ", ") -> str | None:
    """Join the non-empty cleaned parts."""
    values = [c for c in (clean(p) for p in parts) if c]
    return sep.join(values) if values else None


_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _is_iso_prefix(text: str) -> bool:
    return bool(_ISO_PREFIX.match(text))


def _country_code(value: object) -> str | None:
    """The country code of a cleaned name or code (None: empty or unknown)."""
    text = clean(value)
    return to_country_code(text) if text else None


def _append(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def typed_builder(
    path: Path | str, where: str, record: str, type_field: str, kind: str | None, schemas: dict[str, Schema],
    entity_id: str, source: str,
) -> EntityBuilder:
    """A record's builder for the schema its type names; a type the format does not define is an error
    naming the record ('Designation 42 has unknown IndividualEntityShip 'plane'')."""
    schema = schemas.get((kind or "").lower())
    if schema is None:
        raise source_error(path, where, f"{record} has unknown {type_field} {kind!r}")
    return EntityBuilder(entity_id, schema, source)

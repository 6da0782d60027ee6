"""UN Security Council Consolidated List XML (`CONSOLIDATED_LIST`, sc-sanctions.xsd).

One entity per INDIVIDUAL / ENTITY, id `un-<REFERENCE_NUMBER>` (e.g. `un-KPe.050`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import (
    EntityBuilder,
    children,
    clean,
    iter_xml,
    join,
    source_error,
    text_of,
    texts,
)
from watchlist.sources.urls import SOURCE_URLS
from watchlist.text.dates import date_interval, parse_date_prefix

SOURCE = "un"
FORMAT = "un-xml"
ROOT = "CONSOLIDATED_LIST"
_TAGS = frozenset({"INDIVIDUAL", "ENTITY"})
_DATE_GENERATED = re.compile(rb'dateGenerated="([^"]+)"')

# QUALITY of an alias -> the kind of name. An empty QUALITY with a name is an a.k.a.
_QUALITY = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "aka": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.PREVIOUS_NAME,
    "fka": NameKind.PREVIOUS_NAME,
}


def load(path: Path, head: bytes = b"") -> ParsedList:
    head = head or path.read_bytes()[:4096]
    m = _DATE_GENERATED.search(head)
    published = m.group(1).decode("ascii", "replace") if m else None
    return ParsedList(
        source=SOURCE,
        format=FORMAT,
        files=(path,),
        entities=lambda: parse(path),
        published=published,
        source_url=SOURCE_URLS[SOURCE],
    )


def parse(path: Path) -> Iterator[Entity]:
    for el in iter_xml(path, _TAGS):
        yield _record(path, el)


def _record(path: Path, el: etree._Element) -> Entity:
    tag = str(el.tag)
    is_person = tag == "INDIVIDUAL"
    where = f"line {el.sourceline}"
    label = f"{tag} DATAID={text_of(el, 'DATAID') or '?'}"
    ref = text_of(el, "REFERENCE_NUMBER")
    if ref is None:
        raise source_error(path, where, f"{label} has no REFERENCE_NUMBER")
    b = EntityBuilder(f"un-{ref}", Schema.PERSON if is_person else Schema.ORGANIZATION, SOURCE)

    b.add_name(join((text_of(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")), " "))
    for original in texts(el, "NAME_ORIGINAL_SCRIPT"):
        b.add_name(original, NameKind.NAME, original_script=True)
    if not b.names:
        raise source_error(path, where, f"{label} ({ref}) has no name")

    for alias in children(el, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        name = text_of(alias, "ALIAS_NAME")
        if name is None:
            continue
        quality = (text_of(alias, "QUALITY") or "").lower()
        b.add_name(name, _QUALITY.get(quality, NameKind.ALIAS))
        b.add_birth_date(text_of(alias, "DATE_OF_BIRTH"))
        b.add_birth_place(join((text_of(alias, "CITY_OF_BIRTH"), text_of(alias, "COUNTRY_OF_BIRTH"))))

    b.add_program(text_of(el, "UN_LIST_TYPE"))
    b.add_listed_on(text_of(el, "LISTED_ON"))
    b.add_remark(text_of(el, "COMMENTS1"))
    gender = text_of(el, "GENDER")
    if gender:
        b.add_extra("gender", gender.lower())
    for value in texts_in(el, "DESIGNATION"):
        b.add_extra("position", value)
    for value in texts_in(el, "TITLE"):
        b.add_extra("title", value)
    for value in texts_in(el, "NATIONALITY"):
        b.add_nationality(value)

    for dob in children(el, "INDIVIDUAL_DATE_OF_BIRTH"):
        _birth_date(b, dob)
    for pob in children(el, "INDIVIDUAL_PLACE_OF_BIRTH"):
        place = join(text_of(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
        b.add_birth_place(place)
    for doc in children(el, "INDIVIDUAL_DOCUMENT"):
        _document(b, doc)
    for addr in children(el, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        country = text_of(addr, "COUNTRY")
        full = join(
            text_of(addr, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
        )
        if full == country:  # a bare country is a country, not an address
            b.add_country(country)
        else:
            b.add_address(full, text_of(addr, "CITY"), country)
    try:
        return b.build()
    except ValueError as exc:
        raise source_error(path, where, f"{label}: {exc}") from exc


def texts_in(el: etree._Element, container: str) -> list[str]:
    """The VALUE texts under each `container` child (DESIGNATION, TITLE, NATIONALITY)."""
    out: list[str] = []
    for node in children(el, container):
        out.extend(texts(node, "VALUE"))
    return out


def _birth_date(b: EntityBuilder, dob: etree._Element) -> None:
    kind = (text_of(dob, "TYPE_OF_DATE") or "").upper()
    start, end = text_of(dob, "FROM_YEAR"), text_of(dob, "TO_YEAR")
    if kind == "BETWEEN" or (start and end):
        first = parse_date_prefix(start or "")
        last = parse_date_prefix(end or "")
        if first and last:
            b.add_birth_date(date_interval(first, last))
            return
    b.add_birth_date(text_of(dob, "DATE") or text_of(dob, "YEAR"))


def _document(b: EntityBuilder, doc: etree._Element) -> None:
    number = text_of(doc, "NUMBER")
    if number is None:
        return
    kind = text_of(doc, "TYPE_OF_DOCUMENT") or ""
    kind2 = text_of(doc, "TYPE_OF_DOCUMENT2") or ""
    label = f"{kind} {kind2}".lower()
    if "pasaporte" in label or "passport" in label or "passeport" in label:
        id_type = IdType.PASSPORT
    elif "identi" in label or "national" in label:
        id_type = IdType.NATIONAL_ID
    else:
        id_type = IdType.OTHER
    country = text_of(doc, "ISSUING_COUNTRY") or text_of(doc, "COUNTRY_OF_ISSUE")
    note = join((kind, kind2, text_of(doc, "NOTE")), "; ")
    b.add_identifier(id_type, number, country, clean(note))

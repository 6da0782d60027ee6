"""OFAC SDN.XML (the legacy XML: `<sdnList>`, `publshInformation/Publish_Date`, `sdnEntry`).

One entity per sdnEntry, id `ofac-<uid>` (uid is the CSV's ent_num, so the ids match
the CSV parser's). Works with or without the XML namespace (tempuri.org or the
newer sanctionslistservice one). Remarks are parsed like the CSV's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import (
    children,
    descendants,
    iter_xml,
    join,
    source_error,
    text_of,
    typed_builder,
)
from watchlist.sources.ofac_csv import apply_remarks
from watchlist.sources.urls import SOURCE_URLS
from watchlist.text.dates import parse_date

SOURCE = "ofac-sdn"
FORMAT = "ofac-xml"
_TYPES = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_AKA = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.PREVIOUS_NAME, "n.k.a.": NameKind.ALIAS}
_PUBLISHED = re.compile(rb"<(?:\w+:)?Publish_Date>([^<]+)</")
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "diplomatic passport": IdType.PASSPORT,
    "national id no.": IdType.NATIONAL_ID,
    "identification number": IdType.NATIONAL_ID,
    "cedula no.": IdType.NATIONAL_ID,
    "tax id no.": IdType.TAX_ID,
    "registration number": IdType.REGISTRATION,
    "registration id": IdType.REGISTRATION,
    "swift/bic": IdType.SWIFT_BIC,
    "vessel registration identification": IdType.IMO,
    "mmsi": IdType.MMSI,
    "aircraft manufacturer's serial number (msn)": IdType.AIRCRAFT_SERIAL,
    "aircraft tail number": IdType.REGISTRATION,
}


def load(path: Path, head: bytes = b"") -> ParsedList:
    m = _PUBLISHED.search(head)
    published = _us_date(m.group(1).decode("ascii", "replace")) if m else None
    return ParsedList(SOURCE, FORMAT, (path,), lambda: parse(path), published, SOURCE_URLS[SOURCE])


def _us_date(text: str) -> str | None:
    """OFAC's Publish_Date is month-first: '05/03/2024' is 3 May 2024."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date().isoformat()
    except ValueError:
        return parse_date(text)


def parse(path: Path) -> Iterator[Entity]:
    for el in iter_xml(path, frozenset({"sdnEntry"})):
        yield _entry(path, el)


def _entry(path: Path, el: etree._Element) -> Entity:
    where = f"line {el.sourceline}"
    uid = text_of(el, "uid")
    if uid is None:
        raise source_error(path, where, "sdnEntry has no uid")
    b = typed_builder(path, where, f"sdnEntry uid={uid}", "sdnType", (text_of(el, "sdnType") or "").lower(),
                      _TYPES, f"ofac-{uid}", SOURCE)
    last, first = text_of(el, "lastName"), text_of(el, "firstName")
    b.add_name(f"{last}, {first}" if last and first else last or first)  # as the CSV writes it
    if not b.names:
        raise source_error(path, where, f"sdnEntry uid={uid} has no name")
    for aka in descendants(el, "aka"):
        a_last, a_first = text_of(aka, "lastName"), text_of(aka, "firstName")
        name = f"{a_last}, {a_first}" if a_last and a_first else a_last or a_first
        kind_name = _AKA.get((text_of(aka, "type") or "").lower(), NameKind.ALIAS)
        if (text_of(aka, "category") or "").lower() == "weak":
            kind_name = NameKind.WEAK_ALIAS
        b.add_name(name, kind_name)
    for program in descendants(el, "program"):
        b.add_program(program.text)
    b.add_extra("position" if b.schema is Schema.PERSON else "title", text_of(el, "title"))
    for ident in descendants(el, "id"):
        label = text_of(ident, "idType") or ""
        number = text_of(ident, "idNumber")
        if label.lower() == "gender" and number:
            b.add_extra("gender", number.lower())
            continue
        id_type = _ID_TYPES.get(label.lower(), IdType.OTHER)
        if label.startswith("Digital Currency Address"):
            id_type = IdType.CRYPTO_WALLET
        if id_type is IdType.IMO and number:
            number = number.removeprefix("IMO").strip()
        b.add_identifier(id_type, number, text_of(ident, "idCountry"), label)
    for dob in descendants(el, "dateOfBirthItem"):
        b.add_birth_date(text_of(dob, "dateOfBirth"))
    for pob in descendants(el, "placeOfBirthItem"):
        b.add_birth_place(text_of(pob, "placeOfBirth"))
    for nat in descendants(el, "nationality"):
        b.add_nationality(text_of(nat, "country"))
    for cit in descendants(el, "citizenship"):
        b.add_nationality(text_of(cit, "country"))
    for addr in descendants(el, "address"):
        country = text_of(addr, "country")
        city = text_of(addr, "city")
        full = join((text_of(addr, "address1"), text_of(addr, "address2"), text_of(addr, "address3"), city,
                     text_of(addr, "stateOrProvince"), text_of(addr, "postalCode"), country))  # fmt: skip
        if full and full != country:
            b.add_address(full, city, country)
        else:
            b.add_country(country)
    for vessel in children(el, "vesselInfo"):
        b.add_identifier(IdType.CALL_SIGN, text_of(vessel, "callSign"))
        b.add_extra("type", text_of(vessel, "vesselType"))
        flag = text_of(vessel, "vesselFlag")
        if flag:
            b.add_country(flag)
            b.add_extra("flag", b.countries[-1] if b.countries else flag)
        b.add_extra("owner", text_of(vessel, "vesselOwner"))
        b.add_extra("tonnage", text_of(vessel, "tonnage"))
        b.add_extra("grossRegisteredTonnage", text_of(vessel, "grossRegisteredTonnage"))
    remarks = text_of(el, "remarks")
    if remarks:
        apply_remarks(b, remarks)
    return b.build()

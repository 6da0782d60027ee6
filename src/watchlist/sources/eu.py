"""EU Financial Sanctions File (FSF) 1.1, XML and CSV. Source `eu`, id `eu-<logicalId>`.

XML: `<export generationDate=...>` holding `<sanctionEntity logicalId=...>` records with
`nameAlias`, `birthdate`, `citizenship`, `identification`, `address`, `regulation`
(its `programme`), `subjectType` (person / enterprise) and `remark` children, values
in attributes. CSV: ';'-separated, one row per detail, columns `<Section>_<Field>`
(`Entity_LogicalId`, `NameAlias_WholeName`, `BirthDate_BirthDate`, ...), grouped by
`Entity_LogicalId`.

The FSF marks no primary name: the first name alias is taken as the name and the
rest as aliases; `strong="false"` aliases are weak.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import EntityBuilder, children, clean, iter_xml, join, local, source_error
from watchlist.sources.urls import SOURCE_URLS
from watchlist.text.dates import date_interval, parse_date

SOURCE = "eu"
_SUBJECTS = {
    "person": Schema.PERSON,
    "p": Schema.PERSON,
    "enterprise": Schema.ORGANIZATION,
    "e": Schema.ORGANIZATION,
}
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "nationalid": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "regnumber": IdType.REGISTRATION,
    "registration": IdType.REGISTRATION,
    "fiscalcode": IdType.TAX_ID,
    "tax": IdType.TAX_ID,
    "swiftbic": IdType.SWIFT_BIC,
    "imo": IdType.IMO,
}
_CSV_REQUIRED = ("Entity_LogicalId", "NameAlias_WholeName", "Entity_SubjectType")
_GENERATION = re.compile(rb'generationDate="([^"]+)"')


def load(path: Path, fmt: str, head: bytes = b"") -> ParsedList:
    if fmt == "eu-xml":
        m = _GENERATION.search(head)
        published = m.group(1).decode("ascii", "replace") if m else None
        entities: Callable[[], Iterator[Entity]] = lambda: parse_xml(path)
    else:
        published = _csv_published(head)
        entities = lambda: parse_csv(path)
    return ParsedList(SOURCE, fmt, (path,), entities, published, SOURCE_URLS[SOURCE])


def _gender(value: str | None) -> str | None:
    return {"m": "male", "f": "female"}.get((value or "").strip().lower()[:1])


def _id_type(code: str | None) -> IdType:
    return _ID_TYPES.get((code or "").strip().lower(), IdType.OTHER)


def _birth_date(b: EntityBuilder, get: Callable[[str], str | None]) -> None:
    start, end = get("yearRangeFrom"), get("yearRangeTo")
    if start and end:
        first, last = parse_date(start), parse_date(end)
        if first and last:
            b.add_birth_date(date_interval(first, last))
            return
    full = get("birthdate")
    if full:
        b.add_birth_date(full)
        return
    year, month, day = get("year"), get("monthOfYear"), get("dayOfMonth")
    if year:
        text = year
        if month and month.isdigit() and int(month):
            text += f"-{int(month):02d}"
            if day and day.isdigit() and int(day):
                text += f"-{int(day):02d}"
        b.add_birth_date(text)


# -- XML ---------------------------------------------------------------------


def parse_xml(path: Path) -> Iterator[Entity]:
    for el in iter_xml(path, frozenset({"sanctionEntity"})):
        yield _xml_entity(path, el)


def _xml_entity(path: Path, el: etree._Element) -> Entity:
    where = f"line {el.sourceline}"
    logical_id = clean(el.get("logicalId"))
    if logical_id is None:
        raise source_error(path, where, "sanctionEntity has no logicalId")
    subject = next(iter(children(el, "subjectType")), None)
    code = (subject.get("code") or subject.get("classificationCode") or "") if subject is not None else ""
    schema = _SUBJECTS.get(code.strip().lower())
    if schema is None:
        raise source_error(path, where, f"sanctionEntity logicalId={logical_id} has unknown subjectType {code!r}")
    b = EntityBuilder(f"eu-{logical_id}", schema, SOURCE)
    for alias in children(el, "nameAlias"):
        name = clean(alias.get("wholeName")) or join(
            (alias.get("firstName"), alias.get("middleName"), alias.get("lastName")), " "
        )
        if name is None:
            continue
        weak = (alias.get("strong") or "true").lower() == "false"
        kind = NameKind.WEAK_ALIAS if weak else (NameKind.ALIAS if b.names else NameKind.NAME)
        b.add_name(name, kind, (clean(alias.get("nameLanguage")) or "").lower() or None)
        if schema is Schema.PERSON:
            b.add_extra("gender", _gender(alias.get("gender")))
        b.add_extra("title", alias.get("title"))
        b.add_extra("position", alias.get("function"))
    if not b.names:
        raise source_error(path, where, f"sanctionEntity logicalId={logical_id} has no name")
    b.add_extra("euReferenceNumber", el.get("euReferenceNumber"))
    b.add_extra("unReference", el.get("unitedNationId"))
    b.add_listed_on(el.get("designationDate"))
    b.add_remark(el.get("designationDetails"))
    for child in el:
        tag = local(child.tag)
        get = child.get
        if tag == "regulation":
            b.add_program(get("programme"))
            if b.source_url is None:
                b.source_url = clean(next((c.text for c in child if local(c.tag) == "publicationUrl"), None))
        elif tag == "remark":
            b.add_remark(child.text)
        elif tag == "citizenship":
            b.add_nationality(get("countryIso2Code") or get("countryDescription"))
        elif tag == "birthdate":
            _birth_date(b, get)
            b.add_birth_place(join((get("place"), get("city"), get("region"), get("countryDescription"))))
        elif tag == "identification":
            id_type = _id_type(get("identificationTypeCode"))
            notes = [get("identificationTypeDescription")]
            notes += [flag for flag in ("diplomatic", "knownFalse", "knownExpired") if get(flag) == "true"]
            b.add_identifier(id_type, get("number") or get("latinNumber"), get("countryIso2Code"), join(notes, "; "))
        elif tag == "address":
            country = get("countryIso2Code") or get("countryDescription")
            full = join((get("street"), get("poBox"), get("zipCode"), get("city"), get("region"),
                         get("place"), get("countryDescription")))  # fmt: skip
            if full and full != clean(get("countryDescription")):
                b.add_address(full, get("city"), country)
            else:
                b.add_country(country)
    return b.build()


# -- CSV ---------------------------------------------------------------------


def _csv_published(head: bytes) -> str | None:
    lines = head.decode("utf-8-sig", "replace").splitlines()
    if len(lines) < 2:
        return None
    header = lines[0].split(";")
    values = next(csv.reader([lines[1]], delimiter=";"), [])
    if "fileGenerationDate" in header:
        i = header.index("fileGenerationDate")
        if i < len(values):
            return parse_date(values[i])
    return None


def parse_csv(path: Path) -> Iterator[Entity]:
    builders: dict[str, EntityBuilder] = {}
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        missing = [c for c in _CSV_REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise source_error(path, "line 1", f"not the EU FSF CSV header: missing column(s) {missing}")
        try:
            for row in reader:
                _csv_row(path, reader.line_num, row, builders)
        except csv.Error as exc:
            raise source_error(path, f"line {reader.line_num}", f"unreadable CSV ({exc})") from exc
    for logical_id, b in builders.items():
        if not b.names:
            raise source_error(path, "", f"Entity_LogicalId {logical_id} has no name")
        yield b.build()


def _csv_row(path: Path, line: int, row: dict[str, str], builders: dict[str, EntityBuilder]) -> None:
    def section(prefix: str) -> Callable[[str], str | None]:
        def get(field: str) -> str | None:
            return clean(row.get(f"{prefix}_{field[:1].upper()}{field[1:]}"))

        return get

    logical_id = clean(row.get("Entity_LogicalId"))
    if logical_id is None:
        raise source_error(path, f"line {line}", "row without Entity_LogicalId")
    b = builders.get(logical_id)
    if b is None:
        code = clean(row.get("Entity_SubjectType")) or clean(row.get("Entity_SubjectType_ClassificationCode")) or ""
        schema = _SUBJECTS.get(code.lower())
        if schema is None:
            raise source_error(path, f"line {line}", f"Entity_LogicalId {logical_id} has unknown subject type {code!r}")
        b = builders[logical_id] = EntityBuilder(f"eu-{logical_id}", schema, SOURCE)
        b.add_extra("euReferenceNumber", row.get("Entity_EU_ReferenceNumber"))
        b.add_extra("unReference", row.get("Entity_UnitedNationId"))
        b.add_listed_on(clean(row.get("Entity_DesignationDate")))
        b.add_remark(row.get("Entity_DesignationDetails"))
    b.add_remark(row.get("Entity_Remark"))
    b.add_program(row.get("Entity_Regulation_Programme"))
    if b.source_url is None:
        b.source_url = clean(row.get("Entity_Regulation_PublicationUrl"))

    name = section("NameAlias")
    whole = name("wholeName") or join((name("firstName"), name("middleName"), name("lastName")), " ")
    if whole:
        b.add_name(whole, NameKind.ALIAS if b.names else NameKind.NAME, (name("nameLanguage") or "").lower() or None)
        if b.schema is Schema.PERSON:
            b.add_extra("gender", _gender(name("gender")))
        b.add_extra("title", name("title"))
        b.add_extra("position", name("function"))

    birth = section("BirthDate")
    if any(birth(f) for f in ("birthDate", "year", "yearRangeFrom")):
        _birth_date(b, lambda f: birth({"birthdate": "birthDate", "monthOfYear": "month", "dayOfMonth": "day"}.get(f, f)))
    b.add_birth_place(join((birth("place"), birth("city"), birth("region"), birth("countryDescription"))))

    citizen = section("Citizenship")
    b.add_nationality(citizen("countryIso2Code") or citizen("countryDescription"))

    ident = section("Identification")
    if ident("number") or ident("latinNumber"):
        notes = [ident("typeDescription")]
        notes += [f for f in ("diplomatic", "knownFalse", "knownExpired") if (ident(f) or "").lower() == "true"]
        b.add_identifier(_id_type(ident("typeCode")), ident("number") or ident("latinNumber"),
                         ident("countryIso2Code"), join(notes, "; "))  # fmt: skip

    addr = section("Address")
    country = addr("countryIso2Code") or addr("countryDescription")
    full = join((addr("street"), addr("poBox"), addr("zipCode"), addr("city"), addr("region"), addr("place"),
                 addr("countryDescription")))  # fmt: skip
    if full and full != addr("countryDescription"):
        b.add_address(full, addr("city"), country)
    elif country:
        b.add_country(country)

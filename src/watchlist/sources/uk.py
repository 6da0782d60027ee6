"""UK lists, all loaded as source `uk`.

* OFSI Consolidated List ("ConList"), XLSX or CSV: row 1 'Last Updated | dd/mm/yyyy',
  row 2 the header, then one row per name variant; rows of one target share a
  `Group ID` (not always adjacent). Id `uk-<Group ID>`.
* FCDO UK Sanctions List, CSV (row 1 'Report Date: ...', row 2 header, one row per
  name, grouped by `Unique ID`) and XML (`<Designations>` / `<Designation>`).
  Id `uk-<Unique ID>` (e.g. `uk-RUS0001`).

Multi-valued cells are written "(1) A (2) B"; `split_numbered` takes them apart.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from watchlist.errors import SourceError
from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import (
    EntityBuilder,
    clean,
    join,
    source_error,
    typed_builder,
    un_reference,
)
from watchlist.sources.urls import SOURCE_URLS
from watchlist.sources.xlsx import read_rows
from watchlist.text.dates import parse_date

SOURCE = "uk"

CONLIST_COLUMNS = (
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script",
    "Non-Latin Script Type", "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address 1", "Address 2", "Address 3", "Address 4",
    "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information", "Group Type",
    "Alias Type", "Alias Quality", "Regime", "Listed On", "UK Sanctions List Date Designated",
    "Last Updated", "Group ID",
)  # fmt: skip
_CONLIST_REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Group ID")

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_LANGS = {
    "russian": "ru", "arabic": "ar", "persian": "fa", "persian/farsi": "fa", "farsi": "fa",
    "belarusian": "be", "ukrainian": "uk", "chinese": "zh", "georgian": "ka", "hebrew": "he",
    "korean": "ko", "bulgarian": "bg", "thai": "th", "greek": "el", "pashto": "ps", "urdu": "ur",
    "serbian": "sr", "macedonian": "mk", "burmese": "my", "tigrinya": "ti", "amharic": "am",
}  # fmt: skip
_NUMBERED = re.compile(r"\(\d{1,2}\)")
_OTHER_INFO = re.compile(r"\(([^()]{2,60})\)\s*:")
_OTHER_PROPS = {
    "gender": "gender",
    "phone number": "phone",
    "email address": "email",
    "website": "website",
    "type of entity": "legalForm",
    "parent company": "parent",
    "subsidiaries": "subsidiaries",
    "flag of ship": "flag",
    "type of ship": "type",
    "tonnage of ship": "tonnage",
    "length of ship": "length",
    "year built": "buildDate",
    "current owners": "owner",
    "previous flags": "pastFlags",
    "uk sanctions list ref": "ukSanctionsListRef",
    "un ref": "unReference",
}


def split_numbered(value: object) -> list[str]:
    """'(1) A (2) B' -> ['A', 'B']; 'A' -> ['A']; empty parts dropped."""
    text = clean(value)
    if text is None:
        return []
    if not _NUMBERED.search(text):
        return [text]
    return [p for p in (clean(x) for x in _NUMBERED.split(text)) if p and p != "-"]


def _cell(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def _date(value: object) -> str | None:
    text = clean(value)
    return parse_date(text) if text else None


# -- loading -------------------------------------------------------------------


def load(path: Path, fmt: str, head: bytes = b"") -> ParsedList:
    from watchlist.sources.uk_fcdo import (  # uk_fcdo shares this module's helpers
        parse_fcdo_csv,
        parse_fcdo_xml,
    )

    published: str | None = None
    if fmt == "uk-xlsx":
        published = _xlsx_published(path)
        entities: Callable[[], Iterator[Entity]] = lambda: parse_conlist(path, _xlsx_rows(path))
    elif fmt == "uk-csv":
        published = _csv_first_date(head)
        entities = lambda: parse_conlist(path, _csv_rows(path))
    elif fmt == "uk-fcdo-csv":
        published = _csv_first_date(head)
        entities = lambda: parse_fcdo_csv(path, _csv_rows(path))
    elif fmt == "uk-fcdo-xml":
        m = re.search(rb"<DateGenerated>([^<]+)</DateGenerated>", head)
        published = _date(m.group(1).decode("utf-8", "replace")) if m else None
        entities = lambda: parse_fcdo_xml(path)
    else:  # pragma: no cover
        raise SourceError(f"{path.name}: not a UK format ({fmt})")
    url = SOURCE_URLS[SOURCE] if fmt.startswith("uk-fcdo") else (
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
    )
    return ParsedList(SOURCE, fmt, (path,), entities, published, url)


def _csv_first_date(head: bytes) -> str | None:
    first = head.decode("utf-8-sig", "replace").splitlines()[0] if head else ""
    m = re.search(r"(\d{1,2}[/-][A-Za-z0-9]{2,3}[/-]\d{4})", first)
    if not m:
        return None
    text = m.group(1)
    try:
        return datetime.strptime(text, "%d-%b-%Y").date().isoformat()
    except ValueError:
        return _date(text)


def _xlsx_published(path: Path) -> str | None:
    for line, row in read_rows(path):
        if row and row[0] == "Last Updated" and len(row) > 1:
            return _date(_cell(row[1]))
        break
    return None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    for line, row in read_rows(path):
        yield line, [clean(v) for v in row]


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        try:
            for row in reader:
                yield reader.line_num, [clean(v) for v in row]
        except csv.Error as exc:
            raise source_error(path, f"line {reader.line_num}", f"unreadable CSV ({exc})") from exc


def _header(
    path: Path, rows: Iterator[tuple[int, list[str | None]]], required: tuple[str, ...], first: str
) -> dict[str, int]:
    """Skip the first (date) row, read the header row, check the required columns."""
    for line, row in rows:
        if line == 1 and row and row[0] and row[0].startswith(first):
            continue
        columns = {c: i for i, c in enumerate(row) if c}
        missing = [c for c in required if c not in columns]
        if missing:
            raise source_error(path, f"line {line}", f"not the expected header: missing column(s) {missing}")
        return columns
    raise source_error(path, "", "no header row")


def _group(path: Path, builders: dict[str, EntityBuilder]) -> Iterator[Entity]:
    for builder in builders.values():
        yield builder.build()


# -- OFSI ConList ---------------------------------------------------------------


def parse_conlist(path: Path, rows: Iterator[tuple[int, list[str | None]]]) -> Iterator[Entity]:
    """Group the name rows by Group ID (they need not be adjacent), then build."""
    columns = _header(path, rows, _CONLIST_REQUIRED, "Last Updated")
    builders: dict[str, EntityBuilder] = {}
    # A target's rows repeat its details once per name; each distinct set is applied once.
    name_cols = {columns[c] for c in _NAME_COLUMNS if c in columns}
    detail_cols = [i for i in sorted(columns.values()) if i not in name_cols]
    seen: set[tuple[str | None, ...]] = set()
    for line, row in rows:
        if not any(row):
            continue
        get = _getter(columns, row)
        b = grouped_builder(builders, path, f"row {line}", get, "Group ID", "Group Type")
        details = tuple(row[i] if i < len(row) else None for i in detail_cols)
        _conlist_names(path, line, b, get)
        if details not in seen:
            seen.add(details)
            _conlist_details(b, get)
    yield from _group(path, builders)


def grouped_builder(
    builders: dict[str, EntityBuilder], path: Path, where: str, get: Callable[[str], str | None], id_field: str,
    type_field: str,
) -> EntityBuilder:
    """The builder of the target a row belongs to (lists with a row per name repeat the target's id
    on each): made at its first row, for the schema its type names."""
    uid = get(id_field)
    if uid is None:
        raise source_error(path, where, f"row without a {id_field}")
    b = builders.get(uid)
    if b is None:
        b = builders[uid] = typed_builder(path, where, f"{id_field} {uid}", type_field, get(type_field), _SCHEMAS,
                                          f"uk-{uid}", SOURCE)
    return b


def _getter(columns: dict[str, int], row: list[str | None]) -> Callable[[str], str | None]:
    def get(name: str) -> str | None:
        i = columns.get(name)
        return row[i] if i is not None and i < len(row) else None

    return get


def _name_kind(alias_type: str | None, quality: str | None) -> NameKind:
    kind = (alias_type or "").lower()
    if kind.startswith("primary name") and "variation" not in kind:
        return NameKind.NAME
    if kind in ("fka", "f.k.a.", "formerly known as"):
        return NameKind.PREVIOUS_NAME
    if (quality or "").lower().startswith("low") or kind == "weak":
        return NameKind.WEAK_ALIAS
    return NameKind.ALIAS


_NAME_COLUMNS = (
    "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6", "Name Non-Latin Script",
    "Non-Latin Script Type", "Non-Latin Script Language", "Alias Type", "Alias Quality",
)  # fmt: skip


def _conlist_names(path: Path, line: int, b: EntityBuilder, get: Callable[[str], str | None]) -> None:
    parts = [get(f"Name {i}") for i in (1, 2, 3, 4, 5)] + [get("Name 6")]
    name = join(parts, " ")
    non_latin = get("Name Non-Latin Script")
    if name is None and non_latin is None:
        raise source_error(path, f"row {line}", f"Group ID {get('Group ID')} has a row without a name")
    kind = _name_kind(get("Alias Type"), get("Alias Quality"))
    b.add_name(name, kind)
    if non_latin:
        lang = _LANGS.get((get("Non-Latin Script Language") or "").lower())
        b.add_name(non_latin, kind, lang, original_script=True)


def _conlist_details(b: EntityBuilder, get: Callable[[str], str | None]) -> None:
    b.add_extra("title", get("Title"))
    for dob in split_numbered(get("DOB")):
        b.add_birth_date(dob)
    towns, countries = split_numbered(get("Town of Birth")), split_numbered(get("Country of Birth"))
    if len(towns) == len(countries):
        for town, birth_country in zip(towns, countries):
            b.add_birth_place(join((town, birth_country)))
    else:
        for place in towns + countries:
            b.add_birth_place(place)
    for nationality in split_numbered(get("Nationality")):
        b.add_nationality(nationality)
    _numbered_ids(b, IdType.PASSPORT, get("Passport Number"), get("Passport Details"))
    _numbered_ids(b, IdType.NATIONAL_ID, get("National Identification Number"), get("National Identification Details"))
    for position in split_numbered(get("Position")):
        b.add_extra("position", position)
    country = get("Country")
    address = join([get(f"Address {i}") for i in range(1, 7)] + [get("Post/Zip Code"), country])
    if address and address != country:
        b.add_address(address, get("Address 6"), country)
    else:
        b.add_country(country)
    _other_information(b, get("Other Information"))
    b.add_program(get("Regime"))
    b.add_listed_on(_date(get("Listed On")))
    b.add_listed_on(_date(get("UK Sanctions List Date Designated")))
    b.add_extra("modifiedAt", _date(get("Last Updated")))


def _numbered_ids(b: EntityBuilder, id_type: IdType, numbers: str | None, details: str | None) -> None:
    values = split_numbered(numbers)
    notes = split_numbered(details)
    for i, value in enumerate(values):
        note = notes[i] if len(notes) == len(values) else (details if len(values) == 1 else None)
        b.add_identifier(id_type, value, None, note)


def _other_information(b: EntityBuilder, text: str | None) -> None:
    """'(UK Sanctions List Ref):GHR0086. (Gender):Male' -> remark + extras, IMO numbers."""
    if not text:
        return
    b.add_remark(text)
    matches = list(_OTHER_INFO.finditer(text))
    for i, m in enumerate(matches):
        key = m.group(1).strip().lower()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end].strip().rstrip(".").strip()
        if not value:
            continue
        if key == "imo number":
            for imo in split_numbered(value):
                b.add_identifier(IdType.IMO, imo.removeprefix("IMO").strip())
        elif key == "business reg no":
            for reg in split_numbered(value):
                b.add_identifier(IdType.REGISTRATION, reg)
        elif key == "un ref":
            b.add_extra("unReference", un_reference(value))  # the narrative is in the notes already
        elif key == "uk sanctions list ref":
            b.add_extra("ukSanctionsListRef", value.split()[0].rstrip(".,;"))
        elif key in _OTHER_PROPS:
            prop = _OTHER_PROPS[key]
            for item in split_numbered(value):
                if prop == "flag":
                    b.add_country(item)
                b.add_extra(prop, item.lower() if prop == "gender" else item)


__all__ = ["CONLIST_COLUMNS", "load", "parse_conlist", "split_numbered"]

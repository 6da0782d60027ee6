"""UK FCDO UK Sanctions List, CSV (row 1 'Report Date: ...', row 2 header, one row per name,
grouped by `Unique ID`) and XML (`<Designations>` / `<Designation>`). Id `uk-<Unique ID>`.

Shares the cell helpers of `uk` (the OFSI ConList parser), which loads both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from watchlist.model import Entity, IdType, NameKind
from watchlist.sources.common import (
    UN_REFERENCE,
    EntityBuilder,
    descendants,
    iter_xml,
    join,
    source_error,
    text_of,
    texts,
    typed_builder,
    un_reference,
)
from watchlist.sources.uk import (
    _LANGS,
    _SCHEMAS,
    SOURCE,
    _date,
    _getter,
    _group,
    _header,
    _numbered_ids,
    grouped_builder,
    split_numbered,
)


def add_un_reference(b: EntityBuilder, value: str | None) -> None:
    """'KPe.050. Mansudae Overseas Project Group ... engaged in ...' -> unReference 'KPe.050'; the
    narrative after it stays in the record's notes. A value with no reference number is a note."""
    ref = un_reference(value)
    if ref is not None:
        b.add_extra("unReference", ref)
        value = UN_REFERENCE.sub("", value or "", count=1).strip(" .;:")
    b.add_remark(value or None)


_FCDO_REQUIRED = ("Unique ID", "Name 6", "Name type", "Regime Name", "Designation Type")

_FCDO_LISTS = {
    "D.O.B": "dob",
    "Nationality(/ies)": "nationality",
    "Position": "position",
    "Gender": "gender",
    "Town of birth": "town",
    "Country of birth": "country_of_birth",
    "Type of entity": "legalForm",
    "Subsidiaries": "subsidiaries",
    "Parent company": "parent",
    "Current owner/operator (s)": "owner",
    "Previous owner/operator (s)": "pastOwner",
    "Current believed flag of ship": "flag",
    "Previous flags": "pastFlags",
    "Type of ship": "type",
    "Tonnage of ship": "tonnage",
    "Length of ship": "length",
    "Year Built": "buildDate",
    "Phone number": "phone",
    "Website": "website",
    "Email address": "email",
}


def parse_fcdo_csv(path: Path, rows: Iterator[tuple[int, list[str | None]]]) -> Iterator[Entity]:
    columns = _header(path, rows, _FCDO_REQUIRED, "Report Date")
    builders: dict[str, EntityBuilder] = {}
    for line, row in rows:
        if not any(row):
            continue
        get = _getter(columns, row)
        b = grouped_builder(builders, path, f"line {line}", get, "Unique ID", "Designation Type")
        name = join([get(f"Name {i}") for i in (1, 2, 3, 4, 5)] + [get("Name 6")], " ")
        non_latin = get("Name non-latin script")
        if name is None and non_latin is None:
            raise source_error(path, f"line {line}", f"{b.id} has a row without a name")
        b.add_name(name, _fcdo_kind(get("Name type"), get("Alias strength")))
        if non_latin:
            b.add_name(non_latin, _fcdo_kind(get("Name type"), get("Alias strength")), _LANGS.get((get("Non-latin script language") or "").lower()), True)
        b.add_extra("title", get("Title"))
        b.add_program(get("Regime Name"))
        b.add_listed_on(_date(get("Date Designated")))
        b.add_extra("modifiedAt", _date(get("Last Updated")))
        b.add_extra("ofsiGroupId", get("OFSI Group ID"))
        add_un_reference(b, get("UN Reference Number"))
        b.add_extra("sanctionsImposed", get("Sanctions Imposed"))
        b.add_remark(get("Other Information"))
        b.add_remark(get("UK Statement of Reasons"))
        country = get("Address Country")
        address = join([get(f"Address Line {i}") for i in range(1, 7)] + [get("Address Postal Code"), country])
        if address and address != country:
            b.add_address(address, get("Address Line 6"), country)
        else:
            b.add_country(country)
        values: dict[str, list[str]] = {key: split_numbered(get(col)) for col, key in _FCDO_LISTS.items()}
        _numbered_ids(b, IdType.PASSPORT, get("Passport number"), get("Passport additional information"))
        _numbered_ids(
            b, IdType.NATIONAL_ID, get("National Identifier number"), get("National Identifier additional information")
        )
        for reg in split_numbered(get("Business registration number (s)")):
            b.add_identifier(IdType.REGISTRATION, reg)
        for imo in split_numbered(get("IMO number")):
            b.add_identifier(IdType.IMO, imo.removeprefix("IMO").strip())
        for hin in split_numbered(get("Hull identification number (HIN)")):
            b.add_identifier(IdType.OTHER, hin, None, "Hull identification number (HIN)")
        _fcdo_details(b, values)
    yield from _group(path, builders)


def _fcdo_kind(name_type: str | None, strength: str | None) -> NameKind:
    kind = (name_type or "").lower()
    if kind.startswith("primary"):
        return NameKind.NAME
    if "former" in kind or kind == "fka":
        return NameKind.PREVIOUS_NAME
    if (strength or "").lower().startswith(("weak", "low")):
        return NameKind.WEAK_ALIAS
    return NameKind.ALIAS


def _fcdo_details(b: EntityBuilder, values: dict[str, list[str]]) -> None:
    for dob in values.get("dob", ()):
        b.add_birth_date(dob)
    for nationality in values.get("nationality", ()):
        b.add_nationality(nationality)
    towns, countries = values.get("town", []), values.get("country_of_birth", [])
    if len(towns) == len(countries):
        for town, country in zip(towns, countries):
            b.add_birth_place(join((town, country)))
    else:
        for place in towns + countries:
            b.add_birth_place(place)
    for key in ("position", "gender", "legalForm", "subsidiaries", "parent", "owner", "pastOwner", "flag",
                "pastFlags", "type", "tonnage", "length", "buildDate", "phone", "website", "email"):  # fmt: skip
        for value in values.get(key, ()):
            if key == "flag":
                before = len(b.countries)
                b.add_country(value)
                if len(b.countries) > before:
                    value = b.countries[-1]
            b.add_extra(key, value.lower() if key == "gender" else value)


def parse_fcdo_xml(path: Path) -> Iterator[Entity]:
    for el in iter_xml(path, frozenset({"Designation"})):
        yield _fcdo_designation(path, el)


def _fcdo_designation(path: Path, el: etree._Element) -> Entity:
    where = f"line {el.sourceline}"
    uid = text_of(el, "UniqueID")
    if uid is None:
        raise source_error(path, where, "Designation has no UniqueID")
    b = typed_builder(path, where, f"Designation {uid}", "IndividualEntityShip",
                      (text_of(el, "IndividualEntityShip") or "").lower(), _SCHEMAS, f"uk-{uid}", SOURCE)
    for name in descendants(el, "Name"):
        if not len(name):  # a leaf <Name> is not a name record
            continue
        parts = [text_of(name, f"Name{i}") for i in (1, 2, 3, 4, 5)] + [text_of(name, "Name6")]
        b.add_name(join(parts, " "), _fcdo_kind(text_of(name, "NameType"), text_of(name, "AliasStrength")))
    for non_latin in descendants(el, "NonLatinName"):
        lang = _LANGS.get((text_of(non_latin, "NonLatinScriptLanguage") or "").lower())
        b.add_name(text_of(non_latin, "NameNonLatinScript"), NameKind.NAME, lang, True)
    if not b.names:
        raise source_error(path, where, f"Designation {uid} has no name")
    for title in texts(el, "Title"):
        b.add_extra("title", title)
    b.add_program(text_of(el, "RegimeName"))
    b.add_listed_on(_date(text_of(el, "DateDesignated")))
    b.add_extra("modifiedAt", _date(text_of(el, "LastUpdated")))
    b.add_extra("ofsiGroupId", text_of(el, "OFSIGroupID"))
    add_un_reference(b, text_of(el, "UNReferenceNumber"))
    b.add_extra("sanctionsImposed", text_of(el, "SanctionsImposed"))
    b.add_remark(text_of(el, "OtherInformation"))
    b.add_remark(text_of(el, "UKStatementofReasons"))
    for addr in descendants(el, "Address"):
        country = text_of(addr, "AddressCountry")
        lines = [text_of(addr, f"AddressLine{i}") for i in range(1, 7)]
        full = join(lines + [text_of(addr, "AddressPostalCode"), country])
        if full and full != country:
            b.add_address(full, lines[5], country)
        else:
            b.add_country(country)
    for passport in descendants(el, "Passport"):
        b.add_identifier(IdType.PASSPORT, text_of(passport, "PassportNumber"), None,
                         text_of(passport, "PassportAdditionalInformation"))  # fmt: skip
    for ident in descendants(el, "NationalIdentifier"):
        b.add_identifier(IdType.NATIONAL_ID, text_of(ident, "NationalIdentifierNumber"), None,
                         text_of(ident, "NationalIdentifierAdditionalInformation"))  # fmt: skip
    for reg in texts(el, "BusinessRegistrationNumber"):
        b.add_identifier(IdType.REGISTRATION, reg)
    for imo in texts(el, "IMONumber"):
        b.add_identifier(IdType.IMO, imo.removeprefix("IMO").strip())
    for hin in texts(el, "HullIdentificationNumber"):
        b.add_identifier(IdType.OTHER, hin, None, "Hull identification number (HIN)")
    for location in descendants(el, "Location"):
        b.add_birth_place(join((text_of(location, "TownOfBirth"), text_of(location, "CountryOfBirth"))))
    values = {
        "dob": texts(el, "DOB"),
        "nationality": texts(el, "Nationality"),
        "position": texts(el, "Position"),
        "gender": texts(el, "Gender"),
        "legalForm": texts(el, "TypeOfEntity"),
        "subsidiaries": texts(el, "Subsidiary"),
        "parent": texts(el, "ParentCompany"),
        "owner": texts(el, "CurrentOwnerOperator"),
        "pastOwner": texts(el, "PreviousOwnerOperator"),
        "flag": texts(el, "CurrentBelievedFlagOfShip"),
        "pastFlags": texts(el, "PreviousFlag"),
        "type": texts(el, "TypeOfShip"),
        "tonnage": texts(el, "TonnageOfShip"),
        "length": texts(el, "LengthOfShip"),
        "buildDate": texts(el, "YearBuilt"),
        "phone": texts(el, "PhoneNumber"),
        "website": texts(el, "Website"),
        "email": texts(el, "EmailAddress"),
    }
    _fcdo_details(b, values)
    return b.build()


__all__ = ["parse_fcdo_csv", "parse_fcdo_xml"]

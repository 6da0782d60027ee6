"""OpenSanctions / FollowTheMoney entity JSON lines (`entities.ftm.json`).

* The source name is the file name without `.ftm.json` / `.json` / `.jsonl`
  (`yente_t1_entities.ftm.json` -> `yente_t1_entities`); a file called just
  `entities.ftm.json` takes its folder's name.
* Entities keep their own id; `datasets` are the entity's own `datasets`.
* Parties, vessels and aircraft become entities (Person, Organization, Company,
  LegalEntity, Vessel, Airplane; a PublicBody as an Organization). Where an
  entity has `"target": false` it is context (an owner, a relative), not a
  listed party, and is skipped; a listed record of another schema (a crypto
  wallet) is left out with a note, as is a property value that is no text.
* Sanction entities are folded into the entity they point at (`entity`):
  program/programId -> programs, listingDate/startDate -> listed_on,
  sourceUrl -> source_url. Address entities referenced by `addressEntity`, and
  Passport/Identification entities (`holder`), are folded in the same way.
  That needs one extra pass over the file, which reads only those small records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import EntityBuilder, join, source_error

FORMAT = "ftm-json"


def _first(props: dict[str, list[str]], key: str) -> str | None:
    values = props.get(key)
    return values[0] if values else None


# Our schemata by their FtM names; a public body (a ministry, a state agency) is screened as an organization.
MATCHABLE = {**{s.value: s for s in Schema}, "Airplane": Schema.AIRCRAFT, "PublicBody": Schema.ORGANIZATION}
_NAME_PROPS = {
    "name": NameKind.NAME,
    "alias": NameKind.ALIAS,
    "weakAlias": NameKind.WEAK_ALIAS,
    "previousName": NameKind.PREVIOUS_NAME,
    "abbreviation": NameKind.ALIAS,
}
_ID_PROPS = {
    "passportNumber": IdType.PASSPORT,
    "idNumber": IdType.NATIONAL_ID,
    "imoNumber": IdType.IMO,
    "mmsi": IdType.MMSI,
    "callSign": IdType.CALL_SIGN,
    "registrationNumber": IdType.REGISTRATION,
    "ogrnCode": IdType.REGISTRATION,
    "leiCode": IdType.REGISTRATION,
    "uniqueEntityId": IdType.REGISTRATION,
    "taxNumber": IdType.TAX_ID,
    "innCode": IdType.TAX_ID,
    "vatCode": IdType.TAX_ID,
    "swiftBic": IdType.SWIFT_BIC,
    "publicKey": IdType.CRYPTO_WALLET,
    "serialNumber": IdType.AIRCRAFT_SERIAL,
}
_EXTRA_PROPS = (
    "gender", "position", "title", "topics", "legalForm", "incorporationDate", "dissolutionDate",
    "status", "email", "phone", "website", "flag", "type", "buildDate", "model", "kppCode", "permId",
    "fatherName", "education", "religion", "ethnicity", "sector", "modifiedAt",
)  # fmt: skip
_SIDE_SCHEMATA = ("Sanction", "Address", "Passport", "Identification")


def source_name(path: Path) -> str:
    name = path.name
    for suffix in (".ftm.json", ".ftm.jsonl", ".jsonl", ".ndjson", ".json"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name in ("entities", "") and path.parent.name:
        return path.parent.name
    return name


def load(path: Path) -> ParsedList:
    notes: list[str] = []
    return ParsedList(
        source=source_name(path),
        format=FORMAT,
        files=(path,),
        entities=lambda: parse(path, notes),
        published=None,
        source_url=None,
        notes=notes,
    )


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise source_error(path, f"line {line_no}", f"not a JSON object ({exc.msg})") from exc
            except RecursionError:
                raise source_error(path, f"line {line_no}", "not a JSON object (nested too deep)") from None
            if not isinstance(data, dict) or "schema" not in data or "id" not in data:
                raise source_error(path, f"line {line_no}", "not a FollowTheMoney entity (no 'id'/'schema')")
            yield line_no, data


def _props(data: dict[str, Any], unread: list[str] | None = None) -> dict[str, list[str]]:
    """The record's properties as lists of text: a single value is read as a list of one; a value that is
    no text or number is left out and named in `unread`."""
    out: dict[str, list[str]] = {}
    props = data.get("properties")
    for prop, values in (props if isinstance(props, dict) else {}).items():
        kept = []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                kept.append(str(value))
            elif unread is not None:
                unread.append(f"{data.get('id')} {prop}")
        out[prop] = kept
    return out


def parse(path: Path, notes: list[str] | None = None) -> Iterator[Entity]:
    """The parties, vessels and aircraft of an FtM file; what was left out of a listed record (a target)
    is added to `notes`."""
    sanctions: dict[str, list[dict[str, list[str]]]] = {}
    addresses: dict[str, dict[str, list[str]]] = {}
    documents: dict[str, list[tuple[str, dict[str, list[str]]]]] = {}
    for _, data in _records(path):
        schema = data["schema"]
        if schema not in _SIDE_SCHEMATA:
            continue
        props = _props(data)
        if schema == "Sanction":
            for target in props.get("entity", []):
                sanctions.setdefault(target, []).append(props)
        elif schema == "Address":
            addresses[data["id"]] = props
        else:
            for holder in props.get("holder", []):
                documents.setdefault(holder, []).append((schema, props))

    other_targets: Counter[str] = Counter()
    unread: list[str] = []
    for line_no, data in _records(path):
        if data.get("target") is False:
            continue
        schema = MATCHABLE.get(data["schema"])
        if schema is None:
            if data.get("target") is True:
                other_targets[str(data["schema"])] += 1
            continue
        yield _entity(path, line_no, data, schema, sanctions, addresses, documents, unread)
    if notes is not None:
        notes[:] = _left_out(other_targets, unread)  # a second reading of the file says it once


def _left_out(other_targets: Counter[str], unread: list[str]) -> list[str]:
    out = []
    if other_targets:
        by_count = sorted(other_targets.items(), key=lambda kv: (-kv[1], kv[0]))
        kinds = ", ".join(f"{schema} ({count:,})" for schema, count in by_count)
        count = other_targets.total()
        out.append(f"{count:,} listed record{'s' * (count != 1)} of a schema that is no party, vessel or aircraft "
                   f"left out: {kinds}")
    if unread:
        count = len(unread)
        out.append(f"{count:,} property value{'s' * (count != 1)} that {'are' if count != 1 else 'is'} no text "
                   f"left out (the first: {unread[0]})")
    return out


def _entity(
    path: Path,
    line_no: int,
    data: dict[str, Any],
    schema: Schema,
    sanctions: dict[str, list[dict[str, list[str]]]],
    addresses: dict[str, dict[str, list[str]]],
    documents: dict[str, list[tuple[str, dict[str, list[str]]]]],
    unread: list[str],
) -> Entity:
    eid = str(data["id"])
    props = _props(data, unread)
    b = EntityBuilder(eid, schema, source_name(path))
    caption = data.get("caption")
    if caption and caption in props.get("name", []):
        b.add_name(caption)  # the caption first, so it stays the entity's caption
    for prop, kind in _NAME_PROPS.items():
        for value in props.get(prop, ()):
            b.add_name(value, kind)
    if not b.names:
        if caption:
            b.add_name(caption)
        else:
            raise source_error(path, f"line {line_no}", f"{data['schema']} {eid} has no name")
    for value in props.get("birthDate", []):
        b.add_birth_date(value)
    for value in props.get("birthPlace", []):
        b.add_birth_place(value)
    for prop in ("nationality", "citizenship"):
        for value in props.get(prop, ()):
            b.add_nationality(value)
    for prop in ("country", "jurisdiction", "mainCountry"):
        for value in props.get(prop, ()):
            b.add_country(value)
    for value in props.get("address", []):
        b.add_address(value)
    for ref in props.get("addressEntity", []):
        addr = addresses.get(ref)
        if addr:
            full = _first(addr, "full") or join(_first(addr, k) for k in ("street", "city", "postalCode", "country"))
            b.add_address(full, _first(addr, "city"), _first(addr, "country"))
    for prop, id_type in _ID_PROPS.items():
        for value in props.get(prop, ()):
            b.add_identifier(id_type, value, None, prop if id_type is not IdType.PASSPORT else None)
    for doc_schema, doc in documents.get(eid, ()):
        id_type = IdType.PASSPORT if doc_schema == "Passport" else IdType.NATIONAL_ID
        for number in doc.get("number", ()):
            b.add_identifier(id_type, number, _first(doc, "country"), _first(doc, "type"))
    for value in props.get("program", []) + props.get("programId", []):
        b.add_program(value)
    for value in props.get("createdAt", []):
        b.add_listed_on(value)
    for value in props.get("notes", []) + props.get("summary", []):
        b.add_remark(value)
    urls: list[str] = props.get("sourceUrl", [])
    for sanction in sanctions.get(eid, ()):
        for value in sanction.get("programId", []) + sanction.get("program", []):
            b.add_program(value)
        for value in sanction.get("listingDate", []) + sanction.get("startDate", []):
            b.add_listed_on(value)
        urls = urls or sanction.get("sourceUrl", [])
    b.source_url = urls[0] if urls else None
    for prop in _EXTRA_PROPS:
        for value in props.get(prop, ()):
            b.add_extra(prop, value.lower() if prop == "gender" else value)
    entity = b.build()
    datasets = tuple(str(d) for d in data.get("datasets") or ()) or entity.datasets
    return replace(entity, datasets=datasets)

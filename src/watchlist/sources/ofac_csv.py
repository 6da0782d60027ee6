"""OFAC legacy CSV: the SDN list (sdn/add/alt/sdn_comments.csv) and the non-SDN
Consolidated list (cons_prim/cons_add/cons_alt/cons_comments.csv).

The files have no header, are cp1252 with CRLF line ends and a trailing 0x1A byte,
and write '-0-' for an empty field. Layouts (OFAC's data specification):

  primary   ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
            Tonnage, GRT, Vess_flag, Vess_owner, Remarks                (12)
  address   ent_num, add_num, Address, City/State/Postal, Country, Add_remarks (6)
  alias     ent_num, alt_num, alt_type, alt_name, alt_remarks            (5)
  comments  ent_num, Remarks continuation                                (2)

One entity per primary row, id `ofac-<ent_num>` in both lists (one id space), so a
party on both lists gets one id. Supplement files are read into memory (they are
small), the primary file is streamed. Remarks are parsed with `remarks.py`.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from watchlist.errors import SourceError
from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources.base import ParsedList
from watchlist.sources.common import EntityBuilder, clean, join, source_error
from watchlist.sources.remarks import parse_remarks
from watchlist.sources.urls import SOURCE_URLS

FORMAT = "ofac-csv"
PRIMARY, ADDRESS, ALIAS, COMMENTS = "primary", "address", "alias", "comments"
WIDTHS = {PRIMARY: 12, ADDRESS: 6, ALIAS: 5, COMMENTS: 2}

_TYPES = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "": Schema.ORGANIZATION,  # '-0-': an entity
    "entity": Schema.ORGANIZATION,
}
_ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.PREVIOUS_NAME, "nka": NameKind.ALIAS}
_PROGRAM_SPLIT = re.compile(r"\]\s*\[")
_ENT_NUM = re.compile(r"^\s*\d+\s*$")  # an entity number, as a row's first field
MOST_ROWS = 0.9  # the share of a sample's rows that decides its layout (sniff_role)


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined; read them as Latin-1 instead of failing.
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("watchlist-latin1", _latin1_fallback)


@dataclass
class OfacFiles:
    """The files of one published OFAC list found in one folder."""

    source: str  # 'ofac-sdn' or 'ofac-cons'
    primary: Path | None = None
    addresses: list[Path] = field(default_factory=list)
    aliases: list[Path] = field(default_factory=list)
    comments: list[Path] = field(default_factory=list)

    def add(self, role: str, path: Path) -> None:
        if role == PRIMARY:
            if self.primary is not None and self.primary != path:
                raise SourceError(
                    f"{path.name}: a second OFAC primary file in {path.parent} "
                    f"(already have {self.primary.name}); put each list in its own folder"
                )
            self.primary = path
        else:
            {ADDRESS: self.addresses, ALIAS: self.aliases, COMMENTS: self.comments}[role].append(path)

    @property
    def files(self) -> tuple[Path, ...]:
        head = (self.primary,) if self.primary else ()
        return head + tuple(self.addresses + self.aliases + self.comments)


def list_of(path: Path) -> str:
    """'cons_*.csv' -> 'ofac-cons'; anything else (sdn.csv, add.csv, ...) -> 'ofac-sdn'."""
    return "ofac-cons" if path.name.lower().startswith("cons") else "ofac-sdn"


def sniff_role(path: Path, head: bytes) -> str | None:
    """The file's role from its first rows' layout, or None when it is not an OFAC CSV. The layout is
    what nearly all of the rows share (MOST_ROWS): a damaged row among them (a blank or ragged line, an
    entity number that is no number, even on the first line) is then reported by the parser at its line,
    not taken for a file of unknown format."""
    text = head.decode("cp1252", "watchlist-latin1")
    lines = text.splitlines()
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut
    try:
        rows = [r for r in csv.reader(lines) if r and r != ["\x1a"]]
    except csv.Error:
        return None
    if not rows:
        return None
    total = len(rows)
    width, count = Counter(len(r) for r in rows).most_common(1)[0]
    rows = [r for r in rows if len(r) == width]
    if not _most(count, total) or not _most(sum(_ENT_NUM.match(r[0]) is not None for r in rows), count):
        return None
    if width == 12 and _most(sum(r[2].strip().lower() in ("-0-", *_TYPES) for r in rows), len(rows)):
        return PRIMARY
    if width == 5 and _most(sum(r[2].strip().lower() in _ALT_KINDS for r in rows), len(rows)):
        return ALIAS
    if width == 6:
        return ADDRESS
    if width == 2:
        return COMMENTS
    return None


def _most(count: int, total: int) -> bool:
    return count >= MOST_ROWS * total


def load(files: OfacFiles) -> ParsedList:
    if files.primary is None:
        names = ", ".join(p.name for p in files.files)
        main = "cons_prim.csv" if files.source == "ofac-cons" else "sdn.csv"
        raise SourceError(f"{names}: OFAC supplement file(s) without their {main} in the same folder")
    notes = []
    if not files.aliases:
        notes.append(f"{files.source}: no alias file; only the weak a.k.a.s in the remarks are loaded")
    if not files.addresses:
        notes.append(f"{files.source}: no address file; addresses are not loaded")
    return ParsedList(
        source=files.source,
        format=FORMAT,
        files=files.files,
        entities=lambda: parse(files),
        published=None,  # the legacy CSV states no date
        source_url=SOURCE_URLS[files.source],
        notes=notes,
    )


def _rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each data row, '-0-' already blanked; wrong width -> SourceError."""
    with open(path, encoding="cp1252", errors="watchlist-latin1", newline="") as fh:
        reader = csv.reader(fh, strict=True)  # a quote still open at the end is a file cut short, not a row
        try:
            for row in reader:
                if not row or row == ["\x1a"] or (len(row) == 1 and not row[0].strip("\x1a ")):
                    continue
                line = reader.line_num
                if len(row) != width:
                    raise source_error(
                        path, f"line {line}", f"expected {width} columns, found {len(row)} ({row[:3]!r}...)"
                    )
                yield line, ["" if c.strip() == "-0-" else c.strip() for c in row]
        except csv.Error as exc:
            what = "truncated: a quoted field runs to the end of the file" if "end of data" in str(exc) else (
                f"unreadable CSV ({exc})")
            raise source_error(path, f"line {reader.line_num}", what) from exc


def _ent_num(path: Path, line: int, value: str) -> str:
    if not value.isdigit():
        raise source_error(path, f"line {line}", f"ent_num {value!r} is not a number")
    return value


def parse(files: OfacFiles) -> Iterator[Entity]:
    assert files.primary is not None
    addresses: dict[str, list[list[str]]] = {}
    aliases: dict[str, list[list[str]]] = {}
    comments: dict[str, list[str]] = {}
    for path in files.addresses:
        for line, row in _rows(path, WIDTHS[ADDRESS]):
            addresses.setdefault(_ent_num(path, line, row[0]), []).append(row)
    for path in files.aliases:
        for line, row in _rows(path, WIDTHS[ALIAS]):
            aliases.setdefault(_ent_num(path, line, row[0]), []).append(row)
    for path in files.comments:
        for line, row in _rows(path, WIDTHS[COMMENTS]):
            comments.setdefault(_ent_num(path, line, row[0]), []).append(row[1])

    path = files.primary
    for line, row in _rows(path, WIDTHS[PRIMARY]):
        ent = _ent_num(path, line, row[0])
        yield _entity(files.source, path, line, row, addresses.get(ent, ()), aliases.get(ent, ()),
                      comments.get(ent, ()))  # fmt: skip


def _entity(
    source: str,
    path: Path,
    line: int,
    row: list[str],
    addresses: list[list[str]] | tuple[()],
    aliases: list[list[str]] | tuple[()],
    comments: list[str] | tuple[()],
) -> Entity:
    ent, name, kind, program, title, call_sign, vtype, tonnage, grt, flag, owner, remarks = row
    where = f"line {line}"
    schema = _TYPES.get(kind.lower())
    if schema is None:
        raise source_error(path, where, f"ent_num {ent} has unknown SDN_Type {kind!r}")
    if not clean(name):
        raise source_error(path, where, f"ent_num {ent} has no name")
    b = EntityBuilder(f"ofac-{ent}", schema, source)
    b.add_name(name)
    for alt in aliases:
        alt_kind = _ALT_KINDS.get(alt[2].lower(), NameKind.ALIAS)
        if "weak" in alt[4].lower():
            alt_kind = NameKind.WEAK_ALIAS
        b.add_name(alt[3], alt_kind)
    for part in _PROGRAM_SPLIT.split(program):
        b.add_program(part.strip("[] "))
    b.add_extra("position" if schema is Schema.PERSON else "title", title)
    b.add_identifier(IdType.CALL_SIGN, call_sign)
    b.add_extra("type", vtype)
    b.add_extra("tonnage", tonnage)
    b.add_extra("grossRegisteredTonnage", grt)
    b.add_extra("owner", owner)
    if clean(flag):
        b.add_country(flag)
        code = b.countries[-1] if b.countries else None
        b.add_extra("flag", code or flag)
    for add in addresses:
        _, _, street, city, country, add_remarks = add
        b.add_address(join((street, city, country)), city, country)
        b.add_remark(add_remarks)

    text = remarks + "".join(comments)
    if text:
        apply_remarks(b, text)
    return b.build()


def apply_remarks(b: EntityBuilder, text: str) -> None:
    """Keep the remarks text, and add what `parse_remarks` finds in it."""
    b.add_remark(text)
    facts = parse_remarks(text)
    for value, name_kind in facts.names:
        b.add_name(value, name_kind)
    for date in facts.birth_dates:
        b.add_birth_date(date)
    for place in facts.birth_places:
        b.add_birth_place(place)
    for nationality in facts.nationalities:
        b.add_nationality(nationality)
    for id_type, value, country, label in facts.identifiers:
        b.add_identifier(id_type, value, country, label)
    for prop, value in facts.extra:
        if prop == "flag":
            b.add_country(value)
        b.add_extra(prop, value)

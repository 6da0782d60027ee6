"""Identifiers in text linked to the listed entities that carry them: IMO numbers, SWIFT/BIC codes,
and passport, registration, tax and ID numbers written after their label.

- An IMO ship number is 'IMO' (or ИМО), an optional 'No.'/'number', and seven digits whose last is the
  check digit (the first six times 7, 6, 5, 4, 3, 2, summed, last digit); a number failing the check is
  a typo or another number and is not linked.
- A SWIFT/BIC code (8 or 11 capitals and digits, KDBKKPPY) is linked where a listed entity has exactly it.
- Other numbers need a label before them ('passport No.', 'registration number', 'ОГРН', '여권번호',
  see scan_words.yaml) and must equal, digits and letters alike, a number the lists give.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from watchlist.index.retrieval import NameIndex
from watchlist.model import Entity, IdType
from watchlist.scan.words import scan_words

_IMO = re.compile(r"(?<![\w])(?:IMO|ИМО)(?:\s*(?:No\.?|Nr\.?|number|номер|번호|#|№))?[\s:.#№()\-]*(\d{7})(?!\d)",
                  re.IGNORECASE)
_BIC = re.compile(r"(?<![A-Za-z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])")
_VALUE = re.compile(r"[\s:.#№()\-]*(?:(?:No|Nr|number|номер|№)\.?[\s:.#№]*)?([A-Za-zА-Яа-я]{0,3}\d[\dA-Za-z\-/ ]{2,24}\d)")
_LABELLED_TYPES = (IdType.PASSPORT, IdType.REGISTRATION, IdType.TAX_ID, IdType.NATIONAL_ID, IdType.OTHER)


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    start: int
    end: int  # the span of the identifier itself
    id_type: IdType
    value: str  # as the list writes it
    entities: tuple[int, ...]  # positions in the index


def imo_check_digit_ok(number: str) -> bool:
    """The IMO number's seventh digit is its check digit."""
    if len(number) != 7 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


def normalise(value: str) -> str:
    return re.sub(r"[^0-9A-Za-zА-Яа-я]", "", value).upper()


class IdentifierTable:
    """The lists' identifiers by type and normalised value (built once per index, on first need)."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_type: dict[IdType, dict[str, list[int]]] = {}
        self.values: dict[tuple[IdType, str], str] = {}
        for position, entity in enumerate(entities):
            for identifier in entity.identifiers:
                key = normalise(identifier.value)
                if len(key) < 5:
                    continue
                self.by_type.setdefault(identifier.type, {}).setdefault(key, []).append(position)
                self.values.setdefault((identifier.type, key), identifier.value.strip().rstrip("."))

    def lookup(self, id_type: IdType, key: str) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.by_type.get(id_type, {}).get(key, ())))


# The tables of the last indexes asked about (a list update swaps the index: the old one goes).
# Not weak references: a compiled NameIndex (mypyc) cannot be weakly referenced.
_TABLES: list[tuple[NameIndex, IdentifierTable]] = []
_KEPT = 2
_LOCK = threading.Lock()


def identifier_table(index: NameIndex) -> IdentifierTable:
    with _LOCK:
        for cached_index, cached in _TABLES:
            if cached_index is index:
                return cached
    table = IdentifierTable([index.entities[i] for i in range(len(index.entities))])
    with _LOCK:
        _TABLES.insert(0, (index, table))
        del _TABLES[_KEPT:]
    return table


_LABELS: re.Pattern[str] | None = None


def _labels() -> re.Pattern[str]:
    global _LABELS
    if _LABELS is None:
        labels = {label for group in scan_words().identifier_labels.values() for label in group}
        alternation = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(labels, key=len, reverse=True))
        _LABELS = re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)
    return _LABELS


def candidates(text: str) -> bool:
    """Cheap test: could the text hold an identifier worth a lookup at all?"""
    return bool(_IMO.search(text) or _BIC.search(text) or _labels().search(text))


def find_identifiers(text: str, index: NameIndex) -> Iterator[IdentifierHit]:
    """Every identifier in `text` that a listed entity carries, in text order of the kinds above."""
    if not candidates(text):
        return
    table = identifier_table(index)
    for match in _IMO.finditer(text):
        number = match.group(1)
        if imo_check_digit_ok(number) and (found := table.lookup(IdType.IMO, number)):
            yield IdentifierHit(match.start(), match.end(), IdType.IMO, number, found)
    for match in _BIC.finditer(text):
        code = match.group()
        for key in dict.fromkeys((code, code[:8] if code.endswith("XXX") else code)):
            if found := table.lookup(IdType.SWIFT_BIC, key):
                yield IdentifierHit(match.start(), match.end(), IdType.SWIFT_BIC, key, found)
                break
    for label in _labels().finditer(text):
        value = _VALUE.match(text, label.end())
        if value is None:
            continue
        key = normalise(value.group(1))
        for id_type in _LABELLED_TYPES:
            if found := table.lookup(id_type, key):
                yield IdentifierHit(label.start(), value.end(1), id_type, table.values[(id_type, key)], found)
                break

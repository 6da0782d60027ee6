"""Namesakes told apart by a date of birth the document gives: crew lists, passenger manifests, KYC forms.

A listed person's name is often common (KIM CHOL NAM). Where the document writes the same name on a
line that also carries a date of birth, and every such date falls in another year than each birth year
the list gives, the document speaks of someone else: every mention of that name is a namesake. A line
whose date matches a listed year, or a document that dates the name nowhere, keeps the mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from watchlist.model import Schema
from watchlist.scan.parties import PartyMention

_YEAR = r"(19\d\d|20[01]\d)"  # a year someone alive and listed could be born in
_DATES = (
    re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]" + _YEAR + r"\b"),  # 12.03.1971, 12/03/1971
    re.compile(r"\b" + _YEAR + r"-\d{1,2}-\d{1,2}\b"),  # 1971-03-12
    re.compile(r"\b\d{1,2}\s+[^\W\d_]{3,10}\.?,?\s+" + _YEAR + r"\b"),  # 12 March 1971, 12 марта 1971
    re.compile(_YEAR + r"\s*년"),  # 1971년 3월 12일
)
LINE_REACH = 300  # characters of a line read either side of a name


# A line that says its date is a birth date, or a table row (a crew list, a manifest: columns apart).
_BIRTH_WORDS = re.compile(r"born|birth|\bd\.?o\.?b\b|\bb\.\s*\d|рожд|народж|생년|출생|태어", re.IGNORECASE)
_COLUMN_GAP = re.compile(r"\S(?: {2,}|\t)+(?=\S)")
TABLE_COLUMNS = 3  # gaps between columns that make a line a table row


def birth_years_on_line(text: str, start: int, end: int) -> set[str]:
    """The years of the dates on the line of text[start:end] (bounded either side), where the line reads
    as a birth date's line: a birth word on it, or a table row. 'Designated on 02.06.2009' is no birth."""
    line_start = text.rfind("\n", max(0, start - LINE_REACH), start) + 1 or max(0, start - LINE_REACH)
    line_end = text.find("\n", end, end + LINE_REACH)
    line = text[line_start : line_end if line_end >= 0 else end + LINE_REACH]
    if not _BIRTH_WORDS.search(line) and len(_COLUMN_GAP.findall(line)) < TABLE_COLUMNS:
        return set()
    return {m.group(1) for pattern in _DATES for m in pattern.finditer(line)}


def _occurrences(text: str, mention: str) -> Iterator[re.Match[str]]:
    """Where the mention's words stand in the text, in order, with spaces or commas between them
    ('KIM, CHOL NAM' for 'KIM CHOL NAM')."""
    words = re.findall(r"[^\W_]+", mention)
    if not words:
        return iter(())
    return re.finditer(r"(?<!\w)" + r"[\s,]+".join(map(re.escape, words)) + r"(?!\w)", text, re.IGNORECASE)


def dated_elsewhere(text: str, mention: PartyMention, years_of: dict[str, set[str]]) -> bool:
    """Whether the document dates this name only with birth years the listed person does not have.
    `years_of`: the birth years found beside each mention text so far (a name mentioned a thousand times
    is looked up once, not once for each mention)."""
    entity = mention.entity
    listed = {d[:4] for d in entity.birth_dates if d[:4].isdigit()}
    if entity.schema is not Schema.PERSON or not listed:
        return False
    seen = years_of.get(mention.text)
    if seen is None:
        seen = years_of[mention.text] = {
            year for found in _occurrences(text, mention.text)
            for year in birth_years_on_line(text, found.start(), found.end())
        }
    return bool(seen) and not seen & listed


def without_namesakes(text: str, mentions: Iterable[PartyMention]) -> list[PartyMention]:
    years_of: dict[str, set[str]] = {}
    return [m for m in mentions if not dated_elsewhere(text, m, years_of)]

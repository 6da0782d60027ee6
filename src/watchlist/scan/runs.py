"""Runs of name-like words: the stretches of a text that a listed name could span.

A run is a sequence of capitalised words (any words in a text with no capitals), joined by spaces,
hyphens, '&', commas between initials, and inner connectors ('of', 'bin', 'van'). A full stop ends a
run unless it closes an abbreviation or an initial (a letter: a digit before a full stop is a number that
ends there). The decimals of a number ('3m' in 'USD 2.3m') are no word. A list enumerator at the start of a line ('2.', '2)', '(b)', 'iv)') numbers an item and is
no word of a name: it ends a run and starts none. Vessel prefixes (M/V, MT, tanker) are kept in a
run as context, not as name words; a number mark before a number ('No.2', 'No. 2', '№ 2') is left
out so that 'Yu Jong No.2' reads as 'Yu Jong 2'. In a SWIFT message a line break ends a run (a field's
name line is followed by its address lines); a tab always does (it parts a table's columns: a crew list
pasted from a spreadsheet, a CSV file as scan/extract.py reads it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from watchlist.scan.cyrillic import english_word
from watchlist.scan.korean import english_spelling
from watchlist.scan.text import Word, words
from watchlist.text.hangul import has_hangul
from watchlist.text.refdata import number_words
from watchlist.text.tokens import Token, tokenize_name

CONNECTORS = frozenset(["of", "and", "the", "for", "de", "del", "della", "di", "da", "du", "des", "la", "le", "al",
                        "el", "bin", "ibn", "van", "von", "der", "den", "y"])
_GAP_MARKS = "-\u2010\u2011\u2012\u2013&,.'\u2019/\"\u00ab\u00bb\u201c\u201d"  # what may stand between two words of a name
_ABBREVIATION = frozenset(["co", "corp", "inc", "ltd", "llc", "plc", "jsc", "ojsc", "pjsc", "cjsc", "jr", "sr", "st",
                           "mr", "dr", "gen", "no", "nr"])
_KOREAN_NUMBER = re.compile(r"^(\d+)\s*호$")  # '2호': ship number 2
_ROMAN: Final = number_words().roman  # 'ii' to 'xxxix' ('i', 'v', 'x' are initials)


@dataclass(frozen=True, slots=True)
class DocWord:
    word: Word
    tokens: tuple[Token, ...]  # () for connectors, number marks and vessel prefixes
    name_like: bool
    connector: bool
    prefix: bool = False  # a vessel prefix (M/V, MT, tanker): context, not part of a name
    spelled: str = ""  # the word as a name query spells it ('' for number marks and prefixes, '2' for '2호')
    silent: bool = False  # a word of a name that its English leaves out (дорога in железная дорога = Railway)


@dataclass(frozen=True, slots=True)
class Glossary:
    """How names written in Korean or Cyrillic read in English (scan/korean.py, scan/cyrillic.py)."""

    korean_kinds: Mapping[str, str] = field(default_factory=dict)  # 무역회사 -> Trading Company
    korean_qualifiers: Mapping[str, str] = field(default_factory=dict)  # 조선 -> Korea
    cyrillic: Mapping[str, str] = field(default_factory=dict)  # морськ -> Sea (a stem, then an ending)


def doc_words(text: str, vessel_prefixes: frozenset[str], number_marks: frozenset[str],
              glossary: Glossary | None = None) -> list[DocWord]:
    glossary = glossary or Glossary()
    ws = words(text)
    alphabetic = [w for w in ws if w.text[0].isalpha()]
    capitals = sum(1 for w in alphabetic if not w.text[0].islower())
    case_blind = not alphabetic or capitals / len(alphabetic) < 0.05
    english: list[str | None] = [english_word(w.text, glossary.cyrillic) if glossary.cyrillic else None for w in ws]
    out: list[DocWord] = []
    previous: DocWord | None = None
    for n, w in enumerate(ws):
        lower = w.text.lower()
        first = w.text[0]
        connector = lower in CONNECTORS and first.islower()
        name_like = case_blind or not first.islower() or connector
        if not name_like and previous is not None and previous.name_like and not previous.connector:
            # the second part of a hyphenated name (Soo-ho, Jong-un), or an organisation word that goes
            # on with a Russian or Ukrainian name (Керченського морського торговельного порту)
            name_like = text[previous.word.end : w.start] in ("-", "\u2010", "\u2011") or english[n] is not None
        prefix = _vessel_prefix(text, ws, n, vessel_prefixes)
        number_mark = lower in number_marks and n + 1 < len(ws) and ws[n + 1].text[0].isdigit() \
            and ws[n + 1].start - w.end <= 3
        if _enumerator(text, w) or _number_fragment(text, w):
            item = DocWord(w, (), False, False)
        elif prefix or number_mark:
            item = DocWord(w, (), name_like, False, prefix, "")
        else:
            value = _spelling(ws, n, english, glossary)
            tokens = tuple(tokenize_name(value, "any")) if not connector else ()
            item = DocWord(w, tokens, name_like, connector, False, value, silent=english[n] == "")
        out.append(item)
        previous = item
    return out


def _spelling(ws: list[Word], n: int, english: list[str | None], glossary: Glossary) -> str:
    """How a name query spells word n: '2' for '2호', the English of a Korean company name or of a
    Cyrillic organisation word (a capitalised one only when an organisation word follows it, or when
    it is an acronym such as ДУП), else the word as written."""
    w = ws[n]
    korean_number = _KOREAN_NUMBER.match(w.text)
    if korean_number:
        return korean_number.group(1)
    if glossary.korean_kinds and has_hangul(w.text):
        return english_spelling(w.text, glossary.korean_kinds, glossary.korean_qualifiers) or w.text
    gloss = english[n]
    if gloss is None:
        return w.text
    if w.text[0].islower() or w.text.isupper():
        return gloss
    follows = n + 1 < len(ws) and english[n + 1] is not None and ws[n + 1].text[0].islower()
    return gloss if follows else w.text


def _number_fragment(text: str, w: Word) -> bool:
    """The decimals of a number and what is glued to them ('3m' in 'USD 2.3m', '500' in '1,500'): a
    word that starts with a digit right after a digit and a decimal or thousands separator."""
    return w.text[0].isdigit() and w.start >= 2 and text[w.start - 1] in ".," and text[w.start - 2].isdigit()


def _enumerator(text: str, w: Word) -> bool:
    """A list item's number or letter at the start of a line: '2.', '12)', '(b)', 'iv)', 'IV.', then a space
    or the end of the line. A capital letter with a full stop is an initial ('A. Kim'), not an item."""
    after = text[w.end : w.end + 2]
    if after[:1] not in (".", ")") or not (after[1:] == "" or after[1].isspace()):
        return False  # read first: most words are followed by neither
    value = w.text
    roman = value.lower() in _ROMAN
    if not (value.isdigit() and len(value) <= 3 or roman or len(value) == 1 and value.isalpha() and after[0] == ")"):
        return False  # 'B.' is an initial; 'b)', '(B)' are items
    line_start = text.rfind("\n", max(0, w.start - 8), w.start) + 1  # bounded: an enumerator is indented little
    if line_start == 0 and w.start > 8:
        return False
    lead = text[line_start : w.start]
    bracketed = lead.rstrip(" \t").endswith("(")
    return not lead.strip(" \t(") and not (bracketed and (lead.count("(") != 1 or after[0] != ")"))


def _vessel_prefix(text: str, ws: list[Word], n: int, prefixes: frozenset[str]) -> bool:
    """'MV', 'M/V', 'M.V.', 'MT', 'tanker' before a capitalised word."""
    w = ws[n]
    if len(w.text) > 1 and w.text.lower() not in prefixes:
        return False
    if n + 1 >= len(ws) or not ws[n + 1].text[0].isupper():
        return False
    if w.text.lower() in prefixes:
        return True
    if len(w.text) == 1 and n + 1 < len(ws):  # 'M/V': the M, and the V after it
        joined = f"{w.text} {ws[n + 1].text}".lower()
        if text[w.end : ws[n + 1].start] in ("/", ".", "./") and joined in prefixes:
            return True
    if len(w.text) == 1 and n > 0:
        joined = f"{ws[n - 1].text} {w.text}".lower()
        return text[ws[n - 1].end : w.start] in ("/", ".", "./") and joined in prefixes
    return False


def runs(doc: list[DocWord], text: str) -> list[list[DocWord]]:
    out: list[list[DocWord]] = []
    current: list[DocWord] = []
    lines_are_fields = fielded(text)
    for item in doc:
        joinable = bool(current) and _gap_ok(current[-1], item, text, lines_are_fields)
        if item.name_like and (joinable or not current):
            if not current and item.connector:
                continue
            current.append(item)
            continue
        _close(current, out)
        current = [item] if item.name_like and not item.connector else []
    _close(current, out)
    return out


def _close(current: list[DocWord], out: list[list[DocWord]]) -> None:
    while current and current[-1].connector:
        current.pop()
    if current:
        out.append(list(current))
    current.clear()


_SWIFT_FIELD = re.compile(r"^:\d\d[A-Z]?:", re.MULTILINE)
FIELDED_MIN_TAGS = 3


def fielded(text: str) -> bool:
    """A SWIFT MT message (':20:', ':52D:', ':59:' field tags at line starts): each line of a field is a
    line of its own (name, then street, then town), so a name never runs on into the next line."""
    return len(_SWIFT_FIELD.findall(text, 0, 20_000)) >= FIELDED_MIN_TAGS  # bounded: tags lead the message


def _gap_ok(previous: DocWord, item: DocWord, text: str, lines_are_fields: bool = False) -> bool:
    gap = text[previous.word.end : item.word.start]
    if (lines_are_fields and "\n" in gap) or "\t" in gap:  # a tab parts a table's columns
        return False
    if gap[:2].lower() in ("'s", "\u2019s"):  # a possessive: People's Republic
        gap = gap[2:]
    if len(gap) > 4 or gap.count("\n") > 1:
        return False
    marks = "".join(gap.split())
    if len(marks) > 2 or marks.strip(_GAP_MARKS) or (len(marks) == 2 and marks not in (",.", ".,")):
        return False
    if "." in gap:  # a full stop ends the run unless it closes an abbreviation, an initial or a prefix
        word = previous.word.text.lower()
        return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATION or previous.prefix
    return True

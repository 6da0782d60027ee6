"""Phrase matching for places and red-flag terms: leftmost-longest, whole words, offsets kept.

A term is written as a reader would write it. Matching rules:
- case-insensitive, except terms written in capitals (acronyms: DPRK, AIS, STS),
  which match only in capitals;
- a space or hyphen in a term matches any run of spaces, hyphens or line breaks
  ("ship-to-ship" finds "ship to ship"); an apostrophe matches ' or the curly one;
- a `*` at the end of a word matches any word ending ("labour*" finds labourers,
  "retain* passports" finds "retained passports");
- a `~` at the end of a term allows a Korean particle or place suffix after it ("원산~" finds
  원산, 원산에, 원산항 but not 원산지, 'origin');
- at each position the longest term wins, and matches never overlap, so
  "Democratic People's Republic of Korea" is one match, not "Republic of Korea".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PhraseHit(Generic[T]):
    start: int
    end: int
    value: T  # what the term stands for (a place, a term group...)


def is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


KOREAN_PARTICLES = ("에서는", "에서", "에게", "으로", "까지", "에는", "은", "는", "이", "가", "을", "를", "의", "에",
                    "과", "와", "도", "로", "만", "항", "시", "측", "산")


def term_pattern(term: str, strip: bool = True) -> str:
    """The regex for one term (without the word boundaries); `strip` False for the tail of a term."""
    term = term.strip() if strip else term
    if term.endswith("~"):
        return term_pattern(term[:-1], strip) + "(?:" + "|".join(KOREAN_PARTICLES) + "){0,2}"
    parts: list[str] = []
    for char in term:
        if char in " -":
            if not parts or parts[-1] != r"[\s\-\u2010-\u2013]+":
                parts.append(r"[\s\-\u2010-\u2013]+")
        elif char in "'\u2019":
            parts.append("['\u2019\u02bc]")
        elif char == ".":
            parts.append(r"\.?")
        elif char == "*":
            parts.append(r"\w*")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


class PhraseMatcher(Generic[T]):
    """Finds many terms at once. Each term maps to a value; a later duplicate term is an error upstream."""

    def __init__(self, terms: Iterable[tuple[str, T]]) -> None:
        self._values: dict[str, T] = {}
        folded: list[str] = []
        exact: list[str] = []
        for term, value in terms:
            term = term.strip()
            if not term:
                continue
            key = term if is_acronym(term) else term.lower()
            self._values[_key(key)] = value
            (exact if is_acronym(term) else folded).append(term)
        self._patterns: list[tuple[re.Pattern[str], bool]] = []
        for group, flags, cased in ((folded, re.IGNORECASE, False), (exact, 0, True)):
            if group:
                alternation = _alternation(sorted(set(group), key=lambda t: (-len(t), t)), cased)
                pattern = re.compile(rf"(?<![\w'\u2019])(?:{alternation})(?![\w])", flags)
                self._patterns.append((pattern, cased))
        self._loose = [
            (re.compile(term_pattern(t), 0 if is_acronym(t) else re.IGNORECASE), self._values[_key(t if is_acronym(t)
             else t.lower())])
            for t in sorted({t for t, _ in _pairs(self._values)}, key=len, reverse=True)
            if "*" in t or "." in t or "~" in t
        ]

    def __bool__(self) -> bool:
        return bool(self._values)

    def find(self, text: str) -> list[PhraseHit[T]]:
        hits: list[tuple[int, int, T]] = []
        for pattern, cased in self._patterns:
            for match in pattern.finditer(text):
                value = self._lookup(match.group(), cased)
                if value is not None:
                    hits.append((match.start(), match.end(), value))
        return [PhraseHit(s, e, v) for s, e, v in _resolve(hits)]

    def _lookup(self, matched: str, cased: bool) -> T | None:
        key = _key(matched if cased else matched.lower())
        value = self._values.get(key)
        if value is not None:
            return value
        for pattern, value in self._loose:  # wildcard and punctuation-variant terms
            if pattern.fullmatch(matched):
                return value
        return None


def _alternation(ordered: list[str], cased: bool) -> str:
    """The terms as one alternation, factored by first letter ('a(?:...)|b(?:...)'): the regex engine
    then tries at each word start only the terms that begin with its letter, longest first."""
    groups: dict[str, list[str]] = {}
    for term in ordered:
        groups.setdefault(term[0] if cased else term[0].lower(), []).append(term)
    return "|".join(
        term_pattern(first) + "(?:" + "|".join(term_pattern(t[1:], strip=False) for t in terms) + ")"
        for first, terms in groups.items()
    )


def _key(text: str) -> str:
    text = re.sub(r"[\s\-\u2010-\u2013]+", " ", text).replace("\u2019", "'").replace("\u02bc", "'")
    return text.strip()


def _pairs(values: dict[str, T]) -> list[tuple[str, T]]:
    return list(values.items())


def _resolve(hits: list[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """Leftmost-longest, non-overlapping."""
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, T]] = []
    end = -1
    for hit in hits:
        if hit[0] >= end:
            out.append(hit)
            end = hit[1]
    return out

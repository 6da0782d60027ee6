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
from collections.abc import Iterable, Mapping, Sequence
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
        self.terms = {False: sorted(set(folded), key=_longest_first), True: sorted(set(exact), key=_longest_first)}
        self._patterns: list[tuple[re.Pattern[str], bool]] = []
        for cased, group in self.terms.items():
            if group:
                pattern = re.compile(rf"(?<![\w'\u2019])(?:{_alternation(group, cased)})(?![\w])", _flags(cased))
                self._patterns.append((pattern, cased))
        self._loose = [
            (re.compile(term_pattern(t), 0 if is_acronym(t) else re.IGNORECASE), self._values[_key(t if is_acronym(t)
             else t.lower())])
            for t in sorted({t for t, _ in _pairs(self._values)}, key=len, reverse=True)
            if "*" in t or "." in t or "~" in t
        ]

    def __bool__(self) -> bool:
        return bool(self._values)

    def find(self, text: str, starts: Mapping[bool, Sequence[int]] | None = None) -> list[PhraseHit[T]]:
        """Every term in `text`. `starts` (from PhraseMatchers): the only offsets where a term may
        start, by casedness; the matches found are the same, without a pass over the whole text."""
        hits: list[tuple[int, int, T]] = []
        for pattern, cased in self._patterns:
            matches = pattern.finditer(text) if starts is None else _matches_at(pattern, text, starts.get(cased, ()))
            for match in matches:
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


class PhraseMatchers(Generic[T]):
    """Several matchers run over a text in one pass: one regex of all their terms finds where any term
    starts, then each matcher tries its own pattern only there (finditer's leftmost, non-overlapping
    walk over those offsets). `find` returns what each matcher's own `find` would."""

    def __init__(self, matchers: Sequence[PhraseMatcher[T]]) -> None:
        self.matchers = tuple(matchers)
        self._starts: list[tuple[re.Pattern[str], bool]] = []
        for cased in (False, True):
            terms = sorted({t for m in self.matchers for t in m.terms[cased]}, key=_longest_first)
            if terms:
                alternation = _alternation(terms, cased)
                self._starts.append((re.compile(rf"(?<![\w'\u2019])(?=(?:{alternation})(?![\w]))", _flags(cased)), cased))

    def find(self, text: str) -> list[list[PhraseHit[T]]]:
        starts = {cased: [m.start() for m in pattern.finditer(text)] for pattern, cased in self._starts}
        return [m.find(text, starts) for m in self.matchers]


def _matches_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> Iterable[re.Match[str]]:
    """What pattern.finditer(text) yields when no match can start but at `starts` (sorted)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)  # lookbehinds still see the text before `start`
        if match is not None:
            yield match
            end = max(match.end(), start + 1)


def _longest_first(term: str) -> tuple[int, str]:
    return -len(term), term


def _flags(cased: bool) -> re.RegexFlag:
    return re.NOFLAG if cased else re.IGNORECASE


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

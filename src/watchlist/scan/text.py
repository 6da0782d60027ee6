"""Words and sentences of a document, as character offsets into the extracted text.

Every span the scanner reports is `[start, end)` into the text that extraction
produced (`text[start:end]` is the mention), never into the original bytes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# A word: letters/digits, with inner apostrophes (O'Brien, Ch'oe) but no trailing "'s".
_WORD = re.compile(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019\u02bc][sS]$")
# A sentence ends at . ! ? (and closing quotes) followed by space, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[^\s])|\n\s*\n|\n(?=\s*[-*\u2022])")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "no", "nos", "co", "corp", "inc", "ltd", "llc", "u.s", "u.n", "gen", "lt", "col", "capt", "sgt", "gov", "sen", "rep", "vs", "etc", "e.g", "i.e", "n", "s", "e", "w", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "approx", "dept", "est"]
)


_LAST_WORD_REACH = 40  # characters read back to find the word before a full stop
# Characters that print as nothing: soft hyphen, zero-width space, non-joiner and joiner, direction marks
# and controls, word joiner, invisible operators, byte order mark. One inside a name ('Ay\u200bman')
# splits it in two for a reader of the text, not for a reader of the page.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible_text(text: str) -> tuple[str, int]:
    """The text without the characters that print as nothing, and how many there were."""
    cleaned = _INVISIBLE.sub("", text)
    return cleaned, len(text) - len(cleaned)


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str  # as written, possessive 's removed


def words(text: str) -> list[Word]:
    """The words of `text` with their offsets (possessive "'s" dropped from the span)."""
    out: list[Word] = []
    for match in _WORD.finditer(text):
        value = match.group()
        end = match.end()
        possessive = _POSSESSIVE.search(value)
        if possessive and len(value) > 2:
            value = value[: possessive.start()]
            end = match.start() + len(value)
        out.append(Word(match.start(), end, value))
    return out


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence boundaries of one text: `spans[i] = (start, end)`."""

    spans: tuple[tuple[int, int], ...]
    _starts: tuple[int, ...]

    @classmethod
    def split(cls, text: str) -> Sentences:
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _SENTENCE_END.finditer(text):
            if text[match.start() - 1 : match.start()] == "." and "\n\n" not in match.group():
                head = text[max(start, match.start() - 1 - _LAST_WORD_REACH) : match.start() - 1]  # bounded
                last = head.rsplit(None, 1)[-1].lower().lstrip("(\"'") if head.split() else ""
                if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                    continue
            _add(spans, text, start, match.start())
            start = match.end()
        _add(spans, text, start, len(text))
        return cls(tuple(spans), tuple(s for s, _ in spans))

    def index_of(self, offset: int) -> int:
        """The sentence holding character `offset` (the nearest before it if between sentences)."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def __len__(self) -> int:
        return len(self.spans)


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

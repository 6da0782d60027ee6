"""ofac: the scoring of OFAC's Sanctions List Search, for users who must show parity with it.

OFAC's FAQ describes two matching logics (Jaro-Winkler and Soundex) applied
with two methods (whole-name character comparison and word-by-word
comparison). Names only: no birth date, country or identifier evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rapidfuzz.distance import JaroWinkler

from watchlist.match.algorithm import CandidateName, QueryForm, Scored
from watchlist.model import Entity, Schema
from watchlist.text.weights import TokenStats

_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(word: str) -> str:
    """American Soundex: 'Robert' -> 'R163'."""
    letters = [c for c in word.lower() if c.isalpha()]
    if not letters:
        return ""
    out = letters[0].upper()
    previous = _SOUNDEX_CODES.get(letters[0], "")
    for char in letters[1:]:
        code = _SOUNDEX_CODES.get(char, "")
        if code and code != previous:
            out += code
        if char not in "hw":
            previous = code
    return (out + "000")[:4]


def _word_score(query_words: Sequence[str], name_words: Sequence[str]) -> float:
    if not query_words or not name_words:
        return 0.0
    total = 0.0
    for q in query_words:
        best = 0.0
        for n in name_words:
            sim = JaroWinkler.normalized_similarity(q, n)
            if sim < 1.0 and soundex(q) == soundex(n) and q[0] == n[0]:
                sim = max(sim, 0.9)
            best = max(best, sim)
        total += best
    return total / len(query_words)


class OfacSanctionsListSearch:
    NAME: ClassVar[str] = "ofac"
    DESCRIPTION: ClassVar[str] = (
        "Reproduces OFAC Sanctions List Search: Jaro-Winkler and Soundex over name parts, "
        "word and whole-name comparison; names only."
    )
    THRESHOLD: ClassVar[float] = 0.9

    def score(
        self, query: QueryForm, entity: Entity, names: Sequence[CandidateName], stats: TokenStats,
        floor: float = 0.0,
    ) -> Scored:
        best = Scored(0.0, query.names[0][0] if query.names else "", "")
        for q_name, q_tokens in query.names:
            q_words = [t.text for t in q_tokens]
            for candidate in names:
                c_words = [t.text for t in candidate.tokens]
                whole = JaroWinkler.normalized_similarity(" ".join(q_words), " ".join(c_words))
                score = max(whole, _word_score(q_words, c_words))
                if score > best.score:
                    best = Scored(
                        score,
                        q_name,
                        candidate.value,
                        {"jaro_winkler_soundex": score},
                        [f"name '{q_name}' vs '{candidate.value}': {score:.2f} (Jaro-Winkler/Soundex, OFAC SLS)"],
                    )
        return best

    def may_reach(
        self, query: QueryForm, schema: Schema, names: Sequence[CandidateName], stats: TokenStats, floor: float,
        born_that_day: bool = False,
    ) -> bool:
        return True  # scoring the names is all there is to tell

"""Phrase matching: several matchers in one pass find exactly what each finds on its own."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.scan.phrases import PhraseMatcher, PhraseMatchers
from watchlist.scan.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
GROUPS = [
    ["North Korea", "Korea", "Democratic People's Republic of Korea", "DPRK"],
    ["Republic of Korea", "korea*", "ship-to-ship", "STS"],
    ["labour*", "retain* passports", "passports", "원산~", "원산지"],
    ["ship", "to", "Ship-to-ship transfer", "AIS", "ais off"],
]
PIECES = st.sampled_from([
    "North Korea", "korean", "Korea's", "DPRK", "dprk", "Republic of Korea", "ship-to-ship", "ship to\nship",
    "STS", "sts", "labourers", "retained passports", "원산에", "원산지", "원산항", "AIS", "ais", " ", ", ", "'",
    "\u2019", "-", "Democratic People\u2019s Republic of Korea", "x",
])


def one_by_one(matchers: list[PhraseMatcher[bool]], text: str) -> list[list[tuple[int, int]]]:
    return [[(h.start, h.end) for h in m.find(text)] for m in matchers]


def together(matchers: list[PhraseMatcher[bool]], text: str) -> list[list[tuple[int, int]]]:
    return [[(h.start, h.end) for h in hits] for hits in PhraseMatchers(matchers).find(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_overlapping_terms_of_different_matchers_are_each_found(text: str) -> None:
    matchers = [PhraseMatcher((t, True) for t in group) for group in GROUPS]
    assert together(matchers, text) == one_by_one(matchers, text)


def test_the_bundled_rules_find_the_same_terms_in_one_pass() -> None:
    rules = load_rules()
    matchers = list(rules._matchers.values())
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "scan_corpus" / "docs").glob("*.txt"))]
    assert len(texts) >= 25
    found = 0
    for text in texts:
        expected = one_by_one(matchers, text)
        assert together(matchers, text) == expected
        found += sum(map(len, expected))
    assert found > 100  # the corpus holds many terms: the comparison is not between two empty lists

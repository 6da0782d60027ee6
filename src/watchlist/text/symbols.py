"""Words of organisation names by what they mean, in any language the lists write them in: rigour's
name symbols ('finans' and 'finance' are DOMAIN:FINANCIAL, 'tsentr' and 'center' SYMBOL:CENTER,
'kompaniya' and 'компания' SYMBOL:CO). Two such words are one word translated, not two names. Legal
forms are not in the table: the tokenizer reads them as such ('company' is one, 'kompaniya' no).

rigour is asked once, for a vocabulary, by bench/make_org_meanings.py: asking it costs tens of
microseconds a word, and a batch compares thousands of new pairs of words a second. The table it
writes (data/org_meanings.json) holds the words with a meaning, as tokens write them."""

from __future__ import annotations

import json
from importlib import resources
from typing import Final

from watchlist.errors import ConfigError

# rigour's categories of words that say what an organisation is or does; its legal forms (ORGCLS)
# are read as legal forms already (text.tokens), and places, numbers and initials are no translation.
MEANING_CATEGORIES: Final = frozenset({"SYMBOL", "DOMAIN"})
SHORT_STEM: Final = 4  # see same_meaning
NONE: Final[frozenset[str]] = frozenset()


def rigour_meanings(word: str) -> frozenset[str]:
    """The meanings rigour gives one word of an organisation's name ('CATEGORY:ID'), or none
    (for bench/make_org_meanings.py: the matcher reads its table)."""
    from rigour.names.analyze import analyze_names  # rigour.names takes 0.14 s to import
    from rigour.names.tag import NameTypeTag

    return frozenset(
        f"{span.symbol.category.value}:{span.symbol.id}"
        for name in analyze_names(NameTypeTag.ORG, [word])
        for span in name.spans
        if span.symbol.category.value in MEANING_CATEGORIES and len(span.parts) == 1
    )


_TABLE: Final[list[dict[str, frozenset[str]]]] = []  # loaded once and kept: same_meaning asks it per pair of words


def _table() -> dict[str, frozenset[str]]:
    if not _TABLE:
        _TABLE.append(_load_table())
    return _TABLE[0]


def _load_table() -> dict[str, frozenset[str]]:
    text = resources.files("watchlist.data").joinpath("org_meanings.json").read_text(encoding="utf-8")
    words = json.loads(text).get("words")
    if not isinstance(words, dict):
        raise ConfigError("org_meanings.json: expected 'words', a mapping of word -> meanings")
    shared: dict[frozenset[str], frozenset[str]] = {}  # one object for each distinct set of meanings
    table = {}
    for word, meanings in words.items():
        found = frozenset(meanings)
        table[word] = shared.setdefault(found, found)
    return table


def org_meanings(word: str) -> frozenset[str]:
    """What one word of an organisation's name (a token's text) means, or nothing."""
    return _table().get(word, NONE)


def same_meaning(a: str, b: str) -> bool:
    """Two words (tokens' texts) that mean one thing, the shorter no short word the longer begins with:
    'bank' and 'banking' mean one trade but name two banks as often as one ('Sumitomo Mitsui Trust
    Bank', 'Sumitomo Mitsui Banking Corporation'), where 'budget' and 'budgetary', 'federal' and
    'federalny' are one word derived or translated."""
    table = _table()
    meanings_a = table.get(a)
    if meanings_a is None:
        return False  # most words: no meaning
    meanings_b = table.get(b)
    if meanings_b is None or meanings_a.isdisjoint(meanings_b):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return not (len(short) <= SHORT_STEM and long_.startswith(short))

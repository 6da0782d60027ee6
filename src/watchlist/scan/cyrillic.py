"""Organisation names written in Russian or Ukrainian, read as the lists write them in English.

Russian and Ukrainian texts translate a listed organisation's English name rather than transliterate it,
capitalise only its first word and inflect every word: 'до Керченського морського торговельного порту'
is the KERCH COMMERCIAL SEA PORT, 'ДУП «Кримські морські порти»' the CRIMEAN SEA PORTS. A word whose
stem is in the glossary (scan_words.yaml `cyrillic_org_words`: organisation words, legal-form acronyms
and the adjectives of place names the lists use) followed by an inflectional ending is spelled for the
matcher as its English; a lower-case glossary word continues the name it follows.
"""

from __future__ import annotations

from collections.abc import Mapping

# Endings of Russian and Ukrainian nouns and adjectives (all cases, both numbers, all genders).
ENDINGS = frozenset([
    "", "а", "я", "о", "е", "у", "ю", "ы", "и", "і", "ь", "ом", "ем", "ов", "ев", "ів", "ам", "ям", "ах", "ях",
    "ами", "ями", "ой", "ей", "ою", "ею", "ий", "ій", "ый", "ого", "ому", "ая", "ое", "ее", "ые", "ие", "ых",
    "их", "ым", "им", "ім", "ыми", "ими", "ую", "юю", "ої", "ові", "еві", "ья", "ьи", "ью",
])
# Endings that make a noun plural (nominative and oblique cases); 'порти' is Ports where a glossary entry
# gives a plural ('Port|Ports'). Endings a singular shares ('компанії') are left out.
PLURAL_ENDINGS = frozenset(["ы", "и", "ов", "ів", "ам", "ям", "ах", "ях", "ами", "ями"])
_LONGEST_ENDING = max(len(e) for e in ENDINGS)
_MIN_STEM = 2


def is_cyrillic(word: str) -> bool:
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"


def english_word(word: str, glossary: Mapping[str, str]) -> str | None:
    """'Керченського' -> 'Kerch', 'морського' -> 'Sea', 'порти' -> 'Ports', 'ДУП' -> 'Enterprise'; None outside
    the glossary."""
    if not glossary or not is_cyrillic(word):
        return None
    lower = word.lower()
    for cut in range(len(lower), max(_MIN_STEM, len(lower) - _LONGEST_ENDING) - 1, -1):
        english = glossary.get(lower[:cut])
        ending = lower[cut:]
        if english is not None and ending in ENDINGS:
            singular, _, plural = english.partition("|")
            return plural if plural and ending in PLURAL_ENDINGS else singular
    return None

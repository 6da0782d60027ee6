"""Names written in an abjad (Arabic, Persian, Urdu, Hebrew, Syriac, Thaana) against their Latin spellings.

An abjad writes consonants; its long vowels are written with consonant letters (Arabic alif, waw and
ya; Hebrew aleph, vav and yod) and its short vowels not at all. Transliterated letter by letter,
'فرناندو بيريز' reads 'frnandw byryz', not 'Fernando Perez': the two agree only on their consonants.
A word of a query written in an abjad is compared with a Latin word by their consonant keys: each
without the letters that may stand for a vowel (a, w, y and the vowels themselves), in the
retrieval skeleton's terms (voicing and 'h' after a consonant ignored: text.folding.skeleton).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from watchlist.text.folding import skeleton
from watchlist.text.tokens import Token, TokenKind

ABJAD_SIM: Final = 0.85  # as a word written with its consonants alone (match.align.CONSONANTS_SIM)
MIN_KEY: Final = 3  # fewer consonants agree by chance
_RANGES: Final = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))  # Hebrew to Arabic Extended-A; presentation forms


def written_in_abjad(name: str) -> bool:
    """A letter of the name is Hebrew, Arabic (Persian, Urdu), Syriac or Thaana."""
    return not name.isascii() and any(lo <= ord(c) <= hi for c in name for lo, hi in _RANGES)


@lru_cache(maxsize=50_000)
def consonant_key(text: str) -> str:
    """The consonants of a word as an abjad writes them: 'frnandw' and 'fernando' are both 'frnt'."""
    bare = text.replace("w", "").lstrip("aeiouy")
    return skeleton(bare) if bare else ""


def abjad_similarity(abjad_word: Token, latin_word: Token) -> float:
    """ABJAD_SIM where the two words' consonant keys agree, of MIN_KEY consonants or more; else 0.
    A Latin j may write the letter an abjad reads y (Hebrew yod: בנימין, bnymyn, is Benjamin)."""
    if abjad_word.kind is not TokenKind.WORD or latin_word.kind is not TokenKind.WORD:
        return 0.0
    key = consonant_key(abjad_word.text)
    if len(key) < MIN_KEY:
        return 0.0
    latin = latin_word.text
    agree = key == consonant_key(latin) or ("j" in latin and key == consonant_key(latin.replace("j", "y")))
    return ABJAD_SIM if agree else 0.0

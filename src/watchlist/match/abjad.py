"""Names written in an abjad (Arabic, Persian, Urdu, Hebrew, Syriac, Thaana) against their Latin spellings.

An abjad writes consonants; its long vowels are written with consonant letters (Arabic alif, waw and
ya; Hebrew aleph, vav and yod) and its short vowels not at all. Transliterated letter by letter,
'فرناندو بيريز' reads 'frnandw byryz', not 'Fernando Perez': the two agree only on their consonants.
A word of a query written in an abjad is compared with a Latin word by their consonant keys: each
without the letters that may stand for a vowel (a, w, y and the vowels themselves), in the
retrieval skeleton's terms (voicing and 'h' after a consonant ignored: text.folding.skeleton).

Two Latin spellings of one such name differ the same way: each romanisation supplies the vowels the
script leaves out, so Ismaili and Esmaeli, Husain and Hosein, Jiburi and Juburi are one name. Two Latin
words meet on their vowel frames (vowel_shift_similarity): their consonants as written, in place, and
only the vowels between them differing; stricter than the consonant key (no voicing, no dropped 'h',
no dropped leading vowel), as neither word is the script's own spelling.
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
    """ABJAD_SIM where the two words' consonant keys agree, of MIN_KEY consonants or more; else 0."""
    if abjad_word.kind is not TokenKind.WORD or latin_word.kind is not TokenKind.WORD:
        return 0.0
    key = consonant_key(abjad_word.text)
    return ABJAD_SIM if len(key) >= MIN_KEY and key == consonant_key(latin_word.text) else 0.0


VOWEL_SHIFT_SIM: Final = ABJAD_SIM  # the same evidence: the consonants agree, the vowels do not
MIN_SYLLABLES: Final = 2  # a one-syllable word is told by its vowel (Meng/Myong, Gang/Guoying: other names)
_LATIN_VOWELS: Final = frozenset("aeiouy")
VOWEL_RUN: Final = "."  # what a run of vowels is in a vowel frame


@lru_cache(maxsize=50_000)
def vowel_frame(text: str) -> str:
    """A Latin word's consonants as written, each run of vowels (a, e, i, o, u, y) one VOWEL_RUN and
    no letter twice in a row: 'ismaili' and 'esmaeli' are both '.sm.l.', 'hussein' 'h.s.n'."""
    out: list[str] = []
    for char in text:
        mark = VOWEL_RUN if char in _LATIN_VOWELS else char
        if not out or out[-1] != mark:
            out.append(mark)
    return "".join(out)


def vowel_shift_similarity(a: str, b: str) -> float:
    """VOWEL_SHIFT_SIM where two Latin words differ only in their vowels (equal vowel frames) and
    have MIN_KEY consonant letters or more and MIN_SYLLABLES vowel runs or more; else 0."""
    if not a.isascii() or not b.isascii():
        return 0.0
    frame = vowel_frame(a)
    if frame != vowel_frame(b):
        return 0.0
    runs = frame.count(VOWEL_RUN)
    return VOWEL_SHIFT_SIM if runs >= MIN_SYLLABLES and len(frame) - runs >= MIN_KEY else 0.0


@lru_cache(maxsize=50_000)
def joined_vowel_similarity(joined: str, first: str, second: str) -> float:
    """vowel_shift_similarity of a word and two adjacent words written together: 'Abahussain' and
    'Abu Huseyn' (a particle joined to the name it belongs to, its vowels spelt otherwise)."""
    return vowel_shift_similarity(joined, first + second)

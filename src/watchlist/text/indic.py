"""North Indian scripts (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya) read as their names are spelled in Latin.

ICU transliterates these scripts letter by letter (ISO 15919): every consonant without a vowel sign keeps
its inherent 'a' and 'श' is 'ś', so 'अमित शाह' reads 'amita saha', not Amit Shah, and 'ইমরান খান' reads
'imarana khana', not Imran Khan. Hindi, Bengali, Punjabi and Gujarati do not pronounce the inherent vowel
at the end of a word (after one consonant) nor, as a rule, between a vowel and consonant and a consonant
and vowel (VC_CV: Salaman -> Salman, Kejarivala -> Kejriwal), and the Latin spellings of their names
follow the pronunciation. The five scripts share one layout (each letter at the same offset in its
Unicode block), so one table serves them all.
"""

from __future__ import annotations

import re
from typing import Final

_BLOCKS: Final = {0x0900: "devanagari", 0x0980: "bengali", 0x0A00: "gurmukhi", 0x0A80: "gujarati", 0x0B00: "oriya"}


def _table(start: int, letters: str) -> dict[int, str]:
    """Offsets from `start` on, each with its letters (space-separated)."""
    return {start + i: letter for i, letter in enumerate(letters.split())}


# Offsets in a block: consonants, independent vowels, vowel signs, and the marks that are no letter.
_CONSONANTS: Final = _table(0x15, "k kh g gh n ch chh j jh n t th d dh n t th d dh n n p ph b bh m y r r l l l v sh sh s h")
_NUKTA_FORMS: Final = _table(0x58, "q kh gh z r rh f y")
_VOWELS: Final = _table(0x05, "a a i i u u ri li e e e ai o o o au")
_SIGNS: Final = _table(0x3E, "a i i u u ri ri e e e ai o o o au")
_WITH_NUKTA: Final = {"k": "q", "kh": "kh", "g": "gh", "j": "z", "d": "r", "dh": "rh", "ph": "f", "y": "y"}
_NASALS: Final = frozenset({0x01, 0x02, 0x70})  # candrabindu, anusvara, Gurmukhi tippi: 'n'
_VISARGA, _NUKTA, _VIRAMA, _ADDAK, _KHANDA_TA, _DIGITS = 0x03, 0x3C, 0x4D, 0x71, 0x4E, 0x66
# Per script: Bengali writes b and v with one letter, and its ya (য) begins a syllable as j ('Jessore';
# য় is y), and is y after another consonant ('সত্য', Satya).
_SCRIPT_LETTERS: Final = {"bengali": {0x2F: "j", 0x35: "b"}}
_YA: Final = 0x2F


# A run of letters of the five scripts (joiners within it): a word, or a word's part between
# punctuation ('अमित-शाह').
_RUN: Final = re.compile("[\u0900-\u0b7f\u200c\u200d]+")


def has_indic(text: str) -> bool:
    """A letter of the five scripts is in the text."""
    return _RUN.search(text) is not None


def indic_runs_to_latin(text: str) -> str:
    """The text with each run of the five scripts in Latin letters (indic_to_latin), all else as it is."""
    return _RUN.sub(lambda run: indic_to_latin(run.group(0)), text)


def indic_script(word: str) -> str | None:
    """The North Indian script the word is written in (its first letter's), or None."""
    for char in word:
        block = ord(char) & ~0x7F
        if block in _BLOCKS:
            return _BLOCKS[block]
        if char.isalpha():
            return None
    return None


class _Syllable:
    """Consonants (a cluster), then a vowel: written, none (virama), or the inherent 'a' (None)."""

    __slots__ = ("consonants", "nasal", "vowel")

    def __init__(self, consonants: str, vowel: str | None) -> None:
        self.consonants = consonants
        self.vowel = vowel
        self.nasal = ""


def indic_to_latin(word: str) -> str:
    """One word of a North Indian script in Latin letters, as its names are spelled: 'अमित' -> amit,
    'শাহ' -> shah, 'ਸਿੰਘ' -> singh, 'केजरीवाल' -> kejrival (other characters are left out)."""
    script = indic_script(word) or ""
    syllables = _syllables(word, _SCRIPT_LETTERS.get(script, {}))
    _drop_unspoken_vowels(syllables)
    return "".join(s.consonants + (s.vowel or "") + s.nasal for s in syllables)


def _syllables(word: str, letters: dict[int, str]) -> list[_Syllable]:
    """The word's syllables, its vowels not yet dropped; `letters`: the script's own readings."""
    out: list[_Syllable] = []
    cluster = ""  # consonants joined by virama, waiting for their vowel
    double = False  # Gurmukhi addak: the next consonant is written twice
    for char in word:
        if (ord(char) & ~0x7F) not in _BLOCKS:
            continue
        offset = ord(char) & 0x7F
        own = None if cluster and offset == _YA else letters.get(offset)
        letter = "t" if offset == _KHANDA_TA else own or _CONSONANTS.get(offset) or _NUKTA_FORMS.get(offset)
        if _DIGITS <= offset < _DIGITS + 10:
            out.append(_Syllable(str(offset - _DIGITS), ""))
        elif letter:
            out.append(_Syllable(cluster + (letter[0] if double else "") + letter, None))
            cluster, double = "", False
        elif offset in _VOWELS:
            out.append(_Syllable(cluster, _VOWELS[offset]))
            cluster = ""
        elif offset == _VIRAMA and out and out[-1].vowel is None:
            cluster = out.pop().consonants  # joined to the next consonant, or ending the word bare
        elif offset == _ADDAK:
            double = True
        elif out:
            _mark(out[-1], offset)
    if cluster:
        out.append(_Syllable(cluster, ""))  # a word ending in virama: its consonants bare
    return out


def _mark(syllable: _Syllable, offset: int) -> None:
    """A sign on the syllable before it: a vowel sign, a nasal, visarga, nukta (others are left out)."""
    if offset in _SIGNS and syllable.vowel is None:
        syllable.vowel = _SIGNS[offset]
    elif offset in _NASALS:
        syllable.nasal = "n"
    elif offset == _VISARGA:
        syllable.nasal += "h"
    elif offset == _NUKTA and syllable.consonants:
        *head, last = _letters(syllable.consonants)
        syllable.consonants = "".join(head) + _WITH_NUKTA.get(last, last)


def _drop_unspoken_vowels(syllables: list[_Syllable]) -> None:
    """The inherent vowel is not spoken at the end of a word after one consonant, nor (right to left)
    between a vowel and one consonant and one consonant and a spoken vowel (VC_CV). A syllable that
    ends in a nasal keeps its vowel."""
    last = syllables[-1] if len(syllables) >= 2 else None
    if last and last.vowel is None and not last.nasal and len(_letters(last.consonants)) == 1:
        last.vowel = ""
    for i in range(len(syllables) - 2, 0, -1):
        here, before, after = syllables[i], syllables[i - 1], syllables[i + 1]
        if (
            here.vowel is None and not here.nasal and len(_letters(here.consonants)) == 1
            and before.vowel != "" and not before.nasal
            and len(_letters(after.consonants)) == 1 and after.vowel != ""
        ):
            here.vowel = ""
    for syllable in syllables:
        if syllable.vowel is None:
            syllable.vowel = "a"


def _letters(consonants: str) -> list[str]:
    """A cluster's consonants as the table writes them ('chh' one letter, 'ndr' three)."""
    out: list[str] = []
    i = 0
    while i < len(consonants):
        size = next((n for n in (3, 2) if consonants[i : i + n] in _ALL_LETTERS), 1)
        out.append(consonants[i : i + size])
        i += size
    return out


_ALL_LETTERS: Final = frozenset(_CONSONANTS.values()) | frozenset(_NUKTA_FORMS.values())

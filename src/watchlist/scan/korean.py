"""Company names written in Hangul, read as the lists write them.

Korean writes an organisation's name as one word: a proper name, then its kind (조선릉라도무역총회사:
'Korea' + 'Rungrado' + 'General Trading Corporation'; 남강건설: 'Namgang' + 'Construction'), with a
particle after it (남강건설을). The lists publish the English name. A word that ends in an organisation
word (scan_words.yaml `korean_org_words`) is spelled for the matcher as the English words of its kind
and qualifier (조선 = Korea) around the romanised proper name.
"""

from __future__ import annotations

from collections.abc import Mapping

from watchlist.scan.phrases import KOREAN_PARTICLES
from watchlist.text.hangul import is_hangul, romanize_syllable

MAX_KINDS = 3  # organisation words read from the end of one word (무역 + 총회사)


def _strip_kinds(word: str, kinds: Mapping[str, str]) -> tuple[str, list[str]]:
    """The proper name left of the organisation words at the end of `word`, and their English words."""
    english: list[str] = []
    longest_first = sorted(kinds, key=len, reverse=True)
    for _ in range(MAX_KINDS):
        kind = next((k for k in longest_first if word.endswith(k) and len(word) > len(k)), None)
        if kind is None:
            break
        english.insert(0, kinds[kind])
        word = word[: -len(kind)]
    return word, english


def _without_particle(word: str, kinds: Mapping[str, str]) -> str:
    if any(word.endswith(k) for k in kinds):
        return word
    for particle in sorted(KOREAN_PARTICLES, key=len, reverse=True):
        if word.endswith(particle) and any(word[: -len(particle)].endswith(k) for k in kinds):
            return word[: -len(particle)]
    return word


def english_spelling(word: str, kinds: Mapping[str, str], qualifiers: Mapping[str, str]) -> str | None:
    """'조선릉라도무역총회사와' -> 'Korea Reungrado General Trading Corporation'; None for a word that is
    no organisation's name (no organisation word at its end, or nothing but organisation words)."""
    if not kinds or not word or not all(is_hangul(c) for c in word):
        return None
    proper, english = _strip_kinds(_without_particle(word, kinds), kinds)
    if not english or proper in kinds:  # 무역회사: 'a trading company', no name
        return None
    qualifier = next((q for q in sorted(qualifiers, key=len, reverse=True)
                      if proper.startswith(q) and len(proper) > len(q)), None)
    lead = [qualifiers[qualifier]] if qualifier else []
    if qualifier:
        proper = proper[len(qualifier) :]
    if proper in qualifiers:  # 조선은행: the qualifier is the name
        return " ".join([qualifiers[proper], *english])
    return " ".join([*lead, "".join(romanize_syllable(c) for c in proper).capitalize(), *english])

"""Which listed words a query word may be a spelling of: the tests retrieval applies to the words
its keys reach (deletion variants, consonant skeletons, letter masks)."""

from __future__ import annotations

from typing import Final

from rapidfuzz.distance import OSA

from watchlist.text.tokens import ALIGNED_SIMILARITY

_osa_distance: Final = OSA.distance  # bound once: looking it up on its module costs as much as a short call


def deletion_variants(fold: str) -> set[str]:
    """The word less one letter, for each of its letters (SymSpell's keys)."""
    return {fold[:i] + fold[i + 1 :] for i in range(len(fold))}


def spelling_neighbour(a: str, b: str) -> bool:
    """Two folds with one consonant skeleton that the scorer may align: one edit apart, or alike
    in two thirds of their letters ('Mary' and 'Mora' share a skeleton, not a name)."""
    distance: int = _osa_distance(a, b)  # one distance for both: normalized as rapidfuzz normalizes it
    return distance <= 1 or 1.0 - distance / max(len(a), len(b)) >= ALIGNED_SIMILARITY


def within_typos(a: str, b: str) -> bool:
    """Within one typo (two in a long word); two letters swapped are one typo (Hasna/Hansa)."""
    limit = 2 if min(len(a), len(b)) >= 8 else 1
    return _osa_distance(a, b, score_cutoff=limit) <= limit


def letter_mask(fold: str) -> int:
    """A bit for each letter of a word (letters 64 apart share one): the letters one word has and another
    lacks, bits of this mask and not the other's, are at most the edits between them (OSA or Levenshtein)."""
    mask = 0
    for letter in fold:
        mask |= 1 << (ord(letter) & 63)
    return mask

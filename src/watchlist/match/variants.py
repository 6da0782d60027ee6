"""Spelling equivalences learned from the lists' own cross-list variants (bench/learn_variants.py).

Two spellings of one word whose every difference is a learned letter-segment equivalence (y/i, a/o,
ie/ye, au/ov: `data/spelling_variants.yaml`) are one name transliterated twice (Viktor/Viktar,
Gennadievich/Gennadyevich, Iarosh/Jarosh); so is a spelling that is the other's consonants alone, and a
pair of whole words the lists' records of one party write for one another (Mykhaylo/Mikhail).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Final

from rapidfuzz.distance import Levenshtein

from watchlist.errors import ConfigError
from watchlist.text.refdata import load_yaml

_levenshtein_distance: Final = Levenshtein.distance  # bound once: a module lookup costs as much as a short call

LEARNED_EDIT: Final = 0.25  # what a learned difference costs, in edits
MIN_LENGTH: Final = 4  # shorter words differing by a vowel are usually other names (Chol/Chul)
# A run of edits read as one learned difference ('yo' for 'e') only in a word this long: in a shorter one
# it changes too much of the word (Myong is no Meng).
MIN_RUN_LENGTH: Final = 6


@lru_cache(maxsize=1)
def _learned() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """The learned letter-segment equivalences ('' for a letter left out) and whole-word ones, each an
    ordered pair."""
    text = resources.files("watchlist.data").joinpath("spelling_variants.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ConfigError("spelling_variants.yaml: expected a mapping")
    return _pairs(data, "variants"), _pairs(data, "words")


def _pairs(data: dict[str, object], key: str) -> frozenset[tuple[str, str]]:
    rows = data.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) >= 2 for r in rows):
        raise ConfigError(f"spelling_variants.yaml: '{key}' must be a list of [spelling, spelling, ...] rows")
    return frozenset((str(r[0]), str(r[1])) if str(r[0]) <= str(r[1]) else (str(r[1]), str(r[0])) for r in rows)


def learned_segments() -> frozenset[tuple[str, str]]:
    return _learned()[0]


# What the hot checks read of the learned tables, loaded once and kept (the tables never change; an
# lru_cache'd call per check costs as much as the check): every word of a learned word pair, and the
# most letters on either side of a learned difference.
_HOT: Final[list[tuple[frozenset[str], int]]] = []


def _hot() -> tuple[frozenset[str], int]:
    if not _HOT:
        segments, words = _learned()
        _HOT.append((
            frozenset(w for pair in words for w in pair),
            max((max(len(x), len(y)) for x, y in segments), default=0),
        ))
    return _HOT[0]


def learned_words(a: str, b: str) -> bool:
    """Two folded words one party's records write for one another (Hryhorovych / Grigorievich)."""
    words = _hot()[0]
    if a not in words or b not in words:
        return False  # most pairs: no pair is made without both words
    return ((a, b) if a <= b else (b, a)) in _learned()[1]


def differences(a: str, b: str) -> list[list[tuple[str, str]]]:
    """Where two spellings differ: each run of adjacent edits (Levenshtein's edit script), as the
    segment pairs of its edits, each unordered ('' for a letter left out). One run of several edits
    is one difference read whole too ('yo' for 'e': Fyodorov / Fedorov is one replaced and one
    dropped letter, side by side)."""
    runs: list[list[tuple[str, str]]] = []
    end = -1
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        x, y = a[op.src_start : op.src_end], b[op.dest_start : op.dest_end]
        pair = (x, y) if x <= y else (y, x)
        if op.src_start == end and runs:
            runs[-1].append(pair)
        else:
            runs.append([pair])
        end = op.src_end
    return runs


def whole(run: list[tuple[str, str]]) -> tuple[str, str]:
    """A run of adjacent edits as one segment pair (unordered)."""
    x, y = "".join(p[0] for p in run), "".join(p[1] for p in run)
    return (x, y) if x <= y else (y, x)


def learned_distance(a: str, b: str) -> tuple[float, bool]:
    """The edit distance of two spellings with learned differences at a fraction of an edit, and
    whether every difference was a learned one: a run of adjacent edits learned whole, or each of
    its edits learned (match.variants.differences)."""
    learned = learned_segments()
    distance = 0.0
    every = True
    runs_read_whole = max(len(a), len(b)) >= MIN_RUN_LENGTH
    for run in differences(a, b):
        if runs_read_whole and len(run) > 1 and whole(run) in learned:
            distance += LEARNED_EDIT
            continue
        for x, y in run:
            if (x, y) in learned:
                distance += LEARNED_EDIT
            else:
                distance += max(len(x), len(y))
                every = False
    return distance, every


def learned_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two spellings that differ only by learned equivalences, else 0: 0 too
    for words too short to trust them, and for spellings that differ in more places than one word
    transliterated twice does (each learned difference is small; many of them make another word)."""
    longest = max(len(a), len(b))
    if min(len(a), len(b)) < MIN_LENGTH:
        return 0.0
    allowed = _differences_allowed(longest)
    # Each learned difference changes at most _widest() letters: two spellings further apart are not
    # one (a cheap bound that spares most pairs the edit script).
    if _levenshtein_distance(a, b, score_cutoff=allowed * _widest()) > allowed * _widest():
        return 0.0
    distance, every = learned_distance(a, b)
    if not every or distance > LEARNED_EDIT * allowed:
        return 0.0
    return 1.0 - distance / longest


def learned_consonant_similarity(a: str, b: str) -> float:
    """learned_similarity of two words as written that start alike and whose vowels agree, else 0.
    A fold squeezes and drops letters, and can hide a learned consonant difference: a final h after a
    vowel folds away, so Ukrainian Oleh meets Russian Oleg (the learned g/h) only as written. What the
    fold judged stays judged: a vowel difference in a word it left too short to trust (Anna/Anne,
    Beer/Bear, Deng/Dong: other names), a digraph it reads as one sound (Zheng is no Heng)."""
    if not a or not b or a[0] != b[0] or [c for c in a if c in _VOWELS] != [c for c in b if c in _VOWELS]:
        return 0.0
    return learned_similarity(a, b)


def _widest() -> int:
    """The most letters on either side of a learned difference."""
    return _hot()[1]


def _differences_allowed(length: int) -> int:
    """One difference in a word of up to seven letters, two in a longer one."""
    return 1 if length < 8 else 2


def consonants_only(a: str, b: str) -> bool:
    """One spelling is the other's consonants alone: a script that writes no vowels (Hebrew, Arabic)
    or leaves them inherent (Khmer, Lao, Tibetan), transliterated letter by letter ('pt' for Pot)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 2 or not _VOWELS.isdisjoint(short):
        return False
    return short == "".join(c for c in long_ if c not in _VOWELS)


_VOWELS: Final = frozenset("aeiouy")


CONTRACTION_SIM: Final = 0.8  # 'Intl' for 'International', 'Mgmt' for 'Management'


def contraction_similarity(a: str, b: str) -> float:
    """CONTRACTION_SIM where the shorter word is a contraction of the longer: its letters in order,
    the first and the last the same, three or more of them, at most one a vowel, three or more letters
    left out ('Bank' is no contraction of 'Banking', but another word)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 3 or len(long_) < len(short) + 3 or short[0] != long_[0] or short[-1] != long_[-1]:
        return 0.0
    if sum(c in _VOWELS for c in short) > 1:
        return 0.0
    letters = iter(long_)
    return CONTRACTION_SIM if all(c in letters for c in short) else 0.0


def most_learned_edits(longest: int) -> int:
    """The most edits (Levenshtein) two spellings, the longer of `longest` letters, may differ by and
    still be one by learned equivalences: learned_similarity is 0 for any further apart."""
    return _differences_allowed(longest) * _widest()

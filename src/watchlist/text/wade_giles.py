"""Wade-Giles syllables read as Pinyin: Hsi / Xi, Tse-tung / Zedong, Chou En-lai / Zhou Enlai.

Chinese names reach the lists in two romanisations: Wade-Giles (older records, Taiwan, Hong Kong)
and Hanyu Pinyin. The rules are the systems' own, syllable by syllable: an initial (ch' -> q/ch,
ch -> j/zh, hs -> x, ts'/tz' -> c, ts/tz -> z, k' -> k, k -> g, p' -> p, p -> b, t' -> t, t -> d,
j -> r) and a final (-ung -> -ong, -ieh -> -ie, -ien -> -ian, -ih -> -i, -ueh -> -ue, -uei -> -ui,
-erh -> -er, -o -> -e/-uo). Names are written without the aspiration apostrophe as often as with
it (tokens lose it: text.tokens), so a bare initial reads both ways: 'Chin' is Jin or Qin.

Only a word that is one whole Wade-Giles syllable is read (an initial and a final the system joins),
and only in a name every word of which is one (`wade_giles_name`); a name every word of which is one
or two Pinyin syllables meets Wade-Giles spellings the other way (`pinyin_name`). 'Kim', 'Jong',
'Un', 'Chol' are none, so a Korean name keeps its letters. A pair of adjacent syllables ('Tse'
'tung') is read against one word ('Zedong') by `joined_reading`. A word is looked up in a table of
every syllable; what a Chinese name's words reach is cached; nothing here runs a regular expression.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from watchlist.text.folding import fold_token
from watchlist.text.tokens import Token

# Initials with an aspirated twin (k / k'), each with its Pinyin before a palatal final (i, ü) and
# before any other, unaspirated and aspirated; then the plain ones.
_ASPIRABLE: Final[dict[str, tuple[tuple[str, str], tuple[str, str]]]] = {
    # initial: ((unaspirated before i/ü, else), (aspirated before i/ü, else))
    "ch": (("j", "zh"), ("q", "ch")),
    "ts": (("z", "z"), ("c", "c")),
    "tz": (("z", "z"), ("c", "c")),
    "k": (("g", "g"), ("k", "k")),
    "p": (("b", "b"), ("p", "p")),
    "t": (("d", "d"), ("t", "t")),
}
_PLAIN: Final[dict[str, str]] = {
    "hs": "x", "sh": "sh", "ss": "s", "sz": "s", "j": "r",
    "m": "m", "f": "f", "n": "n", "l": "l", "h": "h", "s": "s", "y": "", "w": "", "": "",  # y, w: in the finals
}
_INITIALS: Final = sorted([*_ASPIRABLE, *_PLAIN], key=len, reverse=True)
_APOSTROPHES: Final = "'\u2018\u2019\u02bc\u02bb`"

# Finals by the class of initial they follow, each with its Pinyin readings. A ü written without its
# marks is a u: 'hsu', 'chuan', 'yun' read as xu, juan, yun (the palatal readings below).
_COMMON: Final[dict[str, tuple[str, ...]]] = {
    "a": ("a",), "ai": ("ai",), "an": ("an",), "ang": ("ang",), "ao": ("ao",), "ei": ("ei",),
    "en": ("en",), "eng": ("eng",), "ou": ("ou",), "u": ("u",), "ung": ("ong",),
}
_PALATAL: Final[dict[str, tuple[str, ...]]] = {
    "i": ("i",), "ia": ("ia",), "iang": ("iang",), "iao": ("iao",), "ieh": ("ie",), "ien": ("ian",),
    "in": ("in",), "ing": ("ing",), "iu": ("iu",), "iung": ("iong",),
    "u": ("u",), "uan": ("uan",), "ueh": ("ue",), "un": ("un",),  # ü, üan, üeh, ün
}
_ROUNDED: Final[dict[str, tuple[str, ...]]] = {
    "ua": ("ua",), "uai": ("uai",), "uan": ("uan",), "uang": ("uang",), "ui": ("ui",), "uei": ("ui",),
    "un": ("un",), "uo": ("uo",),
}


def _finals(*tables: dict[str, tuple[str, ...]], extra: dict[str, tuple[str, ...]] | None = None,
            drop: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for table in (*tables, extra or {}):
        for final, readings in table.items():
            merged[final] = tuple(dict.fromkeys(merged.get(final, ()) + readings))
    for final in drop:
        merged.pop(final, None)
    return merged


_DENTAL_O: Final[dict[str, tuple[str, ...]]] = {"o": ("uo",), "e": ("e",)}  # to = duo, lo = luo, tso = zuo, te = de
# The finals each initial takes (a syllable the system does not write is no syllable).
_BY_INITIAL: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "p": _finals(_COMMON, {k: v for k, v in _PALATAL.items() if k in ("i", "iao", "ieh", "ien", "in", "ing")},
                 extra={"o": ("o",)}, drop=("ung",)),
    "m": _finals(_COMMON, {k: v for k, v in _PALATAL.items() if k in ("i", "iao", "ieh", "ien", "in", "ing", "iu")},
                 extra={"o": ("o",)}, drop=("ung",)),
    "f": _finals({k: v for k, v in _COMMON.items() if k in ("a", "an", "ang", "ei", "en", "eng", "ou", "u")},
                 extra={"o": ("o",)}),
    "t": _finals(_COMMON, {k: v for k, v in _PALATAL.items() if k in ("i", "iao", "ieh", "ien", "ing", "iu")},
                 {k: v for k, v in _ROUNDED.items() if k in ("uan", "ui", "uei", "un")}, extra=_DENTAL_O),
    "n": _finals(_COMMON, _PALATAL, {k: v for k, v in _ROUNDED.items() if k in ("uan",)}, extra=_DENTAL_O),
    "l": _finals(_COMMON, _PALATAL, {k: v for k, v in _ROUNDED.items() if k in ("uan", "un")}, extra=_DENTAL_O),
    "k": _finals(_COMMON, _ROUNDED, extra={"o": ("e",)}),  # ko = ge, ho = he
    "h": _finals(_COMMON, _ROUNDED, extra={"o": ("e",)}),
    "ch": _finals(_COMMON, _ROUNDED, extra={"e": ("e",), "ih": ("i",)}),  # retroflex: chih = zhi
    "hs": _finals(_PALATAL),
    "sh": _finals(_COMMON, _ROUNDED, extra={"e": ("e",), "ih": ("i",)}, drop=("ung",)),
    "j": _finals(_COMMON, {k: v for k, v in _ROUNDED.items() if k in ("uan", "ui", "un")},
                 extra={"e": ("e",), "ih": ("i",), "o": ("uo",)}, drop=("a", "ai", "ei")),
    "ts": _finals(_COMMON, {k: v for k, v in _ROUNDED.items() if k in ("uan", "ui", "un")},
                  extra={**_DENTAL_O, "u": ("u", "i")}),  # tzu = zi (tzŭ), tsu = zu
    "s": _finals(_COMMON, {k: v for k, v in _ROUNDED.items() if k in ("uan", "ui", "un")},
                 extra={**_DENTAL_O, "u": ("u", "i")}),
    "ss": {"u": ("i",)},  # ssu = si
    "y": {"a": ("ya",), "ai": ("yai",), "ang": ("yang",), "ao": ("yao",), "eh": ("ye",), "en": ("yan",),
          "i": ("yi",), "in": ("yin",), "ing": ("ying",), "o": ("yo",), "u": ("you", "yu"), "uan": ("yuan",),
          "ueh": ("yue",), "un": ("yun",), "ung": ("yong",), "iu": ("you",)},
    "w": {"a": ("wa",), "ai": ("wai",), "an": ("wan",), "ang": ("wang",), "ei": ("wei",), "en": ("wen",),
          "eng": ("weng",), "o": ("wo",), "u": ("wu",)},
    "": {"a": ("a",), "ai": ("ai",), "an": ("an",), "ang": ("ang",), "ao": ("ao",), "o": ("e",), "e": ("e",),
         "en": ("en",), "eng": ("eng",), "erh": ("er",), "ou": ("ou",)},
}
_BY_INITIAL["ch"] = _finals(_BY_INITIAL["ch"], _PALATAL)  # and palatal: chi = ji, chü = ju
_BY_INITIAL["tz"] = _BY_INITIAL["ts"]
_BY_INITIAL["sz"] = _BY_INITIAL["ss"]
_PALATAL_FINALS: Final = frozenset(_PALATAL) - {"u", "uan", "ueh", "un"}  # ü finals: both readings below
_UMLAUT_FINALS: Final = frozenset({"u", "uan", "ueh", "un"})
_LONGEST: Final = 7  # ch'uang: the longest syllable, apostrophe and all
EMPTY: Final[frozenset[str]] = frozenset()


def _syllable_readings(word: str) -> frozenset[str]:
    """The Pinyin readings of one Wade-Giles syllable (its apostrophe, if any, kept), else none."""
    found: set[str] = set()
    for initial in _INITIALS:
        if not word.startswith(initial):
            continue
        rest = word[len(initial):]
        aspirated = bool(rest) and rest[0] in _APOSTROPHES
        if aspirated:
            rest = rest[1:]
            if initial not in _ASPIRABLE:
                continue
        finals = _BY_INITIAL.get(initial, {})
        if rest not in finals:
            continue
        for reading in finals[rest]:
            found.update(_with_initial(initial, rest, reading, aspirated))
    return frozenset(found)


def _with_initial(initial: str, final: str, reading: str, aspirated: bool) -> list[str]:
    if initial not in _ASPIRABLE:
        return [_PLAIN[initial] + reading]
    unaspirated, aspirate = _ASPIRABLE[initial]
    forms = [aspirate] if aspirated else [unaspirated, aspirate]
    out: list[str] = []
    for palatal, other in forms:
        if initial == "ch" and final in _PALATAL_FINALS:
            out.append(palatal + reading)
        elif initial == "ch" and final in _UMLAUT_FINALS:
            out.extend((palatal + reading, other + reading))  # chu: zhu or ju (chü)
        else:
            out.append(other + reading)
    return out


def _every_syllable_reading() -> dict[str, frozenset[str]]:
    """Every Wade-Giles syllable, with and without its aspiration apostrophe, -> its Pinyin readings."""
    table: dict[str, frozenset[str]] = {}
    for initial in _INITIALS:
        for final in _BY_INITIAL.get(initial, {}):
            marks = ("", *_APOSTROPHES) if initial in _ASPIRABLE else ("",)
            for mark in marks:
                if readings := _syllable_readings(initial + mark + final):
                    table[initial + mark + final] = readings
    return table


# A table, not a cache: a few hundred syllables, where a cache of the words asked grew each batch worker
# by megabytes (nearly every word asked is no syllable).
_READINGS: Final = _every_syllable_reading()


def _readings(word: str) -> frozenset[str]:
    """The Pinyin readings of a word that is one Wade-Giles syllable, itself among them where it is
    spelled alike in both ('mao'); empty for any other word."""
    if not word or len(word) > _LONGEST or not word.isascii():
        return EMPTY
    return _READINGS.get(word.lower(), EMPTY)


def pinyin_readings(word: str) -> frozenset[str]:
    """The Pinyin spellings a word reads as if it is one Wade-Giles syllable (lower case, with or
    without its aspiration apostrophe), other than itself; empty for any other word. Never raises."""
    readings = _readings(word)
    return readings - {word} if word in readings else readings


def wade_giles_spellings(word: str) -> frozenset[str]:
    """The Wade-Giles syllables (as tokens write them: no apostrophe) that read as this Pinyin word,
    other than itself; empty if none."""
    return _BY_PINYIN.get(word, EMPTY)


def _reverse_table() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Pinyin syllable -> the Wade-Giles syllables that read as it (spelled otherwise), and every
    Pinyin syllable the rules read."""
    table: dict[str, set[str]] = {}
    every: set[str] = set()
    for initial in _INITIALS:
        for final in _BY_INITIAL.get(initial, {}):
            syllable = initial + final
            for reading in _syllable_readings(syllable):
                every.add(reading)
                if reading != syllable:
                    table.setdefault(reading, set()).add(syllable)
    return {k: frozenset(v) for k, v in table.items()}, frozenset(every)


_BY_PINYIN, _PINYIN = _reverse_table()
_LONGEST_PINYIN: Final = max(map(len, _PINYIN))


def wade_giles_syllables() -> list[str]:
    """Every syllable the rules read, as tokens write it (no apostrophe)."""
    return [initial + final for initial in _INITIALS for final in _BY_INITIAL.get(initial, {})]


def is_pinyin_syllable(word: str) -> bool:
    return word in _PINYIN


def _pinyin_word(word: str) -> bool:
    """One Pinyin syllable, or two written together ('jinping')."""
    if word in _PINYIN:
        return True
    if len(word) > 2 * _LONGEST_PINYIN:
        return False
    return any(word[:cut] in _PINYIN and word[cut:] in _PINYIN for cut in range(1, len(word)))


def wade_giles_name(words: tuple[str, ...]) -> bool:
    """A name whose every word (initials aside) is one Wade-Giles syllable, one at least read otherwise
    in Pinyin ('Hsi Chin ping'): only its words are read as Pinyin. A Korean name of the same letters
    ('Pak Sung Chol') has a word that is no such syllable and keeps its spelling."""
    words = tuple(w for w in words if len(w) > 1)
    return bool(words) and all(_readings(w) for w in words) and any(pinyin_readings(w) for w in words)


def pinyin_name(words: tuple[str, ...]) -> bool:
    """A name whose every word (initials aside) is one or two Pinyin syllables, one at least read
    from a Wade-Giles syllable spelled otherwise ('Xi Jinping'): only its words meet Wade-Giles ones."""
    words = tuple(w for w in words if len(w) > 1)
    return bool(words) and all(_pinyin_word(w) for w in words) and any(
        w in _BY_PINYIN or _joined_pinyin(w) for w in words
    )


def _joined_pinyin(word: str) -> bool:
    """Two Pinyin syllables written together, one at least read from a Wade-Giles one spelled otherwise."""
    return any(
        word[:cut] in _PINYIN and word[cut:] in _PINYIN and (word[:cut] in _BY_PINYIN or word[cut:] in _BY_PINYIN)
        for cut in range(1, len(word))
    )


Systems = tuple[bool, bool]  # (a name written in Wade-Giles syllables, a name written in Pinyin ones)
NEITHER: Final[Systems] = (False, False)


# name_systems of the names last asked (retrieval asks first, then the aligner: each name twice), bounded.
_SYSTEMS: Final[dict[tuple[str, ...], Systems]] = {}
SYSTEMS_HELD: Final = 2_000


def name_systems(words: tuple[str, ...]) -> Systems:
    """wade_giles_name and pinyin_name of a name's words (set lookups: most names fail at their first word)."""
    found = _SYSTEMS.get(words)
    if found is None:
        if len(_SYSTEMS) >= SYSTEMS_HELD:
            _SYSTEMS.clear()
        found = _SYSTEMS[words] = (wade_giles_name(words), pinyin_name(words))
    return found


def token_systems(tokens: Sequence[Token]) -> Systems:
    """name_systems of a tokenised name, by its words as written: whether it is written in Wade-Giles
    syllables, and whether in Pinyin ones; only then are its words read in the other system."""
    return name_systems(tuple([t.text for t in tokens]))


def romanisation_partners(word: str, wade_giles: bool, pinyin: bool) -> frozenset[str]:
    """This word's spellings in the other system: as a word of a Wade-Giles name its Pinyin readings,
    as a word of a Pinyin name the Wade-Giles syllables that read as it."""
    readings = pinyin_readings(word) if wade_giles else EMPTY
    return readings | wade_giles_spellings(word) if pinyin else readings


def joined_reading(joined: str, first: str, second: str) -> bool:
    """Whether one word is two adjacent Wade-Giles syllables read as Pinyin and written together
    ('zedong' for 'tse' 'tung'; 'jinping' for 'chin' 'ping'), one of them at least read otherwise
    than it is written."""
    heads = _readings(first)
    if not heads or len(joined) > 2 * _LONGEST:
        return False
    tails = _readings(second)
    for head in heads:
        if joined.startswith(head):
            tail = joined[len(head):]
            if tail in tails and (head != first or tail != second):
                return True
    return False


@lru_cache(maxsize=10_000)
def joined_readings(first: str, second: str) -> frozenset[str]:
    """Every word that two adjacent Wade-Giles syllables read as, written together ('tse' 'tung':
    zedong, cedong, zetong...), other than the two as written; empty unless both are syllables."""
    heads = _readings(first)
    tails = _readings(second) if heads else EMPTY
    return frozenset(h + t for h in heads for t in tails) - {first + second}


@lru_cache(maxsize=10_000)
def partner_folds(word: str, wade_giles: bool, pinyin: bool) -> tuple[str, ...]:
    """The folds (text.folding) of romanisation_partners, sorted: the index keys a word reaches."""
    return tuple(sorted({fold_token(w) for w in romanisation_partners(word, wade_giles, pinyin)}))


@lru_cache(maxsize=10_000)
def joined_folds(first: str, second: str) -> tuple[str, ...]:
    """The folds of joined_readings, sorted: the index keys two adjacent syllables reach as one word."""
    return tuple(sorted({fold_token(w) for w in joined_readings(first, second)}))

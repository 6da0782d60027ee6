"""Spellings made comparable: any script to ASCII, each token to its romanisation-neutral fold.

`to_ascii` transliterates (Cyrillic by BGN/PCGN, the North Indian scripts as their names are spelled
(text.indic), other scripts by ICU Any-Latin, what ICU cannot read by anyascii); `fold_token` applies names.yaml's equivalents and the ordered orthographic rules of
folding.yaml (Choi/Choe, Kh/H, -iy/-y) to a fixed point; `skeleton` keeps a fold's consonants,
unvoiced, for retrieval across spellings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from watchlist.text.indic import has_indic, indic_runs_to_latin
from watchlist.text.refdata import fold_rules, name_refdata

# Ordered orthographic folds for the competing transliteration systems: (pattern, replacement,
# needle). A pattern runs only on a token with its needle, which it cannot match without (the
# test costs far less than the pattern), and a needle ending in '$' must end the token. A
# pattern that is its own needle, unanchored, is a plain string, replaced without a regex.
_FOLD_RULES: Final[tuple[tuple[str, bool, re.Pattern[str] | None, str], ...]] = tuple(
    (needle.rstrip("$"), needle.endswith("$"), None if pattern == needle.rstrip("$") else re.compile(pattern), repl)
    for pattern, repl, needle in fold_rules()
)
# Letter maps, each as a str table and a bytes table: tokens are ASCII, and bytes.translate is a C
# loop over a 256-byte table where str.translate looks each character up in a dict (a new token
# pays both twice); the str tables serve any other text.
_VOICED, _UNVOICED = "gdbj", "ktpc"
UNVOICE: Final = str.maketrans(_VOICED, _UNVOICED)
UNVOICE_BYTES: Final = bytes.maketrans(_VOICED.encode(), _UNVOICED.encode())
# The skeleton: 'ch' as 'c', voiced consonants as unvoiced (and l as r), no vowel or h after
# the first letter, no letter twice in a row.
_SKELETON_FROM, _SKELETON_TO, _SKELETON_DROPS = "jgbdzvl", "ckptsfr", "aeiouyh"
_SKELETON_CONSONANTS: Final = str.maketrans(_SKELETON_FROM, _SKELETON_TO)
_SKELETON_CONSONANTS_BYTES: Final = bytes.maketrans(_SKELETON_FROM.encode(), _SKELETON_TO.encode())
_SKELETON_DROPPED: Final = str.maketrans("", "", _SKELETON_DROPS)
_SKELETON_DROPPED_BYTES: Final = _SKELETON_DROPS.encode()




# Symbols that stand for no letter of a name, however they decompose (a trademark sign is not 'TM').
_MARKS: Final = frozenset("\u2122\u2120")


@lru_cache(maxsize=4096)
def _is_symbol(char: str) -> bool:
    """An emoji, flag, dingbat, currency or other symbol that no transliteration reads as a letter: a circled
    or numero sign (Ⓚ, №) stands for letters and is kept."""
    if not unicodedata.category(char).startswith("S"):
        return False
    return char in _MARKS or not any(c.isalnum() for c in unicodedata.normalize("NFKC", char))


def without_symbols(text: str) -> str:
    """`text` with its non-ASCII symbols left out (anyascii reads an emoji as its English name: 😀 is
    'grinning', which a name then has to explain)."""
    if all(c.isascii() or not unicodedata.category(c).startswith("S") for c in text):
        return text
    return "".join(" " if not c.isascii() and _is_symbol(c) else c for c in text)


@lru_cache(maxsize=8)
def _transliterator(kind: str) -> object:
    import icu  # PyICU, installed with rigour

    # BGN/PCGN marks where two letters are not one digraph ('Т·с', 'М·эри') and writes the hard sign
    # (ʺ), and ICU writes Kazakh қ as kˌ: marks within a word, which Latin-ASCII would make
    # separators ('t-soy', 'pod"yachev', 'tok,ayev'), while the names' Latin spellings have none
    # (Tsoy, Podyachev, Tokayev).
    # Serbian and Macedonian names by their own BGN/PCGN tables, as their Latin spellings write them
    # (Љубиша Ljubiša, Џорџ Džordž, Вучић Vučić), not as Russian names (Ljubisha, Dord, Vuchic).
    marks = "Any-Latin; [\u00B7\u02BA\u02CC] Remove; Latin-ASCII"
    ids = {
        "cyrillic": f"Russian-Latin/BGN; {marks}",
        "serbian": f"Serbian-Latin/BGN; {marks}",
        "macedonian": f"Macedonian-Latin/BGN; {marks}",
        # Modern Greek as ELOT 743 / UNGEGN writes it, the Latin of Greek passports (Βαρουφάκης Varoufakis,
        # Δημήτρης Dimitris), not ICU's classical reading (Barouphakes, Demetres).
        "greek": "Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII",
        "other": "Any-Latin; Latin-ASCII",
    }
    return icu.Transliterator.createInstance(ids[kind])


_SERBIAN_LETTERS: Final = frozenset("ђјљњћџЂЈЉЊЋЏ")  # letters of the Serbian alphabet, not the Russian
_MACEDONIAN_LETTERS: Final = frozenset("ѓќѕЃЌЅ")


def _script_kind(text: str) -> str:
    """Which transliterator reads a name: its script's, and among Cyrillic names its language's, where
    a letter tells it."""
    if not any("\u0400" <= c <= "\u04ff" for c in text):
        return "greek" if any("\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff" for c in text) else "other"
    if not _SERBIAN_LETTERS.isdisjoint(text):
        return "macedonian" if not _MACEDONIAN_LETTERS.isdisjoint(text) else "serbian"
    return "macedonian" if not _MACEDONIAN_LETTERS.isdisjoint(text) else "cyrillic"


def to_ascii(text: str) -> str:
    """Any script to lower-case ASCII; Hangul is left for romanize_name.

    Word by word, each word cached with what stands beside it (a space or the edge of the
    name: transliteration rules look one character around), so a word that recurs across
    names (Иван, Мухаммед) is transliterated once. A name with a word of no letters is
    transliterated whole: punctuation takes its script from the words around it (an Arabic
    comma alone is no Arabic).
    """
    if text.isascii():
        return text.lower()
    text = without_symbols(unicodedata.normalize("NFC", text))
    kind = _script_kind(text)
    words = text.split(" ")
    if any(not word.isascii() and not any(c.isalpha() for c in word) for word in words):
        return _word_to_ascii(text, kind, False, False)
    last = len(words) - 1
    # An ASCII word beside the others is only lower-cased: not cached (most words of the names a batch
    # meets with a letter not ASCII are ASCII themselves).
    return " ".join([word.lower() if word.isascii() else _word_to_ascii(word, kind, i > 0, i < last)
                     for i, word in enumerate(words)])


@lru_cache(maxsize=100_000)
def _word_to_ascii(word: str, kind: str, space_before: bool, space_after: bool) -> str:
    """A word (or a whole name) with a character not ASCII in Latin letters (to_ascii lower-cases an
    ASCII one itself)."""
    if has_indic(word):
        word = indic_runs_to_latin(word)  # as its names are spelled, not letter by letter (text.indic)
        if word.isascii():
            return word.lower()
    context = (" " if space_before else "") + word + (" " if space_after else "")
    out: str = _transliterator(kind).transliterate(context)  # type: ignore[attr-defined]
    if not out.isascii():
        out = "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))
    if not out.isascii():
        # Scripts ICU has no Latin transliteration for (Khmer, Lao, Sinhala, Tibetan, Mongolian,
        # Javanese, Cherokee, Canadian syllabics, some Arabic-script letters): anyascii's tables.
        out = anyascii(out)
    return out[1 if space_before else 0 : len(out) - 1 if space_after else len(out)].lower()


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    data = name_refdata()
    folded = token
    for _ in range(4):  # rules can enable each other ('akh' -> 'ah' -> 'a'): run to a fixed point
        step = _apply_rules(data.equivalents.get(folded, folded))
        if step == folded:
            break
        folded = step
    return folded


def _apply_rules(token: str) -> str:
    for needle, at_end, pattern, repl in _FOLD_RULES:
        if token.endswith(needle) if at_end else needle in token:
            token = token.replace(needle, repl) if pattern is None else pattern.sub(repl, token)
    return squeeze(token)


def squeeze(text: str) -> str:
    """'mohammed' -> 'mohamed': no character twice in a row. By hand: a regex with a
    back-reference in its replacement costs microseconds a call, and this runs for every token."""
    for i in range(1, len(text)):
        if text[i] == text[i - 1]:
            break
    else:
        return text
    kept = [text[0]]
    for char in text[1:]:
        if char != kept[-1]:
            kept.append(char)
    return "".join(kept)


@lru_cache(maxsize=200_000)
def skeleton(fold: str) -> str:
    out = fold.replace("ch", "c")
    if out.isascii():
        consonants = out.encode().translate(_SKELETON_CONSONANTS_BYTES)
        return squeeze((consonants[:1] + consonants[1:].translate(None, _SKELETON_DROPPED_BYTES)).decode())
    out = out.translate(_SKELETON_CONSONANTS)
    return squeeze(out[:1] + out[1:].translate(_SKELETON_DROPPED))

"""Names two sides write in one East Asian script are compared as written, character by character.

Romanisation is how names in different scripts meet (김정은 and Kim Jong Un), but it loses what
tells two names of one script apart: 종 and 정 both romanise as 'jong', 市 and 石 both read 'shi'.
Where query and listed name are both Han, both Hangul or both Japanese, each character is a
syllable of the name, and the two are aligned on their characters (Han ones in their simplified
forms: 習近平 and 习近平 are one name written in the two standards).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final

from watchlist.text.tokens import Token, TokenKind

HAN: Final = "han"
HANGUL: Final = "hangul"
JAPANESE: Final = "japanese"  # kana, with or without Han characters


def _char_script(char: str) -> str:
    """The East Asian script of one character, '' for another letter, ' ' for what is no letter."""
    if not char.isalpha():
        return " "
    name = unicodedata.name(char, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return HAN
    if name.startswith("HANGUL"):
        return HANGUL
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return JAPANESE
    return ""


def east_asian_script(name: str) -> str:
    """HAN, HANGUL or JAPANESE where every letter of the name is of that script (a name with kana is
    Japanese, its Han characters too), else ''."""
    return "" if name.isascii() else _east_asian_script(name)


@lru_cache(maxsize=10_000)
def _east_asian_script(name: str) -> str:
    """east_asian_script of a name not all ASCII (cached: most names a batch meets are ASCII, told at
    once, and a cache of those held 0.7 MB of a worker's memory over 25,000 rows)."""
    scripts = {_char_script(c) for c in name} - {" "}
    if scripts == {HAN} or scripts == {HANGUL}:
        return scripts.pop()
    if scripts and scripts <= {HAN, JAPANESE} and JAPANESE in scripts:
        return JAPANESE
    return ""


@lru_cache(maxsize=1)
def _simplifier() -> object:
    import icu  # PyICU, installed with rigour

    return icu.Transliterator.createInstance("Traditional-Simplified")


@lru_cache(maxsize=10_000)
def native_tokens(name: str) -> tuple[Token, ...]:
    """The name's characters as tokens, Han ones simplified; what is no letter is dropped."""
    script = east_asian_script(name)
    if not script:
        return ()
    text = unicodedata.normalize("NFC", name)
    if script != HANGUL:
        text = str(_simplifier().transliterate(text))  # type: ignore[attr-defined]
    return tuple(Token(c, c, c, c, TokenKind.WORD) for c in text if c.isalpha())


def same_script(query_name: str, listed_name: str) -> bool:
    """Both names written in one East Asian script."""
    script = east_asian_script(query_name)
    return bool(script) and script == east_asian_script(listed_name)

"""Hangul names to Latin, syllable by syllable (Revised Romanization).

Korean personal names are a one- or two-syllable surname and a given name of
one or two syllables, usually written without spaces (김정은). We split them
so that each syllable becomes a token ('kim', 'jeong', 'eun'); the folding of
romanisation variants (Jong/Jeong/Chong) happens later, on those tokens.
"""

from __future__ import annotations

import re
from typing import Final

_BASE: Final = 0xAC00
_LAST: Final = 0xD7A3
_INITIALS: Final = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIALS: Final = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
    "yu", "eu", "ui", "i",
)
_FINALS: Final = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
    "ng", "t", "t", "k", "t", "p", "t",
)
# Surnames as customarily romanised (the first syllable of a name).
_SURNAMES: Final = {
    "김": "kim", "이": "ri", "리": "ri", "박": "pak", "최": "choe", "정": "jong", "강": "kang", "조": "jo",
    "윤": "yun", "장": "jang", "임": "rim", "림": "rim", "한": "han", "오": "o", "서": "so", "신": "sin",
    "권": "kwon", "황": "hwang", "안": "an", "송": "song", "류": "ryu", "유": "yu", "홍": "hong", "전": "jon",
    "고": "ko", "문": "mun", "양": "yang", "량": "ryang", "손": "son", "배": "pae", "백": "paek", "허": "ho",
    "남": "nam", "심": "sim", "노": "no", "로": "ro", "하": "ha", "곽": "kwak", "성": "song", "차": "cha",
    "주": "ju", "우": "u", "구": "ku", "민": "min", "길": "kil", "현": "hyon", "염": "yom", "렴": "ryom",
    "방": "pang", "공": "kong", "변": "pyon", "석": "sok", "명": "myong", "엄": "om", "원": "won",
}
_VOWEL_SYLLABLES: Final = {"u": "woo", "o": "oh", "i": "yi", "e": "eh"}
_COMPOUND_SURNAMES: Final = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문"}


def is_hangul(char: str) -> bool:
    return _BASE <= ord(char) <= _LAST


_HANGUL: Final = re.compile("[\uac00-\ud7a3]")


def has_hangul(text: str) -> bool:
    return not text.isascii() and _HANGUL.search(text) is not None


def romanize_syllable(char: str) -> str:
    code = ord(char) - _BASE
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    return _INITIALS[initial] + _MEDIALS[medial] + _FINALS[final]


def romanize_name(text: str) -> list[str]:
    """'김정은' -> ['kim', 'jeong', 'eun']; '강 문길' -> ['kang', 'mun', 'gil']; other characters pass through."""
    tokens: list[str] = []
    for word_index, word in enumerate(text.split()):
        syllables = [c for c in word if is_hangul(c)]
        if not syllables:
            tokens.append(word)
            continue
        surname_len = 0
        if word_index == 0 and len(syllables) >= 2:
            surname_len = 2 if "".join(syllables[:2]) in _COMPOUND_SURNAMES else 1
        if surname_len == 2:
            tokens.append("".join(romanize_syllable(c) for c in syllables[:2]))
        elif surname_len == 1 or (word_index == 0 and len(syllables) == 1):
            tokens.append(_SURNAMES.get(syllables[0], romanize_syllable(syllables[0])))
            surname_len = 1
        # A one-letter syllable (우, 오, 이) is written as customary, not as an initial.
        tokens.extend(_VOWEL_SYLLABLES.get(r, r) for r in (romanize_syllable(c) for c in syllables[surname_len:]))
    return tokens

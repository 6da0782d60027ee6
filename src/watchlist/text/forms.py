"""What a name is made of beyond its tokens: the forms it is written in, and which words are its
family name.
"""

from __future__ import annotations

import re
from typing import Final

from watchlist.text.countries import latin_country_code
from watchlist.text.folding import to_ascii
from watchlist.text.hangul import has_hangul
from watchlist.text.refdata import name_refdata
from watchlist.text.tokens import Token, TokenKind, tokenize_name

_WORDS: Final = re.compile(r"[a-z]+|[0-9]+")

_ALTERNATIVES: Final = re.compile(r"(?<=\w\w)\s*/\s*(?=\w\w)")
_ALTERNATIVE_LETTERS: Final = 5  # a shorter part is an abbreviation of the rest, not a name of its own
_TRAILING_BRACKETS: Final = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_QUALIFIER_AFTER_COLON: Final = re.compile(r"\s*:\s*[^:]*$")


def name_forms(name: str, kind: str, query: bool = False) -> list[str]:
    """An organisation's or vessel's name as written, and without what is added to a name: an acronym
    or other name in trailing brackets ('FOREIGN TRADE BANK (FTB)'), a qualifier after a colon
    ('... CHARITY FOUNDATION : BOSNIA BRANCH') and, in a query, the country it is of ('Foreign Trade
    Bank of the DPRK'; a listed name keeps its country: 'Central Bank of ...' names one bank). A
    person's name is taken as written."""
    forms = [name]
    if kind == "person":
        return forms
    if "(" in name or "[" in name or ":" in name:
        for pattern in (_TRAILING_BRACKETS, _QUALIFIER_AFTER_COLON):
            shorter = pattern.sub("", forms[-1])
            if shorter != forms[-1] and any(c.isalnum() for c in shorter):
                forms.append(shorter)
    if "/" in name:
        # 'Al-Qa'ida/Islamic Army': two names of one body, each a form; not 'A/S' or 'M/V'.
        forms.extend(
            part for part in _ALTERNATIVES.split(name)
            if part != name and sum(c.isalpha() for c in part) >= _ALTERNATIVE_LETTERS and _names_something(part)
        )
    shorter = _without_country(forms[-1]) if query else ""
    if shorter and _names_something(shorter):
        forms.append(shorter)
    return forms


def _without_country(name: str) -> str:
    """The name before a country that ends it after 'of', 'in' or a comma, else ''."""
    words = name.split()
    for size in (1, 2, 3):
        if len(words) <= size + 1:
            break
        country = " ".join(words[-size:])
        head = words[:-size]
        if head[-1].lower() == "the":
            head = head[:-1]
        joined = head[-1].endswith(",")
        if head and head[-1].lower() in ("of", "in"):
            head, joined = head[:-1], True
        if joined and head and len(country) > 3 and latin_country_code(country.strip(",.")):
            return " ".join(head).rstrip(",")
    return ""


def _names_something(name: str) -> bool:
    """A word in it that is not a legal form or generic business word: 'Foreign Trade Bank' names
    a bank, 'Bank' alone does not ('Bank of China' keeps its country)."""
    generic = name_refdata().org_terms | name_refdata().legal_forms
    return any(len(w) > 2 and w not in generic for w in _WORDS.findall(to_ascii(name)))


def family_positions(name: str, kind: str, listed: bool = False) -> tuple[int, ...]:
    """'KIM, Jong Un' -> (0,): lists write 'FAMILY, Given'; a Korean or Chinese name in its own
    script begins with the family name (김정은, 张伟). A `listed` name follows the lists' conventions
    too: 'Given FAMILY' marks the family name by case ('Svetlana Petrovna GORYACHEVA', as the UK
    and EU lists write names; capitals first are as often given names), and a name of short
    syllables that begins with a Korean or Chinese surname is written family name first
    ('RI CHUN SONG'). Other forms say nothing."""
    head, comma, _ = name.partition(",")
    if comma:
        # At most the name's tokens: 'AL-RAHMAN, Abd' is one token, abdrahman, its family name.
        return tuple(range(min(len(tokenize_name(head, kind)), len(tokenize_name(name, kind)))))
    if kind in ("person", "any") and (has_hangul(name) or _has_han(name)) and len(tokenize_name(name, kind)) >= 2:
        return (0,)
    if listed:
        return _capitalised_family(name, kind) or _east_asian_family(name, kind)
    return ()


# An East Slavic patronymic as the fold writes it (Grigorievich, Hryhorovych, Petrovna, Piatrowna,
# Mihaulauna, Oleksandrivna, Illichna; Iurievici as Moldova writes Russian); not the South Slavic
# family names in -ovic (Petrovic).
_PATRONYMIC_ENDINGS: Final = ("vich", "vici", "vna", "auna", "ichna")
_PATRONYMIC_MIN_LENGTH: Final = 7


def patronymic_position(tokens: tuple[Token, ...], family: tuple[int, ...]) -> int:
    """The position of the patronymic of a person's name of three words or more, or -1.

    A word with a patronymic ending that is neither the first word nor a known family-name position;
    where two qualify (family name unknown: 'Roman Arkadyevich Abramovich'), the second word, where
    the patronymic stands in both the Given Patronymic FAMILY and the FAMILY Given Patronymic orders."""
    if len(tokens) < 3:
        return -1  # 'Roman Abramovich': a family name in -vich, no patronymic
    found = [
        i for i in range(1, len(tokens))
        if i not in family and tokens[i].kind is TokenKind.WORD and len(tokens[i].fold) >= _PATRONYMIC_MIN_LENGTH
        and tokens[i].fold.endswith(_PATRONYMIC_ENDINGS)
    ]
    if not found:
        return -1
    return 1 if 1 in found else found[-1]


def _has_han(text: str) -> bool:
    return not text.isascii() and any("\u4e00" <= c <= "\u9fff" for c in text)


def _east_asian_family(name: str, kind: str) -> tuple[int, ...]:
    tokens = tokenize_name(name, kind)
    if not 2 <= len(tokens) <= 4 or tokens[0].text not in name_refdata().east_asian_surnames:
        return ()
    if not syllabic(tokens):
        return ()  # not a name of syllables ('LEE HARVEY OSWALD')
    return (0,)


def syllabic(tokens: tuple[Token, ...]) -> bool:
    """A name of short syllables, each of one vowel group ('RI CHUN SONG', 'ZHANG WEI'): a Korean or
    Chinese name romanised, whose given name is two syllables and one more makes another."""
    return bool(tokens) and all(_SYLLABLE.match(t.text) for t in tokens)


_SYLLABLE: Final = re.compile(r"[^aeiouy\W\d]*[aeiouy]+[^aeiouy\W\d]*$")  # one vowel group: 'kim', 'jeong', 'chuang'


def _capitalised_family(name: str, kind: str) -> tuple[int, ...]:
    """'Svetlana Petrovna GORYACHEVA' -> (2,): the capitalised words that end a mixed-case name."""
    words = name.split()
    caps = [_is_capitalised(w) for w in words]
    if not caps or not caps[-1] or caps[0] or not any(c.islower() for c in name):
        return ()
    cut = len(caps) - caps[::-1].index(False)
    if any(caps[:cut]):
        return ()  # capitals here and there: no family name marked
    size = len(tokenize_name(name, kind))
    head = len(tokenize_name(" ".join(words[:cut]), kind))
    if size != head + len(tokenize_name(" ".join(words[cut:]), kind)):
        return ()  # the words tokenise differently apart (titles, joined parts): positions unknown
    return tuple(range(head, size))


def _is_capitalised(word: str) -> bool:
    """'KOZLOV', 'AL-HASSAN', the 'U' of 'HYON U'; not an initial ('X.')."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and (len(letters) > 1 or "." not in word)

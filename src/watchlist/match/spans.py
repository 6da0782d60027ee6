"""Runs of words that stand for a listed word other than one for one: adjacent words written as one
('Jong Un' / 'Jongun', 'Plat Ono Vich' / 'Platonovich'), an acronym ('PLA' / 'People's Liberation
Army') and a last word cut short at a field's length ('... BELKASSEM DR' / 'DRISSI'). match.align
links them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from watchlist.match.similarity import INITIAL_SIM
from watchlist.text.tokens import LEGAL_FORM, Token, TokenKind, joinable, may_be_cut

CUT_WORD_SIM: Final = 0.9  # the start of a word, in a name cut short (text.tokens.CUT_NAME_LENGTH): as one typo in a long word
_CUT_KINDS: Final = (TokenKind.WORD, TokenKind.ORG_TERM)  # what a cut word may be the start of
_CUT_LAST_KINDS: Final = (TokenKind.WORD, TokenKind.PARTICLE)  # what may be cut: a word, a title's abbreviation kept


def adjacent_pairs(tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Adjacent tokens one may write as one word: 'Jong Un' (Jongun), 'de Lourdes', 'Siemens AG' (SiemensAG)."""
    return [
        (i, i + 1)
        for i in range(len(tokens) - 1)
        if joinable(tokens[i], tokens[i + 1])
        or (tokens[i].kind is TokenKind.WORD and tokens[i + 1].kind is TokenKind.ORG_TERM)
    ]


def acronym_similarity(acronym: Token, words: Sequence[Token]) -> float:
    """'PLA' for 'People's Liberation Army', 'KOMID' for 'Korea Mining Development ...': the
    initials of consecutive words spell the token."""
    letters = "".join(w.text[0] for w in words)
    return INITIAL_SIM if len(words) >= 2 and letters == acronym.text else 0.0


def cut_word(query: tuple[Token, ...]) -> int:
    """The position of the last word of a query long enough to have been cut at a field's length
    (text.tokens.may_be_cut), where it is a word or particle of two letters or more; else -1."""
    if not may_be_cut([t.text for t in query]):
        return -1
    last = query[-1]
    return len(query) - 1 if last.kind in _CUT_LAST_KINDS and len(last.text) >= 2 else -1


def cut_from(cut: Token, word: Token) -> bool:
    """A word cut short: the listed word (a business word too, no legal form) begins with it and is
    longer ('DR' of 'DRISSI', 'TRAD' of 'TRADING')."""
    return (
        word.kind in _CUT_KINDS and word.fold != LEGAL_FORM and len(word.text) > len(cut.text)
        and word.text.startswith(cut.text)
    )


def may_be_acronym(token: Token, two_letters: bool = False) -> bool:
    """Three to six letters ('PLA', 'KOMID'), or two without a vowel ('JC' for Jean-Claude); with
    `two_letters` (an organisation's name, where 'US' and 'EU' stand for two words) any two letters."""
    size = len(token.text)
    return token.kind is TokenKind.WORD and token.text.isalpha() and (
        3 <= size <= 6 or (size == 2 and (two_letters or not any(c in "aeiouy" for c in token.text)))
    )


def acronym_runs(acronym: Token, tokens: tuple[Token, ...]) -> list[tuple[int, ...]]:
    """Runs of consecutive words of `tokens` whose initials spell `acronym`."""
    size = len(acronym.text)
    words = [i for i, t in enumerate(tokens) if t.kind is TokenKind.WORD]
    runs: list[tuple[int, ...]] = []
    for start in range(len(words) - size + 1):
        run = words[start : start + size]
        if run[-1] - run[0] == size - 1 and acronym_similarity(acronym, [tokens[i] for i in run]):
            runs.append(tuple(run))
    return runs

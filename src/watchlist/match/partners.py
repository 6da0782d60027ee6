"""Words that are one name by rule or table though their letters differ: a Wade-Giles syllable and
its Pinyin reading (Hsi / Xi, text.wade_giles) and, in person names, a given name and its nickname
(Ben / Benjamin, text.nicknames).

The aligner asks this once per query word (`token_partners`) and then, for each listed word the
query word is otherwise unlike, only whether the listed word is in a set (`partner_similarity`):
no per-pair computation, nothing on the way of a query without such words.
"""

from __future__ import annotations

from typing import Final

from watchlist.text.nicknames import nickname_partners
from watchlist.text.tokens import Token, TokenKind
from watchlist.text.wade_giles import joined_reading, romanisation_partners

# One syllable in two romanisations: the same name, a little below the same spelling.
WADE_GILES_SIM: Final = 0.95
# A nickname for its full given name: a strong but not an exact match (as LEARNED_WORD_SIM, two words
# the lists write for one another): Ben may be Benjamin or another Ben.
NICKNAME_SIM: Final = 0.9
_WORD: Final = TokenKind.WORD
_PARTICLE: Final = TokenKind.PARTICLE
_EMPTY: Final[frozenset[str]] = frozenset()

# (listed words as written that are this word in the other romanisation, folds of its nickname partners)
Partners = tuple[frozenset[str], frozenset[str]]


def token_partners(token: Token, person: bool, wade_giles: bool = False, pinyin: bool = False) -> Partners | None:
    """What a query token meets by rule or table, or None (most words): in a name written in Wade-Giles
    (Pinyin) its Pinyin readings (Wade-Giles spellings), and in a person's name its nickname partners
    ('Ben' may be a particle by its letters, but stands for Benjamin as a given name)."""
    romanised = (
        romanisation_partners(token.text, wade_giles, pinyin) if (wade_giles or pinyin) and token.kind is _WORD
        else _EMPTY
    )
    nicknames = nickname_partners(token.fold) if person and token.kind in (_WORD, _PARTICLE) else _EMPTY
    return (romanised, nicknames) if romanised or nicknames else None


def partner_similarity(partners: Partners, token: Token) -> float:
    """How alike a listed token is to the query token these partners are of, by rule or table alone."""
    if token.kind is not _WORD and token.kind is not _PARTICLE:
        return 0.0
    if token.kind is _WORD and token.text in partners[0]:
        return WADE_GILES_SIM
    return NICKNAME_SIM if token.fold in partners[1] else 0.0


def joined_partner(joined: Token, first: Token, second: Token) -> float:
    """WADE_GILES_SIM where one word is two adjacent Wade-Giles syllables read as Pinyin and written
    together ('Zedong' for 'Tse' 'tung'), else 0.0. The caller asks only for a name of such syllables."""
    return WADE_GILES_SIM if joined_reading(joined.text, first.text, second.text) else 0.0

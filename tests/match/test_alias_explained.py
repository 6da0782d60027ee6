"""A listed person's name that marks no family name is an alias, a short form by which one is known:
a query that holds all of it and says more names the same person more likely than beside a full
name, where a word more is another name part (logic_v1.listed_alias_explained, alias_query_exponent)."""

from __future__ import annotations

from watchlist import compare
from watchlist.match.algorithm import CandidateName
from watchlist.match.logic_v1 import listed_alias_explained
from watchlist.match.logic_v2 import fitted
from watchlist.text.forms import family_positions
from watchlist.text.tokens import tokenize_name


def _alias(listed: str) -> bool:
    return listed_alias_explained(
        CandidateName(listed, tokenize_name(listed, "person"), family_positions(listed, "person", listed=True)),
    )


def test_a_fuller_name_matches_a_short_alias_it_holds() -> None:
    assert compare("Tariq Ilyas Abdullah Khwajazai", "TARIQ ILYAS", "Person").match


def test_not_a_full_name_that_marks_its_family_name() -> None:
    assert not compare("Tariq Ilyas Abdullah Khwajazai", "ILYAS, Tariq", "Person").match
    assert not compare("Tariq Ilyas Abdullah Khwajazai", "Tariq ILYAS", "Person").match


def test_not_a_name_of_syllables() -> None:
    assert not compare("Kim Chol Sung Ho", "KIM CHOL SUNG", "Person").match  # 'Sung Ho': another given name


def test_what_an_alias_is() -> None:
    assert _alias("TARIQ ILYAS") and _alias("ABU HAFS AL-MASRI")
    assert not _alias("ILYAS, Tariq") and not _alias("Tariq ILYAS") and not _alias("P'U LI")
    assert fitted()[0].alias_query_exponent < fitted()[0].explained_query_exponent

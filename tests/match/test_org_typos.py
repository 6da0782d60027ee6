"""A word of an organisation's name mistyped beside the listed name's other words is that word, written
as one word or two: the dampings for a short word, another first letter and a word the lists use are
for persons' names (match.similarity.organisation_typo_similarity)."""

from __future__ import annotations

import pytest

from watchlist import compare
from watchlist.match.similarity import organisation_typo_similarity, token_similarity
from watchlist.text.tokens import make_token


@pytest.mark.parametrize("query, listed", [
    ("Kestrava Holdings AG", "Kestrona Holdings AG"),  # two typos in a long word
    ("Zeta Logistics Inc.", "Meta Logistics Inc."),  # one in a short word, its first letter
    ("Bexa Tools Inc", "Mexa Tools Inc"),
    ("Hon Wai Tools Ltd", "Hon Hai Tools Ltd"),  # a word of three letters
])
def test_an_organisations_word_mistyped_matches(query: str, listed: str) -> None:
    assert compare(query, listed, "Company").match


@pytest.mark.parametrize("query, listed, schema", [
    ("Norvalis Energy SA", "Norvalent Energy SA", "Company"),  # three edits: another word
    ("Zeta Logistics Inc.", "Zoto Logistics Inc.", "Company"),  # two typos in four letters
    ("Kang Min Su", "Lang Min Su", "Person"),  # a person's name: another name
])
def test_another_word_or_a_persons_name_does_not(query: str, listed: str, schema: str) -> None:
    assert not compare(query, listed, schema).match


@pytest.mark.parametrize("query, listed", [
    ("Kastel Varok Shipping", "Kastelvaro Shipping"),  # two words for one, mistyped
    ("Kastelvaro Shipping", "Kastel Varok Shipping"),  # ... and one for two
    ("Vestamar Kino", "Vestamarkina"),
])
def test_an_organisations_word_split_and_mistyped_matches(query: str, listed: str) -> None:
    assert compare(query, listed, "Organization").match


@pytest.mark.parametrize("query, listed", [
    ("Koorae Pyolmuri Shipping", "KOREA PYOLMURI SHIPPING"),  # a generic word (a country) mistyped
    ("Rossii Zvezdny Bank", "ROSSIYA ZVEZDNY BANK"),
])
def test_an_organisations_generic_word_mistyped_matches(query: str, listed: str) -> None:
    assert compare(query, listed, "Organization").match


def test_a_persons_syllables_joined_are_not_lifted() -> None:
    assert not compare("Jong Chol", "Jongchon", "Person").match  # Chol / Chon: two names


def test_typos_allowed_grow_with_the_word() -> None:
    def lifted(a: str, b: str) -> float:
        return organisation_typo_similarity(make_token(a), make_token(b))

    assert lifted("mexa", "bexa") > token_similarity(make_token("mexa"), make_token("bexa"))
    assert lifted("mexa", "bexo") == 0.0  # two typos in four letters
    assert lifted("kestrava", "kestrona") > 0.8
    assert lifted("ltd", "ltda") == 0.0  # legal forms: their own rules (text.tokens)
    assert lifted("hx", "hu") == 0.0

"""A country's name, or a generic business word ('Banking'), in an organisation's name is a qualifier the lists write or leave out ('KOREA DAESONG
BANK' / 'Daesong Bank', 'Syrian Arab Airlines' / 'Arab Airlines'): it weighs what a generic business
word weighs, and never in a person's name or a word that is also a given name (Jordan)."""

from __future__ import annotations

import pytest

from watchlist import compare
from watchlist.text.tokens import TokenKind, tokenize_name


@pytest.mark.parametrize("query, listed", [
    ("Daesong Bank", "KOREA DAESONG BANK"),
    ("Korea Daesong Bank", "DAESONG BANK"),
    ("Tangun Trading Corporation", "KOREA TANGUN TRADING CORPORATION"),
    ("Ryonbong General Corporation", "KOREA RYONBONG GENERAL CORPORATION"),
    ("Korea Tanchon Bank", "KOREA TANCHON BANKING CORPORATION"),  # 'banking' is as generic as 'bank'
    ("Daedong Credit Bank", "DAEDONG CREDIT BANKING CORPORATION"),
])
def test_an_organisation_with_or_without_its_country_is_one(query: str, listed: str) -> None:
    assert compare(query, listed, "Organization").match


@pytest.mark.parametrize("query, listed", [
    ("Korea Daesong Bank", "KOREA KWANGSON BANK"),  # the word that tells them apart differs
    ("Syria Trading Company", "IRAN TRADING COMPANY"),  # only generic words are alike
])
def test_a_country_alone_in_common_makes_no_match(query: str, listed: str) -> None:
    assert not compare(query, listed, "Organization").match


def test_a_country_is_a_qualifier_in_an_organisations_name_only() -> None:
    assert tokenize_name("KOREA DAESONG BANK", "org")[0].kind is TokenKind.ORG_TERM
    assert tokenize_name("Korea Daesong", "person")[0].kind is TokenKind.WORD
    assert tokenize_name("Jordan Trading", "org")[0].kind is TokenKind.WORD  # also a given name

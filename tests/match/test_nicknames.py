"""A given name and its nickname meet in person names (data/nicknames.yaml, match.partners):
strongly, not exactly, and only within one full name's group."""

from __future__ import annotations

from importlib import resources

import pytest

from watchlist import compare
from watchlist.errors import ConfigError
from watchlist.match.align import QueryAligner
from watchlist.match.partners import NICKNAME_SIM
from watchlist.text.folding import fold_token
from watchlist.text.nicknames import nickname_partners, parse_nicknames
from watchlist.text.refdata import load_yaml
from watchlist.text.tokens import tokenize_name
from watchlist.text.weights import DEFAULT_STATS


@pytest.mark.parametrize(("query", "listed"), [
    ("Ben Netanyahu", "Benjamin Netanyahu"),
    ("Ted Doe", "Theodore Doe"),
    ("Bill Frost", "William Frost"),
    ("Bob Marley", "Robert Marley"),
    ("Sasha Petrov", "Aleksandr Petrov"),
    ("Misha Volkov", "Mikhail Volkov"),
    ("Paco Hernandez", "Francisco Hernandez"),
    ("Fritz Keller", "Friedrich Keller"),
    ("Bibi Levi", "Binyamin Levi"),
    ("Yossi Katz", "Yosef Katz"),
])
def test_a_nickname_matches_its_full_given_name(query: str, listed: str) -> None:
    assert compare(query, listed, "Person").match
    assert compare(listed, query, "Person").match


@pytest.mark.parametrize(("query", "listed"), [
    ("Ben Cohen", "Benedict Cohen"),  # Ben is Benjamin's in the table, not Benedict's
    ("Ben Cohen", "Bernard Cohen"),
    ("Bill Cohen", "Robert Cohen"),  # Bill is William's
    ("Ted Doe", "Edmund Doe"),
    ("Sasha Ivanov", "Aleksei Ivanov"),
])
def test_a_nickname_does_not_match_another_full_name(query: str, listed: str) -> None:
    assert not compare(query, listed, "Person").match


def test_a_nickname_is_strong_but_not_exact() -> None:
    q, c = tokenize_name("Ted Doe", "person"), tokenize_name("Theodore Doe", "person")
    alignment = QueryAligner(q, DEFAULT_STATS, person=True).align(c)
    assert sorted(round(sim, 6) for sim, _, _ in alignment.links) == [NICKNAME_SIM, 1.0]
    assert compare("Ted Doe", "Theodore Doe", "Person").score < compare("Theodore Doe", "Theodore Doe", "Person").score


def test_only_a_person_name_meets_its_nickname() -> None:
    q, c = tokenize_name("Bob Trading", "org"), tokenize_name("Robert Trading", "org")
    links = QueryAligner(q, DEFAULT_STATS, learned=True, organisation=True).align(c).links
    assert [q_positions for _, q_positions, _ in links] == [(1,)]  # Trading alone
    assert not compare("Bob Trading", "Robert Trading", "Organization").match


def test_nicknames_meet_full_names_not_each_other() -> None:
    assert fold_token("william") in nickname_partners(fold_token("bill"))
    assert fold_token("will") not in nickname_partners(fold_token("bill"))
    assert nickname_partners(fold_token("zzyzx")) == frozenset()


def test_the_shipped_table_is_valid() -> None:
    text = resources.files("watchlist.data").joinpath("nicknames.yaml").read_text(encoding="utf-8")
    table = parse_nicknames(load_yaml(text))
    assert {"english", "russian", "spanish", "german"} <= set(table)
    assert all(len(rows) >= 5 for rows in table.values())


@pytest.mark.parametrize(("data", "says"), [
    ([], "expected a mapping"),
    ({"english": []}, "must map full given names"),
    ({"english": {"William": ["bill"]}}, "not a lower-case ASCII word"),
    ({"english": {"william": "bill"}}, "expected a list"),
    ({"english": {"william": ["bill", "bill"]}}, "repeats"),
    ({"english": {"william": ["william"]}}, "repeats or is the full name"),
    ({"english": {"william": ["b1ll"]}}, "expected a list of lower-case ASCII words"),
])
def test_a_malformed_table_is_refused_with_what_is_wrong(data: object, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_nicknames(data)

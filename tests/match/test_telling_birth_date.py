"""A whole birth date that tells people apart (not 1 January, which lists write for a year alone),
the same on both sides, carries a name that is only partly alike: a long name chain against its
short form (issue 16, classes 1 and 5). A year, a 1 January or another day carries nothing more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.engine import Engine
from watchlist.match.features import telling_birth_date
from watchlist.match.types import Query
from watchlist.model import Entity, Name, Schema
from watchlist.settings import Settings
from watchlist.text.dates import telling_days

LONG, SHORT = "Abdurahman Salem Ibrahim Milad", "MILAD, Abd al-Rahman"


def _listed(name: str, born: str) -> Entity:
    return Entity(id="listed", schema=Schema.PERSON, names=(Name(name),), birth_dates=(born,))


def _compare(query: str, born: str | None, listed: str, listed_born: str) -> tuple[float, bool, tuple[str, ...]]:
    result = Engine(Settings()).compare(Query.build(query, schema="Person", birth_date=born), _listed(listed, listed_born))
    return result.score, result.match, result.explanation


@pytest.mark.parametrize("query, listed", [
    (LONG, SHORT),  # one name has parts the other lacks
    ("HAMID ABDALLAH AHMAD AL-ALI", "AL-ALI, Hamid"),
    ("Dokka Umarov", "UMAROV, Doku"),  # a transliteration variant
    ("Reza-Gholi Ismaili", "ESMAELI, Reza-Gholi"),
    ("Angga Dimas Prasondha", "PERSHADA, Angga Dimas"),  # another family name
    ("Abd-al-Nasr SHARIF", "ABU SHARIF, Nasser"),
])
def test_a_telling_birth_date_carries_a_partial_name(query: str, listed: str) -> None:
    _, match, why = _compare(query, "1974-07-22", listed, "1974-07-22")
    assert match, why
    assert any(w.startswith("whole birth date agrees") for w in why), why
    assert not _compare(query, None, listed, "1974-07-22")[1]  # the name alone is not enough


@pytest.mark.parametrize("born, listed_born", [
    ("1974", "1974-07-22"),  # a year only
    ("1974-01-01", "1974-01-01"),  # a year the lists write as 1 January
    ("1974-07-23", "1974-07-22"),  # another day
])
def test_a_date_that_does_not_tell_people_apart_carries_nothing_more(born: str, listed_born: str) -> None:
    assert not _compare(LONG, born, SHORT, listed_born)[1]


def test_a_telling_date_does_not_carry_a_common_word_alone() -> None:
    assert not _compare("Vladimir Maksimenko", "1954-07-21", "POSPELOV, Vladimir Yakovlevich", "1954-07-21")[1]


def test_telling_days() -> None:
    assert telling_days(["1974-07-22", "1974-01-01", "1974", "1974-07"]) == {(1974, 7, 22)}
    assert telling_birth_date(["1974-07-22"], ["1960-01-01", "1974-07-22"])
    assert not telling_birth_date(["1974-01-01"], ["1974-01-01"])
    assert not telling_birth_date(["1974-07-22"], ["1974-07"])


@given(st.dates(), st.dates())
def test_a_telling_date_agrees_with_itself_only(a: object, b: object) -> None:
    same = telling_birth_date([str(a)], [str(b)])
    assert same == (a == b and (a.month, a.day) != (1, 1))  # type: ignore[attr-defined]

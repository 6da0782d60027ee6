"""Recall on real spelling variants must not fall under issue 16's target (measured by
bench/real_variants.py: each linked record's names screened against the other list alone)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from watchlist.model import Entity, Name, Schema

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_real_variant_recall_on_the_test_part_holds_the_target() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from real_variants import run

    assert run("test", None, None, True)["recall"] >= 0.90


def _person(names: tuple[str, ...], born: str) -> Entity:
    return Entity(id=names[0], schema=Schema.PERSON, names=tuple(Name(n) for n in names), birth_dates=(born,))


def test_a_common_word_alone_links_no_two_people_born_the_same_day() -> None:
    """Two parties born the same day often share one common word ('Abu', 'Vladimir'): that is no
    evidence they are one. A rare word, two words, or a shared Korean syllable still is."""
    sys.path.insert(0, str(ROOT / "bench"))
    from mine_variants import COMMON_RECORDS, common_words, evidence

    assert {"abu", "vladimir"} <= common_words()
    assert "harzi" not in common_words(), f"in {COMMON_RECORDS} records or fewer"
    born = "1960-12-30"
    assert evidence(_person(("Abu Umar",), born), _person(("Abu Waheed",), born)) is None
    assert evidence(_person(("Vladimir Maksimenko",), born), _person(("Vladimir Pospelov",), born)) is None
    assert evidence(_person(("Tarek Harzi",), born), _person(("Tariq Harzi",), born)) == f"birth_date+name {born}"
    assert evidence(_person(("RI YONG MU",), born), _person(("RI, Yong Mu",), born)) == f"birth_date+name {born}"
    assert evidence(_person(("Abu Umar",), born), _person(("Abu Umar",), born)) == f"birth_date+name {born}"


def test_people_born_the_same_day_are_not_matched_on_the_day_alone() -> None:
    """A telling birth date carries a partial name (text.dates.telling_days), so the negatives
    that matter are people of the lists born the same day whom nothing links: almost none may match
    (the few that do are one party the linking missed, their names written alike)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from real_variants import run

    assert run("strangers", None, None, True)["recall"] <= 0.003

"""The labelled scan corpus (bench/scan_corpus) against all the shared lists: the quality targets."""

from __future__ import annotations

import pytest
from bench.scan_quality import Outcome, evaluate, load_labels
from tests.conftest import LISTS

from watchlist.engine import Engine
from watchlist.scan import Scanner
from watchlist.sources import entities_from_paths

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    return evaluate(Scanner(Engine.from_entities(entities_from_paths([LISTS]))))


def test_the_corpus_is_large_and_varied() -> None:
    labels = load_labels()
    assert len(labels) >= 25
    assert sum(name.startswith("neg_") for name in labels) >= 5
    assert {name.split("_")[0] for name in labels} >= {"en", "ru", "uk", "ko", "neg"}


@pytest.mark.parametrize("kind", ["parties", "places", "red_flags"])
def test_precision_and_recall(outcome: Outcome, kind: str) -> None:
    tally = outcome.tallies[kind]
    assert tally.recall >= 0.95, outcome.errors
    assert tally.precision >= 0.95, outcome.errors


def test_no_party_in_the_negative_documents(outcome: Outcome) -> None:
    assert outcome.negative_parties == []

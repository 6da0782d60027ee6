"""Scan cost grows with the length of the text, not its square (issue 21, finding 3)."""

from __future__ import annotations

import time

import pytest
from tests.scan.scan_helpers import DOCS, engine  # noqa: F401  (fixture)

from watchlist.engine import Engine
from watchlist.scan import Scanner, parties
from watchlist.scan.parties import PartyMention


def _text(characters: int) -> str:
    base = "\n\n".join((DOCS / name).read_text(encoding="utf-8")
                       for name in ("dprk_shipping_memo.txt", "factory_audit.txt", "busan_shipyard_news.txt"))
    return (base * (characters // len(base) + 1))[:characters]


def _seconds(scanner: Scanner, text: str) -> float:
    started = time.process_time()
    scanner.scan(text)
    return time.process_time() - started


def test_ten_times_the_text_costs_about_ten_times_the_time(engine: Engine) -> None:  # noqa: F811
    scanner = Scanner(engine)
    scanner.scan(_text(5_000))  # caches warm
    small = min(_seconds(scanner, _text(50_000)) for _ in range(2))
    large = min(_seconds(scanner, _text(500_000)) for _ in range(2))
    # Linear is ~10 (a compiled build's short runs measure noisily); quadratic would be ~100.
    assert large / small < 30, f"50k chars {small:.2f}s, 500k chars {large:.2f}s"


def test_resolving_mentions_compares_each_with_a_bounded_number(engine: Engine,  # noqa: F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    entity = engine.index.entities[0]
    comparisons = 0
    clash = parties._clash

    def counted(a: PartyMention, b: PartyMention) -> bool:
        nonlocal comparisons
        comparisons += 1
        return clash(a, b)

    monkeypatch.setattr(parties, "_clash", counted)

    def work(count: int) -> int:
        nonlocal comparisons
        comparisons = 0
        kept = parties.resolve([PartyMention(entity, 10 * i, 10 * i + 15, "x", 0.9, "x") for i in range(count)])
        assert len(kept) == (count + 1) // 2  # every other one: neighbours of the same entity overlap
        return comparisons

    small, large = work(2_000), work(20_000)
    assert large < 12 * small, (small, large)  # all pairs would be 100 times the work


def test_sentence_splitting_reads_back_a_bounded_stretch() -> None:
    from watchlist.scan.text import Sentences

    def seconds(size: int) -> float:
        text = "Mr. Kim and Dr. Lee met Gen. Park " * (size // 34)  # full stops that end no sentence
        started = time.process_time()
        assert len(Sentences.split(text)) == 1
        return time.process_time() - started

    small = min(seconds(20_000) for _ in range(3))
    assert seconds(400_000) < 100 * max(small, 1e-3)  # 20x the text: about 20x the time; all pairs 400x

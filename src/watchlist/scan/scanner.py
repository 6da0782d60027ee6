"""Scan a document: listed parties, sanctioned places and red flags, each tied to a span of the text.

`Scanner(engine, options).scan(text, document)` is the one entry point every
interface uses (CLI, HTTP API). A `Scanner` holds what is expensive to build (the
rules, the place gazetteer, the party finder's caches) and is reused across documents.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchlist.engine import Engine
from watchlist.index.retrieval import NameIndex
from watchlist.scan.namesakes import without_namesakes
from watchlist.scan.parties import PartyFinder, PartyMention
from watchlist.scan.places import PlaceGazetteer, PlaceMention, load_places
from watchlist.scan.rules import Located, RedFlag, RuleSet, group_by_rule, grouped_dict, load_rules
from watchlist.scan.text import Sentences, visible_text

PAGE_CHARS = 3000  # what the benchmark and the report call a page


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What a scan uses, shared by the CLI and the API."""

    threshold: float | None = None  # match threshold for parties; None = the algorithm's own
    algorithm: str | None = None
    datasets: tuple[str, ...] = ()  # only these lists; () = all loaded
    parties: bool = True  # screen names against the lists (needs an engine with lists)
    rules_path: Path | None = None  # a custom red-flag rules file instead of the bundled one
    places_path: Path | None = None  # a custom places file instead of the bundled one


@dataclass(frozen=True, slots=True)
class ScanReport:
    document: str
    text: str
    parties: list[PartyMention]
    places: list[PlaceMention]
    red_flags: list[RedFlag]
    seconds: float = 0.0
    lists_version: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> float:
        return len(self.text) / PAGE_CHARS

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": self.document,
            "characters": len(self.text),
            "parties": [p.to_dict() for p in self.parties],
            "places": [p.to_dict() for p in self.places],
            "red_flags": [grouped_dict(rule, found) for rule, found in group_by_rule(self.red_flags)],
            "lists_version": self.lists_version,
            "notes": list(self.notes),
        }
        if include_text:
            out["text"] = self.text
        return out


class Scanner:
    def __init__(self, engine: Engine | None, options: ScanOptions | None = None) -> None:
        self.engine = engine
        self.options = options or ScanOptions()
        self.places: PlaceGazetteer = load_places(self.options.places_path)
        self.rules: RuleSet = load_rules(self.options.rules_path, self.places.keys)
        self._finder: PartyFinder | None = None

    def finder(self) -> PartyFinder | None:
        if self.engine is None or not self.options.parties:
            return None
        index: NameIndex = self.engine.ready_index()
        if self._finder is None or self._finder.index is not index:  # lists reloaded: new caches
            self._finder = PartyFinder(
                self.engine, index, threshold=self.options.threshold,
                datasets=self.options.datasets or None, algorithm=self.options.algorithm,
                stopwords=frozenset(t.lower() for p in self.places.places for t in p.terms),
            )
        return self._finder

    def scan(self, text: str, document: str = "document") -> ScanReport:
        """The listed parties, sanctioned places and red flags of `text`. Characters that print as nothing
        are taken out first (a note says how many): the report's offsets are into the text without them."""
        started = time.perf_counter()
        notes: list[str] = []
        text, invisible = visible_text(text)
        if invisible:
            notes.append(f"{invisible:,} invisible characters (zero-width spaces, soft hyphens, direction marks) "
                         "were taken out before scanning: inside a name they would hide it")
        finder = self.finder()
        parties = without_namesakes(text, finder.find(text)) if finder is not None else []
        if finder is None:
            notes.append("parties were not screened: no lists" if self.options.parties else
                         "parties were not screened (turned off)")
        all_places = self.places.find(text)
        parties = _not_places(parties, all_places)
        sentences = Sentences.split(text)
        located_places = [Located(m.place.keys, m.start, m.end, m.place.name) for m in all_places]
        located_parties = [Located(frozenset(p.entity.programs), p.start, p.end, p.entity.caption) for p in parties]
        flags = self.rules.evaluate(text, sentences, located_places, located_parties)
        return ScanReport(
            document=document,
            text=text,
            parties=parties,
            places=[m for m in all_places if m.place.reported],
            red_flags=flags,
            seconds=time.perf_counter() - started,
            lists_version=finder.index.version if finder is not None else None,
            notes=notes,
        )


def _not_places(parties: list[PartyMention], places: list[PlaceMention]) -> list[PartyMention]:
    """Party mentions that are not a place name: the words of a reported place ('Donetsk People's
    Republic', 'Луганской Народной Республики') are reported as the place, not as the listed
    entity of the same name. Places never overlap one another, so one bisection per party."""
    spans = [(m.start, m.end) for m in places if m.place.reported]
    starts = [s for s, _ in spans]
    kept = []
    for party in parties:
        at = bisect.bisect_right(starts, party.start) - 1
        if at >= 0 and spans[at][0] <= party.start and party.end <= spans[at][1]:
            continue
        kept.append(party)
    return kept

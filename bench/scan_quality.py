"""Scan quality on the labelled corpus: precision and recall of parties, places and red flags.

The corpus (bench/scan_corpus/docs) holds contracts, charter parties and shipping notes, bank memos,
a SWIFT payment message and news in English, Russian, Ukrainian and Korean, and negatives (ordinary
business news, documents naming unlisted namesakes). `labels.yaml` beside it says what an analyst
expects in each. Scans against all the shared lists and prints, per kind of finding, true and false
positives, misses, precision and recall, then each document's misses and false findings.

    .venv/bin/python bench/scan_quality.py
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from watchlist.engine import Engine
from watchlist.scan import Scanner, ScanReport
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench" / "scan_corpus"
LISTS = ROOT.parent / "shared" / "data" / "lists"
KINDS = ("parties", "places", "red_flags")


@dataclass
class Tally:
    true_positives: int = 0
    false_positives: int = 0
    misses: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.misses
        return self.true_positives / expected if expected else 1.0


@dataclass
class Outcome:
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    errors: list[str] = field(default_factory=list)  # 'document: kind: missed/false ...'
    negative_parties: list[str] = field(default_factory=list)  # parties reported in a negative document


def load_labels() -> dict[str, dict[str, list[object]]]:
    data = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    documents: dict[str, dict[str, list[object]]] = data["documents"]
    return documents


def documents() -> list[tuple[str, str]]:
    return [(name, (CORPUS / "docs" / name).read_text(encoding="utf-8")) for name in load_labels()]


def found_sets(report: ScanReport, party_groups: list[list[str]]) -> dict[str, set[str]]:
    """What the report found, per kind; a party (and each of its list records) is named by its label
    group's first id when it has one."""
    group_of = {entity_id: group[0] for group in party_groups for entity_id in group}

    def named(ids: tuple[str, ...]) -> str:  # a party found by any of its list records
        return next((group_of[i] for i in ids if i in group_of), ids[0])

    return {
        "parties": {named(p.referents or (p.entity.id,)) for p in report.parties},
        "places": {m.place.id for m in report.places},
        "red_flags": {f.code for f in report.red_flags},
    }


def evaluate(scanner: Scanner, labels: dict[str, dict[str, list[object]]] | None = None) -> Outcome:
    labels = labels or load_labels()
    outcome = Outcome()
    for name, text in documents():
        expected_labels = labels[name]
        groups = [[str(i) for i in g] for g in expected_labels.get("parties", []) or []]  # type: ignore[union-attr]
        expected = {
            "parties": {g[0] for g in groups},
            "places": {str(p) for p in expected_labels.get("places", []) or []},
            "red_flags": {str(c) for c in expected_labels.get("red_flags", []) or []},
        }
        found = found_sets(scanner.scan(text, name), groups)
        for kind in KINDS:
            tally = outcome.tallies[kind]
            tally.true_positives += len(found[kind] & expected[kind])
            tally.false_positives += len(found[kind] - expected[kind])
            tally.misses += len(expected[kind] - found[kind])
            if expected[kind] - found[kind]:
                outcome.errors.append(f"{name}: {kind}: missed {sorted(expected[kind] - found[kind])}")
            if found[kind] - expected[kind]:
                outcome.errors.append(f"{name}: {kind}: false {sorted(found[kind] - expected[kind])}")
        if name.startswith("neg_") and found["parties"]:
            outcome.negative_parties.append(f"{name}: {sorted(found['parties'])}")
    return outcome


def table(outcome: Outcome) -> Iterable[str]:
    yield f"{'kind':<10} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}"
    for kind, t in outcome.tallies.items():
        yield (f"{kind:<10} {t.true_positives:>4} {t.false_positives:>4} {t.misses:>4} "
               f"{t.precision:>10.3f} {t.recall:>8.3f}")


def main() -> int:
    engine = Engine.from_entities(entities_from_paths([LISTS]))
    outcome = evaluate(Scanner(engine))
    print(f"corpus: {len(load_labels())} documents in {CORPUS.relative_to(ROOT)}")
    for line in table(outcome):
        print(line)
    print(f"parties reported in negative documents: {len(outcome.negative_parties)}")
    for line in outcome.negative_parties + outcome.errors:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

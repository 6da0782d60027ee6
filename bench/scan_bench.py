"""Benchmark `watchlist scan`: pages per second against all the shared lists.

A page is 3,000 characters of extracted text. Scenarios:
- cold: a new Scanner per document (its index lookups and screening cache start empty);
- warm: one Scanner for every document, as the API and a batch of files use it.
The corpus is the shared sample article, the fixture documents, and 10-page documents
made by shuffling their sentences (seeded, so runs compare). Prints the numbers and
writes bench/scan_bench.csv (one row per document: findings and seconds); the findings
columns of scan_bench-frozen.csv are the reference, so a change shows which flipped.

    .venv/bin/python bench/scan_bench.py [--docs 6]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

from watchlist.engine import Engine
from watchlist.model import Entity
from watchlist.scan import PAGE_CHARS, Scanner
from watchlist.scan.text import Sentences
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DOCS = [SHARED / "docs" / "000_03e27a45d49855e6.txt", *sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.txt"))]


def load_lists() -> list[Entity]:
    return entities_from_paths([SHARED / "lists"])


def corpus(count: int) -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in DOCS]
    sentences = [t[s:e] for _, t in texts for s, e in Sentences.split(t).spans]
    rng = random.Random(20240503)
    out = list(texts)
    for n in range(count):
        picked: list[str] = []
        while sum(len(s) + 1 for s in picked) < 10 * PAGE_CHARS:
            picked.append(rng.choice(sentences))
        out.append((f"shuffled-10p-{n + 1}", "\n".join(picked)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=6, help="shuffled 10-page documents")
    args = parser.parse_args()
    started = time.perf_counter()
    entities = load_lists()
    loaded = time.perf_counter()
    engine = Engine.from_entities(entities)
    index = engine.index
    built = time.perf_counter()
    print(f"lists: {len(entities):,} entities, {len(index.names):,} names "
          f"(parse {loaded - started:.1f}s, index {built - loaded:.1f}s)")
    documents = corpus(args.docs)
    Scanner(engine).scan("warm up the tokenizer caches: North Korea, Marat Khusnullin.")
    rows = []
    for scenario in ("cold", "warm"):
        shared = Scanner(engine)
        total_chars = 0
        total_seconds = 0.0
        for name, text in documents:
            scanner = Scanner(engine) if scenario == "cold" else shared
            t0 = time.perf_counter()
            report = scanner.scan(text, name)
            seconds = time.perf_counter() - t0
            total_chars += len(text)
            total_seconds += seconds
            rows.append({
                "scenario": scenario, "document": name, "pages": round(len(text) / PAGE_CHARS, 2),
                "seconds": round(seconds, 4),
                "parties": ";".join(sorted({p.entity.id for p in report.parties})),
                "places": ";".join(sorted({m.place.code for m in report.places})),
                "red_flags": ";".join(sorted({f.code for f in report.red_flags})),
            })
        pages = total_chars / PAGE_CHARS
        print(f"{scenario}: {len(documents)} documents, {pages:.1f} pages in {total_seconds:.2f}s = "
              f"{pages / total_seconds:.1f} pages/s")
    out = ROOT / "bench" / "scan_bench.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"per-document rows: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

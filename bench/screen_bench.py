"""Screening speed with all shared lists loaded: query latency, compare throughput, index build and load.

    python bench/screen_bench.py [--queries 1000]

Prints p50/p99 of single in-process `screen` calls (eval queries), `compare`
pairs per second, index build time, and index load time from disk.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

from watchlist.engine import Engine
from watchlist.index.retrieval import NameIndex
from watchlist.match.types import Query
from watchlist.model import Entity
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LISTS = SHARED / "lists"


def all_entities() -> list[Entity]:
    return entities_from_paths(
        [LISTS / "un", LISTS / "ofac" / "sdn_2024-05-03", LISTS / "ofac" / "cons_2025-12", LISTS / "uk", LISTS / "ftm"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    entities = all_entities()
    started = time.perf_counter()
    index = NameIndex.build(entities)
    build = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.pkl"
        index.save(path)
        started = time.perf_counter()
        loaded = NameIndex.load(path)
        load = time.perf_counter() - started
        size = path.stat().st_size
    assert loaded is not None
    engine = Engine.from_entities([])
    engine._index = loaded
    rows = list(csv.DictReader((SHARED / "eval" / "dev" / "queries.csv").open(encoding="utf-8")))[: args.queries]
    queries = [Query.build(r["name"], schema=r["schema"] or None, birth_date=r["birth_date"] or None,
                           country=r["country"] or None) for r in rows]
    for query in queries[:100]:
        engine.screen(query)  # warm caches
    latencies = []
    for query in queries:
        started = time.perf_counter()
        engine.screen(query)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    pairs = [(r["name"], e.caption, r["schema"] or None) for r, e in zip(rows, entities)]
    started = time.perf_counter()
    for name1, name2, schema in pairs:
        engine.compare(Query.build(name1, schema=schema), name2)
    compare_rate = len(pairs) / (time.perf_counter() - started)
    print(f"lists: {len(entities)} entities, {len(index.names)} names")
    print(f"index build: {build:.1f} s; load from disk: {load:.2f} s ({size / 1e6:.0f} MB)")
    print(f"screen latency over {len(latencies)} queries: p50 {statistics.median(latencies):.2f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.2f} ms, mean {statistics.fmean(latencies):.2f} ms")
    print(f"compare: {compare_rate:,.0f} pairs/s")


if __name__ == "__main__":
    main()

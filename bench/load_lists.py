"""Bench: load every shared list file into a fresh store; print time and peak memory.

    .venv/bin/python bench/load_lists.py [PATH ...] [--tracemalloc] [--csv out.csv]

Scenarios (each on a fresh store in a temp folder):
  cold    parse + load every list found under PATH (default ../shared/data/lists)
  again   the same files again: every list is 'unchanged' (file hash check, no parse)
Peak memory: ru_maxrss of this process (whole run), and with --tracemalloc the peak of
Python allocations during the cold load (tracemalloc makes the load ~2x slower, so
its times are not comparable with a run without it).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from watchlist.sources import load_paths
from watchlist.store import Store, loading_order

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--tracemalloc", action="store_true", help="measure the Python heap peak (slower)")
    parser.add_argument("--csv", type=Path, help="write one row per list")
    args = parser.parse_args()

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "watchlist.db"
        if args.tracemalloc:
            tracemalloc.start()
        start = time.perf_counter()
        with Store.open(db) as store:
            lists = loading_order(load_paths(args.paths))
            for parsed in lists:
                t0 = time.perf_counter()
                [outcome] = store.load_many([parsed])
                assert outcome.result is not None, outcome.error
                result = outcome.result
                rows.append(
                    {
                        "scenario": "cold",
                        "source": parsed.source,
                        "files": len(parsed.files),
                        "status": result.status,
                        "entities": result.snapshot.entity_count,
                        "seconds": round(time.perf_counter() - t0, 3),
                    }
                )
            cold = time.perf_counter() - start
            heap_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
            if args.tracemalloc:
                tracemalloc.stop()

            start = time.perf_counter()
            for outcome in store.load_many(load_paths(args.paths)):
                assert outcome.result is not None, outcome.error
                rows.append(
                    {
                        "scenario": "again",
                        "source": outcome.source,
                        "files": len(outcome.files),
                        "status": outcome.result.status,
                        "entities": outcome.result.snapshot.entity_count,
                        "seconds": "",
                    }
                )
            again = time.perf_counter() - start
            t0 = time.perf_counter()
            total = sum(1 for _ in store.entities())
            read = time.perf_counter() - t0
        db_size = sum(p.stat().st_size for p in Path(tmp).glob("watchlist.db*"))

    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{'scenario':8} {'source':28} {'files':>5} {'status':10} {'entities':>9} {'seconds':>8}")
    for r in rows:
        print(
            f"{r['scenario']:8} {r['source']!s:28} {r['files']:>5} {r['status']!s:10} "
            f"{r['entities']:>9,} {r['seconds']!s:>8}"
        )
    print()
    print(f"cold load, all lists:   {cold:6.2f} s  ({len(lists)} lists)")
    print(f"reload, all unchanged:  {again:6.2f} s")
    print(f"read all entities:      {read:6.2f} s  ({total:,} merged entities)")
    print(f"store size on disk:     {db_size / 1e6:6.1f} MB")
    print(f"peak RSS (whole run):   {maxrss_kib / 1024:6.1f} MiB")
    if heap_peak is not None:
        print(f"peak Python heap, cold: {heap_peak / 2**20:6.1f} MiB (tracemalloc)")
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

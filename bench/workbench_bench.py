"""Alert queue paging speed: milliseconds per page of 50 with N alerts (default 100,000).

Scenarios: first page, a deep page (after walking 200 pages with keyset cursors),
and the queue's common filters. SQLite by default; `--database-url postgresql://...`
runs on PostgreSQL (in a fresh schema, dropped afterwards).

    .venv/bin/python bench/workbench_bench.py [--alerts 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from watchlist.cases import (
    AlertFilter,
    AlertIn,
    PageRequest,
    PostgresCaseStore,
    SqlCaseStore,
    SqliteCaseStore,
)

SCENARIOS = {
    "newest, all": (AlertFilter(), "newest"),
    "to do (open/escalated/pending)": (AlertFilter(status=("open", "escalated", "pending_approval")), "newest"),
    "open, by score": (AlertFilter(status=("open",)), "score"),
    "score >= 0.9": (AlertFilter(min_score=0.9), "score"),
    "list = un": (AlertFilter(dataset="un"), "newest"),
    "programme = DPRK, open": (AlertFilter(status=("open",), program="DPRK"), "newest"),
    "date range": (AlertFilter(created_from="2000-01-01", created_to="2999-12-31"), "newest"),
}


def alert(n: int) -> AlertIn:
    return AlertIn(
        source=("batch", "monitor", "scan")[n % 3], party_key=f"customer-{n}",
        record={"name": f"Customer {n}", "birth_date": "1970"}, entity_id=f"un-{n % 997}",
        entity_hash=f"h{n % 997}", score=(n * 7919 % 1000) / 1000, entity_caption=f"Listed {n % 997}",
        datasets=("un",) if n % 2 else ("ofac-sdn",), programs=("DPRK",) if n % 3 == 0 else ("IRAN",),
    )


def timed(fn, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    schema = None
    store: SqlCaseStore
    if args.database_url:
        import psycopg

        schema = "bench_" + secrets.token_hex(4)
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in args.database_url else "?"
        store = PostgresCaseStore.open(f"{args.database_url}{sep}options={quote('-csearch_path=' + schema)}")
    else:
        tmp = tempfile.TemporaryDirectory()
        store = SqliteCaseStore.open(Path(tmp.name) / "cases.db")
    try:
        start = time.perf_counter()
        for offset in range(0, args.alerts, 10_000):
            store.add_alerts([alert(n) for n in range(offset, min(offset + 10_000, args.alerts))])
        store.analyze()
        print(f"backend {store.backend}: inserted {args.alerts:,} alerts in {time.perf_counter() - start:.1f} s")
        print(f"{'scenario':34} {'page 1 ms':>10} {'page 200 ms':>12}  plan")
        for name, (filters, order) in SCENARIOS.items():
            first = PageRequest(limit=50, order=order)  # type: ignore[arg-type]
            cursor = None
            for _ in range(199):
                cursor = store.alerts(filters, PageRequest(limit=50, after=cursor, order=order)).next_cursor  # type: ignore[arg-type]
                if cursor is None:
                    break
            deep = PageRequest(limit=50, after=cursor, order=order)  # type: ignore[arg-type]
            ms_first = timed(lambda f=filters, p=first: store.alerts(f, p))
            ms_deep = timed(lambda f=filters, p=deep: store.alerts(f, p))
            plan = "; ".join(store.explain_alerts(filters, first))[:70]
            print(f"{name:34} {ms_first:10.2f} {ms_deep:12.2f}  {plan}")
        print(f"{'count (all)':34} {timed(lambda: store.count_alerts(), 5):10.2f}")
    finally:
        store.close()
        if schema:
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()

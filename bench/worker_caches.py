"""What a batch worker's screening costs in one process: CPU time, and where its own memory goes.

    python bench/worker_caches.py [--rows 25000] [--breakdown]

Screens ROWS synthetic customers (bench/synthetic_names.py, as batch_bench.py makes them) with the
engine a worker uses (the saved index mapped, entities for screening only, the default options, the
memory budget, the heap settled after each chunk), after the warm-up a worker inherits, and prints
the CPU seconds and the private memory the rows added. One process and no pool: two builds compared
run by run (interleaved, PYTHONPATH set to each) differ only by what they do a row.
With --breakdown (tracemalloc on, so the CPU time is not comparable) it empties each cache in
turn and prints the MB each held. The index and the customer file are kept in --workdir.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_bench import DEFAULT_LISTS
from synthetic_names import generate, write

from watchlist.batch import BatchOptions
from watchlist.batch.core import (
    MemoryBudget,
    QueryCache,
    lru_caches,
    private_mb,
    release_free_memory,
    screen_records,
    settle_heap,
)
from watchlist.batch.io import ColumnMap, read_records
from watchlist.batch.warmup import warm
from watchlist.engine import Engine
from watchlist.index.retrieval import FORMAT_VERSION, NameIndex
from watchlist.index.storage import EntityTable
from watchlist.match import similarity
from watchlist.sources import entities_from_paths


def prepared(workdir: Path, rows: int) -> tuple[Path, Path]:
    index, customers = workdir / f"names-v{FORMAT_VERSION}.idx", workdir / f"customers-{rows}.csv"
    if not index.exists() or not customers.exists():
        listed = entities_from_paths(DEFAULT_LISTS)
        if not index.exists():
            Engine.from_entities(listed).save_index(index)
        if not customers.exists():
            write(customers, generate(rows, listed))
    return index, customers


def breakdown(index: NameIndex, cache: QueryCache) -> None:
    def traced_mb() -> float:
        return tracemalloc.get_traced_memory()[0] / 2**20

    def emptied(label: str, clear: Callable[[], object]) -> None:
        before = traced_mb()
        clear()
        gc.collect()
        print(f"{before - traced_mb():7.2f} MB  {label}")

    print(f"traced {traced_mb():.1f} MB")
    emptied("query cache", cache.clear)
    for label, table in (("names built from the mapped file", index.names), ("entities decoded", index.entities)):
        clear = getattr(table, "clear_cache", None)
        if clear is not None:
            emptied(label, clear)
    emptied("retrieval groups", index.clear_caches)  # what is left of the index's caches
    emptied("token similarities and links", similarity.clear_caches)
    for function in lru_caches():
        if function.cache_info().currsize:
            emptied(f"{function.__module__}.{function.__name__}", function.cache_clear)
    print(f"traced {traced_mb():.1f} MB left (tokens built from the mapped file, tables loaded on first use)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=25_000, help="a worker's life (BatchOptions.worker_rows)")
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--workdir", type=Path, default=Path("bench/out/worker"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    index_path, customers = prepared(args.workdir, args.rows)
    engine = Engine.from_index_file(index_path)
    if isinstance(engine.index.entities, EntityTable):
        engine.index.entities.screening_only = True
    options = BatchOptions()
    index, cache = engine.ready_index(), QueryCache(options.cache_size)
    records = list(read_records(customers, "csv", ColumnMap()))
    warm()
    gc.collect()
    gc.freeze()
    release_free_memory()  # what preparing the files freed is no part of the rows' memory
    base = private_mb()
    if args.breakdown:
        tracemalloc.start()
    budget = MemoryBudget(options.cache_mb)
    started = time.process_time()
    for i in range(0, len(records), options.chunk_size):
        screen_records(engine, records[i : i + options.chunk_size], options, index=index, cache=cache)
        budget.check(index, cache)
        settle_heap()
    print(f"rows={len(records)} cpu_s={time.process_time() - started:.2f} private_mb_added={private_mb() - base:.1f}")
    if args.breakdown:
        breakdown(index, cache)


if __name__ == "__main__":
    main()

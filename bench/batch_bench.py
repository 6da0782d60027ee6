"""Batch throughput, memory, index build/load time and candidate recall.

    python bench/batch_bench.py --names 100000 [--workers 2] [--spark] [--eval-recall] [--lists PATH ...]

Scenarios (printed as `key=value` lines):
- index: build time over the lists, saved size, load time (what each worker pays on spawn);
- local: names/s screening N synthetic customer names (bench/synthetic_names.py, seeded, 0.1%
  planted variants of listed names) with `workers` processes; peak RSS of the parent and the
  largest worker; candidate recall of the planted variants (gold entity among the results);
- spark (--spark): the same file through Spark local[2];
- eval recall (--eval-recall): candidate recall on ../shared/data/eval/dev: the share of positive
  queries whose gold entity is among the candidates NameIndex.candidates hands the scorer.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_names import generate, write

from watchlist.batch import BatchOptions
from watchlist.batch.local import LocalBatch
from watchlist.engine import Engine
from watchlist.index.retrieval import NameIndex
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_LISTS = [SHARED / "lists" / "un" / "consolidated.xml", SHARED / "lists" / "ofac" / "sdn_2021-07_watchman_bench",
                 SHARED / "lists" / "uk" / "ConList_2025-04-10.xlsx"]


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def candidate_recall(engine: Engine, min_score: float, split: str = "dev") -> tuple[float, int]:
    """The share of positive eval queries whose gold entity reaches the scorer, retrieving as a batch
    run with this --min-score does."""
    from watchlist.match.algorithm import QueryForm
    from watchlist.match.types import Query

    index = engine.index
    eval_dir = SHARED / "eval" / split
    queries = {r["id"]: r for r in csv.DictReader((eval_dir / "queries.csv").open(encoding="utf-8"))}
    hit = total = 0
    for g in csv.DictReader((eval_dir / "gold.csv").open(encoding="utf-8")):
        if g["positive"] != "1":
            continue
        row = queries[g["query_id"]]
        gold = set(filter(None, g["gold_ids"].split(";")))
        form = QueryForm.of(Query.build(row["name"], schema=row["schema"] or None))
        found = {index.entities[e].id for e in engine.candidates(form, min_score=min_score)}
        total += 1
        hit += bool(found & gold)
    return hit / total, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lists", type=Path, action="append")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--eval-recall", action="store_true")
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "watchlist-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    listed = entities_from_paths(args.lists or DEFAULT_LISTS)
    print(f"parse_s={time.perf_counter() - t:.1f} entities={len(listed)}")
    t = time.perf_counter()
    index = NameIndex.build(listed)
    print(f"index_build_s={time.perf_counter() - t:.1f} names={len(index.names)}")
    path = args.workdir / "names.pkl"
    index.save(path)
    t = time.perf_counter()
    NameIndex.load(path)
    print(f"index_load_s={time.perf_counter() - t:.2f} index_mb={path.stat().st_size / 1e6:.1f}")
    engine = Engine.from_entities([], None)
    engine._index = index
    if args.eval_recall:
        recall, n = candidate_recall(Engine.from_entities(entities_from_paths(DEFAULT_LISTS[:2])), args.min_score)
        print(f"eval_candidate_recall={recall:.4f} positives={n}")

    source = args.workdir / f"customers-{args.names}.csv"
    if not source.exists():
        write(source, generate(args.names, listed))
    options = BatchOptions(workers=args.workers, min_score=args.min_score)
    out = args.workdir / f"results-{args.names}.jsonl"
    stats = LocalBatch(engine, options).run(source, out, resume=False)
    print(f"local_names={stats.rows} local_s={stats.seconds:.1f} local_names_per_s={stats.rate:.0f} "
          f"workers={args.workers} rss_parent_mb={rss_mb(resource.RUSAGE_SELF):.0f} "
          f"rss_worker_max_mb={rss_mb(resource.RUSAGE_CHILDREN):.0f}")
    planted = {r["id"]: r["planted"] for r in csv.DictReader(source.open(encoding="utf-8")) if r["planted"]}
    names = {e.id: {n.value.casefold() for n in e.names} for e in listed}
    found = 0  # the planted entity, or the same name listed under another list's id (UN vs UK)
    with out.open(encoding="utf-8") as fh:
        for line in fh:
            result = json.loads(line)
            gold = planted.get(result["id"])
            if gold and any(m["id"] == gold or m["matched_name"].casefold() in names[gold]
                            for m in result["matches"]):
                found += 1
    print(f"planted={len(planted)} planted_found={found} planted_recall={found / max(len(planted), 1):.3f}")
    if args.spark:
        from watchlist.batch.spark import SparkBatch, spark_session

        spark = spark_session("local[2]", partitions=4)
        spark.sparkContext.setLogLevel("ERROR")
        batch = SparkBatch(engine, options, spark=spark)
        spark_out = args.workdir / f"spark-{args.names}.jsonl"
        sstats = batch.run(source, spark_out)
        same = spark_out.read_bytes() == out.read_bytes()
        print(f"spark_names={sstats.rows} spark_s={sstats.seconds:.1f} spark_names_per_s={sstats.rate:.0f} "
              f"identical_to_local={same}")
        spark.stop()


if __name__ == "__main__":
    main()

"""The pairwise scorer on its own: F1 of `compare` on name pairs built from the eval set, and pairs/second.

    python bench/compare_pairs.py [--algorithm NAME] [--throughput N]

Positive pairs: each positive query's name against its gold entity's primary
name (as published: 'SURNAME, Given', other script, other romanisation).
Negative pairs: each negative query's name against the listed name the
screening index ranks first for it (a hard negative: it shares tokens).
No list weights are used: `compare` runs as a user calls it, with the bundled
token-frequency table. Writes bench/out/compare-pairs.csv.

--throughput N: pairs/second of `compare --pairs` (score_pairs, 1 and 2 workers, pool start
included) on realistic distinct pairs: N synthetic customers (bench/synthetic_names.py, names
in many scripts) each against the listed names screening ranks first and second for them.
Most of those names are new to the scorer, so this measures normalisation too, not warm caches.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "data" / "eval" / "dev"


def build_pairs() -> list[tuple[str, str, str, bool]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_quality import eval_entities

    screening = Engine.from_entities(eval_entities())
    queries = {r["id"]: r for r in csv.DictReader((EVAL / "queries.csv").open(encoding="utf-8"))}
    pairs = []
    for gold in csv.DictReader((EVAL / "gold.csv").open(encoding="utf-8")):
        query = queries[gold["query_id"]]
        schema = query["schema"] or ""
        if gold["positive"] == "1":
            entity = screening.get(gold["gold_ids"].split(";")[0])
            pairs.append((query["name"], entity.caption, schema, True))
        else:
            hits = screening.screen(Query.build(query["name"], schema=schema or None), limit=1)
            if hits:
                pairs.append((query["name"], hits[0].matched_name, schema, False))
    return pairs


def realistic_pairs(customers: int) -> list[tuple[str, str, str | None]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from batch_bench import DEFAULT_LISTS
    from synthetic_names import generate

    from watchlist.sources import entities_from_paths

    listed = entities_from_paths(DEFAULT_LISTS)
    screening = Engine.from_entities(listed)
    pairs: dict[tuple[str, str, str | None], None] = {}
    for row in generate(customers, listed):
        schema = row["schema"] or None
        for hit in screening.screen(Query.build(row["name"], schema=schema), limit=2, min_score=0.0):
            pairs[(row["name"], hit.matched_name, schema)] = None
    return list(pairs)


def throughput(customers: int) -> None:
    """Writes the realistic pairs, then times each worker count in a fresh process: the process
    that screened the customers holds their names normalised, which would flatter the figure."""
    pairs = realistic_pairs(customers)
    names = len({p[0] for p in pairs}) + len({p[1] for p in pairs})
    print(f"realistic pairs: {len(pairs):,} from {customers:,} synthetic customers ({names:,} distinct names)")
    path = ROOT / "bench" / "out" / "realistic-pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name1", "name2", "schema"])
        writer.writerows(pairs)
    for workers in (1, 2):
        subprocess.run([sys.executable, __file__, "--time-pairs", str(path), "--workers", str(workers)], check=True)


def time_pairs(path: Path, workers: int) -> None:
    from watchlist.batch.pairs import score_pairs

    with path.open(encoding="utf-8") as fh:
        pairs = [(r["name1"], r["name2"], r["schema"] or None) for r in csv.DictReader(fh)]
    started = time.perf_counter()
    scored = sum(1 for _ in score_pairs(Engine(Settings()), pairs, workers=workers))
    print(f"compare --pairs, {workers} worker(s), fresh process: {scored / (time.perf_counter() - started):,.0f} pairs/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--algorithm", default=None)
    parser.add_argument("--throughput", type=int, metavar="N", help="also time N customers' realistic pairs")
    parser.add_argument("--time-pairs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_pairs:
        time_pairs(args.time_pairs, args.workers)
        return
    pairs = build_pairs()
    engine = Engine(Settings())
    started = time.perf_counter()
    scored = []
    for name1, name2, schema, positive in pairs:
        result = engine.compare(Query.build(name1, schema=schema or None), name2, algorithm=args.algorithm)
        scored.append((name1, name2, schema, positive, result.score, result.match))
    rate = len(pairs) / (time.perf_counter() - started)
    tp = sum(1 for *_, p, _, m in scored if p and m)
    fp = sum(1 for *_, p, _, m in scored if not p and m)
    fn = sum(1 for *_, p, _, m in scored if p and not m)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = ROOT / "bench" / "out" / "compare-pairs.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name1", "name2", "schema", "positive", "score", "match"])
        writer.writerows(scored)
    positives = sum(1 for p in pairs if p[3])
    print(f"pairs: {positives} positive, {len(pairs) - positives} hard negative")
    print(f"at the default threshold: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    print(f"compare (cold caches, one process): {rate:,.0f} pairs/s")
    if args.throughput:
        throughput(args.throughput)


if __name__ == "__main__":
    main()

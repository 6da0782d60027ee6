"""The pairwise scorer on its own: F1 of `compare` on name pairs built from the eval set, and pairs/second.

    python bench/compare_pairs.py [--algorithm NAME]

Positive pairs: each positive query's name against its gold entity's primary
name (as published: 'SURNAME, Given', other script, other romanisation).
Negative pairs: each negative query's name against the listed name the
screening index ranks first for it (a hard negative: it shares tokens).
No list weights are used: `compare` runs as a user calls it, with the bundled
token-frequency table. Writes bench/out/compare-pairs.csv.
"""

from __future__ import annotations

import argparse
import csv
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--algorithm", default=None)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()

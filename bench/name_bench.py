"""`compare` on a labelled name-pair file in the layout of OpenSanctions' name benchmark
(nomenklatura `contrib/name_bench/cases.csv`: case_group,schema,name1,name2,is_match,quality,...).

    python bench/name_bench.py CASES.csv [--rows N] [--algorithm NAME] [--threshold T] [--misses]

The file is not shipped (it is OpenSanctions' data); pass a local copy. Prints
precision, recall and F1 at the default threshold, overall and per case group,
and, with --misses, every wrong verdict. No lists are loaded: `compare` runs as a
user calls it, with the bundled token-frequency table.
"""

from __future__ import annotations

import argparse
import collections
import csv
from pathlib import Path

from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.match.types import Query
from watchlist.settings import Settings


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=Path)
    parser.add_argument("--rows", type=int, default=0, help="only the first N cases")
    parser.add_argument("--algorithm", default=None)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--threshold", type=float, default=None, help="the match threshold (default: the algorithm's)")
    args = parser.parse_args()
    rows = list(csv.DictReader(args.cases.open(encoding="utf-8")))
    if args.rows:
        rows = rows[: args.rows]
    engine = Engine(Settings())
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in rows:
        truth = row["is_match"].strip().lower() == "true"
        try:
            result = engine.compare(Query.build(row["name1"], schema=row["schema"]), row["name2"],
                                    algorithm=args.algorithm, threshold=args.threshold)
            predicted, score = result.match, result.score
        except QueryError:
            predicted, score = False, 0.0
        outcome = ("T" if predicted == truth else "F") + ("P" if predicted else "N")
        for key in ("all", row["case_group"]):
            counts[key][outcome] += 1
        if args.misses and outcome in ("FP", "FN"):
            print(f"{outcome} {score:.2f} [{row['schema']}] {row['name1']!r} vs {row['name2']!r}")
    for key, c in sorted(counts.items(), key=lambda kv: kv[0] != "all"):
        precision, recall, f = f1(c["TP"], c["FP"], c["FN"])
        print(f"{key:18s} n={sum(c.values()):4d} TP={c['TP']:4d} FP={c['FP']:3d} FN={c['FN']:3d} "
              f"precision={precision:.3f} recall={recall:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()

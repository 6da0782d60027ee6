"""Recall on real spelling variants: each linked record's name screened against the other list alone.

    python bench/real_variants.py [--part dev|test|all|un-check|strangers] [--algorithm NAME] [--threshold T] [--no-dob]

The corpus is mined afresh from ../shared/data/lists by `mine_variants.py` (deterministic; parties on
the UN list are left out). Prints recall at the engine's own decision, recall@1 and the share found at
all, by schema and link reason (`un-check`: the parties also on the UN list, held back from tuning); writes bench/out/real-variants-{part}.csv (every query, its gold score and
the top result) so two runs can be diffed case by case. `strangers` is the negative check: people
of the lists born the same day (not 1 January) whom nothing links (`mine_variants.strangers_born_the_same_day`),
each screened with that date against the other's list; it prints the share whose stranger matches.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mine_variants import (
    SOURCES,
    UN,
    load,
    mine,
    mine_un_check,
    parties,
    split_of,
    strangers_born_the_same_day,
)

from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.model import Entity, NameKind

ROOT = Path(__file__).resolve().parents[1]


def cases(part: str) -> list[tuple[Entity, Entity, str]]:
    """(query record, target record, link reason), both directions of every link in the part."""
    if part == "strangers":
        links = strangers_born_the_same_day()
    else:
        links = mine_un_check() if part == "un-check" else mine()
    party = parties(links)
    out: list[tuple[Entity, Entity, str]] = []
    for a, b, reason in links:
        if part in ("all", "un-check", "strangers", split_of(party[a.id])):
            out += [(a, b, reason), (b, a, reason)]
    return out


def run(part: str, algorithm: str | None, threshold: float | None, with_dob: bool) -> dict[str, float]:
    engines = {name: Engine.from_entities(load(path)) for name, path in (*SOURCES.items(), ("un", UN))}
    rows = []
    found = Counter[str]()
    total = Counter[str]()
    started = time.perf_counter()
    for query_entity, target, reason in cases(part):
        target_list = next(name for name in engines if name in target.datasets)
        dates = [d for d in query_entity.birth_dates if len(d) == 10] if with_dob else []
        if part == "strangers":
            dates = [reason.split()[1]]  # the day the two share
        for name in query_names(query_entity):
            query = Query.build(name, schema=query_entity.schema, birth_date=dates[:1] or None)
            rows.append(screen(engines[target_list], query, target, reason, algorithm, threshold, found, total))
    elapsed = time.perf_counter() - started
    out = ROOT / "bench" / "out" / f"real-variants-{part}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for kind in sorted(total, key=lambda k: (k != "all", k)):
        n = total[kind]
        if part == "strangers":
            continue
        print(f"{kind:18s} n={n:5d} recall={found[kind + ':match'] / n:.3f} recall@1={found[kind + ':top1'] / n:.3f} "
              f"retrieved={found[kind + ':any'] / n:.3f}")
    print(f"{total['all']} queries in {elapsed:.1f}s; per case: {out}", file=sys.stderr)
    if part == "strangers":
        print(f"strangers_matched={found['all:match']} of {total['all']} ({found['all:match'] / total['all']:.4f}); "
              "some are one party the linking missed (the same name written alike)")
    return {"recall": found["all:match"] / total["all"]}


def query_names(entity: Entity) -> list[str]:
    """The names a list gives a party (primary and strong aliases), each a query of its own."""
    kinds = (NameKind.NAME, NameKind.ALIAS)
    return list(dict.fromkeys(n.value for n in entity.names if n.kind in kinds and not n.original_script))


def screen(
    engine: Engine, query: Query, target: Entity, reason: str, algorithm: str | None, threshold: float | None,
    found: Counter[str], total: Counter[str],
) -> dict[str, object]:
    hits = engine.screen(query, algorithm=algorithm, threshold=threshold, limit=10)
    gold = next((h for h in hits if h.entity.id == target.id), None)
    kinds = ("all", query.schema.value if query.schema else "", reason.split()[0])
    for kind in kinds:
        total[kind] += 1
        found[f"{kind}:match"] += bool(gold and gold.match)
        found[f"{kind}:top1"] += bool(hits and hits[0].entity.id == target.id)
        found[f"{kind}:any"] += gold is not None
    top = hits[0] if hits else None
    return {"query": query.names[0], "dob": ";".join(query.birth_dates), "gold": target.id,
            "gold_name": target.names[0].value, "reason": reason,
            "gold_score": f"{gold.score:.3f}" if gold else "", "match": int(bool(gold and gold.match)),
            "top": f"{top.entity.id} {top.matched_name} {top.score:.3f}" if top else "",
            "why": " | ".join(gold.explanation) if gold else ""}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="dev", choices=["dev", "test", "all", "un-check", "strangers"])
    parser.add_argument("--algorithm", default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--no-dob", action="store_true", help="screen names alone, without the birth date")
    args = parser.parse_args()
    result = run(args.part, args.algorithm, args.threshold, not args.no_dob)
    if args.part != "strangers":
        print(f"real_variant_recall={result['recall']:.3f}")


if __name__ == "__main__":
    main()

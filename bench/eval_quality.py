"""Screening quality on ../shared/data/eval: runs every query, writes results JSONL, prints score.py's report.

    python bench/eval_quality.py [--algorithm NAME] [--threshold T] [--out bench/out/eval-results.jsonl]

Loads exactly the lists the eval README names (UN 2026-02-27 and the OFAC
July 2021 set) into an in-memory index, so the numbers do not depend on the
local store. Also writes bench/out/eval-misses.csv: each positive whose gold
entity was not a match, and each negative that alarmed, with the top result.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.model import Entity
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EVAL = SHARED / "eval"
LISTS = [SHARED / "lists" / "un" / "consolidated.xml", SHARED / "lists" / "ofac" / "sdn_2021-07_watchman_bench"]


def eval_entities() -> list[Entity]:
    return entities_from_paths(LISTS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--algorithm", default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "eval-results.jsonl")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    engine = Engine.from_entities(eval_entities())
    print(f"index: {len(engine.index.entities)} entities, {len(engine.index.names)} names, "
          f"built in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    rows = list(csv.DictReader((EVAL / args.split / "queries.csv").open(encoding="utf-8")))
    gold = {r["query_id"]: r for r in csv.DictReader((EVAL / args.split / "gold.csv").open(encoding="utf-8"))}
    started = time.perf_counter()
    misses = []
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            query = Query.build(row["name"], schema=row["schema"] or None, birth_date=row["birth_date"] or None,
                                country=row["country"] or None, id=row["id"])
            hits = engine.screen(query, algorithm=args.algorithm, threshold=args.threshold, limit=10)
            matches = [{"id": h.entity.id, "referents": list(h.record_ids), "score": round(h.score, 4), "match": h.match}
                       for h in hits]
            out.write(json.dumps({"id": row["id"], "matches": matches}) + "\n")
            g = gold.get(row["id"])
            if g is None:
                continue
            ids = set(filter(None, g["gold_ids"].split(";")))
            top = hits[0] if hits else None
            wrong = (g["positive"] == "1" and not any(h.match and h.entity.id in ids for h in hits)) or (
                g["positive"] == "0" and any(h.match for h in hits))
            if wrong:
                gold_hit = next((h for h in hits if h.entity.id in ids), None)
                misses.append({"id": row["id"], "category": g["category"], "query": row["name"],
                               "dob": row["birth_date"], "country": row["country"], "gold": g["gold_ids"],
                               "gold_score": f"{gold_hit.score:.3f}" if gold_hit else "",
                               "top": f"{top.entity.id} {top.matched_name} {top.score:.3f}" if top else "",
                               "why": "; ".join(top.explanation) if top else ""})
    elapsed = time.perf_counter() - started
    print(f"{len(rows)} queries in {elapsed:.1f}s ({len(rows) / elapsed:.0f}/s)", file=sys.stderr)
    with (args.out.parent / "eval-misses.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "category", "query", "dob", "country", "gold", "gold_score", "top", "why"])
        writer.writeheader()
        writer.writerows(misses)
    subprocess.run([sys.executable, str(EVAL / "score.py"), str(EVAL / args.split / "gold.csv"), str(args.out)], check=True)


if __name__ == "__main__":
    main()

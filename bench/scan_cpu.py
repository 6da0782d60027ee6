"""Scan speed in CPU time, for comparing two versions of the code on a shared, noisy machine.

Wall-clock pages/s on the dev machine move by a third from one minute to the next; CPU time of the
scanning process moves far less. This runs the scenarios of scan_bench.py (cold: a new Scanner per
document; warm: one Scanner for all, after a cold pass) several times and prints CPU-ms per page:
`gc off` switches Python's cyclic collector off inside each timed pass (a full collection walks the
400,000 objects of the loaded lists, about 4 ms a page whenever it falls into a pass: with it on, one
pass in three jumps); `gc on` leaves it as a program runs.

The corpus is written once, by one version, so that every version scans the same text:

    PYTHONPATH=src .venv/bin/python bench/scan_cpu.py --write-corpus /tmp/scan-corpus.json
    git worktree add /tmp/scan-old f9d513e
    for i in 1 2 3; do   # alternate the versions: the machine's load changes between runs
      PYTHONPATH=/tmp/scan-old/src .venv/bin/python bench/scan_cpu.py --corpus /tmp/scan-corpus.json --label old
      PYTHONPATH=src .venv/bin/python bench/scan_cpu.py --corpus /tmp/scan-corpus.json --label new
    done
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

from watchlist.engine import Engine
from watchlist.scan import PAGE_CHARS, Scanner
from watchlist.sources import entities_from_paths

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def timed_pass(engine: Engine, documents: list[tuple[str, str]], scenario: str, collect: bool) -> float:
    """CPU seconds of one pass over the documents."""
    gc.collect()
    if not collect:
        gc.disable()
    shared = Scanner(engine)
    seconds = 0.0
    try:
        for name, text in documents:
            scanner = Scanner(engine) if scenario == "cold" else shared
            started = time.process_time()
            scanner.scan(text, name)
            seconds += time.process_time() - started
    finally:
        gc.enable()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, help="documents as JSON [[name, text], ...]")
    parser.add_argument("--write-corpus", type=Path, help="write scan_bench.py's corpus here and stop")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    if args.write_corpus:
        sys.path.insert(0, str(Path(__file__).parent))
        from scan_bench import corpus

        args.write_corpus.write_text(json.dumps(corpus(6)), encoding="utf-8")
        return 0
    if args.corpus is None:
        parser.error("--corpus or --write-corpus is required")
    documents = [(str(n), str(t)) for n, t in json.loads(args.corpus.read_text(encoding="utf-8"))]
    pages = sum(len(t) for _, t in documents) / PAGE_CHARS
    engine = Engine.from_entities(entities_from_paths([SHARED / "lists"]))
    Scanner(engine).scan("warm up the tokenizer caches: North Korea, Marat Khusnullin.")
    timings: dict[tuple[str, bool], list[float]] = {}
    for _ in range(args.passes):
        for collect in (False, True):
            for scenario in ("cold", "warm"):
                seconds = timed_pass(engine, documents, scenario, collect)
                timings.setdefault((scenario, collect), []).append(seconds * 1000 / pages)
    for (scenario, collect), values in timings.items():
        print(f"{args.label} {scenario} gc {'on ' if collect else 'off'}: median {statistics.median(values):.2f} "
              f"min {min(values):.2f} CPU-ms/page ({pages:.1f} pages; passes: "
              + " ".join(f"{v:.2f}" for v in values) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())

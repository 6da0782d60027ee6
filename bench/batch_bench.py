"""Batch throughput, memory (PSS) at 1, 2, 4... workers, index build/load time and candidate recall.

    python bench/batch_bench.py --names 100000 [--workers 1,2,4] [--min-score X] [--spark] [--eval-recall]

Scenarios (printed as `key=value` lines):
- index: build time over the lists, saved size, load time (mapping the file: what a worker pays);
- local, once per worker count, each in a fresh process that maps the saved index (as `watchlist batch`
  does; not this one, which holds the parsed lists and, after a run, that run's caches): names/s
  screening N synthetic customer names (bench/synthetic_names.py, seeded, 0.1% planted variants of
  listed names) with the default options (or --min-score); the peak proportional set size (PSS,
  /proc/PID/smaps_rollup: shared pages split between the processes that map them) of the parent, of
  the helpers (fork server, resource tracker), of each worker and in all, sampled every 0.5 s; the
  workers' CPU time per row (the benchmark's own timer for what a row costs as workers are added);
  whether the output equals the first worker count's; candidate recall of the planted variants;
- scaling, between consecutive worker counts: PSS added per added worker, the names/s ratio, and the
  ratio the CPU times allow on idle cores (`cpu_time_ratio`: what names/s would show without other jobs);
- spark (--spark): the same file through Spark local[2], against the local engine's names/s;
- eval recall (--eval-recall): candidate recall on ../shared/data/eval/dev: the share of positive
  queries whose gold entity is among the candidates NameIndex.candidates hands the scorer.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_names import generate, write

from watchlist.batch import BatchOptions
from watchlist.batch.local import LocalBatch
from watchlist.engine import Engine
from watchlist.sources import entities_from_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_LISTS = [SHARED / "lists" / "un" / "consolidated.xml", SHARED / "lists" / "ofac" / "sdn_2021-07_watchman_bench",
                 SHARED / "lists" / "uk" / "ConList_2025-04-10.xlsx"]


def pss_mb(pid: int) -> float:
    """Proportional set size of one process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def descendants(pid: int) -> list[int]:
    """Children, grandchildren...: pool workers are children of the fork server, itself a child. A
    process's children are listed per thread (/proc/PID/task/TID/children), and a pool forks the
    workers that replace others from a thread of its own: reading the main thread's list alone missed
    every replacement worker (the totals below counted a run's first workers only, 20 MB less than
    there was with 2 workers on 100k rows)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found += [int(p) for p in fh.read().split()]
    except OSError:
        return found
    return found + [d for child in found for d in descendants(child)]


def is_helper(pid: int) -> bool:
    """A multiprocessing helper (the fork server, the resource tracker), not a worker: started with
    `python -c 'from multiprocessing...'`, and a child of the parent (a worker the fork server forks
    has the server's command line, but is the server's child)."""
    try:
        with open(f"/proc/{pid}/cmdline", encoding="utf-8", errors="replace") as fh:
            command = fh.read()
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            parent = int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return False
    return parent == os.getpid() and "from multiprocessing." in command


class PssSampler(threading.Thread):
    """Samples the PSS of this process and its children every 0.5 s; keeps the peak total and each
    process's peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak_total = 0.0
        self.peak_parent = 0.0
        self.peak_worker: dict[int, float] = {}
        self.peak_helpers = 0.0  # the fork server and the resource tracker together
        self.cpu = 0.0  # this thread's own CPU time (reading smaps costs some), not the run's

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(0.5):
            started = time.thread_time()
            parent = pss_mb(me)
            children = {pid: pss_mb(pid) for pid in descendants(me)}
            helpers = {pid for pid in children if is_helper(pid)}
            self.cpu += time.thread_time() - started
            self.peak_parent = max(self.peak_parent, parent)
            self.peak_helpers = max(self.peak_helpers, sum(children[pid] for pid in helpers))
            for pid, value in children.items():
                if pid not in helpers:
                    self.peak_worker[pid] = max(self.peak_worker.get(pid, 0.0), value)
            self.peak_total = max(self.peak_total, parent + sum(children.values()))


def run_local(engine: Engine, source: Path, out: Path, options: BatchOptions) -> dict[str, float]:
    sampler = PssSampler()
    sampler.start()
    mine = resource.getrusage(resource.RUSAGE_SELF)
    stats = LocalBatch(engine, options).run(source, out, resume=False)
    sampler.stop.set()
    sampler.join()
    mine_after = resource.getrusage(resource.RUSAGE_SELF)
    worker_cpu = float(stats.extra["screening_cpu_s"])  # timed around each chunk, wherever it is screened
    parent_cpu = (mine_after.ru_utime + mine_after.ru_stime) - (mine.ru_utime + mine.ru_stime) - sampler.cpu
    parent_cpu -= float(stats.extra["screening_cpu_here_s"])  # the chunks this process screened itself
    workers = sorted(sampler.peak_worker.values())
    return {"names": stats.rows, "seconds": stats.seconds, "names_per_s": stats.rate,
            "worker_cpu_ms_per_row": 1000 * worker_cpu / max(stats.rows, 1),
            "parent_cpu_ms_per_row": 1000 * parent_cpu / max(stats.rows, 1),
            "pss_parent_mb": sampler.peak_parent, "pss_helpers_mb": sampler.peak_helpers,
            "pss_worker_max_mb": workers[-1] if workers else 0.0, "pss_total_mb": sampler.peak_total}


def run_isolated(index: Path, source: Path, out: Path, options: BatchOptions) -> dict[str, float]:
    """run_local in a fresh process that maps the saved index: what `watchlist batch` with an index
    file does. This process holds the parsed lists' heap and, after a run, the caches that run
    filled: measured here, a later run's parent would carry them."""
    command = [sys.executable, __file__, "--run-one", str(options.workers), "--index", str(index),
               "--source", str(source), "--out", str(out)]
    if options.min_score is not None:
        command += ["--min-score", str(options.min_score)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_one(args: argparse.Namespace) -> None:
    """--run-one: one worker count, in this (fresh) process; prints the run's figures as JSON."""
    engine = Engine.from_index_file(args.index)
    options = BatchOptions(workers=args.run_one, min_score=args.min_score)
    print(json.dumps(run_local(engine, args.source, args.out, options)))


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
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, comma-separated")
    parser.add_argument("--lists", type=Path, action="append")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--eval-recall", action="store_true")
    parser.add_argument("--min-score", type=float, default=None, help="default: the batch default (near misses)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "watchlist-bench")
    parser.add_argument("--in-process", action="store_true",
                        help="run every worker count in this process (as before: its parent carries the "
                             "parsed lists and the earlier runs' caches)")
    parser.add_argument("--run-one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one is not None:
        run_one(args)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    listed = entities_from_paths(args.lists or DEFAULT_LISTS)
    print(f"parse_s={time.perf_counter() - t:.1f} entities={len(listed)}")
    t = time.perf_counter()
    built = Engine.from_entities(listed)
    print(f"index_build_s={time.perf_counter() - t:.1f} names={len(built.index.names)}")
    path = built.save_index(args.workdir / "names.idx")
    del built
    t = time.perf_counter()
    engine = Engine.from_index_file(path)
    print(f"index_load_s={time.perf_counter() - t:.3f} index_mb={path.stat().st_size / 1e6:.1f}")
    if args.eval_recall:
        recall, n = candidate_recall(Engine.from_lists(DEFAULT_LISTS[:2]), args.min_score or 0.0)
        print(f"eval_candidate_recall={recall:.4f} positives={n}")

    source = args.workdir / f"customers-{args.names}.csv"
    if not source.exists():
        write(source, generate(args.names, listed))
    del listed
    first: Path | None = None
    local_rate = 0.0
    runs: dict[int, dict[str, float]] = {}
    for workers in (int(w) for w in args.workers.split(",")):
        options = BatchOptions(workers=workers, min_score=args.min_score)
        out = args.workdir / f"results-{args.names}-w{workers}.jsonl"
        run = runs[workers] = (run_local(engine, source, out, options) if args.in_process
                               else run_isolated(path, source, out, options))
        first = first or out
        local_rate = run["names_per_s"]
        print(f"workers={workers} " + " ".join(f"{k}={v:.3f}" if "cpu" in k else f"{k}={v:.0f}" for k, v in run.items())
              + f" identical_to_first={out.read_bytes() == first.read_bytes()}", flush=True)
    scaling(runs)
    assert first is not None
    planted_recall(engine, source, first)
    if args.spark:
        spark_run(engine, source, first, BatchOptions(min_score=args.min_score), local_rate)


def scaling(runs: dict[int, dict[str, float]]) -> None:
    """Between consecutive worker counts: PSS added per added worker, the names/s ratio (wall clock:
    only meaningful on idle cores), and the ratio the CPU times allow on that many idle cores (the
    workers' and the parent's CPU per row; with one worker everything runs in one process)."""
    counts = sorted(runs)
    for low, high in itertools.pairwise(counts):
        a, b = runs[low], runs[high]
        added = (b["pss_total_mb"] - a["pss_total_mb"]) / (high - low)
        cpu_a = a["worker_cpu_ms_per_row"] + a["parent_cpu_ms_per_row"]
        cpu_b = b["worker_cpu_ms_per_row"] + b["parent_cpu_ms_per_row"]
        allowed = (high * cpu_a) / (low * cpu_b) if cpu_b > 0 else 0.0
        print(f"workers={low}->{high} pss_added_per_worker_mb={added:.0f} "
              f"names_per_s_ratio={b['names_per_s'] / max(a['names_per_s'], 1e-9):.2f} cpu_time_ratio={allowed:.2f}")


def planted_recall(engine: Engine, source: Path, out: Path) -> None:
    planted = {r["id"]: r["planted"] for r in csv.DictReader(source.open(encoding="utf-8")) if r["planted"]}
    found = 0  # the planted entity, or the same name listed under another list's id (UN vs UK)
    with out.open(encoding="utf-8") as fh:
        for line in fh:
            result = json.loads(line)
            gold = planted.get(result["id"])
            names = {n.value.casefold() for n in engine.get(gold).names} if gold else set()
            if gold and any(m["id"] == gold or m["matched_name"].casefold() in names for m in result["matches"]):
                found += 1
    print(f"planted={len(planted)} planted_found={found} planted_recall={found / max(len(planted), 1):.3f}")


def spark_run(engine: Engine, source: Path, local_out: Path, options: BatchOptions, local_rate: float) -> None:
    from watchlist.batch.spark import SparkBatch, spark_session

    spark = spark_session("local[2]", partitions=4)
    spark.sparkContext.setLogLevel("ERROR")
    batch = SparkBatch(engine, options, spark=spark)
    spark_out = local_out.with_name(f"spark-{source.stem}.jsonl")
    sstats = batch.run(source, spark_out)
    same = spark_out.read_bytes() == local_out.read_bytes()
    print(f"spark_names={sstats.rows} spark_s={sstats.seconds:.1f} spark_names_per_s={sstats.rate:.0f} "
          f"spark_vs_local={sstats.rate / max(local_rate, 1):.2f} identical_to_local={same}")
    spark.stop()


if __name__ == "__main__":
    main()

"""Local batch backend: worker processes on one machine, ordered output, resumable.

The parent streams the input in chunks and keeps at most `3 x workers` chunks in flight,
so memory does not grow with the input. Of the `workers` processes that screen, the parent is one:
it starts `workers - 1` more, and screens a chunk itself whenever each of them has IN_FLIGHT to
screen (`in_order`). They share one copy of the name index: a saved index file, mapped read-only,
so a worker's own memory is its bounded caches, not a copy of the index. They are forked from the
parent (Linux) or from a fork server, and share its interpreter and reference tables
(`worker_context`); forked from a parent whose engine maps its index, they screen with that engine
(`LocalBatch._pooled`). Results are written in input order; after every chunk a checkpoint beside the
output records the rows done and the output's byte length, so a rerun after an interruption truncates
the output to that point, skips those rows and carries on.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.context import BaseContext, ForkContext, ForkProcess
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from watchlist.batch.core import (
    BatchOptions,
    BatchStats,
    MemoryBudget,
    Progress,
    QueryCache,
    Record,
    Result,
    collecting_seldom,
    lru_caches,
    release_free_memory,
    screen_records,
    settle_heap,
    start_worker,
)
from watchlist.batch.io import (
    INPUT_FORMATS,
    OUTPUT_FORMATS,
    ColumnMap,
    ResultWriter,
    detect_format,
    format_results,
    read_records,
)
from watchlist.errors import ConfigError
from watchlist.index.storage import EntityTable

if TYPE_CHECKING:
    from watchlist.engine import Engine
    from watchlist.index.retrieval import NameIndex

CHECKPOINT_VERSION = 1
T = TypeVar("T")
R = TypeVar("R")
ChunkOutput = tuple[str, BatchStats]  # a chunk's output lines and their counts

# Per-process state of a worker: (engine, index, options, cache).
_WORKER: tuple[Any, Any, BatchOptions, QueryCache] | None = None
_WORKER_ERROR: str | None = None  # why the worker could not start, raised with its first chunk
_BUDGET: MemoryBudget | None = None  # a worker's memory budget, set when its first chunk starts
# The functools caches a forked worker's budget bounds, listed by its parent before forking it: listing
# them takes a reference to every object of every watchlist module, and in each worker that wrote to,
# and so copied, pages it shares with the parent (4.8 MB of its own memory after its first row, 2.2 MB
# at the end of its life; 3-7 MB less PSS with 2 workers on the 100k benchmark).
_CACHES: list[Any] | None = None
# The batch parent's engine, set while it forks workers that screen with it (`LocalBatch._pooled`).
_INHERITED: Engine | None = None
_INHERIT_LOCK = threading.Lock()  # held by the run whose engine _INHERITED is
# Chunks in flight per worker: each worker has its own queue, so a worker a little behind (a slower
# chunk, a replacement starting) leaves the others this much work before they wait for it; the parent
# screens a chunk itself only when every worker it started has this many to screen.
IN_FLIGHT = 3


def checkpoint_path(output: Path) -> Path:
    return output.with_name(output.name + ".checkpoint.json")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Screened(Generic[R]):
    """A chunk screened in this process, in the queue of those in flight (in_order)."""

    def __init__(self, value: R) -> None:
        self.value = value

    def ready(self) -> bool:
        return True

    def get(self) -> R:
        return self.value


def in_order(pools: Sequence[Pool], work: Callable[[list[T]], R], chunks: Iterable[list[T]], in_flight: int,
             here: Callable[[list[T]], R] | None = None) -> Iterator[R]:
    """Each chunk's result, in input order, with at most `in_flight` chunks in flight (memory stays flat
    however long the input); each chunk goes to the pool with the fewest chunks still to screen, so a
    worker slowed down (a fresh one warming its caches) is given less, and the workers finish together
    (handed out in turn, the worker with one more fresh start finished 0.4 s after the other: 2% of a
    2-worker run of the 100k benchmark). With `here`, a chunk that finds every pool with IN_FLIGHT
    chunks to screen is screened by `here`, in this process, meanwhile."""
    pending: deque[tuple[int, AsyncResult[R] | _Screened[R]]] = deque()
    for chunk in chunks:
        waiting = [0] * len(pools)
        for k, result in pending:
            if k >= 0:
                waiting[k] += not result.ready()
        k = waiting.index(min(waiting)) if pools else -1
        if here is not None and (k < 0 or waiting[k] >= IN_FLIGHT):
            pending.append((-1, _Screened(here(chunk))))
        else:
            pending.append((k, pools[k].apply_async(work, (chunk,))))
        while pending and (len(pending) >= in_flight or pending[0][1].ready()):
            yield pending.popleft()[1].get()
    while pending:
        yield pending.popleft()[1].get()


_FORKING = threading.Lock()  # held while a batch worker is forked (OneForkAtATime)


class _ForkOneAtATime(ForkProcess):
    def start(self) -> None:
        with _FORKING:
            super().start()


class OneForkAtATime(ForkContext):
    """The fork start method, one fork at a time. Each worker pool replaces its workers from a thread of
    its own, and a process forked while another fork was under way inherited the pipe whose closing tells
    that other worker's pool it has exited: the pool then waited forever for a worker that had long
    exited, and the run hung (seen in CI; tests/batch/test_batch_killed.py counts the forks under way
    at once)."""

    Process = _ForkOneAtATime


def worker_context() -> BaseContext:
    """How batch workers start. On Linux, forked from this process once it has built what every
    worker reads and none writes (`watchlist.batch.warmup`): they share those pages, and this
    process's interpreter, with it (a fork server was a third interpreter: about 65 MB of PSS per
    run). Each worker freezes what it inherits out of its garbage collector's rounds first thing
    (`_init_worker`), so it copies only the pages it writes to; it screens with this process's
    engine where that maps its index, else maps the saved index itself (a built index in this
    process's heap would be copied page by page as workers read it). Elsewhere fork is unsafe or
    missing: workers start from a fork server that has done the same (or spawn afresh)."""
    methods = mp.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        from watchlist.batch.warmup import warm

        warm()
        return OneForkAtATime()
    context = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["watchlist.batch.preload", "watchlist.batch.local"])
    return context


def _freeze_shared_heap(context: BaseContext) -> bool:
    """Before forking workers: this process's heap out of its own garbage collector's rounds for the
    run (until `gc.unfreeze`). A full collection here writes to every object it walks, so each page
    the workers share with this process would be copied once more, into this one; its own young
    collections go on. Nothing is collected first: what a collection frees leaves holes in shared
    pages, which workers then fill, copying the page (Python's advice for gc.freeze). The C heap's
    free pages are handed back instead (a worker's writes there take fresh pages, not copies).
    Only where workers are forked (`worker_context`)."""
    if context.get_start_method() != "fork":
        return False
    global _CACHES
    _CACHES = lru_caches()
    gc.freeze()
    release_free_memory()
    return True


def _init_worker(index_path: str | None, options: BatchOptions) -> None:
    global _WORKER, _WORKER_ERROR
    gc.freeze()  # what the worker inherits: its collections must not write to the pages it shares
    start_worker()
    from watchlist.engine import Engine

    if index_path is None:
        assert _INHERITED is not None, "a forked worker inherits the parent's engine"
        engine = _INHERITED
    else:
        try:
            engine = Engine.from_index_file(Path(index_path))
        except Exception as exc:  # noqa: BLE001 - a pool restarts a worker whose initializer raises, forever
            _WORKER_ERROR = f"a batch worker could not open the index {index_path}: {exc}"
            return
    entities = engine.index.entities
    if isinstance(entities, EntityTable):
        entities.screening_only = True  # a worker's entities are only screened (about 15 MB less a worker)
    _WORKER = (engine, engine.index, options, QueryCache(options.cache_size))


def _age() -> None:
    """A task that does nothing but count toward a worker's life (`LocalBatch._pool_results`)."""


def _output(results: list[Result], fmt: str) -> ChunkOutput:
    """A chunk's results as the lines written for them and their counts."""
    return format_results(results, fmt), BatchStats.counted(results)


def _screen_chunk(chunk: list[Record], fmt: str) -> tuple[ChunkOutput, float]:
    """A chunk's output lines and counts (formatted here, in the worker: the parent only writes them), and
    the CPU seconds the worker spent on it (the benchmark's own timer)."""
    if _WORKER_ERROR is not None:
        raise ConfigError(_WORKER_ERROR)  # reaches the parent, which stops the run with this line
    assert _WORKER is not None, "worker not initialised"
    global _BUDGET
    engine, index, options, cache = _WORKER
    if _BUDGET is None:
        _BUDGET = MemoryBudget(options.cache_mb, caches=_CACHES)
    started = time.process_time()
    results = screen_records(engine, chunk, options, index=index, cache=cache)
    _BUDGET.check(index, cache)
    output = _output(results, fmt)
    settle_heap()
    return output, time.process_time() - started


class LocalBatch:
    """Screen a file with worker processes on this machine (see the module docstring)."""

    name = "local"

    def __init__(self, engine: Engine, options: BatchOptions) -> None:
        self.engine = engine
        self.options = options
        self.cpu_seconds = 0.0  # CPU time spent screening, summed over the workers (this process too)
        self.cpu_here = 0.0  # ... of it, in this process

    @property
    def workers(self) -> int:
        return self.options.workers if self.options.workers > 0 else (os.cpu_count() or 1)

    def run(
        self,
        source: Path,
        output: Path,
        *,
        columns: ColumnMap | None = None,
        input_format: str | None = None,
        output_format: str | None = None,
        resume: bool = True,
        progress: Progress | None = None,
        total: int | None = None,
    ) -> BatchStats:
        columns = columns or ColumnMap()
        in_fmt = detect_format(source, input_format, INPUT_FORMATS)
        out_fmt = detect_format(output, output_format, OUTPUT_FORMATS)
        index = self.engine.ready_index()
        started = time.perf_counter()
        stats = BatchStats()
        state = self._state(source, in_fmt, out_fmt, columns, index)
        ckpt = checkpoint_path(output)
        done, offset = self._resume_point(ckpt, state) if resume else (0, None)
        if offset is not None and not ResultWriter.staged_path(output, out_fmt).is_file():
            done, offset = 0, None  # the checkpoint outlived its output: start over
        stats.skipped = done
        records = read_records(source, in_fmt, columns, skip=done)
        writer = ResultWriter(output, out_fmt, offset)
        if progress is not None and done:
            progress(done)
        try:
            for lines, counts in self._results(records, index, out_fmt):
                writer.write_lines(lines)
                done += counts.rows
                stats.add_counts(counts)
                _write_json(ckpt, {**state, "rows_done": done, "offset": writer.offset()})
                if progress is not None:
                    progress(counts.rows)
            writer.finish()
        except BaseException:
            writer.close()
            raise
        ckpt.unlink(missing_ok=True)
        stats.seconds = time.perf_counter() - started
        stats.extra["screening_cpu_s"] = self.cpu_seconds  # in the workers, this process too
        stats.extra["screening_cpu_here_s"] = self.cpu_here
        return stats

    # -- screening ------------------------------------------------------------

    def _results(self, records: Iterable[Record], index: NameIndex, fmt: str) -> Iterator[ChunkOutput]:
        """Each chunk's output lines (in format `fmt`) and counts, in input order."""
        chunks = chunked(records, self.options.chunk_size)
        if self.workers <= 1:
            yield from self._screened_here(chunks, fmt)
        else:
            yield from self._pooled(chunks, index, fmt)

    def _screened_here(self, chunks: Iterable[list[Record]], fmt: str) -> Iterator[ChunkOutput]:
        screen = self._screener(fmt)
        for chunk in chunks:
            output, cpu = screen(chunk)
            self.cpu_seconds += cpu
            yield output

    def _screener(self, fmt: str) -> Callable[[list[Record]], tuple[ChunkOutput, float]]:
        """Screens a chunk in this process, with caches of its own: its output and the CPU seconds spent."""
        index = self.engine.ready_index()
        cache = QueryCache(self.options.cache_size)
        budget = MemoryBudget(self.options.cache_mb)

        def screen(chunk: list[Record]) -> tuple[ChunkOutput, float]:
            started = time.process_time()
            with collecting_seldom():  # not across the caller's own work, which keeps its settings
                results = screen_records(self.engine, chunk, self.options, index=index, cache=cache)
                budget.check(index, cache)
                output = _output(results, fmt)
            cpu = time.process_time() - started
            self.cpu_here += cpu
            return output, cpu

        return screen

    def _pooled(self, chunks: Iterator[list[Record]], index: NameIndex, fmt: str) -> Iterator[ChunkOutput]:
        """This process and the workers it starts screen the chunks (`_pool_results`); an input of a
        single chunk is screened here, with no worker started. Workers forked from this process,
        whose engine maps its index, screen with that engine, nothing saved: what this process has
        built before forking each (the matcher's tables, and the caches its own screening has filled
        by then) they inherit. Other workers each map the index, saved to a file where this engine
        maps none."""
        global _INHERITED
        head = list(itertools.islice(chunks, 2))
        if len(head) <= 1:
            yield from self._screened_here(head, fmt)
            return
        chunks = itertools.chain(head, chunks)
        context = worker_context()
        # A second run in this process at once (threads) maps a file: replacements are forked mid-run.
        if context.get_start_method() != "fork" or index.source is None or not _INHERIT_LOCK.acquire(blocking=False):
            with tempfile.TemporaryDirectory(prefix="watchlist-batch-") as tmp:
                yield from self._pool_results(context, str(self._index_file(Path(tmp))), chunks, fmt)
            return
        try:
            self.engine.parties(index)  # read by every screening: built here, never in a worker
            index.prepare_typo_search()  # shared by the workers, where each built its own copy (about 3 MB)
            _INHERITED = self.engine
            yield from self._pool_results(context, None, chunks, fmt)
        finally:
            _INHERITED = None
            _INHERIT_LOCK.release()

    def _pool_results(self, context: BaseContext, index_path: str | None, chunks: Iterator[list[Record]], fmt: str,
                      ) -> Iterator[ChunkOutput]:
        """The chunks' results from this process and `workers - 1` workers it starts. Each worker is a
        pool of its own, given the next chunk whenever it has the fewest still to screen, and this
        process screens one itself whenever each has IN_FLIGHT (`in_order`). With two workers, this
        process and one worker screen: a second forked worker held a third copy of every page of this
        process's heap that workers write to (the objects they touch: 11-13 MB), the parent's own
        and one each, where screening here holds two (measured: 58-59 MB of PSS added by the second
        worker on the 100k benchmark, against 64-65 with two forked workers, and 1.85-1.86 times one
        worker's names/s against 1.69-1.81 in the same minutes). A worker is replaced after
        `worker_rows` rows: its heap (caches the allocator cannot give back once emptied) starts
        afresh, so memory is flat on any input; worker k's first life is cut short by k/n of a life
        (tasks that do nothing), so that the workers are replaced in turn and their caches, which grow
        over a life, never all peak at once. A worker forked mid-run starts with the caches this
        process's screening has filled."""
        recycle = max(1, self.options.worker_rows // self.options.chunk_size) if self.options.worker_rows else None
        frozen = _freeze_shared_heap(context)
        forked = self.workers - 1
        pools = [context.Pool(1, initializer=_init_worker, initargs=(index_path, self.options),
                              maxtasksperchild=recycle) for _ in range(forked)]
        try:
            for k, pool in enumerate(pools):
                for _ in range(k * (recycle or 0) // forked):
                    pool.apply_async(_age)
            work = functools.partial(_screen_chunk, fmt=fmt)
            for output, cpu in in_order(pools, work, chunks, IN_FLIGHT * self.workers, self._screener(fmt)):
                self.cpu_seconds += cpu
                yield output
            for pool in pools:
                pool.close()
        finally:
            for pool in pools:
                pool.terminate()
                pool.join()
            if frozen:
                gc.unfreeze()

    def _index_file(self, tmp: Path) -> Path:
        """The file the workers map: the one this engine maps already, with its links beside it
        (saving it again took a CPU-second of the parent's before any worker could start), or a
        fresh save in `tmp`."""
        return self.engine.saved_index_file() or self.engine.save_index(tmp / "names.idx")

    # -- checkpoints ----------------------------------------------------------

    def _state(self, source: Path, in_fmt: str, out_fmt: str, columns: ColumnMap, index: NameIndex) -> dict[str, Any]:
        info = source.stat()
        return {
            "checkpoint": CHECKPOINT_VERSION,
            "input": str(source.resolve()),
            "input_size": info.st_size,
            "input_mtime_ns": info.st_mtime_ns,
            "input_format": in_fmt,
            "output_format": out_fmt,
            "columns": columns.columns,
            "options": self.options.key(),
            "index_version": index.version,
        }

    @staticmethod
    def _resume_point(ckpt: Path, state: dict[str, Any]) -> tuple[int, int | None]:
        if not ckpt.is_file():
            return 0, None
        try:
            saved = json.loads(ckpt.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0, None
        if {k: saved.get(k) for k in state} != state:
            raise ConfigError(
                f"{ckpt} belongs to a run with another input, options or list version; "
                "delete it or pass --restart to start over"
            )
        return int(saved["rows_done"]), int(saved["offset"])


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)

"""The pairwise scorer over a file of name pairs (`watchlist compare --pairs`), on every core.

Pairs are scored in chunks by forked worker processes and come back in input order; a
pair that cannot be scored (either name with no letters) comes back with its error instead
of a score, and the run goes on: `compare --pairs` writes it with an empty score. Where processes cannot fork, or the
file holds a single chunk, pairs are scored in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple

from watchlist.batch.core import settle_heap, start_worker
from watchlist.batch.local import chunked, in_order
from watchlist.errors import QueryError
from watchlist.match.types import Query

if TYPE_CHECKING:
    from watchlist.engine import Engine

PAIRS_PER_CHUNK = 2000

Pair = tuple[str, str, str | None]  # name1, name2, schema (None: any)


class PairScore(NamedTuple):  # a tuple, not a dataclass: made for every pair, and a tuple is made in C
    score: float = 0.0
    match: bool = False
    error: str | None = None  # why the pair could not be scored


# Per-process state of a worker: the engine and algorithm, inherited when the pool forks.
_WORKER: tuple[Engine, str | None] | None = None


def score_pairs(
    engine: Engine, pairs: Iterable[Pair], algorithm: str | None = None, workers: int = 0
) -> Iterator[PairScore]:
    """Each pair's score and decision, in input order. `workers` 0 means every core."""
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    chunks = chunked(pairs, PAIRS_PER_CHUNK)
    head = [chunk for chunk in (next(chunks, None), next(chunks, None)) if chunk is not None]
    if workers == 1 or len(head) < 2 or "fork" not in mp.get_all_start_methods():
        for chunk in [*head, *chunks]:
            yield from _score_chunk_with(engine, algorithm, chunk)
        return
    yield from _pooled(engine, algorithm, workers, [*head, *chunks])


def _pooled(engine: Engine, algorithm: str | None, workers: int, chunks: Iterable[list[Pair]]) -> Iterator[PairScore]:
    global _WORKER
    engine.token_stats()  # load the lists' statistics once, before the workers inherit the engine
    _WORKER = (engine, algorithm)
    try:
        pool = mp.get_context("fork").Pool(workers, initializer=start_worker)
    finally:
        _WORKER = None  # the parent keeps no worker state
    try:
        for scores in in_order([pool], _score_chunk, chunks, 2 * workers):
            yield from scores
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _score_chunk(chunk: list[Pair]) -> list[PairScore]:
    assert _WORKER is not None, "worker state is set before the pool forks"
    engine, algorithm = _WORKER
    scores = list(_score_chunk_with(engine, algorithm, chunk))
    settle_heap()
    return scores


def _score_chunk_with(engine: Engine, algorithm: str | None, chunk: Iterable[Pair]) -> Iterator[PairScore]:
    # A file pairs a name with each of its candidates in a row: each run of a name is prepared once.
    for (name1, schema), run in groupby(chunk, key=lambda pair: (pair[0], pair[2])):
        score = _pair_scorer(engine, name1, schema, algorithm)
        for _, name2, _ in run:
            if not name2.strip():
                yield PairScore(error="name2 is empty")  # as an empty name1 is: a row cut short, not a score of 0
            elif isinstance(score, str):
                yield PairScore(error=score)
            else:
                try:  # free in Python 3.11 when nothing is raised
                    scored = PairScore(*score(name2))
                except QueryError as exc:  # name2 has nothing to compare: an error, not a score of 0
                    scored = PairScore(error=exc.message)
                yield scored


def _pair_scorer(
    engine: Engine, name1: str, schema: str | None, algorithm: str | None
) -> Callable[[str], tuple[float, bool]] | str:
    """What scores name1 against a bare name, or why name1 cannot be scored."""
    try:
        return engine.pair_scorer(Query.build(name1, schema=schema), algorithm)
    except QueryError as exc:
        return exc.message

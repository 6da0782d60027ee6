"""What every batch backend shares: options, the row -> query -> result step, and the protocol.

`screen_records` is the only place a batch row becomes a `Query` and a result line, so the
local and Spark backends cannot drift apart.
"""

from __future__ import annotations

import ctypes
import gc
import json
import math
import signal
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

from watchlist.errors import QueryError
from watchlist.match.registry import get_algorithm
from watchlist.match.types import MatchResult, Query

if TYPE_CHECKING:
    from watchlist.batch.io import ColumnMap
    from watchlist.engine import Engine
    from watchlist.index.retrieval import NameIndex

# The canonical fields of a batch row (the input columns are mapped onto these).
FIELDS = ("id", "schema", "name", "birth_date", "country", "id_number")
MULTI_VALUED = ("birth_date", "country", "id_number")  # ';'-separated in flat files
# What a reader found wrong with a row, kept beside its fields: warnings about a row still screened,
# or why a row (a line that is not JSON) cannot be screened at all; it still gets its result line.
READ_WARNINGS = "_read_warnings"
READ_ERROR = "_read_error"
# A name longer than this is screened on its first MAX_NAME_CHARS characters, with a warning: no party's
# name is so long, and the time to align two names grows with the product of their lengths.
MAX_NAME_CHARS = 1_000
Record = dict[str, Any]
Result = dict[str, Any]
Progress = Callable[[int], None]  # called with the number of rows just finished
# What a row's result shows by default: every match, and the near misses scoring at least this
# (a reviewer reads nothing weaker; scoring stops early on candidates that cannot reach it).
NEAR_MISS_SHARE = 0.5 / 0.7  # of the match threshold: 0.5 under watchlist-v1's 0.7
# A batch worker's functools caches (tokenising and folding query names) start afresh past this
# many entries: sized for a single process, they held about 16 MB of a worker's own memory after
# 20,000 distinct customer names, where tokenize_name answered 2% of calls from the cache.
LRU_ENTRIES = 10_000
# ... or past this many, for a cache that holds much for what it saves a worker (20,000 synthetic
# customers, one process): tokenize_name's entries are whole token tuples of customer names, which
# repeat little (5% of calls answered); skeleton and parse_date_prefix answered 10% and 20% of well
# under one call a row, each a few microseconds to compute again; consonant_key's calls repeat within
# a chunk's rows (95% answered), and its 6,600 entries after 25,000 rows (0.9 MB) saved no CPU time
# over a cache emptied after each chunk.
LRU_ENTRIES_OF = {"tokenize_name": 1_000, "skeleton": 1_000, "parse_date_prefix": 1_000, "consonant_key": 1_000}
WORKER_CACHE_MB = 200.0  # see MemoryBudget: a safety net; the caches are bounded by entries
# ... read after every this many chunks: reading a process's memory walks its page tables (about
# 1.3 ms in a batch worker, 0.7% of a 500-row chunk's CPU when read after each).
MEMORY_CHECK_CHUNKS = 8
# Allocations between a screening process's young garbage collections (Python's default is 700).
# Screening a row allocates thousands of short-lived objects in no cycle: collecting that often
# cost 2-3% of a batch worker's CPU (25,000 rows, compiled), and 2% of compare's.
YOUNG_COLLECTION: Final = 10_000


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to screen each row. The defaults give issue 3's contract (the default threshold)."""

    algorithm: str | None = None
    threshold: float | None = None  # None: the algorithm's own default
    limit: int = 10  # matches kept per row, best first
    # Drop matches scoring below this; a value also lets retrieval skip names that cannot reach
    # it. None: every match retrieval finds, and near misses from NEAR_MISS_SHARE of the threshold up.
    min_score: float | None = None
    datasets: tuple[str, ...] | None = None
    workers: int = 0  # 0: every core
    chunk_size: int = 500  # rows per task
    # Repeated queries answered from an LRU cache (per worker); 0 turns it off. 2,000 holds a file's
    # nearby repeats; 10,000 held 3.5 MB of a worker and answered 0.4% of 25,000 synthetic customers
    # (2,000: 0.07%), 50,000 about 20 MB for 0.5% of 100,000.
    cache_size: int = 2_000
    cache_mb: float = WORKER_CACHE_MB  # a worker's own memory for caches before they start afresh; 0: no limit
    worker_rows: int = 25_000  # rows a worker screens before a fresh one replaces it; 0: never

    @property
    def floor(self) -> float:
        """The lowest score a result line shows: a share of the match threshold (every match shows),
        or the min_score asked for."""
        if self.min_score is not None:
            return self.min_score
        threshold = self.threshold if self.threshold is not None else get_algorithm(self.algorithm).THRESHOLD
        return NEAR_MISS_SHARE * threshold

    def key(self) -> dict[str, Any]:
        """What changes the results (a resumed run must match on these)."""
        return {"algorithm": self.algorithm, "threshold": self.threshold, "limit": self.limit,
                "min_score": self.min_score, "datasets": list(self.datasets) if self.datasets else None}


@dataclass(slots=True)
class BatchStats:
    rows: int = 0
    errors: int = 0
    matched: int = 0  # rows with at least one match=true
    skipped: int = 0  # rows already done by an earlier, interrupted run
    warned: int = 0  # rows screened without a qualifier that could not be read
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def add_counts(self, other: BatchStats) -> None:
        """Add the row counts of a part of the run screened elsewhere (a Spark task)."""
        self.rows += other.rows
        self.errors += other.errors
        self.matched += other.matched
        self.warned += other.warned

    @classmethod
    def counted(cls, results: Sequence[Result]) -> BatchStats:
        """The row counts of these results."""
        stats = cls()
        stats.add(results)
        return stats

    def add(self, results: Sequence[Result]) -> None:
        self.rows += len(results)
        for result in results:
            if result.get("warnings"):
                self.warned += 1
            if result.get("error"):
                self.errors += 1
            elif any(m["match"] for m in result["matches"]):
                self.matched += 1


class BatchEngine(Protocol):
    """A batch backend: screen every row of `source` and write one result per row to `output`."""

    name: str

    def __init__(self, engine: Engine, options: BatchOptions) -> None: ...

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
    ) -> BatchStats: ...


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v).strip()]
    text = str(value)
    if text.lower() in ("nan", "none", "nat"):
        return []
    return [part for part in (p.strip() for p in text.split(";")) if part]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):  # NaN from pandas
        return ""
    return str(value).strip()


def to_query(record: Mapping[str, Any]) -> Query:
    """One canonical batch row as a Query (raises QueryError on a row without a usable name).

    A qualifier that cannot be read (birth date, country, identifier, schema) is left out and
    named in the query's `warnings`, as is what its reader found wrong with the row (READ_WARNINGS)
    and a name cut to MAX_NAME_CHARS: the row is still screened on what is usable.
    """
    if record.get(READ_ERROR):
        raise QueryError(str(record[READ_ERROR]))
    warnings = [str(w) for w in record.get(READ_WARNINGS) or ()]
    query = Query.build(
        _names(record.get("name"), warnings),
        schema=_text(record.get("schema")) or None,
        birth_date=_split(record.get("birth_date")),
        country=_split(record.get("country")),
        id_number=_split(record.get("id_number")),
        id=_text(record.get("id")),
        lenient=True,
    )
    return replace(query, warnings=(*warnings, *query.warnings)) if warnings else query


def _names(value: Any, warnings: list[str]) -> list[str]:
    """A row's name or names as text; a name that is not text (a JSON object or true/false) is an error."""
    values = value if isinstance(value, (list, tuple)) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, (dict, list, tuple, bool)):
            kind = "true/false" if isinstance(item, bool) else "a JSON object" if isinstance(item, dict) else "a list"
            raise QueryError(f"name is {kind} ({json.dumps(item)[:40]}), not text: nothing screened")
        text = _text(item)
        if len(text) > MAX_NAME_CHARS:
            warnings.append(f"name is {len(text):,} characters long; screened on its first {MAX_NAME_CHARS:,}")
            text = text[:MAX_NAME_CHARS]
        if text:
            names.append(text)
    return names


def match_dict(result: MatchResult) -> dict[str, Any]:
    """One match as a result line shows it (a subset of MatchResult.to_dict, scores to 6 places)."""
    entity = result.entity
    return {
        "id": entity.id,
        "score": round(result.score, 6),
        "match": result.match,
        "caption": entity.caption,
        "schema": entity.schema.value,
        "datasets": list(entity.datasets),
        "matched_name": result.matched_name,
        "referents": list(result.record_ids),  # the list records of the party (several when lists link it)
    }


def _cache_key(query: Query) -> tuple[object, ...]:
    return (query.names, query.schema, query.birth_dates, query.countries, query.identifiers)


class QueryCache:
    """LRU cache of finished matches by query content (customer files repeat names a lot)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[object, ...], list[dict[str, Any]]] = OrderedDict()
        self.hits = 0

    def get(self, key: tuple[object, ...]) -> list[dict[str, Any]] | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
            self.hits += 1
        return value

    def clear(self) -> None:
        self._data.clear()

    def put(self, key: tuple[object, ...], value: list[dict[str, Any]]) -> None:
        if self.size <= 0:
            return
        self._data[key] = value
        if len(self._data) > self.size:
            self._data.popitem(last=False)


def settle_heap() -> None:
    """Take what outlived a chunk (the index, the caches, decoded entities) out of the garbage
    collector's rounds.

    A batch worker's heap is mostly long-lived index and cache objects, and a full collection
    walks every one of them (0.15 s and more once the caches fill): left alone, the collector
    spends about a seventh of a batch run doing so, and finds nothing (screening makes no
    reference cycles). Frozen objects are still freed when they are dropped, unless they form a
    cycle: so only a worker process, whose heap is all ours, calls this. Young collections go on.
    Then the C allocator hands the whole free pages inside its heap back to the system (see
    `release_free_memory`).
    """
    gc.freeze()
    release_free_memory()


def collect_seldom() -> None:
    """Young garbage collections every YOUNG_COLLECTION allocations, for the rest of this (worker) process."""
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def start_worker() -> None:
    """A pool worker's settings: `collect_seldom`, and Ctrl-C left to the parent, which stops the pool (the
    terminal sends it to every process of the run: each worker printed a KeyboardInterrupt traceback)."""
    collect_seldom()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def collecting_seldom() -> Iterator[None]:
    """`collect_seldom` while screening in a process that is not a worker: its own settings come back after."""
    thresholds = gc.get_threshold()
    collect_seldom()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def release_free_memory() -> bool:
    """Give the free pages inside the C allocator's heap back to the system (glibc's malloc_trim):
    emptied cache tables and arrays otherwise stay a worker's own memory (about 9 MB of a worker
    after 20,000 rows, for under a millisecond a chunk). False where the C library has no malloc_trim."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM is False:
        return False
    _MALLOC_TRIM(0)
    return True


_MALLOC_TRIM: Any = None  # glibc's malloc_trim once looked up; False where there is none


def private_mb() -> float:
    """This process's own memory (private pages, MB): what it does not share with its parent or
    with the other processes mapping the index. 0 where /proc is not available."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as fh:
            return sum(int(line.split()[1]) for line in fh if line.startswith("Private_")) / 1024
    except (OSError, ValueError):
        return 0.0


def lru_caches() -> list[Any]:
    """The `functools.lru_cache` functions of the loaded watchlist modules, each once."""
    import sys

    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("watchlist.") and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                    found[id(value)] = value
    return list(found.values())


def clear_caches(index: NameIndex, cache: QueryCache | None) -> None:
    """Empty every per-process cache screening fills: the index's, the matcher's, the text
    functions' (each bounded, but together a few hundred MB once full), and the query cache."""
    from watchlist.match.align import clear_caches as clear_similarities

    index.clear_caches()
    clear_similarities()
    if cache is not None:
        cache.clear()
    for function in lru_caches():
        function.cache_clear()


class MemoryBudget:
    """Keeps a worker's own memory within `limit_mb` of what it held at start: past it, the caches
    start afresh (measured after every MEMORY_CHECK_CHUNKS chunks; a cache miss costs far less than a
    page of RAM per worker)."""

    def __init__(self, limit_mb: float, entries: int | None = None, caches: Sequence[Any] | None = None) -> None:
        """`caches`: the functools caches to bound (`lru_caches()`, listed by a forked worker's parent)."""
        self.limit = limit_mb
        self.entries = LRU_ENTRIES if entries is None else entries
        self.base = private_mb()
        self.trims = 0
        self._chunks = 0
        self._lru = [(f, min(self.entries, LRU_ENTRIES_OF.get(f.__name__, self.entries)))
                     for f in (lru_caches() if caches is None else caches)] if self.entries > 0 else []

    def check(self, index: NameIndex, cache: QueryCache | None) -> None:
        for function, entries in self._lru:  # each text cache starts afresh past its entries (LRU_ENTRIES)
            if function.cache_info().currsize > entries:
                function.cache_clear()
        self._chunks += 1
        if self.limit > 0 and self._chunks % MEMORY_CHECK_CHUNKS == 0 and private_mb() > self.base + self.limit:
            clear_caches(index, cache)
            self.trims += 1
            # What stays private after the caches are emptied (pages of the interpreter the worker
            # has written to, freed memory the allocator keeps for reuse) is the new base.
            self.base = private_mb()


def screen_records(
    engine: Engine,
    records: Iterable[Record],
    options: BatchOptions,
    *,
    index: NameIndex | None = None,
    cache: QueryCache | None = None,
) -> list[Result]:
    """Screen canonical rows: `{"id", "matches": [...]}` per row, in order.

    A row that cannot be screened (no name) gets `"error"` and no matches instead of stopping
    the run; a row screened without a qualifier it could not read gets `"warnings"`.
    """
    index = index or engine.ready_index()
    out: list[Result] = []
    for record in records:
        row_id = _text(record.get("id"))
        try:
            query = to_query(record)
            key = _cache_key(query)
            matches = cache.get(key) if cache is not None else None
            if matches is None:
                hits = engine.screen(query, datasets=options.datasets, algorithm=options.algorithm,
                                     threshold=options.threshold, limit=options.limit, index=index,
                                     min_score=options.floor, prune=options.min_score is not None)
                matches = [match_dict(h) for h in hits if h.score >= options.floor]
                if cache is not None:
                    cache.put(key, matches)
        except QueryError as exc:
            out.append({"id": row_id, "matches": [], "error": exc.message})
            continue
        result: Result = {"id": row_id, "matches": [dict(m) for m in matches]}
        if query.warnings:
            result["warnings"] = list(query.warnings)
        out.append(result)
    return out

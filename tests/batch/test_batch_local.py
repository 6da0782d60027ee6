"""The local batch backend: the output contract, formats, column mapping, workers, cache and resume."""

from __future__ import annotations

import collections
import gc
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_helpers import ROWS, make_engine, write_csv
from typer.testing import CliRunner

from watchlist.batch import BatchOptions, ColumnMap, screen_records
from watchlist.batch.io import read_results
from watchlist.batch.local import LocalBatch, checkpoint_path
from watchlist.errors import ConfigError


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return make_engine()


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "queries.csv", ROWS)


def reference(engine, rows=ROWS, options=None):  # type: ignore[no-untyped-def]
    """The slow twin: screen_records row by row, no cache, no workers."""
    options = options or BatchOptions(cache_size=0)
    return [screen_records(engine, [row], options)[0] for row in rows]


def test_contract_lines(engine, queries: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    stats = LocalBatch(engine, BatchOptions(workers=1)).run(queries, out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in ROWS]
    assert stats.rows == len(ROWS) and stats.errors == 1 and stats.warned == 1  # no name; a bad date
    by_id = {line["id"]: line for line in lines}
    top = by_id["c1"]["matches"][0]
    assert top["id"] == "t-1" and top["match"] is True and isinstance(top["score"], float)
    assert {"id", "score", "match", "caption", "datasets"} <= set(top)
    assert top["datasets"] == ["test"]
    for line in lines:
        scores = [m["score"] for m in line["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert all(m["match"] == (m["score"] >= engine_threshold()) for m in line["matches"])
    assert "error" in by_id["c5"] and by_id["c5"]["matches"] == []
    # a birth date that cannot be read: screened on the name alone, with a warning naming the field
    assert "error" not in by_id["c11"] and by_id["c11"]["matches"]
    assert by_id["c11"]["warnings"] == ["birth_date 'not a date' could not be read; screened on the name alone"]
    assert lines == reference(engine)


def engine_threshold() -> float:
    from watchlist.match.registry import get_algorithm

    return get_algorithm(None).THRESHOLD


def test_workers_and_cache_agree_with_slow_twin(engine, queries: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    gc.unfreeze()
    LocalBatch(engine, BatchOptions(workers=2, chunk_size=3, cache_size=100)).run(queries, out)
    assert read_results(out) == reference(engine)
    # The parent froze its heap while forked workers shared it (its full collections would have
    # copied the shared pages), and hands it back to its collector once they are gone.
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_output_formats_round_trip(engine, queries: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    LocalBatch(engine, BatchOptions(workers=1)).run(queries, out)
    assert read_results(out) == reference(engine)
    assert not list(tmp_path.glob("*.partial.jsonl")) and not checkpoint_path(out).exists()


def test_input_formats_and_mapping(engine, tmp_path: Path) -> None:
    renamed = [{"cust": r["id"], "full_name": r["name"], "type": r["schema"], "dob": r["birth_date"],
                "nat": r["country"]} for r in ROWS]
    mapping = ColumnMap.parse(["id=cust", "name=full_name", "schema=type", "birth_date=dob", "country=nat"])
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in renamed), encoding="utf-8")
    parquet = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(renamed), parquet, row_group_size=5)
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("id: cust\nname: full_name\nschema: type\nbirth_date: dob\ncountry: nat\n")
    expected = reference(make_engine())
    for source in (jsonl, parquet):
        out = tmp_path / f"{source.suffix[1:]}.jsonl"
        LocalBatch(engine, BatchOptions(workers=1)).run(source, out, columns=mapping)
        assert read_results(out) == expected
    out = tmp_path / "file-map.jsonl"
    LocalBatch(engine, BatchOptions(workers=1)).run(jsonl, out, columns=ColumnMap.parse([], mapping_file))
    assert read_results(out) == expected


def test_missing_ids_are_row_numbers_and_bad_mapping_says_what_to_fix(engine, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [{"name": "Vladimir Putin"}, {"name": "Kim Jong Un"}])
    out = tmp_path / "r.jsonl"
    LocalBatch(engine, BatchOptions(workers=1)).run(source, out)
    assert [r["id"] for r in read_results(out)] == ["1", "2"]
    with pytest.raises(ConfigError, match="--map name=COLUMN"):
        LocalBatch(engine, BatchOptions(workers=1)).run(source, out, columns=ColumnMap({"name": "nom"}))
    with pytest.raises(ConfigError, match="unknown field"):
        ColumnMap.parse(["nmae=x"])
    unclosed = tmp_path / "mapping.yaml"
    unclosed.write_text("name: [full_name\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the column mapping"):
        ColumnMap.parse(file=unclosed)


class Interrupt(Exception):
    pass


@pytest.mark.parametrize("fmt,workers", [("jsonl", 1), ("csv", 2), ("parquet", 1)])
def test_interrupted_run_resumes_to_identical_output(engine, tmp_path: Path, fmt: str, workers: int) -> None:
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(6) for r in ROWS]  # 72 rows
    source = write_csv(tmp_path / "big.csv", rows)
    options = BatchOptions(workers=workers, chunk_size=5)
    whole = tmp_path / f"whole.{fmt}"
    LocalBatch(engine, options).run(source, whole)

    out = tmp_path / f"part.{fmt}"
    seen = []

    def stop_after_30(n: int) -> None:
        seen.append(n)
        if sum(seen) >= 30:
            raise Interrupt

    with pytest.raises(Interrupt):
        LocalBatch(engine, options).run(source, out, progress=stop_after_30)
    saved = json.loads(checkpoint_path(out).read_text())
    assert saved["rows_done"] == 30
    resumed: list[int] = []
    stats = LocalBatch(engine, options).run(source, out, progress=resumed.append)
    assert stats.skipped == 30 and stats.rows == len(rows) - 30 and resumed[0] == 30
    assert read_results(out) == read_results(whole)
    if fmt != "parquet":
        assert out.read_bytes() == whole.read_bytes()


def test_checkpoint_of_another_run_is_refused(engine, queries: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    with pytest.raises(Interrupt):
        LocalBatch(engine, BatchOptions(workers=1, chunk_size=2)).run(
            queries, out, progress=lambda n: (_ for _ in ()).throw(Interrupt()))
    with pytest.raises(ConfigError, match="--restart"):
        LocalBatch(engine, BatchOptions(workers=1, chunk_size=2, limit=3)).run(queries, out)
    LocalBatch(engine, BatchOptions(workers=1, limit=3)).run(queries, out, resume=False)
    assert len(read_results(out)) == len(ROWS)


@pytest.mark.integration
def test_cli_batch_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import LISTS

    from watchlist.cli.main import app

    monkeypatch.setenv("WATCHLIST_HOME", str(tmp_path / "home"))
    source = write_csv(tmp_path / "q.csv", [
        {"id": "q1", "schema": "Person", "name": "Osama Al Kuni Ibrahim", "birth_date": "", "country": ""},
        {"id": "q2", "schema": "Person", "name": "Jane Doe", "birth_date": "", "country": ""}])
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(app, ["batch", str(source), "--output", str(out), "--no-progress", "--workers", "1",
                                      "--lists", str(LISTS / "un" / "consolidated.xml")])
    assert result.exit_code == 0, result.output
    lines = read_results(out)
    assert [line["id"] for line in lines] == ["q1", "q2"]
    assert lines[0]["matches"][0]["match"] is True and lines[0]["matches"][0]["id"].startswith("un-")

    # --alerts: each decided match goes to the workbench queue, with the screened row as its record
    result = CliRunner().invoke(app, ["batch", str(source), "--output", str(out), "--no-progress", "--workers", "1",
                                      "--restart", "--alerts", "--lists", str(LISTS / "un" / "consolidated.xml")])
    assert result.exit_code == 0, result.output
    from watchlist.cases import open_case_store
    from watchlist.settings import Settings

    cases = open_case_store(Settings.from_env())
    page = cases.alerts()
    cases.close()
    assert page.alerts and {a.source for a in page.alerts} == {"batch"}
    assert {a.record["name"] for a in page.alerts} == {"Osama Al Kuni Ibrahim"}
    assert page.alerts[0].entity_id == lines[0]["matches"][0]["id"]


def test_a_worker_freezes_what_outlives_each_chunk(engine, tmp_path: Path) -> None:
    # In a worker process the index and caches stay out of the collector's full rounds (a seventh
    # of a run otherwise); the caller's own process is left alone.
    from watchlist.batch import local
    from watchlist.batch.core import QueryCache

    gc.unfreeze()
    local._WORKER = (engine, engine.index, BatchOptions(), QueryCache(10))
    try:
        (lines, counts), cpu = local._screen_chunk([{"id": "1", "name": "Kim Jong Un"}], "jsonl")
        assert json.loads(lines)["matches"] and counts.rows == counts.matched == 1 and cpu > 0
        assert gc.get_freeze_count() > 0
    finally:
        local._WORKER = None
        gc.unfreeze()


def test_workers_map_the_file_a_mapped_engine_maps_and_a_built_one_is_saved(engine, queries: Path, tmp_path: Path) -> None:
    # Saving the index again for every run cost the parent a CPU-second before any worker started.
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    path = engine.save_index(tmp_path / "saved" / "names.idx")
    mapped = Engine.from_index_file(path)
    assert LocalBatch(mapped, BatchOptions())._index_file(tmp_path) == path
    fresh = LocalBatch(engine, BatchOptions())._index_file(tmp_path)
    assert fresh.parent == tmp_path and Engine.from_index_file(fresh).index.version == engine.index.version
    out = tmp_path / "r.jsonl"
    LocalBatch(mapped, BatchOptions(workers=2, chunk_size=4)).run(queries, out)
    assert read_results(out) == reference(engine)


def _screenings_recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file each screening of a chunk appends its process's id to, a worker's from its own process."""
    import os

    from watchlist.batch import local

    screened_by = tmp_path / "pids"
    screen = local.screen_records

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        with screened_by.open("a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return screen(*args, **kwargs)

    monkeypatch.setattr(local, "screen_records", recording)
    return screened_by


def test_forked_workers_screen_with_the_parents_mapped_engine(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A parent whose engine maps its index saves nothing for its workers (a store's engine saved the
    # index again on every run: a CPU-second before any worker started); the workers (the replacements
    # too) screen every row with its engine, line for line.
    import os

    from watchlist.batch import local
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(engine.save_index(tmp_path / "saved" / "names.idx"))

    def no_save(self: Engine, path: Path) -> Path:
        raise AssertionError("the workers inherit the mapped engine: nothing is saved")

    screened_by = _screenings_recorded(monkeypatch, tmp_path)
    monkeypatch.setattr(Engine, "save_index", no_save)
    out = tmp_path / "r.jsonl"
    LocalBatch(mapped, BatchOptions(workers=2, chunk_size=3, worker_rows=3)).run(queries, out)
    assert read_results(out) == reference(engine)
    pids = screened_by.read_text(encoding="ascii").split()
    assert len(set(pids) - {str(os.getpid())}) > 2  # replaced workers
    assert local._INHERITED is None  # the parent holds no worker state after the run


def test_a_forked_worker_reads_the_list_of_caches_its_parent_made(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Listing the functools caches takes a reference to every object of every watchlist module: done in
    # each forked worker (when its memory budget starts), it copied 2-5 MB of pages it shares with the
    # parent. The parent lists them before it forks, once a run.
    import builtins
    import os

    from watchlist.batch import core
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(engine.save_index(tmp_path / "saved" / "names.idx"))
    listed_by = tmp_path / "pids"

    def recording(module: object) -> dict[str, object]:
        with listed_by.open("a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return builtins.vars(module)

    monkeypatch.setattr(core, "vars", recording, raising=False)
    out = tmp_path / "r.jsonl"
    LocalBatch(mapped, BatchOptions(workers=2, chunk_size=2, worker_rows=4)).run(queries, out)
    assert read_results(out) == reference(engine)
    assert set(listed_by.read_text(encoding="ascii").split()) == {str(os.getpid())}


def test_an_input_the_parent_screens_whole_starts_no_workers(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(engine.save_index(tmp_path / "saved" / "names.idx"))
    started: list[int] = []
    pool_results = LocalBatch._pool_results

    def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(1)
        return pool_results(self, *args, **kwargs)

    monkeypatch.setattr(LocalBatch, "_pool_results", recording)
    rows = len(reference(engine))
    for chunk_size, pools in ((rows, 0), (rows - 1, 1)):
        out = tmp_path / f"r{chunk_size}.jsonl"
        LocalBatch(mapped, BatchOptions(workers=2, chunk_size=chunk_size)).run(queries, out, resume=False)
        assert read_results(out) == reference(engine) and len(started) == pools, chunk_size


def test_the_parent_screens_beside_its_workers_when_each_has_its_fill(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With n workers the parent starts n - 1: a third process holding copies of the pages workers write to
    # cost more memory than the parent's own screening (docs/batch.md).

    from watchlist.batch import local
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(engine.save_index(tmp_path / "saved" / "names.idx"))
    forks: list[int] = []
    start = local._ForkOneAtATime.start

    def counted(self):  # type: ignore[no-untyped-def]
        forks.append(1)
        start(self)

    screened_by = _screenings_recorded(monkeypatch, tmp_path)
    monkeypatch.setattr(local._ForkOneAtATime, "start", counted)
    out = tmp_path / "r.jsonl"
    batch = LocalBatch(mapped, BatchOptions(workers=2, chunk_size=1, worker_rows=0))
    stats = batch.run(queries, out, resume=False)
    assert read_results(out) == reference(engine) and len(forks) == 1
    pids = screened_by.read_text(encoding="ascii").split()
    assert len(pids) == len(ROWS) and len(set(pids)) == 2
    assert 0 < stats.extra["screening_cpu_here_s"] < stats.extra["screening_cpu_s"]


class _Pool:
    """A pool whose chunks are screened when the test says (in_order's view of a worker pool)."""

    def __init__(self) -> None:
        self.given: list[list[int]] = []
        self.done = 0

    def apply_async(self, work, args):  # type: ignore[no-untyped-def]
        self.given.append(args[0])
        pool, number = self, len(self.given)

        class Result:
            def ready(self) -> bool:
                return pool.done >= number

            def get(self) -> list[int]:
                pool.done = max(pool.done, number)
                return work(args[0])

        return Result()


def test_in_order_gives_each_chunk_to_the_pool_with_least_to_do_and_the_rest_to_here() -> None:
    from watchlist.batch import local

    busy, idle = _Pool(), _Pool()
    idle.done = 10**6  # screens whatever it is given at once
    here: list[list[int]] = []

    def screen_here(chunk: list[int]) -> list[int]:
        here.append(chunk)
        return chunk

    chunks = [[i] for i in range(12)]
    got = list(local.in_order([busy, idle], list, chunks, 100, screen_here))
    assert got == chunks  # in input order
    assert busy.given == [[0]] and not here  # the idle pool took every chunk after the first
    full, fuller = _Pool(), _Pool()
    got = list(local.in_order([full, fuller], list, chunks, 100, screen_here))
    assert got == chunks and len(full.given) == len(fuller.given) == local.IN_FLIGHT
    assert here == chunks[2 * local.IN_FLIGHT:]  # every pool full: screened here
    assert list(local.in_order([_Pool()], list, chunks, 2)) == chunks  # no `here`: the pool takes them all


def test_workers_are_replaced_in_turn_not_all_at_once(
        engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker's caches grow over its life: worker k's first life is cut short by k/n of a life, so the
    # workers' memory never peaks at once.
    import os

    from watchlist.batch import local
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(engine.save_index(tmp_path / "saved" / "names.idx"))
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(4) for r in ROWS]
    screened_by = tmp_path / "pids"
    screen = local.screen_records

    def recording(engine, records, *args, **kwargs):  # type: ignore[no-untyped-def]
        with screened_by.open("a", encoding="ascii") as fh:
            fh.write(f"{records[0]['id']} {os.getpid()}\n")
        return screen(engine, records, *args, **kwargs)

    monkeypatch.setattr(local, "screen_records", recording)
    out = tmp_path / "r.jsonl"
    LocalBatch(mapped, BatchOptions(workers=3, chunk_size=1, worker_rows=4)).run(write_csv(tmp_path / "in.csv", rows), out)
    assert read_results(out) == reference(engine, rows)
    by_row = dict(line.split() for line in screened_by.read_text(encoding="ascii").splitlines())
    pids = [pid for pid in (by_row[row["id"]] for row in rows) if pid != str(os.getpid())]  # in input order
    lives = collections.Counter(pids)
    first = list(dict.fromkeys(pids))[:2]  # the two workers started with the run, given the first chunks
    assert sorted(lives[pid] for pid in first) == [2, 4], lives
    assert max(lives.values()) == 4 and sum(1 for n in lives.values() if n < 4) <= 3, lives  # and the last lives


def test_a_second_run_at_once_has_its_workers_map_the_file(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Replacement workers are forked mid-run: while one run's engine is handed to its workers, another
    # run in this process (a thread) lets its workers map the index file.
    import os

    from watchlist.batch import local
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    path = engine.save_index(tmp_path / "saved" / "names.idx")
    mapped = Engine.from_index_file(path)
    opened_by = tmp_path / "pids"
    init_worker = local._init_worker

    def recording(index_path, options):  # type: ignore[no-untyped-def]
        with opened_by.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {index_path}\n")
        init_worker(index_path, options)

    monkeypatch.setattr(local, "_init_worker", recording)
    assert local._INHERIT_LOCK.acquire(blocking=False)  # another run holds it
    try:
        out = tmp_path / "r.jsonl"
        LocalBatch(mapped, BatchOptions(workers=2, chunk_size=1)).run(queries, out)
    finally:
        local._INHERIT_LOCK.release()
    assert read_results(out) == reference(engine)
    started = [line.split(" ", 1) for line in opened_by.read_text(encoding="utf-8").splitlines()]
    assert started and all(pid != str(os.getpid()) and opened != "None" for pid, opened in started)  # a file each
    assert local._INHERITED is None


def test_workers_forked_from_the_parent_or_from_a_fork_server_give_the_same_lines(
        engine, queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On Linux the workers are forked from the batch parent (sharing its interpreter: no fork server's
    # 65 MB); elsewhere from a fork server. Both write what one process writes, replaced workers too.
    from watchlist.batch import local

    options = BatchOptions(workers=2, chunk_size=3, worker_rows=3)
    LocalBatch(engine, options).run(queries, tmp_path / "forked.jsonl")
    assert local.worker_context().get_start_method() == "fork"
    monkeypatch.setattr(local.sys, "platform", "darwin")
    assert local.worker_context().get_start_method() == "forkserver"
    LocalBatch(engine, options).run(queries, tmp_path / "served.jsonl")
    expected = reference(engine)
    assert read_results(tmp_path / "forked.jsonl") == expected == read_results(tmp_path / "served.jsonl")


def test_the_warm_up_loads_the_latin_territory_table_and_leaves_rigours_lookup_to_need() -> None:
    # In a fresh interpreter (this one may have loaded them already): importing the preload module
    # leaves the Latin table of territory names loaded, so a worker forked from it does not load its
    # own copy; rigour's full lookup (about 1 CPU-second) waits for a country that table cannot read.
    import subprocess
    import sys

    code = ("from rigour.territories import lookup; import watchlist.batch.preload; "
            "from watchlist.text import countries; "
            "print(lookup._get_territory_names.cache_info().currsize, countries._latin_names.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "1"]


def test_a_worker_starts_a_text_cache_afresh_past_its_entry_bound(engine) -> None:
    # Sized for one long-lived process, the tokenising caches held about 16 MB of every worker's own
    # memory after 20,000 distinct names (and answered 2% of calls); a worker empties one past the bound.
    from watchlist.batch.core import MemoryBudget
    from watchlist.text.tokens import tokenize_name

    budget = MemoryBudget(0, entries=5)
    tokenize_name.cache_clear()
    for i in range(4):
        tokenize_name(f"Name{i} Person", "person")
    budget.check(engine.index, None)
    assert tokenize_name.cache_info().currsize == 4  # within the bound: kept
    for i in range(4, 8):
        tokenize_name(f"Name{i} Person", "person")
    budget.check(engine.index, None)
    assert tokenize_name.cache_info().currsize == 0


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_a_worker_hands_freed_heap_pages_back_after_each_chunk() -> None:
    # 64 MB in blocks of the C heap, all freed but the last (which pins the heap's top): they stay
    # this process's own memory until release_free_memory (called by settle_heap after each chunk).
    import subprocess
    import sys

    code = """
import ctypes
from watchlist.batch.core import private_mb, release_free_memory
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: blocks of 64 KB come from the heap, not their own mappings
blocks = [libc.malloc(64 * 1024) for _ in range(1000)]
for block in blocks:
    ctypes.memset(block, 1, 64 * 1024)
for block in blocks[:-1]:
    libc.free(block)
freed = private_mb()
print(release_free_memory(), freed - private_mb())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    trimmed, released = done.stdout.split()
    if trimmed == "False":
        pytest.skip("this C library has no malloc_trim")
    assert float(released) > 40


def test_every_cache_a_worker_fills_is_bounded(engine) -> None:
    # Each batch worker holds its own copy of every cache: one without a bound grows with the file.
    from watchlist.batch.core import lru_caches
    from watchlist.match import similarity
    from watchlist.match.similarity import JOINED_TYPOS_CACHE_SIZE, joined_typo_similarity
    from watchlist.text.tokens import make_token

    screen_records(engine, ROWS, BatchOptions())
    screening = ("watchlist.text.", "watchlist.match.", "watchlist.index.", "watchlist.batch.", "watchlist.engine")
    caches = [f for f in lru_caches() if f.__module__.startswith(screening)]
    assert len(caches) >= 10  # the text and matching modules' functools caches were found
    keyed_by_a_few_values = {"compatible_schemata"}  # by Schema: one entry per schema at most
    assert [f.__name__ for f in caches if f.cache_info().maxsize is None and f.__name__ not in keyed_by_a_few_values] == []
    assert BatchOptions().cache_size <= 10_000
    second, held = make_token("un"), 0
    for i in range(JOINED_TYPOS_CACHE_SIZE + 10):
        first = make_token(f"kwang{i}")
        joined_typo_similarity(first, second, make_token(first.text + second.text))
        held = max(held, len(similarity._JOINED_TYPOS))
    assert held == JOINED_TYPOS_CACHE_SIZE  # kept up to the bound, never past it

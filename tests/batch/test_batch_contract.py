"""One contract for every BatchEngine: the same input gives the same lines as the plain-Python reference.

Spark runs in a local[2] session (marked `spark`); the local backend runs with two workers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import ROWS, make_engine, write_csv

from watchlist.batch import BatchOptions, get_batch_engine, screen_records
from watchlist.batch.io import ResultWriter, read_results


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from watchlist.batch.spark import spark_session

    session = spark_session("local[2]", partitions=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["local", pytest.param("spark", marks=pytest.mark.spark),
                        pytest.param("spark-streamed", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> Any:
    # Spark twice: its tasks write part files the driver joins (a local master), or the driver fetches
    # every row through Spark (a cluster's executors share no disk with the driver).
    engine = make_engine()
    options = BatchOptions(workers=2, chunk_size=4)
    if request.param.startswith("spark"):
        from watchlist.batch.spark import SparkBatch

        batch = SparkBatch(engine, options, spark=request.getfixturevalue("spark"))
        batch.partitions = 3
        batch.parts_on_disk = request.param == "spark"
        return batch
    return get_batch_engine("local")(engine, options)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_same_results_as_reference(backend: Any, tmp_path: Path, fmt: str) -> None:
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(3) for r in ROWS]
    if fmt == "csv":
        source = write_csv(tmp_path / "in.csv", rows)
    else:
        source = tmp_path / "in.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    stats = backend.run(source, out)
    reference = [screen_records(make_engine(), [row], BatchOptions(cache_size=0))[0] for row in rows]
    assert stats.rows == len(rows)
    assert read_results(out) == reference  # same ids, order, scores (to the printed digits) and decisions


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_output_is_what_the_reference_writer_writes(backend: Any, tmp_path: Path, fmt: str) -> None:
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(3) for r in ROWS]
    out = tmp_path / f"out.{fmt}"
    stats = backend.run(write_csv(tmp_path / "in.csv", rows), out)
    reference = [screen_records(make_engine(), [row], BatchOptions(cache_size=0))[0] for row in rows]
    writer = ResultWriter(tmp_path / f"reference.{fmt}", fmt)
    writer.write(reference)
    writer.finish()
    assert out.read_bytes() == (tmp_path / f"reference.{fmt}").read_bytes()
    assert (stats.rows, stats.matched, stats.errors, stats.warned) == (
        len(rows), sum(any(m["match"] for m in r["matches"]) for r in reference), sum("error" in r for r in reference),
        sum(bool(r.get("warnings")) for r in reference))
    assert stats.matched > 0 and stats.errors > 0 and stats.warned > 0


def test_parquet_output_and_default_row_ids(backend: Any, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [{"name": r["name"] or "x", "schema": r["schema"]} for r in ROWS])
    out = tmp_path / "out.parquet"
    backend.run(source, out)
    results = read_results(out)
    assert [r["id"] for r in results] == [str(i) for i in range(1, len(ROWS) + 1)]
    assert results[0]["matches"][0]["id"] == "t-1"


@pytest.mark.spark
def test_screen_dataframe_entry_point(spark: Any, tmp_path: Path) -> None:
    from watchlist.batch.spark import screen_dataframe

    engine = make_engine()
    index_file = tmp_path / "names.pkl"
    engine.index.save(index_file)
    df = spark.createDataFrame([{"id": r["id"], "name": r["name"], "schema": r["schema"]} for r in ROWS[:4]])
    rows = screen_dataframe(df, index_file, BatchOptions()).orderBy("_row").collect()
    assert [r["id"] for r in rows] == [r["id"] for r in ROWS[:4]]
    assert rows[0]["matches"][0]["id"] == "t-1" and rows[0]["matches"][0]["match"] is True


@pytest.mark.spark
def test_rows_are_numbered_by_input_position_in_one_partition_or_several(spark: Any) -> None:
    # One partition (a CSV with quoted newlines is read whole) needs no counting job; several do.
    from watchlist.batch.spark import ROW, with_row_numbers

    df = spark.createDataFrame([{"id": f"r{i}"} for i in range(10)]).repartitionByRange(3, "id")
    for frame in (df, df.coalesce(1)):
        numbered = with_row_numbers(frame).collect()
        assert [r[ROW] for r in numbered] == list(range(10)) and [r["id"] for r in numbered] == [r["id"] for r in frame.collect()]


@pytest.mark.spark
def test_the_executors_map_the_index_file_a_mapped_engine_maps(
        spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Saving the index again for every run cost a CPU-second before the executors started: a mapped
    # engine's file is linked under a name of its own instead.
    from watchlist.batch.spark import SparkBatch
    from watchlist.engine import Engine

    (tmp_path / "saved").mkdir()
    mapped = Engine.from_index_file(make_engine().save_index(tmp_path / "saved" / "names.idx"))

    def no_save(self: Engine, path: Path) -> Path:
        raise AssertionError("the mapped file is linked, not saved again")

    monkeypatch.setattr(Engine, "save_index", no_save)
    out = tmp_path / "out.jsonl"
    SparkBatch(mapped, BatchOptions(), spark=spark).run(write_csv(tmp_path / "in.csv", ROWS), out)
    assert read_results(out) == [screen_records(make_engine(), [row], BatchOptions(cache_size=0))[0] for row in ROWS]


def test_a_semicolon_csv_with_a_capitalised_bom_header_gives_every_backend_the_same_lines(
    backend: Any, tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    rows = [r for r in ROWS if r["name"]]
    text = "ID;Schema;Name;Birth_Date;Country\n" + "".join(
        f"{r['id']};{r['schema']};{r['name']};{r['birth_date']};{r['country']}\n" for r in rows)
    source.write_bytes(text.encode("utf-8-sig"))
    out = tmp_path / "out.jsonl"
    backend.run(source, out)
    reference = [screen_records(make_engine(), [row], BatchOptions(cache_size=0))[0] for row in rows]
    assert read_results(out) == reference


def test_a_file_not_in_utf8_is_refused_by_every_backend(backend: Any, tmp_path: Path) -> None:
    from watchlist.errors import ConfigError

    source = tmp_path / "in.csv"
    source.write_bytes("id,name\nc1,Jos\xe9 Garc\xeda\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="line 2 is not UTF-8"):
        backend.run(source, tmp_path / "out.jsonl")

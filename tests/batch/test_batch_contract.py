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
from watchlist.batch.io import read_results


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from watchlist.batch.spark import spark_session

    session = spark_session("local[2]", partitions=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["local", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> Any:
    engine = make_engine()
    options = BatchOptions(workers=2, chunk_size=4)
    if request.param == "spark":
        from watchlist.batch.spark import SparkBatch

        batch = SparkBatch(engine, options, spark=request.getfixturevalue("spark"))
        batch.partitions = 3
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

"""Spark batch backend: the same matcher inside Spark tasks (needs `pip install 'watchlist[spark]'`).

The name index is built once on the driver, saved to a file and shipped to the executors
with `SparkContext.addFile` (a path on shared storage such as HDFS or S3 works the same);
each executor's Python worker loads it once and keeps it. Rows are screened with
`mapInPandas` by `watchlist.batch.core.screen_records`, the function the local backend
uses, so both give the same results for the same input and index.

Python entry point for a PySpark job::

    from watchlist.batch.spark import screen_dataframe
    results = screen_dataframe(df, "names.idx")   # df has id, schema, name, birth_date, country, id_number
    results.write.parquet("s3://bucket/results/")

or submit this module as the job (see docs/batch.md)::

    spark-submit --master yarn .../watchlist/batch/spark.py INPUT OUTPUT_DIR --index names.idx
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyspark import SparkFiles, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from watchlist.batch.core import (
    FIELDS,
    BatchOptions,
    BatchStats,
    Progress,
    QueryCache,
    screen_records,
    settle_heap,
)
from watchlist.batch.io import INPUT_FORMATS, OUTPUT_FORMATS, ColumnMap, ResultWriter, detect_format
from watchlist.errors import ConfigError

if TYPE_CHECKING:
    from watchlist.engine import Engine

ROW = "_row"  # input position: keeps results in input order and numbers rows without an id
RESULT_SCHEMA = T.StructType([
    T.StructField(ROW, T.LongType()),
    T.StructField("id", T.StringType()),
    T.StructField("matches", T.StringType()),  # JSON array, exactly the local backend's `matches`
    T.StructField("error", T.StringType()),
    T.StructField("warnings", T.StringType()),  # JSON array of the row's warnings, or null
])
MATCHES_TYPE = T.ArrayType(T.StructType([
    T.StructField("id", T.StringType()), T.StructField("score", T.DoubleType()),
    T.StructField("match", T.BooleanType()), T.StructField("caption", T.StringType()),
    T.StructField("schema", T.StringType()), T.StructField("datasets", T.ArrayType(T.StringType())),
    T.StructField("matched_name", T.StringType()), T.StructField("referents", T.ArrayType(T.StringType())),
]))
_ARROW_RESULT = pa.schema([(ROW, pa.int64()), ("id", pa.string()), ("matches", pa.string()), ("error", pa.string()),
                          ("warnings", pa.string())])

# Per Python worker: index file name -> (engine, index, cache). Loaded once, reused by every task.
_EXECUTOR: dict[str, tuple[Any, Any, QueryCache]] = {}


def spark_session(master: str = "local[*]", partitions: int = 8, app_name: str = "watchlist-batch") -> SparkSession:
    """A session for batch screening (UI off, few shuffle partitions, Arrow on)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master).appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("WATCHLIST_SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )


def _executor_state(index_file: str, options: BatchOptions) -> tuple[Any, Any, QueryCache]:
    state = _EXECUTOR.get(index_file)
    if state is None:
        from watchlist.engine import Engine

        path = Path(index_file) if os.path.isabs(index_file) and os.path.exists(index_file) else Path(
            SparkFiles.get(index_file))
        engine = Engine.from_index_file(path)  # mapped: the executor's Python workers share one copy
        state = (engine, engine.index, QueryCache(options.cache_size))
        _EXECUTOR[index_file] = state
        # Once, not per batch: Spark's frames may hold reference cycles, which frozen would never be freed.
        settle_heap()
    return state


def _screen_batches(batches: Iterator[pa.RecordBatch], index_file: str, options: BatchOptions,
                    ) -> Iterator[pa.RecordBatch]:
    """The Arrow batches of one task, screened: rows straight from Arrow to dicts and back (no pandas)."""
    engine, index, cache = _executor_state(index_file, options)
    for batch in batches:
        records = batch.to_pylist()
        for record in records:
            if record.get("id") in (None, ""):
                record["id"] = str(int(record[ROW]) + 1)
        results = screen_records(engine, records, options, index=index, cache=cache)
        yield pa.RecordBatch.from_pydict({
            ROW: [record[ROW] for record in records],
            "id": [r["id"] for r in results],
            "matches": [json.dumps(r["matches"], ensure_ascii=False) for r in results],
            "error": [r.get("error") for r in results],
            "warnings": [json.dumps(r["warnings"], ensure_ascii=False) if r.get("warnings") else None
                         for r in results],
        }, schema=_ARROW_RESULT)


def _canonical(df: DataFrame, columns: ColumnMap) -> DataFrame:
    """Select the mapped columns under their canonical names (missing optional ones as nulls)."""
    available = df.columns
    columns.check(available, Path("input"))
    selected = [
        (F.col(f"`{columns.source(name)}`") if columns.source(name) in available else F.lit(None).cast("string"))
        .alias(name)
        for name in FIELDS
    ]
    return df.select(*selected, ROW) if ROW in available else df.select(*selected)


def with_row_numbers(df: DataFrame) -> DataFrame:
    """Add `_row` (0-based input position, stable across runs of the same file), numbered in the JVM:
    each row's position within its partition (from monotonically_increasing_id) plus the rows of the
    partitions before it (one small counting job, which a single partition does without)."""
    if df.rdd.getNumPartitions() == 1:  # a file read whole (a CSV with quoted newlines): ids are positions
        return df.withColumn(ROW, F.monotonically_increasing_id())
    spark = df.sparkSession
    numbered = df.withColumn("_mono", F.monotonically_increasing_id()).withColumn(
        "_part", F.shiftright(F.col("_mono"), 33))
    counts = numbered.groupBy("_part").count().orderBy("_part").collect()
    starts, total = [], 0
    for row in counts:
        starts.append((int(row["_part"]), total))
        total += int(row["count"])
    offsets = spark.createDataFrame(starts, "_part long, _start long")
    position = F.col("_mono") - F.shiftleft(F.col("_part"), 33)
    return (numbered.join(F.broadcast(offsets), "_part")
            .withColumn(ROW, F.col("_start") + position).drop("_part", "_start", "_mono"))


def screen_dataframe(
    df: DataFrame,
    index_file: str | Path,
    options: BatchOptions | None = None,
    columns: ColumnMap | None = None,
    *,
    json_matches: bool = False,
    partitions: int = 0,
) -> DataFrame:
    """Screen every row of `df`: returns `_row, id, matches, error, warnings`, one row per input row.

    `index_file` is a saved index (`engine.save_index(path)`): a local path, or any URI
    `SparkContext.addFile` accepts (hdfs://, s3a://). `matches` is an array of structs
    (`id, score, match, caption, schema, datasets, matched_name, referents`), or the JSON text with
    `json_matches=True` (`warnings` likewise: an array of text, or JSON). `_row` is the input position (rows are not reordered by Spark's
    writers; sort by it to restore input order).
    """
    options = options or BatchOptions()
    spark = df.sparkSession
    spark.sparkContext.addFile(str(index_file))
    links = f"{index_file}.links"  # the cross-list links saved beside the index (Engine.save_index)
    if "://" in links or os.path.exists(links):
        with contextlib.suppress(Exception):  # none beside a remote index: the executors make the links
            spark.sparkContext.addFile(links)
    name = os.path.basename(str(index_file))
    if ROW not in df.columns:
        df = with_row_numbers(df)
    canonical = _canonical(df, columns or ColumnMap())
    for field in FIELDS:  # every field as text (or a list of text) for the matcher
        if not isinstance(canonical.schema[field].dataType, T.ArrayType):
            canonical = canonical.withColumn(field, F.col(field).cast("string"))
    if partitions > 0:  # contiguous ranges of rows, each in input order: output order = input order
        canonical = canonical.repartitionByRange(partitions, ROW).sortWithinPartitions(ROW)
    out = canonical.mapInArrow(lambda it: _screen_batches(it, name, options), RESULT_SCHEMA)
    if not json_matches:
        out = out.withColumn("matches", F.from_json("matches", MATCHES_TYPE))
        out = out.withColumn("warnings", F.from_json("warnings", T.ArrayType(T.StringType())))
    return out


def default_partitions(df: DataFrame) -> int:
    """Ranges of rows to screen in parallel: twice the cluster's cores where the input has fewer
    partitions (a CSV with quoted newlines is read as one: one task would screen it all), else 0 (as read)."""
    wanted = 2 * df.sparkSession.sparkContext.defaultParallelism
    return wanted if df.rdd.getNumPartitions() < wanted else 0


def read_input(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    if fmt == "csv":
        sep = "\t" if path.lower().endswith(".tsv") else ","
        return spark.read.csv(path, header=True, sep=sep, quote='"', escape='"', multiLine=True,
                              inferSchema=False, encoding="utf-8")
    if fmt == "jsonl":
        return spark.read.json(path, primitivesAsString=True)
    if fmt == "parquet":
        return spark.read.parquet(path)
    raise ConfigError(f"unknown input format {fmt!r}")


class SparkBatch:
    """`BatchEngine` on Spark: read with Spark, screen in tasks, write locally in input order."""

    name = "spark"

    def __init__(self, engine: Engine, options: BatchOptions, spark: SparkSession | None = None) -> None:
        self.engine = engine
        self.options = options
        self.spark = spark
        self.master = "local[*]"
        self.partitions = 0

    def run(
        self,
        source: Path,
        output: Path,
        *,
        columns: ColumnMap | None = None,
        input_format: str | None = None,
        output_format: str | None = None,
        resume: bool = True,  # Spark reruns a failed task itself; a rerun of the job starts over
        progress: Progress | None = None,
        total: int | None = None,
    ) -> BatchStats:
        in_fmt = detect_format(source, input_format, INPUT_FORMATS)
        out_fmt = detect_format(output, output_format, OUTPUT_FORMATS)
        if not source.exists():
            raise ConfigError(f"input file {source} does not exist")
        self.engine.ready_index()
        started = time.perf_counter()
        spark = self.spark or spark_session(self.master)
        stats = BatchStats()
        with tempfile.TemporaryDirectory(prefix="watchlist-spark-") as tmp:
            index_file = self._index_file(Path(tmp))
            df = read_input(spark, str(source.resolve()), in_fmt)
            results = screen_dataframe(df, index_file, self.options, columns, json_matches=True,
                                       partitions=self.partitions or default_partitions(df),
                                       ).persist(StorageLevel.MEMORY_AND_DISK)
            results.count()  # screen every partition in parallel; then stream them back in order
            writer = ResultWriter(output, out_fmt)
            try:
                chunk: list[dict[str, Any]] = []
                for row in results.toLocalIterator():
                    result: dict[str, Any] = {"id": row["id"], "matches": json.loads(row["matches"])}
                    if row["error"]:
                        result["error"] = row["error"]
                    if row["warnings"]:
                        result["warnings"] = json.loads(row["warnings"])
                    chunk.append(result)
                    if len(chunk) >= self.options.chunk_size:
                        self._flush(writer, chunk, stats, progress)
                        chunk = []
                self._flush(writer, chunk, stats, progress)
                writer.finish()
            except BaseException:
                writer.close()
                raise
            finally:
                results.unpersist()
        stats.seconds = time.perf_counter() - started
        return stats

    def _index_file(self, tmp: Path) -> Path:
        """The index the executors map, under a name of its own (Spark refuses a second file of one name,
        and executors keep an engine per name): a link to the file this engine maps (saving it again
        took a CPU-second), else a fresh save."""
        from watchlist.engine import links_path

        target = tmp / f"names-{uuid.uuid4().hex[:12]}.idx"
        source = self.engine.saved_index_file()
        if source is not None:
            try:
                os.link(source, target)
                os.link(links_path(source), links_path(target))
                return target
            except OSError:  # another file system, or links not allowed: save it
                target.unlink(missing_ok=True)
        return self.engine.save_index(target)

    @staticmethod
    def _flush(writer: ResultWriter, chunk: list[dict[str, Any]], stats: BatchStats, progress: Progress | None) -> None:
        if not chunk:
            return
        writer.write(chunk)
        stats.add(chunk)
        if progress is not None:
            progress(len(chunk))


def main(argv: list[str] | None = None) -> None:
    """spark-submit entry point: screen INPUT into OUTPUT_DIR (Parquet or JSON lines, one part per task)."""
    import argparse

    parser = argparse.ArgumentParser(prog="watchlist-spark", description=main.__doc__)
    parser.add_argument("input", help="CSV, JSON lines or Parquet (any Spark-readable path)")
    parser.add_argument("output", help="output directory (Spark writes part files)")
    parser.add_argument("--index", required=True, help="a saved NameIndex file (local, hdfs://, s3a://)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS)
    parser.add_argument("--output-format", choices=("parquet", "json"), default="parquet")
    parser.add_argument("--map", action="append", default=[], help="field=column")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--algorithm")
    parser.add_argument("--min-score", type=float, default=None,
                        help="drop matches below this (default: every match and near misses from 0.5)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="ranges of rows for the tasks (default: twice the cluster's cores, where the input "
                             "has fewer partitions: a CSV is read as one)")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("watchlist-batch").getOrCreate()
    fmt = args.input_format or detect_format(Path(args.input), None, INPUT_FORMATS)
    options = BatchOptions(algorithm=args.algorithm, threshold=args.threshold, limit=args.limit,
                           min_score=args.min_score)
    df = read_input(spark, args.input, fmt)
    results = screen_dataframe(df, args.index, options, ColumnMap.parse(args.map),
                               partitions=args.partitions or default_partitions(df))
    getattr(results.write.mode("overwrite"), args.output_format)(args.output)
    spark.stop()


if __name__ == "__main__":
    main()

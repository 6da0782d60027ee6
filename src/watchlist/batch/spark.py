"""Spark batch backend: the same matcher inside Spark tasks (needs `pip install 'watchlist[spark]'`).

The name index is built once on the driver, saved to a file and shipped to the executors
with `SparkContext.addFile` (a path on shared storage such as HDFS or S3 works the same);
each executor's Python worker loads it once and keeps it. Rows reach Python as Arrow batches
(`mapInArrow`) and are screened by `watchlist.batch.core.screen_records`, the function the local
backend uses, so both give the same results for the same input and index. `SparkBatch` (the CLI's
`--engine spark`) writes one output file in input order: on a local master each task writes its lines
to a part file the driver joins; elsewhere the driver fetches the results through Spark.

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
from pyspark import SparkFiles, StorageLevel, TaskContext
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from watchlist.batch.core import (
    FIELDS,
    BatchOptions,
    BatchStats,
    Progress,
    QueryCache,
    Record,
    Result,
    screen_records,
    settle_heap,
)
from watchlist.batch.io import (
    INPUT_FORMATS,
    OUTPUT_FORMATS,
    ColumnMap,
    ResultWriter,
    detect_format,
    format_results,
)
from watchlist.batch.textfile import open_text, text_encoding
from watchlist.delimited import sniff_delimiter
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
COUNTS = ("rows", "errors", "matched", "warned")  # a task's BatchStats, when it writes its own part file
PART_SCHEMA = T.StructType([T.StructField("part", T.LongType())] + [T.StructField(c, T.LongType()) for c in COUNTS])

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


def _screened(batches: Iterator[pa.RecordBatch], index_file: str, options: BatchOptions,
              ) -> Iterator[tuple[list[Record], list[Result]]]:
    """The rows of one task's Arrow batches, and their results: straight from Arrow to dicts (no pandas)."""
    engine, index, cache = _executor_state(index_file, options)
    for batch in batches:
        records = batch.to_pylist()
        for record in records:
            if record.get("id") in (None, ""):
                record["id"] = str(int(record[ROW]) + 1)
        yield records, screen_records(engine, records, options, index=index, cache=cache)


def _screen_batches(batches: Iterator[pa.RecordBatch], index_file: str, options: BatchOptions,
                    ) -> Iterator[pa.RecordBatch]:
    """The Arrow batches of one task, screened, as Arrow batches of RESULT_SCHEMA."""
    for records, results in _screened(batches, index_file, options):
        yield pa.RecordBatch.from_pydict({
            ROW: [record[ROW] for record in records],
            "id": [r["id"] for r in results],
            "matches": [json.dumps(r["matches"], ensure_ascii=False) for r in results],
            "error": [r.get("error") for r in results],
            "warnings": [json.dumps(r["warnings"], ensure_ascii=False) if r.get("warnings") else None
                         for r in results],
        }, schema=_ARROW_RESULT)


def _write_batches(batches: Iterator[pa.RecordBatch], index_file: str, options: BatchOptions, directory: str,
                   fmt: str) -> Iterator[pa.RecordBatch]:
    """One task's rows screened and written as the output's lines (format_results) to `directory`/part-N,
    for the driver to join in partition order; yields the task's counts (PART_SCHEMA)."""
    context = TaskContext.get()
    assert context is not None  # a task's function runs in a task
    part = context.partitionId()
    final = os.path.join(directory, f"part-{part:05d}")
    staged = f"{final}.{uuid.uuid4().hex}"  # a retried or speculative attempt writes a file of its own
    stats = BatchStats()
    with open(staged, "w", encoding="utf-8", newline="") as lines:
        for _, results in _screened(batches, index_file, options):
            lines.write(format_results(results, fmt))
            stats.add(results)
    os.replace(staged, final)
    yield pa.RecordBatch.from_pydict({"part": [part], **{c: [getattr(stats, c)] for c in COUNTS}})


def _canonical(df: DataFrame, columns: ColumnMap) -> DataFrame:
    """Select the mapped columns under their canonical names, as text (or a list of text) for the matcher;
    missing optional ones as nulls. One select: each withColumn has the plan analysed again."""
    available = df.columns
    columns = columns.check(available, Path("input"))  # as the header writes them ('Name')
    types = {f.name: f.dataType for f in df.schema.fields}
    selected = []
    for name in FIELDS:
        source = columns.source(name)
        if source not in available:
            column = F.lit(None).cast("string")
        elif isinstance(types[source], T.ArrayType):
            column = F.col(f"`{source}`")
        else:
            column = F.col(f"`{source}`").cast("string")
        selected.append(column.alias(name))
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
    canonical, name = _prepared(df, index_file, columns, partitions)
    out = canonical.mapInArrow(lambda it: _screen_batches(it, name, options), RESULT_SCHEMA)
    if not json_matches:
        out = out.withColumn("matches", F.from_json("matches", MATCHES_TYPE))
        out = out.withColumn("warnings", F.from_json("warnings", T.ArrayType(T.StringType())))
    return out


def _prepared(df: DataFrame, index_file: str | Path, columns: ColumnMap | None, partitions: int,
              ) -> tuple[DataFrame, str]:
    """The rows to screen (canonical columns and `_row`), cut into `partitions` ranges (0: as read), with
    the index file shipped to the executors; and the name they find it by."""
    spark = df.sparkSession
    spark.sparkContext.addFile(str(index_file))
    links = f"{index_file}.links"  # the cross-list links saved beside the index (Engine.save_index)
    if "://" in links or os.path.exists(links):
        with contextlib.suppress(Exception):  # none beside a remote index: the executors make the links
            spark.sparkContext.addFile(links)
    if ROW not in df.columns:
        df = with_row_numbers(df)
    canonical = _canonical(df, columns or ColumnMap())
    if partitions > 0:  # contiguous ranges of rows, each in input order: output order = input order
        canonical = canonical.repartitionByRange(partitions, ROW).sortWithinPartitions(ROW)
    return canonical, os.path.basename(str(index_file))


def _write_parts(df: DataFrame, index_file: str | Path, directory: Path, fmt: str, options: BatchOptions,
                 columns: ColumnMap | None = None, *, partitions: int = 0) -> list[tuple[Path, BatchStats]]:
    """Screen every row of `df`, each task writing its rows' results to a part file in `directory`, formatted
    for a ResultWriter of `fmt` (format_results): the part files and their counts, in input order.

    `directory` must be one the executors write and the driver reads (a local master's, or a shared disk)."""
    canonical, name = _prepared(df, index_file, columns, partitions)
    target = str(directory)
    written = canonical.mapInArrow(lambda it: _write_batches(it, name, options, target, fmt), PART_SCHEMA)
    parts = []
    for row in sorted(written.collect(), key=lambda row: int(row["part"])):
        stats = BatchStats(rows=int(row["rows"]), errors=int(row["errors"]), matched=int(row["matched"]),
                           warned=int(row["warned"]))
        parts.append((directory / f"part-{int(row['part']):05d}", stats))
    return parts


def default_partitions(df: DataFrame) -> int:
    """Ranges of rows to screen in parallel: twice the cluster's cores where the input has fewer
    partitions (a CSV with quoted newlines is read as one: one task would screen it all), else 0 (as read)."""
    wanted = 2 * df.sparkSession.sparkContext.defaultParallelism
    return wanted if df.rdd.getNumPartitions() < wanted else 0


def read_input(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    if fmt in ("csv", "jsonl"):  # what the local engine refuses (another encoding, a binary file), Spark would mangle
        if text_encoding(Path(path)) not in ("utf-8", "utf-8-sig"):
            raise ConfigError(f"{path} is UTF-16 or UTF-32: --engine spark reads UTF-8 (use --engine local)")
        with open_text(Path(path)) as fh:
            first = fh.readline()
    if fmt == "csv":
        sep = sniff_delimiter(first, Path(path).suffix)
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
        # Whether the executors write their results to files the driver reads (None: on a local master
        # only), rather than the driver fetching every row through Spark: 1.5-2 s of 100,000 rows' 25.
        self.parts_on_disk: bool | None = None

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
            partitions = self.partitions or default_partitions(df)
            writer = ResultWriter(output, out_fmt)
            try:
                if self._parts_on_disk(spark):
                    parts = Path(tmp) / "parts"
                    parts.mkdir()
                    for part, counts in _write_parts(df, index_file, parts, out_fmt, self.options, columns,
                                                     partitions=partitions):
                        writer.append_file(part)
                        part.unlink()
                        stats.add_counts(counts)
                        if progress is not None:
                            progress(counts.rows)
                else:
                    self._stream(screen_dataframe(df, index_file, self.options, columns, json_matches=True,
                                                  partitions=partitions), writer, stats, progress)
                writer.finish()
            except BaseException:
                writer.close()
                raise
        stats.seconds = time.perf_counter() - started
        return stats

    def _parts_on_disk(self, spark: SparkSession) -> bool:
        if self.parts_on_disk is not None:
            return self.parts_on_disk
        return (spark.sparkContext.master or "").startswith("local")

    def _stream(self, results: DataFrame, writer: ResultWriter, stats: BatchStats, progress: Progress | None) -> None:
        """Screen every partition in parallel, then fetch the rows through Spark and write them in order."""
        results = results.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            results.count()
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
        finally:
            results.unpersist()

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

"""CLI commands: `batch` (screen a file of parties) and the `monitor` group (portfolio re-screening)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Self

import typer
from rich.console import Console

from watchlist.cli.common import check_output, check_workers, plural, require_file
from watchlist.errors import ConfigError
from watchlist.match.types import check_threshold
from watchlist.settings import Settings

if TYPE_CHECKING:
    from watchlist.batch import BatchStats
    from watchlist.batch.monitor import MonitorReport
    from watchlist.cases.raising import Raised
    from watchlist.engine import Engine

_err = Console(stderr=True)


def _engine(lists: list[Path] | None) -> Engine:
    """The engine over the store's lists, or over list files given with --lists (in memory)."""
    from watchlist.engine import Engine

    settings = Settings.from_env()
    return Engine.from_lists(lists, settings) if lists else Engine.open(settings)


class _Bar:
    """A progress bar with rate and ETA, redrawn from the caller's thread (no refresh thread, so
    forking workers stays safe)."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("screening"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>8} rows/s"), TimeElapsedColumn(), TextColumn("ETA"),
            TimeRemainingColumn(), console=_err, auto_refresh=False, disable=not enabled,
        )
        self.task = self.progress.add_task("rows", total=total, rate="")
        self.started = time.perf_counter()
        self.done = 0
        self.first = 0  # rows skipped on resume do not count towards the rate
        self.last_draw = 0.0

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.refresh()
        self.progress.stop()

    def __call__(self, rows: int) -> None:
        if self.done == 0 and time.perf_counter() - self.started < 1e-3:
            self.first = rows
        self.done += rows
        elapsed = time.perf_counter() - self.started
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        self.progress.update(self.task, completed=self.done, rate=f"{rate:,.0f}")
        now = time.perf_counter()
        if now - self.last_draw > 0.2:
            self.progress.refresh()
            self.last_draw = now


def batch(
    input: Annotated[Path, typer.Argument(help="Parties to screen: CSV (any delimiter, gzip too), JSON lines, Parquet or XLSX.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: .jsonl, .csv or .parquet.")],
    input_format: Annotated[str | None, typer.Option(help="csv, jsonl, parquet or xlsx (default: from the suffix).")] = None,
    output_format: Annotated[str | None, typer.Option(help="jsonl, csv or parquet (default: from the suffix).")] = None,
    map: Annotated[list[str] | None, typer.Option(
        "--map", help="Map a field to an input column: field=column (fields: id, schema, name, birth_date, "
                      "country, id_number). Repeatable.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML/JSON file mapping fields to columns.")] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (worker processes) or spark.")] = "local",
    workers: Annotated[int, typer.Option(
        help="Processes that screen, this one among them: it starts the others (0: one a core).")] = 0,
    chunk_size: Annotated[int, typer.Option(help="Rows per task.")] = 500,
    worker_rows: Annotated[int | None, typer.Option(
        help="Rows a worker screens before a fresh one replaces it (0: never; default 25,000). Fewer hold "
             "each worker's memory lower for some CPU (docs/batch.md).")] = None,
    algorithm: Annotated[str | None, typer.Option(help="Matching algorithm (default: the engine's).")] = None,
    threshold: Annotated[float | None, typer.Option(help="Match decision threshold (default: the algorithm's).")] = None,
    limit: Annotated[int, typer.Option(help="Matches kept per row, best first.")] = 10,
    min_score: Annotated[float | None, typer.Option(
        help="Drop matches scoring below this, and let retrieval skip names that cannot reach it (default: "
             "every match, and near misses scoring 0.5 or more).")] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="Only screen against these sources. Repeatable.")] = None,
    lists: Annotated[list[Path] | None, typer.Option(
        "--lists", help="Screen against these list files/folders (in memory) instead of the store. Repeatable.")] = None,
    restart: Annotated[bool, typer.Option(help="Ignore a checkpoint left by an interrupted run.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="Text encoding of a CSV or JSON-lines input (default: UTF-8, or what its byte-order mark says), "
             "e.g. cp1252, latin-1, cp1251.")] = None,
    spark_master: Annotated[str | None, typer.Option(help="Spark master for --engine spark (default local[*]).")] = None,
    partitions: Annotated[int, typer.Option(help="Spark partitions for --engine spark (0: 2 x cores).")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    alerts: Annotated[bool, typer.Option(help="Raise each decided match as an alert in the workbench queue.")] = False,
) -> None:
    """Screen every row of INPUT and write one result line per row, best matches first.

    Results: {"id": ROW_ID, "matches": [{"id", "score", "match", "caption", "datasets", ...}]}; `match` is
    the decision at the threshold. An interrupted local run resumes where it stopped when rerun.
    """
    from watchlist.batch import BatchOptions, ColumnMap, get_batch_engine
    from watchlist.batch.io import INPUT_FORMATS, count_rows, detect_format

    require_file(input, "input file")
    check_output(output, input)
    check_threshold(threshold)
    if min_score is not None and not 0.0 <= min_score <= 1.0:  # nan too: it would drop every match
        raise ConfigError(f"--min-score {min_score} is outside [0, 1]")
    check_workers(workers)
    if limit < 1:
        raise ConfigError("--limit must be at least 1")
    if chunk_size < 1:
        raise ConfigError("--chunk-size must be at least 1")
    if worker_rows is not None and worker_rows < 0:
        raise ConfigError("--worker-rows must be 0 (never replace a worker) or more")
    _check_engine_options(engine, {"--workers": workers != 0, "--worker-rows": worker_rows is not None,
                                   "--spark-master": spark_master is not None, "--partitions": partitions != 0,
                                   "--encoding": encoding is not None})
    columns = replace(ColumnMap.parse(map or [], mapping), encoding=encoding)
    options = BatchOptions(algorithm=algorithm, threshold=threshold, limit=limit, min_score=min_score,
                           datasets=tuple(dataset) if dataset else None, workers=workers, chunk_size=chunk_size)
    if worker_rows is not None:
        options = replace(options, worker_rows=worker_rows)
    backend_class = get_batch_engine(engine)
    eng = _engine(lists)
    try:
        eng.ready_index()
        eng.check_datasets(dataset or ())
        if algorithm is not None:
            from watchlist.match.registry import get_algorithm

            get_algorithm(algorithm)
        backend: Any = backend_class(eng, options)
        if engine == "spark":
            backend.master = spark_master or backend.master
            backend.partitions = partitions
        total = count_rows(input, detect_format(input, input_format, INPUT_FORMATS)) if input.is_file() else None
        with _Bar(total, progress) as bar:
            stats = backend.run(input, output, columns=columns, input_format=input_format,
                                output_format=output_format, resume=not restart, progress=bar, total=total)
        raised = _raise_alerts(eng, input, output, columns, input_format, output_format) if alerts else None
    finally:
        eng.close()
    _err.print(batch_summary(stats, output), highlight=False)
    if raised is not None:
        _err.print(f"raised {raised.summary()} for review in the workbench", highlight=False)


_ENGINE_OPTIONS = {"--workers": "local", "--worker-rows": "local", "--encoding": "local", "--spark-master": "spark",
                   "--partitions": "spark"}


def _check_engine_options(engine: str, given: dict[str, bool]) -> None:
    """An option of the other engine would do nothing: say so rather than ignore it."""
    for option, wanted in _ENGINE_OPTIONS.items():
        if given[option] and engine != wanted:
            raise ConfigError(f"{option} applies to --engine {wanted}, not {engine}"
                              + (" (Spark's parallelism: --spark-master 'local[N]' or the cluster's)"
                                 if wanted == "local" else ""))


def batch_summary(stats: BatchStats, output: Path) -> str:
    """What a batch run did: where the results went, then what they hold (two lines that fit 80 columns)."""
    resumed = f" (resumed after {plural(stats.skipped, 'row')} done before)" if stats.skipped else ""
    warned = f", {stats.warned:,} with a warning" if stats.warned else ""
    return (f"screened {plural(stats.rows, 'row')} in {stats.seconds:.1f}s ({plural(round(stats.rate), 'row')}/s){resumed} "
            f"-> {output}\n{stats.matched:,} with a match, {stats.errors:,} unusable{warned}")


def _raise_alerts(
    eng: Any, input: Path, output: Path, columns: Any, input_format: str | None, output_format: str | None
) -> Raised:
    from watchlist.batch.alerts import batch_alerts, raise_alerts
    from watchlist.batch.io import INPUT_FORMATS, detect_format, read_records, read_results
    from watchlist.cases import open_case_store

    records = read_records(input, detect_format(input, input_format, INPUT_FORMATS), columns)
    cases = open_case_store(Settings.from_env())
    try:
        return raise_alerts(cases, batch_alerts(eng, input, records, read_results(output, output_format)))
    finally:
        cases.close()


# -- monitor -----------------------------------------------------------------------------

monitor_app = typer.Typer(help="Monitor portfolios (customers, vessels): re-screen only what a list update can change.",
                          no_args_is_help=True)


def _monitor() -> Any:
    from watchlist.batch.monitor import Monitor

    return Monitor.open(Settings.from_env())


@monitor_app.command("add")
def monitor_add(
    file: Annotated[Path, typer.Argument(help="Parties: CSV, JSON lines, Parquet or XLSX (id, schema, name, ...).")],
    portfolio: Annotated[str | None, typer.Option(help="Portfolio name (default: the file's stem).")] = None,
    input_format: Annotated[str | None, typer.Option(help="csv, jsonl, parquet or xlsx.")] = None,
    map: Annotated[list[str] | None, typer.Option("--map", help="field=column. Repeatable.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML/JSON file mapping fields to columns.")] = None,
    replace: Annotated[bool, typer.Option(help="Drop parties of the portfolio that the file no longer has.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="Text encoding of a CSV or JSON-lines file (default: UTF-8, or what its byte-order mark says).")] = None,
) -> None:
    """Register (or update) a portfolio and screen its new or changed parties now."""
    from watchlist.batch import ColumnMap

    require_file(file, "portfolio file")
    columns = ColumnMap(ColumnMap.parse(map or [], mapping).columns, encoding)
    mon = _monitor()
    try:
        report = mon.add(file, name=portfolio or file.stem, columns=columns,
                         input_format=input_format, replace=replace)
    finally:
        mon.close()
    _err.print(monitor_summary(report), highlight=False)


@monitor_app.command("run")
def monitor_run(
    full: Annotated[bool, typer.Option(help="Re-screen every party, not just those an update can affect.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """After a list update: re-screen the parties the update can affect; report new, changed and cleared hits."""
    mon = _monitor()
    try:
        report = mon.run(full=full)
    finally:
        mon.close()
    if json_out:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        _err.print(monitor_summary(report), highlight=False)
        for change in report.changes[:50]:
            _err.print(f"  {change.kind:8} {change.portfolio}/{change.party_id} -> {change.entity_id} "
                       f"({change.score:.2f}) {change.caption}", highlight=False)


def monitor_summary(report: MonitorReport) -> str:
    """A monitor run's counts in one line, each count's word in the right number."""
    counts = ", ".join(f"{report.count(kind)} {kind}" for kind in ("new", "changed", "cleared"))
    return (f"monitor {report.mode}: lists {report.version}, {plural(report.changed_entities, 'changed entity')}, "
            f"re-screened {report.screened:,} of {plural(report.parties, 'party')}: {counts}, "
            f"{report.count('suppressed')} suppressed (already decided), {plural(report.alerts, 'alert')}"
            + (f", {plural(report.errors, 'unusable row')}" if report.errors else "")
            + (f"; removed {plural(report.removed, 'party')} the file no longer has" if report.removed else ""))


@monitor_app.command("status")
def monitor_status() -> None:
    """Portfolios, their party counts and open hits, and the list version last monitored."""
    mon = _monitor()
    try:
        typer.echo(json.dumps(mon.status(), indent=2, ensure_ascii=False))
    finally:
        mon.close()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("batch")(batch)
    app.add_typer(monitor_app, name="monitor")

"""CLI: `screen`, `compare` and `algorithms`."""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from watchlist.cli.common import check_output, check_workers, plural, require_file
from watchlist.engine import Engine
from watchlist.errors import QueryError, WatchlistError
from watchlist.match.registry import get_algorithm
from watchlist.match.types import MatchResult, Query, check_threshold
from watchlist.settings import Settings

if TYPE_CHECKING:
    from watchlist.batch.pairs import Pair

PAIR_COLUMNS = ("score", "match", "error")  # what `compare --pairs` adds to each row


def print_results(results: list[MatchResult], console: Console) -> None:
    """One line per hit (score, decision, id, name), its lists and reasons indented beneath.

    Nothing is laid out in columns, so a long name or reason wraps within the terminal's width
    instead of folding a narrow column into a tall ribbon.
    """
    matches = sum(1 for hit in results if hit.match)
    console.print(f"{plural(len(results), 'hit')}, {plural(matches, 'match')} at the threshold", highlight=False)
    for hit in results:
        entity = hit.entity
        head = Text()
        head.append(f"{hit.score:.2f} ", style="bold")
        head.append("MATCH " if hit.match else "      ", style="bold red")
        head.append(f"{entity.id}  ", style="cyan")
        head.append(entity.caption, style="bold")
        head.append(f"  {entity.schema.value}", style="dim")
        console.print()
        console.print(head, overflow="ellipsis", no_wrap=True)
        listed = ", ".join(entity.datasets)
        if entity.programs:
            more = len(entity.programs) - 4
            listed += "; " + ", ".join(entity.programs[:4]) + (f" (+{more} more)" if more > 0 else "")
        for line in (f"lists: {listed}", f"matched '{hit.matched_name}'", *hit.explanation):
            _print_indented(console, line)


def _print_indented(console: Console, line: str, indent: int = 6) -> None:
    """`line` beneath a hit, wrapped to the terminal with every line indented alike."""
    pad = " " * indent
    style = "dim" if line.startswith(("lists:", "matched ")) else None
    for part in textwrap.wrap(line, width=max(console.width, 40), initial_indent=pad, subsequent_indent=pad,
                              break_long_words=False, break_on_hyphens=False):
        console.print(Text(part, style=style or ""), overflow="ignore", crop=False)


def screen(
    name: str = typer.Argument(..., help="The name to screen (any script)."),
    schema: str | None = typer.Option(None, "--schema", help="Person, Organization, Company, Vessel, Aircraft, LegalEntity."),
    dob: str | None = typer.Option(None, "--dob", help="Birth date: YYYY, YYYY-MM or YYYY-MM-DD."),
    country: list[str] | None = typer.Option(None, "--country", help="Nationality or country (ISO code or name); repeatable."),
    id_number: list[str] | None = typer.Option(None, "--id", help="Passport, IMO or other ID number; repeatable."),
    threshold: float | None = typer.Option(None, "--threshold", help="Match threshold in [0, 1] (default: the algorithm's)."),
    limit: int = typer.Option(10, "--limit", min=1, max=500, help="At most this many results."),
    dataset: list[str] | None = typer.Option(None, "--dataset", help="Only these datasets (un, ofac_sdn, ...; ofac-sdn works too); repeatable."),
    algorithm: str | None = typer.Option(None, "--algorithm", help="Scoring algorithm (see `watchlist algorithms`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Screen one name against every loaded list: ranked hits with score, lists, programmes and the reason."""
    _check_length(name)
    query = Query.build(name, schema=schema, birth_date=dob, country=country, id_number=id_number)
    check_threshold(threshold)
    for note in query.warnings:  # read otherwise than written ('02/03/1966': its year alone)
        typer.echo(f"note: {note}", err=True)
    engine = Engine.open(Settings.from_env())
    engine.check_datasets(dataset or ())
    results = engine.screen(query, datasets=dataset, algorithm=algorithm, threshold=threshold, limit=limit)
    if as_json:
        print(json.dumps({"query": name, "results": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2))
        return
    if not results:
        Console().print(f"No listed entity resembles '{name}'.", highlight=False)
        return
    print_results(results, Console())


def _check_length(name: str) -> None:
    """A name past MAX_NAME_CHARS (a pasted document) is refused: aligning it would take minutes."""
    from watchlist.batch.core import MAX_NAME_CHARS

    if len(name) > MAX_NAME_CHARS:
        raise QueryError(f"the name is {len(name):,} characters long; names of at most {MAX_NAME_CHARS:,} are screened")


def compare(
    name1: str | None = typer.Argument(None, help="First name."),
    name2: str | None = typer.Argument(None, help="Second name."),
    schema: str | None = typer.Option(None, "--schema", help="Schema of both names."),
    pairs: Path | None = typer.Option(None, "--pairs", help="CSV with columns name1,name2,schema."),
    output: Path | None = typer.Option(None, "--output", help="Where --pairs results go (default: standard output)."),
    algorithm: str | None = typer.Option(None, "--algorithm", help="Scoring algorithm."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    workers: int = typer.Option(0, "--workers", help="Worker processes for --pairs (0: every core)."),
    encoding: str | None = typer.Option(None, "--encoding", help="The --pairs file's encoding (default: detected)."),
) -> None:
    """Score two names against each other, or every row of a --pairs CSV."""
    get_algorithm(algorithm)  # an unknown one is refused before any file is read
    if pairs is not None:
        if name1 or name2 or as_json or schema:
            given = [flag for flag, on in (("names", name1 or name2), ("--json", as_json), ("--schema", schema)) if on]
            raise QueryError(f"{' and '.join(given)} with --pairs: the pairs file gives each row's names and schema, "
                             "and its results are CSV")
        _compare_pairs(Engine.open(Settings.from_env()), pairs, output, algorithm, workers, encoding)
        return
    if output is not None or encoding is not None:
        flag = "--output" if output is not None else "--encoding"
        raise QueryError(f"{flag} is for --pairs {'results' if output is not None else 'files'}; "
                         "two names are scored on the screen")
    if not name1 or not name2:
        raise QueryError("give two names, or --pairs FILE.csv")
    engine = Engine.open(Settings.from_env())
    _check_length(name1)
    _check_length(name2)
    result = engine.compare(Query.build(name1, schema=schema), name2, algorithm=algorithm)
    if as_json:
        print(json.dumps({"name1": name1, "name2": name2, "score": round(result.score, 4), "match": result.match,
                          "features": result.features, "explanation": list(result.explanation)}, ensure_ascii=False))
        return
    verdict = "[bold red]MATCH[/]" if result.match else "no match"
    console = Console()
    console.print(f"{result.score:.3f}  {verdict}")
    for line in result.explanation:
        _print_indented(console, line, indent=2)


def _compare_pairs(engine: Engine, path: Path, output: Path | None, algorithm: str | None, workers: int,
                   encoding: str | None = None) -> None:
    from watchlist.batch.textfile import csv_rows, open_text, resolve_columns

    require_file(path, "pairs file")
    if output is not None:
        check_output(output, path)
    check_workers(workers)
    with open_text(path, encoding) as handle:
        header, cells_of_rows = csv_rows(handle, path)
        columns = resolve_columns(header, {c: c for c in ("name1", "name2", "schema")}, path)
        missing = {"name1", "name2"} - set(columns)
        if missing:
            raise QueryError(f"{path}: missing column(s) {', '.join(sorted(missing))}; expected name1,name2,schema")
        fields = [f for f in header if f not in PAIR_COLUMNS] + list(PAIR_COLUMNS)
        from watchlist.batch.pairs import score_pairs  # here: the pool machinery slows every command's start

        rows: deque[dict[str, str]] = deque()  # read ahead of their scores, written as the scores come back
        name1, name2, schema = columns["name1"], columns["name2"], columns.get("schema", "schema")

        def pairs() -> Iterator[Pair]:
            for _line, cells, _warnings in cells_of_rows:
                row = dict(zip(header, cells, strict=False))  # fields past the header's are not kept
                rows.append(row)
                yield row.get(name1) or "", row.get(name2) or "", row.get(schema) or None

        # Written beside the output and moved there whole: a file refused part-way leaves no partial output.
        staged = output.with_name(output.name + ".part") if output else None
        try:
            out = staged.open("w", encoding="utf-8", newline="") if staged else sys.stdout
        except OSError as exc:
            raise WatchlistError(f"cannot write the output {output}: {exc.strerror or exc}") from exc
        counts = {"pairs": 0, "matches": 0, "errors": 0}
        finished = False
        try:
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            for scored in score_pairs(engine, pairs(), algorithm, workers):
                row = rows.popleft()
                counts["pairs"] += 1
                if scored.error is not None:  # written with an empty score: no row is left out
                    counts["errors"] += 1
                    row.update(score="", match="", error=scored.error)
                else:
                    counts["matches"] += scored.match
                    row.update(score=f"{scored.score:.4f}", match=str(scored.match).lower(), error="")
                writer.writerow(row)
            finished = True
        finally:
            if staged is not None and output is not None:
                out.close()
                if finished:
                    staged.replace(output)
                else:
                    staged.unlink(missing_ok=True)
    Console(stderr=True).print(_pairs_summary(counts, output), highlight=False)


def _pairs_summary(counts: dict[str, int], output: Path | None) -> str:
    scored = counts["pairs"] - counts["errors"]
    not_scored = f", {counts['errors']:,} not scored (the error column says why)" if counts["errors"] else ""
    return (f"scored {scored:,} of {plural(counts['pairs'], 'pair')}: {plural(counts['matches'], 'match')}"
            f"{not_scored}" + (f" -> {output}" if output else ""))


def algorithms(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the scoring algorithms on offer (the first is the default)."""
    items = [{"name": a.NAME, "description": a.DESCRIPTION, "threshold": a.THRESHOLD} for a in Engine.algorithms()]
    if as_json:
        print(json.dumps(items, indent=2))
        return
    table = Table("name", "threshold", "description")
    for item in items:
        table.add_row(str(item["name"]), f"{item['threshold']:.2f}", str(item["description"]))
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command()(screen)
    app.command()(compare)
    app.command()(algorithms)

"""CLI: `screen`, `compare` and `algorithms`."""

from __future__ import annotations

import csv
import json
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from watchlist.engine import Engine
from watchlist.errors import QueryError, WatchlistError
from watchlist.match.types import MatchResult, Query
from watchlist.settings import Settings

if TYPE_CHECKING:
    from watchlist.batch.pairs import Pair

console = Console()


def _results_table(results: list[MatchResult]) -> Table:
    table = Table(show_lines=False)
    table.add_column("score", justify="right")
    table.add_column("match")
    table.add_column("id")
    table.add_column("name")
    table.add_column("lists")
    table.add_column("programmes")
    table.add_column("why")
    for hit in results:
        table.add_row(
            f"{hit.score:.2f}",
            "[bold red]MATCH[/]" if hit.match else "",
            hit.entity.id,
            f"{hit.entity.caption}\n[dim]{hit.entity.schema.value}; matched '{hit.matched_name}'[/]",
            ", ".join(hit.entity.datasets),
            ", ".join(hit.entity.programs[:4]),
            "\n".join(hit.explanation),
        )
    return table


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
    query = Query.build(name, schema=schema, birth_date=dob, country=country, id_number=id_number)
    engine = Engine.open(Settings.from_env())
    results = engine.screen(query, datasets=dataset, algorithm=algorithm, threshold=threshold, limit=limit)
    if as_json:
        print(json.dumps({"query": name, "results": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2))
        return
    if not results:
        console.print(f"No listed entity resembles '{name}'.")
        return
    console.print(_results_table(results))


def compare(
    name1: str | None = typer.Argument(None, help="First name."),
    name2: str | None = typer.Argument(None, help="Second name."),
    schema: str | None = typer.Option(None, "--schema", help="Schema of both names."),
    pairs: Path | None = typer.Option(None, "--pairs", help="CSV with columns name1,name2,schema."),
    output: Path | None = typer.Option(None, "--output", help="Where --pairs results go (default: standard output)."),
    algorithm: str | None = typer.Option(None, "--algorithm", help="Scoring algorithm."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    workers: int = typer.Option(0, "--workers", help="Worker processes for --pairs (0: every core)."),
) -> None:
    """Score two names against each other, or every row of a --pairs CSV."""
    engine = Engine.open(Settings.from_env())
    if pairs is not None:
        _compare_pairs(engine, pairs, output, algorithm, workers)
        return
    if not name1 or not name2:
        raise QueryError("give two names, or --pairs FILE.csv")
    result = engine.compare(Query.build(name1, schema=schema), name2, algorithm=algorithm)
    if as_json:
        print(json.dumps({"name1": name1, "name2": name2, "score": round(result.score, 4), "match": result.match,
                          "features": result.features, "explanation": list(result.explanation)}, ensure_ascii=False))
        return
    verdict = "[bold red]MATCH[/]" if result.match else "no match"
    console.print(f"{result.score:.3f}  {verdict}")
    for line in result.explanation:
        console.print(f"  {line}", highlight=False)


def _compare_pairs(engine: Engine, path: Path, output: Path | None, algorithm: str | None, workers: int) -> None:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise WatchlistError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"name1", "name2"} - set(reader.fieldnames or [])
        if missing:
            raise QueryError(f"{path}: missing column(s) {', '.join(sorted(missing))}; expected name1,name2,schema")
        fields = list(reader.fieldnames or []) + ["score", "match"]
        from watchlist.batch.pairs import score_pairs  # here: the pool machinery slows every command's start

        rows: deque[dict[str, str]] = deque()  # read ahead of their scores, written as the scores come back

        def pairs() -> Iterator[Pair]:
            for row in reader:
                rows.append(row)
                yield row["name1"] or "", row["name2"] or "", row.get("schema") or None

        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            for line, scored in enumerate(score_pairs(engine, pairs(), algorithm, workers), start=2):
                row = rows.popleft()
                if scored.error is not None:
                    raise QueryError(f"{path} line {line}: {scored.error}")
                row.update(score=f"{scored.score:.4f}", match=str(scored.match).lower())
                writer.writerow(row)
        finally:
            if output:
                out.close()


def algorithms(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the scoring algorithms on offer (the first is the default)."""
    items = [{"name": a.NAME, "description": a.DESCRIPTION, "threshold": a.THRESHOLD} for a in Engine.algorithms()]
    if as_json:
        print(json.dumps(items, indent=2))
        return
    table = Table("name", "threshold", "description")
    for item in items:
        table.add_row(str(item["name"]), f"{item['threshold']:.2f}", str(item["description"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(screen)
    app.command()(compare)
    app.command()(algorithms)

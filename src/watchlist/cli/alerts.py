"""The review queue from the command line, for audits and scripts: `watchlist alerts ...`.

    watchlist alerts list [--status open|closed|all] [--json]
    watchlist alerts export --output alerts.csv [--status ...]

Alerts live in the case store (SQLite in WATCHLIST_HOME, or PostgreSQL at WATCHLIST_DATABASE_URL).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from watchlist.cases import (
    OPEN_STATUSES,
    PAGE_MAX,
    Alert,
    AlertFilter,
    CaseStore,
    PageRequest,
    open_case_store,
)
from watchlist.cases.export import csv_cell
from watchlist.cli.common import plural
from watchlist.errors import ConfigError
from watchlist.settings import Settings

alerts_app = typer.Typer(help="The workbench's review queue: list or export alerts.", no_args_is_help=True)
CLOSED_STATUSES = ("true_match", "false_positive")
CSV_COLUMNS = ("id", "status", "source", "created_at", "updated_at", "party_key", "query_name", "entity_id",
               "entity_caption", "referents", "datasets", "programs", "score", "matched_name", "explanation")


class StatusChoice(str, Enum):
    open = "open"
    closed = "closed"
    all = "all"


def statuses(choice: StatusChoice) -> tuple[str, ...]:
    """The alert statuses a `--status` choice stands for (none: every alert)."""
    return {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES, "all": ()}[choice.value]


def iter_alerts(cases: CaseStore, choice: StatusChoice) -> Iterator[Alert]:
    """Every alert of the chosen statuses, newest first, page by page."""
    filters = AlertFilter(status=statuses(choice))
    page = PageRequest(limit=PAGE_MAX)
    while True:
        found = cases.alerts(filters, page)
        yield from found.alerts
        if found.next_cursor is None:
            return
        page = PageRequest(limit=PAGE_MAX, after=found.next_cursor)


def alert_json(alert: Alert) -> dict[str, Any]:
    """An alert as `alerts list --json` prints it (the screened record and the listed party's ids included)."""
    data = alert.to_dict()
    data["entity"] = alert.entity
    return data


@alerts_app.command("list")
def list_command(
    status: Annotated[StatusChoice, typer.Option(help="Which alerts: open (to review), closed, or all.")] = (
        StatusChoice.open
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of alerts.")] = False,
) -> None:
    """The alerts in the review queue, newest first."""
    cases = open_case_store(Settings.from_env())
    try:
        alerts = list(iter_alerts(cases, status))
    finally:
        cases.close()
    if as_json:
        typer.echo(json.dumps([alert_json(a) for a in alerts], indent=2, ensure_ascii=False))
        return
    console = Console()
    table = Table(title=f"{plural(len(alerts), 'alert')} ({status.value})", title_justify="left")
    for col in ("ID", "Status", "Score", "Screened", "Listed party", "Lists", "Source"):
        table.add_column(col, overflow="fold")
    for a in alerts:
        table.add_row(str(a.id), a.status, f"{a.score:.2f}", a.query_name, f"{a.entity_caption} ({a.entity_id})",
                      ", ".join(a.datasets), a.source)
    console.print(table)


@alerts_app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The CSV file to write.")],
    status: Annotated[StatusChoice, typer.Option(help="Which alerts: open, closed, or all.")] = StatusChoice.all,
) -> None:
    """Write alerts to a CSV file (spreadsheet-safe), one row per alert, for audits."""
    if output.is_dir():
        raise ConfigError(f"--output {output} is a folder: give a file name, e.g. {output / 'alerts.csv'}")
    cases = open_case_store(Settings.from_env())
    count = 0
    try:
        with output.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for alert in iter_alerts(cases, status):
                writer.writerow([csv_cell(cell) for cell in csv_row(alert)])
                count += 1
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        cases.close()
    Console(stderr=True).print(f"wrote {plural(count, 'alert')} to {output}", highlight=False)


def csv_row(alert: Alert) -> list[Any]:
    data = alert.to_dict()
    joined = {"referents": "; ", "datasets": "; ", "programs": "; ", "explanation": " | "}
    return [joined[c].join(data[c]) if c in joined else data[c] for c in CSV_COLUMNS]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(alerts_app, name="alerts")

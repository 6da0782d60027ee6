"""The `watchlist` command. Each command group lives in its own module with a `register(app)`."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from watchlist.cli import alerts, batch, lists, scan, screening, serve, workbench
from watchlist.errors import WatchlistError

app = typer.Typer(
    name="watchlist",
    help="Sanctions screening: load official lists, screen names and documents, serve an API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (lists, screening, batch, scan, serve, workbench, alerts):
    module.register(app)


def run() -> None:
    """Entry point: user errors print one clear line and exit 2, never a traceback."""
    try:
        app()
    except WatchlistError as exc:
        _fail(exc.message, 2)
    except OSError as exc:  # the system refused a read or write the command checked for (a full disk)
        where = f": {exc.filename}" if exc.filename else ""
        _fail(f"{exc.strerror or exc}{where}", 1)


def _fail(message: str, code: int) -> None:
    # soft_wrap: one line however long (a path), wrapped by the terminal, never broken by us
    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


if __name__ == "__main__":
    run()

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
        # soft_wrap: one line however long (a path), wrapped by the terminal, never broken by us
        Console(stderr=True).print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    run()

"""The `watchlist` command. Each command group lives in its own module with a `register(app)`."""

from __future__ import annotations

import errno
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer._click import exceptions as usage  # typer 0.29 carries its own click: its errors are these

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


INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C (128 + SIGINT)


def run() -> None:
    """Entry point: user errors print one clear line and exit 2, never a traceback (nor a box)."""
    try:
        code = typer.main.get_command(app).main(standalone_mode=False)
    except usage.NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except usage.UsageError as exc:  # a bad flag or value: what click says, and where to read more
        _fail(exc.format_message() + _help_hint(exc.ctx), exc.exit_code)
    except usage.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except WatchlistError as exc:
        _fail(exc.message, 2)
    except OSError as exc:  # the system refused a read or write the command checked for (a full disk)
        if exc.errno == errno.EPIPE:  # the reader of our output went away (`| head`): nothing to say
            sys.exit(1)
        where = f": {exc.filename}" if exc.filename else ""
        _fail(f"{exc.strerror or exc}{where}", 1)
    if code == INTERRUPTED:  # Ctrl-C, as the command line framework reports it
        _fail("interrupted (a batch run goes on where it stopped when run again)", INTERRUPTED)
    if isinstance(code, int) and code:
        sys.exit(code)


def _help_hint(ctx: Any) -> str:
    if ctx is None:
        return ""
    root = ctx.find_root().info_name or ""
    command = ctx.command_path[len(root):].strip()
    return f" (see: watchlist {command} --help)" if command else " (see: watchlist --help)"


def _fail(message: str, code: int) -> None:
    # soft_wrap: one line however long (a path), wrapped by the terminal, never broken by us
    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


if __name__ == "__main__":
    run()

"""CLI commands of the analyst workbench: `watchlist users ...` and `watchlist workbench`.

    watchlist users create NAME --role supervisor      # prints a generated password once
    echo "$PW" | watchlist users create NAME --password-stdin
    watchlist users list | passwd NAME | deactivate NAME | activate NAME
    watchlist workbench --port 8001                    # the workbench alone (no JSON API)

Users live in the case store: SQLite in WATCHLIST_HOME, or PostgreSQL at WATCHLIST_DATABASE_URL.
Every change is written to the audit log with the operating-system user as the actor.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table

from watchlist.cases import ROLES, CaseStore, open_case_store
from watchlist.cli.common import check_port_free
from watchlist.errors import QueryError
from watchlist.settings import Settings

users_app = typer.Typer(help="Workbench users (analyst, supervisor, admin).", no_args_is_help=True)
console = Console()


@contextmanager
def _store() -> Iterator[CaseStore]:
    store = open_case_store(Settings.from_env())
    try:
        yield store
    finally:
        store.close()


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated?)."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise QueryError("no password on stdin: pipe one line, e.g. `echo \"$PW\" | watchlist users ...`")
        return password, False
    return secrets.token_urlsafe(15), True


@users_app.command("create")
def create(
    name: str,
    role: str = typer.Option("analyst", help=f"one of {', '.join(ROLES)}"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin"),
) -> None:
    """Create a user; prints a generated password unless --password-stdin is given."""
    password, generated = _password(password_stdin)
    with _store() as store:
        user = store.create_user(name, role, password, actor=_actor())
    console.print(f"created [bold]{user.name}[/] ({user.role})", highlight=False)
    if generated:
        typer.echo(f"password: {password}")


@users_app.command("passwd")
def passwd(
    name: str,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin"),
) -> None:
    """Set a new password (ends the user's sessions); prints a generated one unless --password-stdin."""
    password, generated = _password(password_stdin)
    with _store() as store:
        store.set_password(name, password, actor=_actor())
    typer.echo(f"password: {password}" if generated else f"password changed for {name}")


@users_app.command("deactivate")
def deactivate(name: str) -> None:
    """Refuse the user's logins and end their sessions (decisions and audit records stay)."""
    with _store() as store:
        store.set_active(name, False, actor=_actor())
    typer.echo(f"deactivated {name}")


@users_app.command("activate")
def activate(name: str) -> None:
    with _store() as store:
        store.set_active(name, True, actor=_actor())
    typer.echo(f"activated {name}")


@users_app.command("list")
def list_users() -> None:
    with _store() as store:
        users = store.users()
    table = Table("name", "role", "active", "created")
    for user in users:
        table.add_row(user.name, user.role, "yes" if user.active else "no", user.created_at[:19])
    console.print(table)


def workbench(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8001, help="port to listen on"),
) -> None:
    """Serve the analyst workbench alone (no JSON API) at http://HOST:PORT/."""
    import uvicorn

    from watchlist.engine import Engine
    from watchlist.web import create_workbench_app

    check_port_free(host, port)
    settings = Settings.from_env()
    app = create_workbench_app(settings, Engine.open(settings))
    console.print(f"workbench on http://{host}:{port}/ (create users with `watchlist users create`)")
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(users_app, name="users")
    app.command("workbench")(workbench)

"""CLI commands: `serve` (the HTTP API) and `keys create NAME|list|revoke NAME`."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI
from rich.console import Console
from rich.table import Table

from watchlist.api.keys import KeyStore
from watchlist.cli.common import check_port_free
from watchlist.errors import ConfigError
from watchlist.settings import Settings

keys_app = typer.Typer(
    help="API keys: create, list, revoke. Only a hash of each key is stored.", no_args_is_help=True
)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(1, help="Worker processes (each holds its own index in memory)"),
    reload_interval: float | None = typer.Option(
        None,
        help="Seconds between checks for new list versions (0 = never; default WATCHLIST_RELOAD_INTERVAL or 60)",
    ),
    open_mode: bool = typer.Option(False, "--open", help="No API key needed (loopback host only)"),
    log_queries: bool = typer.Option(False, help="Log screened names (personal data; off by default)"),
) -> None:
    """Serve the yente-compatible screening API and OpenRefine reconciliation."""
    import uvicorn

    from watchlist.api.auth import is_loopback

    overrides: dict[str, object] = {}
    if reload_interval is not None:
        overrides["api_reload_interval"] = reload_interval
    if open_mode:
        overrides["api_open"] = True
    if log_queries:
        overrides["api_log_queries"] = True
    settings = Settings.from_env(**overrides)
    if settings.api_open and not is_loopback(host):
        raise ConfigError(
            f"open mode (no API key) is only allowed on a loopback host, not {host!r}: "
            "create keys with `watchlist keys create NAME` instead"
        )
    check_port_free(host, port)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    console = Console(stderr=True)
    for line in startup_lines(host, port, settings.api_open):
        console.print(line, highlight=False)
    if workers > 1:
        import os

        os.environ["WATCHLIST_API_FACTORY_SETTINGS"] = json.dumps(overrides)
        uvicorn.run(
            "watchlist.cli.serve:app_factory",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_level="warning",
        )
    else:
        uvicorn.run(server_app(settings), host=host, port=port, access_log=False, log_level="warning")


def startup_lines(host: str, port: int, open_mode: bool) -> list[str]:
    """What `serve` prints before it loads the lists: where the workbench and the API are."""
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else '[::1]' if host == '::' else host}:{port}"
    lines = [f"workbench: {base}/", f"API: {base}/  (docs: {base}/docs)"]
    if open_mode:
        lines.append("[bold yellow]open mode: no API key needed from this machine[/]")
    return lines


def server_app(settings: Settings) -> FastAPI:
    """The JSON API with the analyst workbench mounted at `/` (the two never import each other)."""
    from watchlist.api.app import create_app
    from watchlist.web import create_workbench_router

    app = create_app(settings)
    app.include_router(create_workbench_router(settings, app.state.engine))
    return app


def app_factory() -> object:
    """For `uvicorn --factory` with several workers: settings from the environment (plus serve's options)."""
    import os

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    overrides = json.loads(os.environ.get("WATCHLIST_API_FACTORY_SETTINGS", "{}"))
    return server_app(Settings.from_env(**overrides))


def _keys() -> KeyStore:
    return KeyStore.open(Settings.from_env().db_path)


@keys_app.command("create")
def create_key(
    name: str = typer.Argument(..., help="Who or what uses the key (unique)"),
    admin: bool = typer.Option(False, "--admin", help="May call /admin endpoints (reload)"),
) -> None:
    """Create a key. The key is printed once, alone on the last line; it cannot be shown again."""
    store = _keys()
    try:
        record, secret = store.create(name, role="admin" if admin else "user")
    finally:
        store.close()
    Console(stderr=True).print(
        f"created {record.role} key {record.name!r} ({record.prefix}...). Store it now:"
    )
    print(secret)


@keys_app.command("list")
def list_keys() -> None:
    """The keys: name, role, prefix, created, revoked."""
    store = _keys()
    try:
        records = store.list()
    finally:
        store.close()
    table = Table("name", "role", "prefix", "created", "revoked")
    for record in records:
        table.add_row(
            record.name, record.role, record.prefix + "...", record.created_at, record.revoked_at or ""
        )
    Console().print(table)


@keys_app.command("revoke")
def revoke_key(name: str = typer.Argument(..., help="The key's name")) -> None:
    """Revoke a key; it stops working on the next request."""
    store = _keys()
    try:
        record = store.revoke(name)
    finally:
        store.close()
    Console().print(f"revoked key {record.name!r} at {record.revoked_at}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")

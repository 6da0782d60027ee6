"""Settings, built once from WATCHLIST_* environment variables and passed in."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from platformdirs import user_data_dir

from watchlist.errors import ConfigError
from watchlist.limits import Limits

N = TypeVar("N", int, float)


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def _env_number(name: str, default: N, parse: Callable[[str], N], what: str) -> N:
    """The variable parsed by `parse`; unset or empty: `default`; unparsable: ConfigError naming it."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not {what}") from exc


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(v.strip() for v in raw.split(",") if v.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path = field(default_factory=lambda: Path(user_data_dir("watchlist")))
    threshold: float | None = None  # the match threshold when a call gives none (None: the algorithm's own)
    keep_snapshots: int = 10  # snapshots kept per source (older ones are pruned)
    limits: Limits = field(default_factory=Limits)  # expansion limits and time budgets (watchlist.limits)
    database_url: str | None = None  # PostgreSQL for decisions and audit (workbench); None = SQLite
    # HTTP API
    api_open: bool = False  # no API key required (only honoured on a loopback host)
    api_log_queries: bool = False  # screened names are personal data: off by default
    api_max_body_bytes: int = 10 * 1024 * 1024
    api_max_queries: int = 1000
    api_max_limit: int = 500
    api_max_offset: int = 10_000
    api_max_json_depth: int = 32  # nesting levels of a JSON body
    api_reload_interval: float = 60.0  # seconds between checks for new list versions (0 = never)
    api_update_token: str | None = None  # POST /updatez?token=... reloads the lists (yente's); None = off
    api_cors_origins: tuple[str, ...] = ("*",)  # origins allowed by CORS; never with credentials
    login_failures_per_user: int = 5  # failed workbench logins of one user name before a lockout
    login_failures_per_client: int = 20  # ... from one client address
    login_lockout_minutes: float = 15.0  # the window those failures are counted in, and the lockout

    @property
    def db_path(self) -> Path:
        return self.home / "watchlist.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        home = os.environ.get("WATCHLIST_HOME")
        base = cls() if not home else cls(home=Path(home).expanduser())
        base = replace(
            base,
            threshold=_env_float("WATCHLIST_THRESHOLD", -1.0) if os.environ.get("WATCHLIST_THRESHOLD") else None,
            keep_snapshots=_env_int("WATCHLIST_KEEP_SNAPSHOTS", base.keep_snapshots),
            limits=Limits.from_env(),
            database_url=os.environ.get("WATCHLIST_DATABASE_URL") or None,
            api_open=os.environ.get("WATCHLIST_API_OPEN", "").lower() in ("1", "true", "yes"),
            api_log_queries=os.environ.get("WATCHLIST_LOG_QUERIES", "").lower() in ("1", "true", "yes"),
            api_max_body_bytes=_env_int("WATCHLIST_MAX_BODY_BYTES", base.api_max_body_bytes),
            api_max_queries=_env_int("WATCHLIST_MAX_QUERIES", base.api_max_queries),
            api_max_limit=_env_int("WATCHLIST_MAX_LIMIT", base.api_max_limit),
            api_max_offset=_env_int("WATCHLIST_MAX_OFFSET", base.api_max_offset),
            api_max_json_depth=_env_int("WATCHLIST_MAX_JSON_DEPTH", base.api_max_json_depth),
            api_reload_interval=_env_float("WATCHLIST_RELOAD_INTERVAL", base.api_reload_interval),
            api_update_token=os.environ.get("WATCHLIST_UPDATE_TOKEN") or None,
            api_cors_origins=_env_list("WATCHLIST_CORS_ORIGINS", base.api_cors_origins),
            login_failures_per_user=_env_int("WATCHLIST_LOGIN_FAILURES_PER_USER", base.login_failures_per_user),
            login_failures_per_client=_env_int(
                "WATCHLIST_LOGIN_FAILURES_PER_CLIENT", base.login_failures_per_client
            ),
            login_lockout_minutes=_env_float("WATCHLIST_LOGIN_LOCKOUT_MINUTES", base.login_lockout_minutes),
        )
        return replace(base, **overrides)  # type: ignore[arg-type]

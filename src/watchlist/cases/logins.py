"""Logging in to the workbench: bounded input, failed attempts throttled per user and per client address.

`login` is what the login form calls. Before any password work it refuses

- a user name or password longer than `LoginLimits` allows (a clear one-line message), and
- a user or client address with too many recent failures (`LoginThrottled`, HTTP 429, saying
  when to try again): `per_user` failures of one name, or `per_client` failures from one address,
  within `window`, lock that name (or address) until the oldest of them is `window` old.

Failures are rows of `login_failures` in the case store, so every server process sharing the
database sees them; a successful login clears its user's failures. Each attempt writes one
audit line (`login` or `login.failed`), bounded like every audit line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from watchlist.cases.accounts import PASSWORD_MAX, AccountsSql
from watchlist.cases.model import USER_NAME_MAX, User
from watchlist.cases.sql import iso, utc_now
from watchlist.errors import ConfigError, QueryError, WatchlistError


class LoginThrottled(WatchlistError):
    """Too many failed logins for one user name or from one client address: wait, then try again."""

    status = 429


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """How much a login form accepts and how many failures it forgives."""

    max_name: int = USER_NAME_MAX  # characters; no account can have a longer name
    max_password: int = PASSWORD_MAX  # characters
    per_user: int = 5  # failed attempts of one user name within `window`
    per_client: int = 20  # failed attempts from one client address within `window`
    window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.per_user < 1 or self.per_client < 1 or self.window <= timedelta(0):
            raise ConfigError(
                "login limits: allow at least 1 failed login per user and per client, in a window over 0 minutes"
                " (WATCHLIST_LOGIN_FAILURES_PER_USER, _PER_CLIENT, WATCHLIST_LOGIN_LOCKOUT_MINUTES)"
            )

    @classmethod
    def from_settings(cls, settings: Any) -> LoginLimits:
        """The limits `Settings` name (`login_failures_per_user`, `..._per_client`, `login_lockout_minutes`)."""
        default = cls()
        return cls(
            per_user=int(getattr(settings, "login_failures_per_user", default.per_user)),
            per_client=int(getattr(settings, "login_failures_per_client", default.per_client)),
            window=timedelta(minutes=float(getattr(settings, "login_lockout_minutes", default.window / timedelta(minutes=1)))),
        )


class LoginsSql(AccountsSql):
    """`login`, with throttling kept in the `login_failures` table."""

    login_limits = LoginLimits()

    def login(self, name: str, password: str, client: str = "") -> User | None:
        """The user for a right name and password; None (and a failure counted) otherwise.

        Raises QueryError for an over-long name or password and LoginThrottled while the
        name or the client address is locked out; neither costs a password check.
        """
        limits = self.login_limits
        now = utc_now()
        self._check_throttle(name[: limits.max_name], client, now)
        problem = _too_long(name, password, limits)
        if problem:
            self._login_failed(name, client, now, problem)
            raise QueryError(problem)
        user = self.authenticate(name, password)
        if user is None:
            self._login_failed(name, client, now, None)
            return None
        with self._lock, self._transaction():
            self._execute("DELETE FROM login_failures WHERE name = ?", (name,))
            self._audit(user.name, "login", None, {"ip": client}, iso(now))
        return user

    def _check_throttle(self, name: str, client: str, now: datetime) -> None:
        limits = self.login_limits
        for column, value, allowed, what in (
            ("name", name, limits.per_user, f"user {name!r}"),
            ("client", client, limits.per_client, f"address {client}"),
        ):
            until = self._locked_until(column, value, allowed, now)
            if until is not None:
                minutes = max(1, math.ceil((until - now).total_seconds() / 60))
                raise LoginThrottled(
                    f"too many failed logins for {what}: try again in {minutes} minute{'s' * (minutes != 1)}"
                )

    def _locked_until(self, column: str, value: str, allowed: int, now: datetime) -> datetime | None:
        """When the lock on `value` ends, if `allowed` failures fall within the window; else None."""
        window = self.login_limits.window
        with self._lock:
            row = self._one(
                f"SELECT at FROM login_failures WHERE {column} = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                (value, iso(now - window), max(allowed - 1, 0)),
            )
        if row is None:
            return None
        return datetime.strptime(str(row[0]), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=now.tzinfo) + window

    def _login_failed(self, name: str, client: str, now: datetime, problem: str | None) -> None:
        limits = self.login_limits
        at = iso(now)
        details: dict[str, object] = {"ip": client}
        if problem:
            details["problem"] = problem
        with self._lock, self._transaction():
            # Old failures go as new ones come, so the table holds one window's worth at most.
            self._execute("DELETE FROM login_failures WHERE at < ?", (iso(now - limits.window),))
            self._execute(
                "INSERT INTO login_failures (at, name, client) VALUES (?, ?, ?)",
                (at, name[: limits.max_name], client),
            )
            self._audit(name or "(blank)", "login.failed", None, details, at)


def _too_long(name: str, password: str, limits: LoginLimits) -> str | None:
    if len(name) > limits.max_name:
        return f"the user name is longer than {limits.max_name} characters: no account has such a name"
    if len(password) > limits.max_password:
        return f"the password is longer than {limits.max_password} characters: no account has such a password"
    return None

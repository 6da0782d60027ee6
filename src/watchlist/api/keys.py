"""API keys, kept in the store's SQLite file. Only a SHA-256 of each key is stored, never the key.

A key is `wl_` + 32 random bytes (URL-safe base64), so a plain SHA-256 is enough: the
key has far more entropy than any guessing attack can cover, and no salt is needed.
The first characters (`prefix`) are kept to help an operator tell keys apart.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from watchlist.errors import ConfigError, NotFoundError, QueryError

Role = Literal["user", "admin"]
ROLES: tuple[Role, ...] = ("user", "admin")
KEY_PREFIX = "wl_"

KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL DEFAULT 'user',
    prefix     TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One API key's record (never the key itself)."""

    name: str
    role: Role
    prefix: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "prefix": self.prefix,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class KeyStore:
    """The `api_keys` table. Thread-safe (one connection, one lock), like `Store`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> KeyStore:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.executescript(KEYS_SCHEMA)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise ConfigError(
                f"cannot open the API key table in {path} ({exc}); check WATCHLIST_HOME"
            ) from exc
        return cls(conn, path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def create(self, name: str, role: Role = "user") -> tuple[ApiKey, str]:
        """A new key named `name`; returns its record and the key (shown once, never stored)."""
        name = name.strip()
        if not name or len(name) > 100 or not name.isprintable():
            raise QueryError("a key name must be 1-100 printable characters")
        if role not in ROLES:
            raise QueryError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        record = ApiKey(name=name, role=role, prefix=secret[:8], created_at=_now())
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO api_keys (name, role, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    (record.name, record.role, record.prefix, hash_key(secret), record.created_at),
                )
            except sqlite3.IntegrityError:
                raise QueryError(
                    f"a key named {name!r} exists already: revoke it or choose another name"
                ) from None
        return record, secret

    def list(self) -> list[ApiKey]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT name, role, prefix, created_at, revoked_at FROM api_keys ORDER BY name"
            ).fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, name: str) -> ApiKey:
        """Revoke the key named `name`; it stops working at once."""
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (_now(), name)
            )
            row = self._conn.execute(
                "SELECT name, role, prefix, created_at, revoked_at FROM api_keys WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no API key named {name!r}; `watchlist keys list` shows them")
        if cursor.rowcount == 0:
            raise QueryError(f"the key {name!r} was revoked already at {row[4]}")
        return ApiKey(*row)

    def verify(self, secret: str) -> ApiKey | None:
        """The active key record for `secret`, or None."""
        if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        with self._lock:
            row = self._conn.execute(
                "SELECT name, role, prefix, created_at, revoked_at FROM api_keys"
                " WHERE key_hash = ? AND revoked_at IS NULL",
                (hash_key(secret),),
            ).fetchone()
        return ApiKey(*row) if row else None

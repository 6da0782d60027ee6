"""Workbench accounts: password hashing, users and their sessions.

Passwords are stored as scrypt hashes with their parameters; session cookies as the
SHA-256 of the token only, so a leaked database leaks neither. `authenticate` does the
same work for an unknown name as for a wrong password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import Any

from watchlist.cases.model import ROLES, SESSION_HOURS, USER_NAME_MAX, DecisionError, Session, User
from watchlist.cases.sql import SqlBase, iso, utc_now
from watchlist.errors import NotFoundError, QueryError

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
PASSWORD_MAX = 1024  # characters

# -- passwords --------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """scrypt with a random 16-byte salt; the parameters are stored with the hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
    )
    return hmac.compare_digest(got.hex(), digest)


def check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise QueryError("the password is too short: use at least 10 characters")
    if len(password) > PASSWORD_MAX:
        raise QueryError(f"the password is too long: use at most {PASSWORD_MAX} characters")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against, for equal work (made on first use: scrypt is slow)."""
    return hash_password(secrets.token_urlsafe(12))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- users and sessions -------------------------------------------------------------------


class AccountsSql(SqlBase):
    """Users and sessions in the case store's `users` and `sessions` tables."""

    _USER_COLUMNS = "id, name, role, active, created_at"

    def create_user(self, name: str, role: str, password: str, actor: str = "system") -> User:
        name = name.strip()
        if not name or len(name) > USER_NAME_MAX or any(c.isspace() for c in name):
            raise QueryError(f"user name {name[:USER_NAME_MAX + 1]!r} must be 1 to {USER_NAME_MAX} characters without spaces")
        if role not in ROLES:
            raise QueryError(f"role {role!r} is not one of {', '.join(ROLES)}")
        check_password_strength(password)
        now = iso(utc_now())
        with self._lock:
            if self.get_user(name) is not None:
                raise DecisionError(f"user {name!r} already exists: choose another name")
            with self._transaction():
                self._execute(
                    "INSERT INTO users (name, role, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?)",
                    (name, role, hash_password(password), now),
                )
                self._audit(actor, "user.create", f"user:{name}", {"role": role}, now)
            user = self.get_user(name)
        assert user is not None
        return user

    def get_user(self, name: str) -> User | None:
        with self._lock:
            row = self._one(f"SELECT {self._USER_COLUMNS} FROM users WHERE name = ?", (name,))
        return _user(row) if row else None

    def _user_by_id(self, user_id: int) -> User | None:
        row = self._one(f"SELECT {self._USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    def users(self) -> list[User]:
        with self._lock:
            return [_user(row) for row in self._all(f"SELECT {self._USER_COLUMNS} FROM users ORDER BY name")]

    def set_password(self, name: str, password: str, actor: str = "system") -> None:
        check_password_strength(password)
        with self._lock, self._transaction():
            if (
                self._execute(
                    "UPDATE users SET password_hash = ? WHERE name = ?", (hash_password(password), name)
                ).rowcount
                != 1
            ):
                raise NotFoundError(f"no user {name!r}")
            self._execute(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,)
            )
            self._audit(actor, "user.password", f"user:{name}", {}, iso(utc_now()))

    def set_active(self, name: str, active: bool, actor: str = "system") -> None:
        with self._lock, self._transaction():
            if self._execute("UPDATE users SET active = ? WHERE name = ?", (int(active), name)).rowcount != 1:
                raise NotFoundError(f"no user {name!r}")
            if not active:
                self._execute(
                    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,)
                )
            self._audit(
                actor, "user.activate" if active else "user.deactivate", f"user:{name}", {}, iso(utc_now())
            )

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is right and the account active; None otherwise (same work either way)."""
        with self._lock:
            row = self._one("SELECT id, password_hash, active FROM users WHERE name = ?", (name,))
        if row is None:
            verify_password(password, _dummy_hash())
            return None
        if not verify_password(password, str(row[1])) or not row[2]:
            return None
        with self._lock:
            return self._user_by_id(int(row[0]))

    def create_session(self, user: User, hours: float = SESSION_HOURS) -> tuple[str, Session]:
        """A new session: returns the secret cookie token (only its hash is stored) and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = utc_now()
        created, expires = iso(now), iso(now + timedelta(hours=hours))
        with self._lock, self._transaction():
            self._execute("DELETE FROM sessions WHERE expires_at < ?", (created,))
            self._execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (_token_hash(token), user.id, csrf, created, expires),
            )
        return token, Session(user, csrf, created, expires)

    def session(self, token: str) -> Session | None:
        """The live session for a cookie token; None when unknown, expired or its user is deactivated."""
        if not token:
            return None
        with self._lock:
            row = self._one(
                "SELECT user_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?",
                (_token_hash(token),),
            )
            if row is None or str(row[3]) < iso(utc_now()):
                return None
            user = self._user_by_id(int(row[0]))
        if user is None or not user.active:
            return None
        return Session(user, str(row[1]), str(row[2]), str(row[3]))

    def end_session(self, token: str) -> None:
        with self._lock, self._transaction():
            self._execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def _user(row: Sequence[Any]) -> User:
    return User(int(row[0]), row[1], row[2], bool(row[3]), row[4])

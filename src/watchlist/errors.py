"""One error tree. Each message says what was wrong and what to do; `status` maps to HTTP."""

from __future__ import annotations


class WatchlistError(Exception):
    """Base of every error a user can cause or meet."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(WatchlistError):
    """Bad settings, a missing optional dependency."""

    status = 500


class SourceError(WatchlistError):
    """A list file that cannot be parsed: names the file, the record or line, and the fault."""

    status = 422


class FetchError(WatchlistError):
    """A download that failed (network, size or format checks)."""

    status = 502


class SnapshotRejected(WatchlistError):
    """A parsed list that failed the store's sanity checks; the previous snapshot stays."""

    status = 422


class NotFoundError(WatchlistError):
    status = 404


class QueryError(WatchlistError):
    """A screening query that cannot be run (empty name, unknown schema, bad date)."""

    status = 400


class IndexNotReadyError(WatchlistError):
    """No list is loaded yet."""

    status = 503


class AuthError(WatchlistError):
    status = 401


class ForbiddenError(WatchlistError):
    status = 403


class LimitError(WatchlistError):
    """Input that expands past a named limit (`watchlist.limits.Limits`): refused, never half-read."""

    status = 413

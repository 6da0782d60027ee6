"""The FastAPI app: `create_app(settings, engine)`. Routes live in `routes/`, one module per endpoint family.

Errors map to HTTP in one place (`_watchlist_error`): every `WatchlistError` carries
its `status`. A background thread checks the store's version every
`settings.api_reload_interval` seconds and swaps the index when a list changed;
`POST /admin/reload` does the same on demand. A swap replaces one reference, so
requests in flight finish on the version they started with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from watchlist.api.keys import KeyStore
from watchlist.api.middleware import GuardMiddleware
from watchlist.api.openapi import install_security_schemes
from watchlist.api.routes import entities, match, reconcile, scan, search, system
from watchlist.engine import Engine
from watchlist.errors import WatchlistError
from watchlist.settings import Settings

log = logging.getLogger("watchlist.api")

DESCRIPTION = """Sanctions screening over the official lists loaded in this watchlist instance.

Compatible with the [yente](https://github.com/opensanctions/yente) API (`/match`, `/search`,
`/entities`, `/catalog`, `/algorithms`) and the OpenRefine reconciliation API (`/reconcile`).
Send `Authorization: ApiKey <key>`; keys are made with `watchlist keys create NAME`.
"""


class ReloadWatcher:
    """Checks the store's version every `interval` seconds; reloads the engine when it changed."""

    def __init__(self, engine: Engine, interval: float) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watchlist-reload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def check(self) -> bool:
        """Reload if the store moved on; True when a new version was swapped in."""
        store = self.engine.store
        if store is None:
            return False
        before = self.engine.index.version
        if store.version() == before:
            return False
        after = self.engine.reload().version
        log.info('{"event": "reload", "previous": "%s", "current": "%s"}', before, after)
        return after != before

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except WatchlistError as exc:  # a failed reload keeps the old index; try again next time
                log.warning('{"event": "reload_failed", "detail": "%s"}', exc.message)
            except Exception:  # process boundary (a thread): log, keep serving the old version
                log.exception('{"event": "reload_failed"}')


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, keys: KeyStore | None = None
) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = engine or Engine.open(settings)
    keys = keys or KeyStore.open(settings.db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watcher = None
        if engine.store is not None:
            engine.reload()  # load (or build) the index before taking requests
            if settings.api_reload_interval > 0:
                watcher = ReloadWatcher(engine, settings.api_reload_interval)
                watcher.start()
        app.state.watcher = watcher
        try:
            yield
        finally:
            if watcher is not None:
                watcher.stop()

    app = FastAPI(title="watchlist", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.keys = keys
    app.state.scanners = {}
    for module in (match, search, entities, system, reconcile, scan):
        app.include_router(module.router)
    app.add_exception_handler(WatchlistError, _watchlist_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(RecursionError, _too_deep)  # type: ignore[arg-type]
    app.add_exception_handler(UnicodeError, _bad_unicode)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    api_routes = [r for m in (match, search, entities, system, reconcile, scan) for r in m.router.routes]
    app.add_middleware(
        GuardMiddleware, settings=settings, api_routes=[r for r in api_routes if isinstance(r, APIRoute)]
    )
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    # Outermost, so a preflight is answered before the guards and key checks. Keys travel in a header,
    # never in cookies: credentials are not allowed, which lets the default allow any origin.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.api_cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],  # as yente: a browser client may send any header (tracing, caching, its own)
        expose_headers=["ETag", "X-Request-ID", "X-Batch-Size", "traceparent", "tracestate"],
        max_age=600,
    )
    install_security_schemes(app)
    return app


def _request_id(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


async def _watchlist_error(request: Request, exc: WatchlistError) -> JSONResponse:
    if exc.status >= 500:
        log.warning(
            '{"event": "error", "request_id": "%s", "status": %d, "detail": "%s"}',
            _request_id(request),
            exc.status,
            type(exc).__name__,
        )
    headers = {"WWW-Authenticate": "ApiKey"} if exc.status == 401 else None
    return JSONResponse(
        {"detail": exc.message, "request_id": _request_id(request)}, status_code=exc.status, headers=headers
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with each problem's location and message; the input is never echoed (it is personal data)."""
    errors: list[dict[str, Any]] = []
    for error in exc.errors()[:20]:
        errors.append(
            {
                "loc": [_printable(part) for part in error.get("loc", ())],
                "msg": _printable(str(error.get("msg", "invalid"))),
                "type": str(error.get("type", "value_error")),
            }
        )
    return JSONResponse({"detail": errors, "request_id": _request_id(request)}, status_code=422)


def _printable(value: object) -> object:
    """A location part or message, with any lone surrogate (from a JSON key) replaced so it can be sent."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
    return JSONResponse(
        {"detail": "the request is nested too deeply", "request_id": _request_id(request)}, status_code=400
    )


async def _bad_unicode(request: Request, exc: UnicodeError) -> JSONResponse:
    """Text that cannot be encoded (a lone surrogate the guards did not see): the request's fault."""
    return JSONResponse(
        {"detail": "the request holds text that is not valid Unicode (a lone surrogate?); send valid UTF-8",
         "request_id": _request_id(request)},
        status_code=400,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Process boundary: log the fault with the request id; the client gets the id, not a traceback."""
    log.error('{"event": "unexpected_error", "request_id": "%s", "error": "%s"}', _request_id(request),
              type(exc).__name__, exc_info=exc)
    return JSONResponse(
        {"detail": "internal error; report the request id to the operator", "request_id": _request_id(request)},
        status_code=500,
    )

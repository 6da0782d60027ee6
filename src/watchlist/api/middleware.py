"""One ASGI middleware at the edge: request id and trace context, authentication first, body guards,
heavy-work pool, access log.

Order of work for a request with a body, so that nobody without a key can make the server do more
than read headers:
1. the route is matched and, if it needs an API key, the key is checked from the headers alone
   (401/403 at once; the body is never read);
2. the body is read with its size counted as it arrives (413 past `api_max_body_bytes`);
3. UTF-8, JSON nesting depth and lone surrogate escapes are checked off the event loop (400);
4. heavy work (`/scan`, `/scan/file`, any body over `api_heavy_body_bytes`) waits for one of
   `api_heavy_workers` slots (503 when the queue is full or the wait outlasts the budget), so
   health checks and small requests stay fast whatever runs;
5. every request carries `request.state.budget`: a deadline of `api_request_seconds`, cancelled
   when the client disconnects, which long loops check to abandon work nobody will read.
The access log has no query content: screened names are personal data, and the query string
(which holds `q=` and `api_key=`) is never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchlist.api.auth import require_admin, require_key
from watchlist.api.body_checks import json_depth, lone_surrogate
from watchlist.api.tracing import trace_headers
from watchlist.errors import WatchlistError
from watchlist.limits import Budget, Limits
from watchlist.settings import Settings

access_log = logging.getLogger("watchlist.api.access")

__all__ = ["GuardMiddleware", "json_depth", "lone_surrogate"]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEAVY_PATHS = ("/scan", "/scan/file")
_KEY_CHECKS: tuple[Callable[..., Any], ...] = (require_admin, require_key)  # strictest first
# Heavy work runs in threads that share the GIL with the event loop. At Python's default interval
# (5 ms) the loop waits that long for the GIL each time it wakes, several times a request: a health
# check beside four heavy requests took 57-211 ms (median of 9 probes), and 316 on a loaded CI run.
# At 2 ms it takes 21-37, and the heavy requests run 1% slower (at 1 ms: 10-18, but 5% slower).
GIL_SWITCH_SECONDS = 0.002


class RoutePlan:
    """What the middleware must know of a route before its body is read."""

    def __init__(self, route: APIRoute | None) -> None:
        self.key_check: Callable[..., Any] | None = None
        self.json_body = route is None  # other routes: a body without a content type is checked as JSON
        if route is not None:
            calls = _calls(route.dependant)
            self.key_check = next((check for check in _KEY_CHECKS if check in calls), None)
            self.json_body = bool(route.dependant.body_params)


_OTHER = RoutePlan(None)


def _calls(dependant: Dependant) -> set[Any]:
    found: set[Any] = set()
    for dep in dependant.dependencies:
        found.add(dep.call)
        found |= _calls(dep)
    return found


class HeavyPool:
    """At most `workers` heavy requests run at once; at most `queue` wait for a slot."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._slots = anyio.Semaphore(limits.api_heavy_workers)
        self.waiting = 0
        if sys.getswitchinterval() > GIL_SWITCH_SECONDS:  # an interval set lower by the operator stays
            sys.setswitchinterval(GIL_SWITCH_SECONDS)

    async def run(self, budget: Budget, work: Callable[[], Awaitable[None]]) -> tuple[int, str] | None:
        """Run `work` in a slot; a (status, detail) problem when no slot comes in time."""
        busy = 503, "the server is busy with other large requests; retry in a minute"
        try:
            self._slots.acquire_nowait()
        except anyio.WouldBlock:
            if self.waiting >= self.limits.api_heavy_queue:
                return busy
            self.waiting += 1
            try:
                with anyio.move_on_after(max(0.0, budget.remaining())) as waited:
                    await self._slots.acquire()
            finally:
                self.waiting -= 1
            if waited.cancelled_caught:
                return busy
        try:
            await work()
        finally:
            self._slots.release()
        return None


class GuardMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, api_routes: Sequence[APIRoute] = ()) -> None:
        """`api_routes`: the API's own routes, whose key checks run before their bodies are read;
        any other route (workbench pages, docs) has its body read and checked as it comes."""
        self.app = app
        self.settings = settings
        self.limits = settings.limits
        self.pool = HeavyPool(settings.limits)
        self.plans = [(route, RoutePlan(route)) for route in api_routes]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        budget = Budget(self.limits.api_request_seconds, "api_request_seconds", self.limits)
        state["budget"] = budget
        status = {"code": 500, "bytes": 0}
        trace = trace_headers(headers.get("traceparent"), headers.get("tracestate"))  # as yente

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode()), *trace]
            elif message["type"] == "http.response.body":
                status["bytes"] += len(message.get("body", b""))
            await send(message)

        async def refuse(code: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
            await _reply(send_with_id, code, {"detail": detail, "request_id": request_id}, extra)

        try:
            problem = _query_problem(scope)
            if problem is not None:
                await refuse(*problem)
                return
            if scope["method"] not in _BODY_METHODS:
                await self.app(scope, receive, send_with_id)
                return
            plan = self._plan(scope)
            if plan.key_check is not None:
                refused = _authenticate(scope, plan.key_check)
                if refused is not None:
                    code, detail = refused
                    await refuse(code, detail, [(b"www-authenticate", b"ApiKey")] if code == 401 else None)
                    return
            body, problem = await self._read_body(headers, receive)
            if problem is None and body:
                problem = await anyio.to_thread.run_sync(self._check_body, headers, body, plan.json_body)
            if problem is not None:
                await refuse(*problem)
                return
            await self._run(scope, body, receive, send_with_id, budget, refuse)
        finally:
            self._log(scope, state, request_id, status, started)

    async def _run(
        self, scope: Scope, body: bytes, receive: Receive, send: Send, budget: Budget,
        refuse: Callable[[int, str], Awaitable[None]],
    ) -> None:
        """The app, with the body replayed and the client watched; heavy requests take a pool slot."""
        gone = asyncio.Event()

        async def watch() -> None:
            message = await receive()
            if message["type"] == "http.disconnect":
                budget.cancel("the client disconnected")
                gone.set()

        async def replay_then_wait() -> Message:
            nonlocal body
            if body is not None:
                message: Message = {"type": "http.request", "body": body, "more_body": False}
                body = None  # type: ignore[assignment]
                return message
            await gone.wait()
            return {"type": "http.disconnect"}

        heavy = scope.get("path") in HEAVY_PATHS or len(body) > self.limits.api_heavy_body_bytes
        watcher = asyncio.ensure_future(watch())
        try:
            if heavy:
                problem = await self.pool.run(budget, lambda: self.app(scope, replay_then_wait, send))
                if problem is not None:
                    await refuse(*problem)
            else:
                await self.app(scope, replay_then_wait, send)
        finally:
            watcher.cancel()

    def _plan(self, scope: Scope) -> RoutePlan:
        for route, plan in self.plans:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return plan
        return _OTHER


    async def _read_body(self, headers: dict[str, str], receive: Receive) -> tuple[bytes, tuple[int, str] | None]:
        limit = self.settings.api_max_body_bytes
        too_big = (
            413,
            f"the request body is larger than {limit} bytes (WATCHLIST_MAX_BODY_BYTES); split the batch",
        )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return b"", too_big
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", (400, "the client disconnected before sending the whole body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", too_big
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks), None

    def _check_body(self, headers: dict[str, str], body: bytes, json_route: bool) -> tuple[int, str] | None:
        """UTF-8, nesting and surrogates, for bodies the app will parse as text (runs in a worker thread)."""
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        is_json = ctype in ("application/json", "text/json") or ctype.endswith("+json") or (ctype == "" and json_route)
        is_form = ctype == "application/x-www-form-urlencoded"
        if not (is_json or is_form):
            return None  # a raw document (/scan/file) or multipart: the route reads the bytes as they are
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return 400, f"the request body is not valid UTF-8 (byte {exc.start}); send UTF-8 JSON"
        text = unquote_to_bytes(body.replace(b"+", b" ")) if is_form else body
        if is_json:
            depth = json_depth(body)
            if depth > self.settings.api_max_json_depth:
                return 400, (
                    f"the JSON body is nested {depth} levels deep; the limit is {self.settings.api_max_json_depth}"
                    " (WATCHLIST_MAX_JSON_DEPTH)"
                )
        return _surrogate_problem(text, "the request body")

    def _log(
        self, scope: Scope, state: dict[str, Any], request_id: str, status: dict[str, int], started: float
    ) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        client = scope.get("client")
        record = {
            "event": "request",
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),  # no query string: it can hold names (q=) and keys (api_key=)
            "status": status["code"],
            "bytes": status["bytes"],
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "client": client[0] if client else None,
            "key": state.get("key_name"),
        }
        for extra in ("queries", "query_names", "results"):
            if extra in state:
                record[extra] = state[extra]
        access_log.info(json.dumps(record, ensure_ascii=False))


def _authenticate(scope: Scope, check: Callable[..., Any]) -> tuple[int, str] | None:
    """The route's own key check, run on the headers alone; (status, detail) when it refuses."""
    try:
        check(Request(scope))
    except WatchlistError as exc:
        return exc.status, exc.message
    return None


def _surrogate_problem(data: bytes, where: str) -> tuple[int, str] | None:
    offset = lone_surrogate(data)
    if offset is None:
        return None
    return 400, (
        f"{where} holds a lone surrogate escape (\\u{data[offset + 2:offset + 6].decode('ascii', 'replace')} "
        f"at byte {offset}), which is not a character; send valid Unicode"
    )


def _query_problem(scope: Scope) -> tuple[int, str] | None:
    """A query string whose values (JSON in `queries=`, for OpenRefine) hold a lone surrogate escape."""
    raw = scope.get("query_string", b"")
    if not raw or (b"%5c" not in raw.lower() and b"\\" not in raw):
        return None
    return _surrogate_problem(unquote_to_bytes(raw.replace(b"+", b" ")), "the query string")


async def _reply(send: Send, code: int, payload: dict[str, Any], extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": code,
            "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

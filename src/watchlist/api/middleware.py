"""One ASGI middleware at the edge: request id, body guards, structured access log.

Body guards run before any route sees the request, so a 10 MB body, invalid UTF-8
or JSON nested a million levels deep gets a 4xx with a clear message and never
reaches the JSON parser. The access log has no query content: screened names are
personal data, and the query string (which holds `q=` and `api_key=`) is never logged.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

import numpy as np
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchlist.settings import Settings

access_log = logging.getLogger("watchlist.api.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def json_depth(body: bytes) -> int:
    """The deepest nesting of `[`/`{` in a JSON text (strings skipped), without parsing it."""
    stripped = _JSON_STRING.sub(b"", body)
    codes = np.frombuffer(stripped, dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    if not steps.any():
        return 0
    return int(np.cumsum(steps).max())


class GuardMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

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
        status = {"code": 500, "bytes": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                status["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                body, problem = await self._read_body(headers, receive)
                if problem is not None:
                    code, detail = problem
                    await _reply(send_with_id, code, {"detail": detail, "request_id": request_id})
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_with_id)
        finally:
            self._log(scope, state, request_id, status, started)

    async def _read_body(
        self, headers: dict[str, str], receive: Receive
    ) -> tuple[bytes, tuple[int, str] | None]:
        limit = self.settings.api_max_body_bytes
        too_big = (
            413,
            f"the request body is larger than {limit} bytes; split the batch into smaller requests",
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
        body = b"".join(chunks)
        if not body:
            return body, None
        ctype = headers.get("content-type", "application/json").split(";")[0].strip().lower()
        textual = ctype in ("", "application/json", "application/x-www-form-urlencoded") or ctype.endswith(
            "+json"
        )
        if textual:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return body, (400, f"the request body is not valid UTF-8 (byte {exc.start}); send UTF-8 JSON")
        if ctype in ("", "application/json") or ctype.endswith("+json"):
            depth = json_depth(body)
            if depth > self.settings.api_max_json_depth:
                return body, (
                    400,
                    f"the JSON body is nested {depth} levels deep; the limit is {self.settings.api_max_json_depth}",
                )
        return body, None

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


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _reply(send: Send, code: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": code,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""W3C trace context, as yente answers it: a request's `traceparent` keeps its trace id and flags under a
new parent id (this server's span); without a valid one a new trace starts. `tracestate` gets this
server's entry first, the caller's other entries kept."""

from __future__ import annotations

import re
import secrets

VENDOR = "watchlist"
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_STATE_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-*/@]{0,255}$")
MAX_STATE_ENTRIES = 32


def trace_headers(traceparent: str | None, tracestate: str | None) -> list[tuple[bytes, bytes]]:
    """The `traceparent` and `tracestate` response headers for a request's (either may be absent)."""
    span = secrets.token_hex(8)
    parent = _continued(traceparent or "", span) or f"00-{secrets.token_hex(16)}-{span}-00"
    entries = [f"{VENDOR}={span}"]
    for item in (tracestate or "").split(","):
        key, sep, value = item.strip().partition("=")
        if sep and value and key != VENDOR and _STATE_KEY.match(key) and len(entries) < MAX_STATE_ENTRIES:
            entries.append(f"{key}={value}")
    return [(b"traceparent", parent.encode()), (b"tracestate", ",".join(entries).encode("latin-1", "replace"))]


def _continued(traceparent: str, span: str) -> str | None:
    found = _TRACEPARENT.match(traceparent.strip().lower())
    if found is None:
        return None
    version, trace_id, parent_id, flags = found.group(1, 2, 3, 4)
    if version == "ff" or set(trace_id) == {"0"} or set(parent_id) == {"0"}:
        return None
    return f"{version}-{trace_id}-{span}-{flags}"

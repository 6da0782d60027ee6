"""Checks on a JSON body that never parse it: nesting depth and lone surrogate escapes.

Both run vectorised over the bytes with numpy (which releases the GIL on large arrays), on
arrays sized by the body's quotes, brackets and backslashes, so a 10 MB body costs a few
milliseconds and little memory. JSON allows `\\ud800` escapes that decode to lone
surrogates, which no response can be encoded with; they are refused up front.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_BACKSLASH, _QUOTE = ord("\\"), ord('"')
_OPEN = (ord("["), ord("{"))
_CLOSE = (ord("]"), ord("}"))
_HEX_D = (ord("d"), ord("D"))
_HIGH = tuple(map(ord, "89abAB"))
_LOW = tuple(map(ord, "cdefCDEF"))


def _escaped_positions(codes: Any) -> Any:
    """Positions of the characters that a backslash escapes (the char after each escape-introducing backslash)."""
    backslashes = np.flatnonzero(codes == _BACKSLASH)
    if not backslashes.size:
        return backslashes
    breaks = np.flatnonzero(np.diff(backslashes) != 1) + 1
    starts = np.concatenate(([0], breaks))
    run_of = np.repeat(np.arange(starts.size), np.diff(np.append(starts, backslashes.size)))
    offset_in_run = np.arange(backslashes.size) - starts[run_of]
    escaped = backslashes[offset_in_run % 2 == 0] + 1  # every other backslash of a run begins an escape
    return escaped[escaped < codes.size]


def json_depth(body: bytes) -> int:
    """The deepest nesting of `[`/`{` in a JSON text (strings skipped), without parsing it."""
    codes = np.frombuffer(body, dtype=np.uint8)
    escaped = _escaped_positions(codes)
    quotes = np.flatnonzero(codes == _QUOTE)
    if escaped.size and quotes.size:
        quotes = quotes[~np.isin(quotes, escaped, assume_unique=True)]
    brackets = np.flatnonzero(np.isin(codes, _OPEN + _CLOSE))
    if not brackets.size:
        return 0
    outside = brackets[np.searchsorted(quotes, brackets) % 2 == 0]
    if not outside.size:
        return 0
    steps = np.where(np.isin(codes[outside], _OPEN), 1, -1)
    return max(0, int(np.cumsum(steps).max()))


def lone_surrogate(body: bytes) -> int | None:
    """The byte offset of the first `\\uD800`-`\\uDFFF` escape that is not half of a surrogate pair, or None."""
    if b"\\u" not in body and b"\\U" not in body:
        return None
    codes = np.frombuffer(body, dtype=np.uint8)
    escaped = _escaped_positions(codes)
    u = escaped[(codes[escaped] == ord("u")) & (escaped + 4 < codes.size)]
    if not u.size:
        return None
    u = u[np.isin(codes[u + 1], _HEX_D)]
    third = codes[u + 2]
    high, low = u[np.isin(third, _HIGH)], u[np.isin(third, _LOW)]
    lone_high = high[~np.isin(high + 6, low)]
    lone_low = low[~np.isin(low - 6, high)]
    lone = np.concatenate((lone_high, lone_low))
    return int(lone.min()) - 1 if lone.size else None

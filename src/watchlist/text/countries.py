"""Country names and codes -> lower-case ISO 3166 alpha-2 (FtM style), via rigour's territories."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from rigour.territories import get_territory, lookup_territory

from watchlist.text.folding import to_ascii

_WORDS: Final = re.compile(r"[a-z0-9]+")
_LATIN_END: Final = 0x250  # Basic Latin to Latin Extended-B: letters to_ascii reads without a transliterator


@lru_cache(maxsize=4096)
def to_country_code(value: str) -> str | None:
    """'KP', 'kp', 'North Korea', "Democratic People's Republic of Korea" -> 'kp'; None if unknown."""
    text = value.strip()
    if not text:
        return None
    if len(text) in (2, 3) or "-" in text:
        territory = get_territory(text.lower())
        if territory is not None:
            return territory.code
    code = latin_country_code(text)
    if code is not None:
        return code
    territory = lookup_territory(text)
    return territory.code if territory is not None else None


def latin_country_code(text: str) -> str | None:
    """The territory a name written in Latin letters names ('DPRK', 'Russian Federation', 'São Tomé'), by
    rigour's own names of it; None if it names none. Cheap: rigour's full lookup transliterates every name
    it knows in every script first, about a CPU-second in each process that asks (a name form asks of
    many organisation names whether they end in a country)."""
    return _latin_names().get(_key(text))


def _key(text: str) -> str:
    words = _WORDS.findall(to_ascii(text).lower())
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


@lru_cache(maxsize=1)
def _latin_names() -> dict[str, str]:
    """Each territory's names in Latin letters, as lower-case words, -> its code; a strong name of one
    territory before a weak name of another."""
    names: dict[str, str] = {}
    rows = list(_territory_names())
    for code, name in [(code, n) for code, strong, _ in rows for n in strong] + [
        (code, n) for code, _, weak in rows for n in weak
    ]:
        if all(ord(c) < _LATIN_END for c in name):
            names.setdefault(_key(name), code)
    return names


def _territory_names() -> Iterator[tuple[str, list[str], list[str]]]:
    """(code, strong names, weak names) for every territory rigour knows."""
    try:
        from rigour.territories.lookup import _load_territory_names  # the names its lookup is built from
    except ImportError:  # pragma: no cover - another rigour: its public lookup alone, slower
        return
    for territory, strong, weak, _ in _load_territory_names():
        yield territory.code, [*strong, *([territory.alpha3] if territory.alpha3 else [])], weak

"""Country names and codes -> lower-case ISO 3166 alpha-2 (FtM style), via rigour's territories."""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import get_territory, lookup_territory


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
    territory = lookup_territory(text)
    return territory.code if territory is not None else None

"""Loads and validates the YAML reference data in watchlist/data (once per process)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from watchlist.errors import ConfigError


@dataclass(frozen=True, slots=True)
class NameRefData:
    equivalents: dict[str, str]  # spelling -> canonical spelling
    titles: frozenset[str]
    particles: frozenset[str]
    legal_forms: frozenset[str]
    org_terms: frozenset[str]
    east_asian_surnames: frozenset[str]


def load_yaml(text: str) -> Any:
    """YAML parsed by libyaml where PyYAML has it (eight times faster: every worker process loads
    the reference data), else by the pure-Python parser; the same safe subset either way."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    values = data.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"names.yaml: '{key}' must be a list of words")
    return frozenset(v.lower() for v in values)


@lru_cache(maxsize=1)
def name_refdata() -> NameRefData:
    text = resources.files("watchlist.data").joinpath("names.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    equivalents: dict[str, str] = {}
    for group in data.get("equivalents", []):
        if not isinstance(group, list) or not group:
            raise ConfigError(f"names.yaml: equivalents group {group!r} must be a non-empty list")
        canonical = str(group[0]).lower()
        for spelling in group:
            spelling = str(spelling).lower()
            if equivalents.get(spelling, canonical) != canonical:
                raise ConfigError(f"names.yaml: {spelling!r} is in two equivalents groups")
            equivalents[spelling] = canonical
    return NameRefData(
        equivalents=equivalents,
        titles=_words(data, "titles"),
        particles=_words(data, "particles"),
        legal_forms=_words(data, "legal_forms"),
        org_terms=_words(data, "org_terms"),
        east_asian_surnames=_words(data, "east_asian_surnames"),
    )

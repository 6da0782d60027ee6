"""Loads and validates the YAML reference data in watchlist/data (once per process)."""

from __future__ import annotations

import re
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
    title_abbreviations: frozenset[str]  # titles only in a name written in Latin letters
    particles: frozenset[str]
    legal_forms: frozenset[str]
    org_terms: frozenset[str]
    east_asian_surnames: frozenset[str]
    legal_form_kinds: dict[str, str]  # legal form -> the kind of company it makes


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
    legal_forms = _words(data, "legal_forms")
    titles, abbreviations = _words(data, "titles"), _words(data, "title_abbreviations")
    if not abbreviations <= titles:
        raise ConfigError(f"names.yaml: title_abbreviations not among the titles: {sorted(abbreviations - titles)}")
    return NameRefData(
        equivalents=equivalents,
        titles=titles,
        title_abbreviations=abbreviations,
        particles=_words(data, "particles"),
        legal_forms=legal_forms,
        org_terms=_words(data, "org_terms"),
        east_asian_surnames=_words(data, "east_asian_surnames"),
        legal_form_kinds=_legal_form_kinds(data, legal_forms),
    )


def _legal_form_kinds(data: dict[str, Any], legal_forms: frozenset[str]) -> dict[str, str]:
    """names.yaml 'legal_form_kinds' (kind -> its legal forms) as legal form -> kind; each a legal form,
    of one kind only."""
    kinds = data.get("legal_form_kinds")
    if not isinstance(kinds, dict):
        raise ConfigError("names.yaml: 'legal_form_kinds' must map each kind of company to its legal forms")
    out: dict[str, str] = {}
    for kind in kinds:
        for form in _words(kinds, kind):
            if form not in legal_forms or form in out:
                raise ConfigError(f"names.yaml: legal_form_kinds: {form!r} is no legal form, or of two kinds")
            out[form] = str(kind)
    return out


def _data_file(name: str) -> Any:
    data = load_yaml(resources.files("watchlist.data").joinpath(name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: expected a mapping")
    return data


@lru_cache(maxsize=1)
def fold_rules() -> tuple[tuple[str, str, str], ...]:
    """folding.yaml's orthographic rules, in order: (pattern, replacement, needle)."""
    rows = _data_file("folding.yaml").get("fold_rules")
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 3 for r in rows):
        raise ConfigError("folding.yaml: 'fold_rules' must be a list of [pattern, replacement, needle]")
    rules = tuple((str(p), str(r), str(n)) for p, r, n in rows)
    for pattern, _, needle in rules:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"folding.yaml: rule {pattern!r} is no regular expression: {exc}") from None
        if not needle.rstrip("$"):
            raise ConfigError(f"folding.yaml: rule {pattern!r} has no needle")
    return rules


@dataclass(frozen=True, slots=True)
class NumberWords:
    words: dict[str, str]  # a number or ordinal in words -> its digits
    tens: frozenset[str]  # the words for tens (forty four -> 44)
    ordinal_suffixes: frozenset[str]
    roman: dict[str, str]  # a Roman numeral of two letters or more -> its digits


def roman_numerals(most: int) -> dict[str, str]:
    """The Roman numerals of 2 to `most` (2 to 39: 40 is XL, not written by tens alone) of two letters
    or more, each with its digits."""
    if not 2 <= most <= 39:
        raise ValueError(f"roman_up_to must be 2 to 39, not {most}")
    units = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    numerals = {"x" * (n // 10) + units[n % 10]: str(n) for n in range(2, most + 1)}
    return {numeral: digits for numeral, digits in numerals.items() if len(numeral) > 1}


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    data = _data_file("numbers.yaml")
    try:
        units = [str(w) for w in data["units"]]
        ordinals = [str(w) for w in data["ordinals"]]
        tens = {str(w): int(v) for w, v in data["tens"].items()}
        words = {**{w: str(i) for i, w in enumerate(units) if i}, **{w: str(i) for i, w in enumerate(ordinals) if i},
                 **{w: str(v) for w, v in tens.items()}}
        return NumberWords(words, frozenset(tens), frozenset(map(str, data["ordinal_suffixes"])),
                           roman_numerals(int(data["roman_up_to"])))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"numbers.yaml: {exc!r}") from None

"""Given-name nicknames (data/nicknames.yaml): Ben for Benjamin, Bill for William, Sasha for Aleksandr.

`nickname_partners(fold)` is every fold a given name meets as a nickname or the full name it is
short for. Loaded and validated once, when first asked (the table is small; nothing is fetched).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Final

from watchlist.errors import ConfigError
from watchlist.text.folding import fold_token
from watchlist.text.refdata import load_yaml

FILE: Final = "nicknames.yaml"
EMPTY: Final[frozenset[str]] = frozenset()


def parse_nicknames(data: object) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The table as language -> [(full name, short forms)], or ConfigError naming what is wrong."""
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{FILE}: expected a mapping of language -> full given name -> short forms")
    table: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for language, names in data.items():
        if not isinstance(names, dict) or not names:
            raise ConfigError(f"{FILE}: '{language}' must map full given names to lists of short forms")
        rows: list[tuple[str, tuple[str, ...]]] = []
        for full, short in names.items():
            if not _is_word(full):
                raise ConfigError(f"{FILE}: {language}: {full!r} is not a lower-case ASCII word")
            if not isinstance(short, list) or not short or not all(_is_word(s) for s in short):
                raise ConfigError(f"{FILE}: {language}: {full}: expected a list of lower-case ASCII words")
            if full in short or len(set(short)) != len(short):
                raise ConfigError(f"{FILE}: {language}: {full}: a short form repeats or is the full name")
            rows.append((full, tuple(short)))
        table[str(language)] = rows
    return table


def _is_word(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 2 and value.isascii() and value.isalpha() and value.islower()


@lru_cache(maxsize=1)
def _partners() -> dict[str, frozenset[str]]:
    text = resources.files("watchlist.data").joinpath(FILE).read_text(encoding="utf-8")
    partners: dict[str, set[str]] = {}
    for rows in parse_nicknames(load_yaml(text)).values():
        for full, short in rows:
            whole = fold_token(full)
            for nickname in map(fold_token, short):
                if nickname != whole:
                    partners.setdefault(nickname, set()).add(whole)
                    partners.setdefault(whole, set()).add(nickname)
    return {fold: frozenset(found) for fold, found in partners.items()}


def nickname_partners(fold: str) -> frozenset[str]:
    """The folds of the names this given name (a fold) stands for or is short for; empty if none."""
    return _partners().get(fold, EMPTY)

"""Shared test fixtures. Real list files live in ../shared/data (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from watchlist.model import Entity, Name, NameKind, Schema

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared" / "data").resolve()
LISTS = SHARED / "lists"


def make_entity(
    id: str,
    name: str,
    schema: Schema | str = Schema.PERSON,
    aliases: tuple[str, ...] = (),
    datasets: tuple[str, ...] = ("test",),
    **fields: Any,
) -> Entity:
    """An entity built inline for unit tests."""
    names = (Name(name),) + tuple(Name(a, NameKind.ALIAS) for a in aliases)
    schema = schema if isinstance(schema, Schema) else Schema.parse(schema)
    return Entity(id=id, schema=schema, names=names, datasets=datasets, **fields)


@pytest.fixture
def shared_lists() -> Path:
    if not LISTS.is_dir():
        pytest.fail(f"shared list files not found at {LISTS}")
    return LISTS


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh WATCHLIST_HOME for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("WATCHLIST_HOME", str(path))
    return path

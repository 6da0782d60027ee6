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


def penalty_keys(query: str, listed: str, schema: Schema = Schema.PERSON, legal_forms: bool = False) -> list[str]:
    """The named penalties of one name against another, aligned as watchlist-v2 aligns them; with
    `legal_forms`, the query's legal forms weighed against the listed name's."""
    from watchlist.match.algorithm import CandidateName
    from watchlist.match.align import QueryAligner
    from watchlist.match.penalties import name_penalties
    from watchlist.text.tokens import legal_form_kinds, tokenize_name
    from watchlist.text.weights import DEFAULT_STATS

    kind = "person" if schema is Schema.PERSON else "org"
    q, c = tokenize_name(query, kind), tokenize_name(listed, kind)
    alignment = QueryAligner(q, DEFAULT_STATS, learned=True).align(c)
    forms = legal_form_kinds(query) if legal_forms else frozenset()
    return [key for key, _ in name_penalties(alignment, q, CandidateName(listed, c), schema, (), forms)]


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

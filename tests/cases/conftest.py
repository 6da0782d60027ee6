"""Case store fixtures: `store` runs each test on SQLite and on PostgreSQL (marked `postgres`), `people` adds users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cases_helpers import open_store, pg_schema_url  # noqa: F401  (fixture)

from watchlist.cases import SqlCaseStore, User

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlCaseStore]:
    opened = open_store(request.param, tmp_path, request)
    yield opened
    opened.close()


@pytest.fixture
def people(store: SqlCaseStore) -> dict[str, User]:
    return {
        "ana": store.create_user("ana", "analyst", PASSWORD),
        "sue": store.create_user("sue", "supervisor", PASSWORD),
        "sam": store.create_user("sam", "supervisor", PASSWORD),
    }

"""Case store fixtures shared by the contract tests and the workbench tests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from watchlist.cases import AlertIn, PostgresCaseStore, SqlCaseStore, SqliteCaseStore

PG_ENV = "WATCHLIST_TEST_POSTGRES_URL"
PG_SKIP = (
    f"{PG_ENV} is not set: start a server with `eval \"$(scripts/ci-postgres.sh)\"` to run the PostgreSQL tests"
)


def postgres_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(PG_SKIP)
    return url


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import psycopg

    url = postgres_url()
    schema = "wl_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote('-csearch_path=' + schema)}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def open_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SqlCaseStore:
    if kind == "sqlite":
        return SqliteCaseStore.open(tmp_path / "cases.db")
    url = request.getfixturevalue("pg_schema_url")
    return PostgresCaseStore.open(url)


def make_alert(n: int = 0, **fields: Any) -> AlertIn:
    values: dict[str, Any] = {
        "source": "batch",
        "party_key": f"customer-{n}",
        "record": {"name": f"Customer {n}", "birth_date": "1970"},
        "entity_id": f"un-{n % 50}",
        "entity_hash": "h" + str(n % 50),
        "score": (n % 100) / 100,
        "entity_caption": f"Listed {n % 50}",
        "query_name": f"Customer {n}",
        "matched_name": f"Listed {n % 50}",
        "explanation": ("names agree",),
        "features": {"name_similarity": 0.9},
        "datasets": ("un",) if n % 2 else ("ofac-sdn",),
        "programs": ("DPRK",) if n % 3 == 0 else ("IRAN",),
    }
    values.update(fields)
    return AlertIn(**values)

"""Fixtures for batch tests: a small in-memory engine and an input file with a known shape."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import make_entity

from watchlist.engine import Engine

ROWS = [
    {"id": "c1", "schema": "Person", "name": "Vladimir Putin", "birth_date": "1952", "country": "ru"},
    {"id": "c2", "schema": "Person", "name": "John Smith", "birth_date": "", "country": ""},
    {"id": "c3", "schema": "Organization", "name": "Acme Trading LLC", "birth_date": "", "country": ""},
    {"id": "c4", "schema": "Person", "name": "Kim Jong Un", "birth_date": "1984-01-08", "country": "KP"},
    {"id": "c5", "schema": "Person", "name": "", "birth_date": "", "country": ""},  # unusable: no name
    {"id": "c6", "schema": "Person", "name": "Wladimir Poutine", "birth_date": "", "country": ""},
    {"id": "c7", "schema": "Vessel", "name": "MV Ocean Star", "birth_date": "", "country": ""},
    {"id": "c8", "schema": "Person", "name": "Jong-un Kim", "birth_date": "", "country": ""},
    {"id": "c9", "schema": "Person", "name": "Maria Garcia Lopez", "birth_date": "1970", "country": "es"},
    {"id": "c10", "schema": "Person", "name": "Vladimir Putin", "birth_date": "1952", "country": "ru"},  # repeat
    {"id": "c11", "schema": "Person", "name": "Ali Hassan", "birth_date": "not a date", "country": ""},
    {"id": "c12", "schema": "Organization", "name": "Ocean Star Shipping", "birth_date": "", "country": ""},
]


def entities():  # type: ignore[no-untyped-def]
    return [
        make_entity("t-1", "Vladimir Vladimirovich PUTIN", birth_dates=("1952-10-07",), countries=("ru",)),
        make_entity("t-2", "KIM Jong Un", aliases=("Kim Jong-un",), countries=("kp",)),
        make_entity("t-3", "Acme Trading Limited", schema="Organization"),
        make_entity("t-4", "OCEAN STAR", schema="Vessel"),
        make_entity("t-5", "Maria GARCIA", datasets=("other",)),
        make_entity("t-6", "John SMITHERS"),
        make_entity("t-7", "Hassan ALI MOHAMED"),
    ]


def make_engine() -> Engine:
    return Engine.from_entities(entities())


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path

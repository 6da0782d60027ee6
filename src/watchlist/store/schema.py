"""The SQLite schema of the list store (kept as a Python string so it ships with the package).

Layout
------
- ``snapshots``: one row per loaded version of one source (a published list).
- ``members``: which entity ids a snapshot holds, with each entity's content hash.
- ``entity_data``: the entity JSON (``Entity.to_dict()``), keyed by its content hash, so an
  entity that did not change between two snapshots is stored once and a diff is a hash compare.
- ``active``: the snapshot in force per source. Flipping it is the last step of a load.
- ``events``: append-only audit log (loads, unchanged reloads, rejections, failures, prunes).
"""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    source       TEXT NOT NULL,
    format       TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published    TEXT,
    loaded_at    TEXT NOT NULL,
    entity_count INTEGER NOT NULL DEFAULT 0,
    counts       TEXT NOT NULL DEFAULT '{}',
    files        TEXT NOT NULL DEFAULT '[]',
    source_url   TEXT,
    notes        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS snapshots_by_source ON snapshots (source, id);
CREATE TABLE IF NOT EXISTS entity_data (
    hash TEXT PRIMARY KEY,  -- a rowid table: WITHOUT ROWID doubles the size for rows this large
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    snapshot_id INTEGER NOT NULL,
    entity_id   TEXT NOT NULL,
    schema      TEXT NOT NULL,
    caption     TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS members_by_entity ON members (entity_id);
CREATE INDEX IF NOT EXISTS members_by_hash ON members (hash);
CREATE TABLE IF NOT EXISTS active (
    source      TEXT PRIMARY KEY,
    snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT,
    snapshot_id INTEGER,
    message     TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}'
);
"""

"""The case store's tables, written once for both databases, and the triggers that keep history append-only.

`TABLES` takes the two column types the dialects spell differently (`serial`, `real`).
Decisions and the audit log refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so a
bug or a hand-typed statement cannot rewrite history.
"""

from __future__ import annotations

TABLES = """
CREATE TABLE IF NOT EXISTS case_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
    id             {serial},
    source         TEXT NOT NULL,
    party_key      TEXT NOT NULL,
    run_id         TEXT,
    record         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    entity_hash    TEXT NOT NULL,
    entity_caption TEXT NOT NULL DEFAULT '',
    entity         TEXT,
    score          {real} NOT NULL,
    query_name     TEXT NOT NULL DEFAULT '',
    matched_name   TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '[]',
    features       TEXT NOT NULL DEFAULT '{{}}',
    datasets       TEXT NOT NULL DEFAULT '[]',
    programs       TEXT NOT NULL DEFAULT '[]',
    status         TEXT NOT NULL DEFAULT 'open',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at, id);
CREATE INDEX IF NOT EXISTS alerts_status_created ON alerts (status, created_at, id);
CREATE INDEX IF NOT EXISTS alerts_score ON alerts (score, id);
CREATE INDEX IF NOT EXISTS alerts_status_score ON alerts (status, score, id);
CREATE INDEX IF NOT EXISTS alerts_pair ON alerts (party_key, entity_id);
CREATE TABLE IF NOT EXISTS alert_tags (
    alert_id BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (alert_id, kind, value)
);
CREATE INDEX IF NOT EXISTS alert_tags_value ON alert_tags (kind, value);
CREATE TABLE IF NOT EXISTS decisions (
    id           {serial},
    alert_id     BIGINT NOT NULL,
    action       TEXT NOT NULL,
    comment      TEXT NOT NULL,
    user_name    TEXT NOT NULL,
    role         TEXT NOT NULL,
    at           TEXT NOT NULL,
    status_after TEXT NOT NULL,
    party_key    TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    entity_hash  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_alert ON decisions (alert_id, id);
CREATE INDEX IF NOT EXISTS decisions_pair ON decisions (party_key, entity_id, id);
CREATE TABLE IF NOT EXISTS users (
    id            {serial},
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id      {serial},
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT,
    details TEXT NOT NULL DEFAULT '{{}}'
);
CREATE TABLE IF NOT EXISTS login_failures (
    id     {serial},
    at     TEXT NOT NULL,
    name   TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_name ON login_failures (name, at);
CREATE INDEX IF NOT EXISTS login_failures_client ON login_failures (client, at);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);
CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, id);
"""

SQLITE_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""

PG_TRIGGERS = """
CREATE OR REPLACE FUNCTION watchlist_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS decisions_append_only ON decisions;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS decisions_no_truncate ON decisions;
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION watchlist_append_only();
"""

ALERT_COLUMNS = (
    "id, source, party_key, run_id, record, entity_id, entity_hash, entity_caption, entity, score, "
    "query_name, matched_name, explanation, features, datasets, programs, status, created_at, updated_at"
)
DECISION_COLUMNS = (
    "id, alert_id, action, comment, user_name, role, at, status_after, party_key, entity_id, entity_hash"
)

"""The audit CSV export: formula prefixes neutralised (OWASP CSV injection), everything else as it was."""

from __future__ import annotations

import csv
import io

from watchlist.cases import AuditRecord
from watchlist.cases.export import audit_csv, csv_cell
from watchlist.store import Event


def test_csv_cell() -> None:
    for formula in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(formula) == "'" + formula
    assert csv_cell("ana") == "ana" and csv_cell("") == "" and csv_cell(-3) == -3
    assert csv_cell("a=b") == "a=b" and csv_cell("'=1") == "'=1"


def test_audit_csv_rows() -> None:
    records = [AuditRecord(1, "2024-01-01", "=HYPERLINK(\"x\")", "login.failed", None, {"ip": "1.2.3.4"}),
               AuditRecord(2, "2024-01-02", "ana", "decision.escalate", "alert:1", {"comment": "-ok"})]
    events = [Event(9, "2024-01-03", "load", "un", 3, "un: snapshot 3 active", {"added": 1})]
    text = "".join(audit_csv(records, events))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["log", "id", "at", "actor", "action", "target", "details"]
    assert rows[1][:5] == ["cases", "1", "2024-01-01", "'=HYPERLINK(\"x\")", "login.failed"]
    assert rows[2][3:6] == ["ana", "decision.escalate", "alert:1"] and rows[2][6] == '{"comment": "-ok"}'
    assert rows[3] == ["lists", "9", "2024-01-03", "system", "lists.load", "un",
                       '{"added": 1, "message": "un: snapshot 3 active"}']

"""The four-eyes rules as pure functions (no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cases_helpers import make_alert

from watchlist.cases import Alert, Decision, DecisionError, User
from watchlist.cases import decisions as rules
from watchlist.errors import ForbiddenError, QueryError

ANA = User(1, "ana", "analyst", True, "2024-01-01")
SUE = User(2, "sue", "supervisor", True, "2024-01-01")


def alert(status: str) -> Alert:
    a = make_alert(1)
    return Alert(7, a.source, a.party_key, a.record, a.entity_id, a.entity_hash, a.score, a.entity_caption,
                 a.query_name, a.matched_name, a.explanation, a.features, a.datasets, a.programs, None, None,
                 status, "2024-01-01", "2024-01-01")


def decision(action: str, user: str) -> Decision:
    return Decision(1, 7, action, "why", user, "analyst", "2024-01-01", "pending_approval", "p", "e", "h")


def test_outcomes_move_alerts() -> None:
    assert [rules.need_outcome(o) for o in ("true_match", "false_positive", "escalate")] == [
        "pending_approval", "false_positive", "escalated"]
    with pytest.raises(QueryError, match="not one of"):
        rules.need_outcome("maybe")


def test_only_open_alerts_are_decided() -> None:
    rules.check_decidable(alert("open"))
    rules.check_decidable(alert("escalated"))
    with pytest.raises(DecisionError, match="awaits a supervisor"):
        rules.check_decidable(alert("pending_approval"))
    with pytest.raises(DecisionError, match="closed"):
        rules.check_decidable(alert("false_positive"))


def test_four_eyes() -> None:
    with pytest.raises(ForbiddenError, match="supervisor or admin"):
        rules.check_approver(ANA, "approve")
    with pytest.raises(ForbiddenError, match="deactivated"):
        rules.check_approver(replace(SUE, active=False), "approve")
    rules.check_approver(SUE, "approve")
    with pytest.raises(DecisionError, match="not awaiting approval"):
        rules.check_awaiting(alert("open"))
    proposals = [decision("true_match", "bob"), decision("reject", "sam"), decision("true_match", "sue")]
    latest = rules.latest_proposal(alert("pending_approval"), proposals)
    assert latest.user == "sue"
    with pytest.raises(ForbiddenError, match="proposed this true match"):
        rules.check_four_eyes(latest, SUE)
    with pytest.raises(DecisionError, match="no true-match proposal"):
        rules.latest_proposal(alert("pending_approval"), [])


def test_comments_are_needed() -> None:
    assert rules.need_comment("  because  ") == "because"
    with pytest.raises(QueryError, match="needs a comment"):
        rules.need_comment("   ")

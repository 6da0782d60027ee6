"""The decision rules of the workbench (the four-eyes principle), as pure functions.

- ``false_positive`` closes the alert at once.
- ``escalate`` marks it for a supervisor; anyone may decide it afterwards.
- ``true_match`` only proposes closing: the alert waits in ``pending_approval``
  until a supervisor or admin *other than the proposer* approves (-> ``true_match``)
  or rejects it (-> ``open`` again).
- Every decision needs a comment; a deactivated user decides nothing.

`watchlist.cases.store` applies them and records the result in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from watchlist.cases.model import OUTCOMES, Alert, Decision, DecisionError, User
from watchlist.errors import ForbiddenError, QueryError

# What each outcome does to an alert, and from which states an analyst may decide.
STATUS_AFTER: dict[str, str] = {
    "true_match": "pending_approval",
    "false_positive": "false_positive",
    "escalate": "escalated",
}
DECIDABLE: tuple[str, ...] = ("open", "escalated")
AWAITING: tuple[str, ...] = ("pending_approval",)
APPROVED, REJECTED = "true_match", "open"


def need_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise QueryError("a decision needs a comment: say why")
    return comment


def need_active(user: User) -> None:
    if not user.active:
        raise ForbiddenError(f"user {user.name} is deactivated")


def need_outcome(outcome: str) -> str:
    """The status an analyst's `outcome` moves an alert to."""
    if outcome not in OUTCOMES:
        raise QueryError(f"decision {outcome!r} is not one of {', '.join(OUTCOMES)}")
    return STATUS_AFTER[outcome]


def check_decidable(alert: Alert) -> None:
    """An analyst decides open or escalated alerts only."""
    if alert.status == "pending_approval":
        raise DecisionError(
            f"alert {alert.id} awaits a supervisor's approval of a true match: approve or reject it"
        )
    if not alert.is_open:
        raise DecisionError(f"alert {alert.id} is closed ({alert.status}); it cannot be decided again")


def check_approver(user: User, verb: str) -> None:
    """Only an active supervisor or admin approves or rejects."""
    need_active(user)
    if not user.can_approve:
        raise ForbiddenError(f"{user.name} ({user.role}) cannot {verb} a true match: a supervisor or admin must")


def check_awaiting(alert: Alert) -> None:
    """Only a proposed true match is approved or rejected."""
    if alert.status not in AWAITING:
        raise DecisionError(f"alert {alert.id} is {alert.status}, not awaiting approval")


def latest_proposal(alert: Alert, decisions: Sequence[Decision]) -> Decision:
    """The true-match proposal an approval answers (the latest one)."""
    for decision in reversed(decisions):
        if decision.action == "true_match":
            return decision
    raise DecisionError(f"alert {alert.id} has no true-match proposal to approve")


def check_four_eyes(proposal: Decision, user: User) -> None:
    """The proposer of a true match cannot also approve it."""
    if proposal.user == user.name:
        raise ForbiddenError(
            f"{user.name} proposed this true match and cannot also approve it: another supervisor must"
        )

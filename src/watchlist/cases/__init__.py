"""The review workflow of the analyst workbench: alerts, decisions, users, sessions and the audit log.

Alerts come from batch runs, monitoring, document scans or an analyst; people close them
with decisions under the four-eyes rules; everything a person does is written to an
append-only audit log. This package owns all of it:

- `model`: the records (`AlertIn`, `Alert`, `Decision`, `User`, `Session`, `AuditRecord`, ...);
- `decisions`: the decision rules (four eyes), as pure functions;
- `accounts`: password hashing, users and sessions; `logins`: logging in, bounded and throttled;
- `paging`: queue filters and keyset paging; `export`: the audit log as spreadsheet-safe CSV;
- `store`: the `CaseStore` contract and its one SQL implementation;
- `schema`, `sql`, `backends`: the tables, the shared SQL plumbing, SQLite and PostgreSQL.

Open one with `open_case_store(settings)`.
"""

from watchlist.cases.accounts import check_password_strength, hash_password, verify_password
from watchlist.cases.backends import PostgresCaseStore, SqliteCaseStore, open_case_store
from watchlist.cases.logins import LoginLimits, LoginThrottled
from watchlist.cases.model import (
    ALERT_SOURCES,
    ALERT_STATUSES,
    APPROVER_ROLES,
    OPEN_STATUSES,
    OUTCOMES,
    PAGE_MAX,
    ROLES,
    SESSION_HOURS,
    Alert,
    AlertFilter,
    AlertIn,
    AlertPage,
    AlertSource,
    AlertStatus,
    AuditRecord,
    Decision,
    DecisionError,
    Outcome,
    PageRequest,
    Role,
    Session,
    User,
)
from watchlist.cases.store import CaseStore, SqlCaseStore

__all__ = [
    "ALERT_SOURCES",
    "ALERT_STATUSES",
    "APPROVER_ROLES",
    "OPEN_STATUSES",
    "OUTCOMES",
    "PAGE_MAX",
    "ROLES",
    "SESSION_HOURS",
    "Alert",
    "AlertFilter",
    "AlertIn",
    "AlertPage",
    "AlertSource",
    "AlertStatus",
    "AuditRecord",
    "CaseStore",
    "Decision",
    "DecisionError",
    "LoginLimits",
    "LoginThrottled",
    "Outcome",
    "PageRequest",
    "PostgresCaseStore",
    "Role",
    "Session",
    "SqlCaseStore",
    "SqliteCaseStore",
    "User",
    "check_password_strength",
    "hash_password",
    "open_case_store",
    "verify_password",
]

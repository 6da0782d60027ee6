"""Workbench sessions: a secret cookie naming a server-side session, CSRF tokens, role checks.

- The session cookie is HttpOnly, SameSite=Strict, and Secure whenever the request
  came over HTTPS (directly or via a proxy's ``X-Forwarded-Proto``); with HTTPS it
  takes the ``__Host-`` prefix, so no subdomain can plant it. Only a SHA-256 of the
  token is stored, so a leaked database does not leak live sessions.
- Every POST carries the session's CSRF token (form field ``csrf_token`` or header
  ``X-CSRF-Token``), compared in constant time. The login form, made before any
  session exists, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import HTTPException, Request, Response

from watchlist.cases import CaseStore, Session

COOKIE = "wl_session"
SECURE_COOKIE = "__Host-wl_session"
LOGIN_CSRF_COOKIE = "wl_login_csrf"


def is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def session_token(request: Request) -> str:
    return request.cookies.get(SECURE_COOKIE) or request.cookies.get(COOKIE) or ""


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    secure = is_https(request)
    response.set_cookie(
        SECURE_COOKIE if secure else COOKIE, token, max_age=max_age, path="/", secure=secure,
        httponly=True, samesite="strict",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    for name in (COOKIE, SECURE_COOKIE):
        if name in request.cookies:
            response.delete_cookie(name, path="/", secure=name == SECURE_COOKIE, httponly=True,
                                   samesite="strict")


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, path="/", secure=is_https(request),
                        httponly=True, samesite="strict")


def tokens_equal(expected: str, given: str) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


class NeedLogin(HTTPException):
    """No valid session: pages redirect to the login form, other requests get 401."""


def require_session(request: Request, cases: CaseStore, login_url: str) -> Session:
    session = cases.session(session_token(request))
    if session is not None:
        return session
    if request.method == "GET" and "hx-request" not in request.headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise NeedLogin(303, "log in first", headers={"Location": f"{login_url}?next={quote(target)}"})
    raise NeedLogin(401, "no valid session: log in again")


async def check_csrf(request: Request, session: Session) -> None:
    """Refuse a state-changing request whose CSRF token is not this session's."""
    given = request.headers.get("x-csrf-token", "")
    if not given:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else ""
    if not tokens_equal(session.csrf_token, given):
        raise HTTPException(403, "missing or invalid CSRF token: reload the page and try again")

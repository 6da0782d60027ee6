"""API key checks: `Authorization: ApiKey <key>` (or `?api_key=` for OpenRefine, which cannot set headers).

Open mode (no key) is honoured only when `Settings.api_open` is set *and* the
request comes from a loopback address; `watchlist serve` also refuses open mode
on a non-loopback host.
"""

from __future__ import annotations

import ipaddress

from fastapi import Request

from watchlist.api.keys import ApiKey, KeyStore
from watchlist.errors import AuthError, ForbiddenError
from watchlist.settings import Settings

ANONYMOUS = ApiKey(name="anonymous", role="user", prefix="", created_at="")
SCHEMES = ("apikey", "bearer")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() not in SCHEMES or not value.strip():
            raise AuthError("the Authorization header must be `ApiKey <key>`")
        return value.strip()
    return request.query_params.get("api_key") or None


def authenticate(request: Request) -> ApiKey:
    """The caller's key record; raises AuthError (401) when none or a bad one is presented."""
    settings: Settings = request.app.state.settings
    keys: KeyStore = request.app.state.keys
    secret = presented_key(request)
    if secret is None:
        if settings.api_open and is_loopback(request.client.host if request.client else None):
            key = ANONYMOUS
        else:
            raise AuthError(
                "this API needs a key: send `Authorization: ApiKey <key>`; "
                "an operator creates one with `watchlist keys create NAME`"
            )
    else:
        found = keys.verify(secret)
        if found is None:
            raise AuthError("the API key is unknown or revoked")
        key = found
    request.state.key_name = key.name
    return key


def require_key(request: Request) -> ApiKey:
    return authenticate(request)


def require_admin(request: Request) -> ApiKey:
    key = authenticate(request)
    if not key.is_admin:
        raise ForbiddenError(
            f"key {key.name!r} is not an admin key; create one with `watchlist keys create NAME --admin`"
        )
    return key

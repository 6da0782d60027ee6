"""The OpenAPI document's security schemes: how a client sends its key, and which paths need none."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PUBLIC_PATHS = ("/healthz", "/readyz", "/updatez")  # no API key (`/updatez` takes its own token)
# The key is optional: the reconciliation manifest is public (it says how to authenticate); its
# queries and data extension need a key.
OPTIONAL_KEY = {("/reconcile/{dataset}", "get")}
SECURITY_SCHEMES: dict[str, Any] = {
    "ApiKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`Authorization: ApiKey <key>` (keys: `watchlist keys create NAME`)",
    },
    "BearerKey": {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <key>`"},
    "ApiKeyQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": "`?api_key=<key>`, for clients that cannot set headers (OpenRefine)",
    },
}


def install_security_schemes(app: FastAPI) -> None:
    """Declare the key schemes once, required on every operation except the public probes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        doc.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        doc["security"] = [{name: []} for name in SECURITY_SCHEMES]
        for path, operations in doc.get("paths", {}).items():
            for method, operation in operations.items():
                if path in PUBLIC_PATHS:
                    operation["security"] = []
                elif (path, method) in OPTIONAL_KEY:
                    operation["security"] = [{}, *doc["security"]]
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]

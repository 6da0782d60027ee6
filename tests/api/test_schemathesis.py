"""schemathesis against the OpenAPI document, in-process over ASGI: no generated request gets a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from api_fixtures import entities
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup
from schemathesis.openapi.checks import (
    AllowHeaderMismatch,
    JsonSchemaError,
    RejectedPositiveData,
    UndefinedContentType,
    UndefinedStatusCode,
    UnsupportedMethodResponse,
)

from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.settings import Settings

_HOME = tempfile.TemporaryDirectory(prefix="watchlist-schemathesis-")  # removed when the test process exits
_CONFIG = Settings(home=Path(_HOME.name), api_reload_interval=0)
APP = create_app(_CONFIG, Engine.from_entities(entities(), settings=_CONFIG))
HEADERS = {"Authorization": "ApiKey " + APP.state.keys.create("fuzz", role="admin")[1]}

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call(headers=HEADERS)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
    )



# Failures of these kinds are about how faithfully the OpenAPI document describes the API (issue 19's
# ground); every other kind, and above all a server error, fails the test.
SCHEMA_CONFORMANCE = (RejectedPositiveData, UndefinedStatusCode, AllowHeaderMismatch, UnsupportedMethodResponse,
                      AcceptedNegativeData, JsonSchemaError, UndefinedContentType)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_all_checks_find_no_server_error(case: schemathesis.Case) -> None:
    """Every schemathesis check runs; none may find a 5xx, a malformed response or a crash."""
    try:
        case.call_and_validate(headers=HEADERS)
    except FailureGroup as group:
        serious = [f for f in group.exceptions if not isinstance(f, SCHEMA_CONFORMANCE)]
        assert not serious, f"{case.method} {case.formatted_path}: {[type(f).__name__ for f in serious]}"


def _operations() -> list[tuple[str, str]]:
    spec = APP.openapi()
    paths = []
    for path, methods in spec["paths"].items():
        concrete = path.replace("{dataset}", "default").replace("{entity_id}", "un-KPi.033")
        concrete = concrete.replace("{property_name}", "name")
        paths += [(method.upper(), concrete) for method in methods if method in ("get", "post")]
    return paths


@pytest.mark.parametrize("method, path", _operations())
def test_a_lone_surrogate_anywhere_is_4xx(method: str, path: str) -> None:
    """A lone surrogate as a JSON escape in the body, escaped in a query value, or as the UTF-8-style bytes
    of one in the query string: a 4xx with a request id, never a 5xx."""
    with TestClient(APP, headers=HEADERS) as client:
        attempts = [client.request(method, path + "?q=%5Cud800&queries=%7B%22q%22%3A%7B%22query%22%3A%22%5Cud800%22%7D%7D"),
                    client.request(method, path + "?q=%ED%A0%80&name=%ED%A0%80")]
        if method == "POST":
            for body in (b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim \\ud800"]}}}}',
                         b'{"text": "\\udfff", "queries": {"q\\udbff": {"query": "x"}}}'):
                attempts.append(client.request(method, path, content=body, headers={"content-type": "application/json"}))
    for response in attempts:
        assert response.status_code < 500, f"{method} {path}: {response.status_code} {response.text[:200]}"
    for response in attempts[:1] + attempts[2:]:
        assert 400 <= response.status_code < 500 and response.json().get("request_id"), (method, path, response.text)

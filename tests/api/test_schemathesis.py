"""schemathesis against the OpenAPI document, in-process over ASGI: no generated request gets a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from api_fixtures import entities
from hypothesis import HealthCheck, settings

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

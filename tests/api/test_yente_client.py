"""The yente-client package, pointed at this API, parses every response it gets."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from yente_client import Client, Company, Person
from yente_client.exceptions import AuthenticationError, BadRequestError, NotFoundError


def yente(app: FastAPI, key: str | None) -> Client:
    transport = TestClient(app)._transport  # the ASGI app as an httpx transport
    return Client(api_key=key, base_url="http://testserver", transport=transport)


def test_yente_client_match(app: FastAPI, user_key: str) -> None:
    with yente(app, user_key) as client:
        person = Person(
            name=["Kim Jong Un"], birthDate=["1984-01-08"], nationality=["kp"], passportNumber=["836410115"]
        )
        resp = client.match(person, threshold=0.7, limit=5)
        assert "un-KPi.033" in [r.id for r in resp.matches]
        assert resp.top is not None and resp.top.match and resp.top.schema_ == "Person"
        assert resp.top.explanations["name_match"].score > 0
        assert resp.query["schema"] == "Person" and resp.limit == 5
        assert resp.total.value >= 1
        company = client.match(Company(name=["Acme Trading"], jurisdiction=["ae"]), datasets=["ofac-sdn"])
        assert company.top is not None and company.top.id == "ofac-9000"
        rows = dict(client.match_iter([("a", person), ("b", company_input())], workers=2))
        assert set(rows) == {"a", "b"}


def company_input() -> Company:
    return Company(name=["Acme Trade"])


def test_yente_client_other_endpoints(app: FastAPI, user_key: str) -> None:
    with yente(app, user_key) as client:
        assert client.healthz().status == "ok"
        assert client.readyz().status == "ok"
        found = client.search("Ivan Petrov", datasets=["uk"], limit=5)
        assert found.results[0].id == "uk-123" and found.total.value >= 1
        assert client.fetch("ofac-9000").properties["alias"] == ["Acme Trade"]
        datasets = client.datasets()
        assert "default" in [d.name for d in datasets.datasets]
        algorithms = client.algorithms()
        assert algorithms.best in [a.name for a in algorithms.algorithms]


def test_yente_client_errors(app: FastAPI, user_key: str) -> None:
    with yente(app, None) as client:
        try:
            client.datasets()
        except AuthenticationError as exc:
            assert exc.status_code == 401
        else:
            raise AssertionError("no key must be refused")
    with yente(app, user_key) as client:
        for call, error in (
            (lambda: client.fetch("nope"), NotFoundError),
            (lambda: client.match(Person(name=["Kim"]), algorithm="nope"), BadRequestError),
        ):
            try:
                call()
            except error:
                pass
            else:
                raise AssertionError(f"expected {error.__name__}")

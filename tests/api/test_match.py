"""POST /match/{dataset}: yente's request and response shape, filters and validation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from watchlist.api.properties import to_query

KIM = {
    "schema": "Person",
    "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"], "nationality": ["kp"]},
}


def match(client: TestClient, queries: dict, dataset: str = "default", **params: object):
    return client.post(f"/match/{dataset}", json={"queries": queries}, params=params)


def test_match_has_yente_shape(client: TestClient) -> None:
    resp = match(client, {"q1": KIM})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) >= {"responses", "limit"}
    entry = body["responses"]["q1"]
    assert entry["status"] == 200
    assert set(entry["total"]) == {"value", "relation"}
    assert entry["query"]["schema"] == "Person"
    assert entry["query"]["properties"]["name"] == ["Kim Jong Un"]
    top = entry["results"][0]
    for field in ("id", "caption", "schema", "properties", "datasets", "score", "match", "features"):
        assert field in top
    assert top["id"] in ("un-KPi.033", "ofac-20157")
    assert top["match"] is True
    assert 0.0 <= top["score"] <= 1.0
    assert "name_match" in top["features"]
    assert top["explanation"], "a result says why it scored"
    assert resp.headers["x-batch-size"] == "1"
    assert resp.headers["x-request-id"]


def test_match_batch_keys_come_back(client: TestClient) -> None:
    company = {"schema": "Company", "properties": {"name": "Acme Trading", "jurisdiction": "ae"}}
    body = match(client, {"a": KIM, "b": company}).json()
    assert set(body["responses"]) == {"a", "b"}
    assert body["responses"]["b"]["results"][0]["id"] == "ofac-9000"


def test_match_dataset_restricts_results(client: TestClient) -> None:
    results = match(client, {"q": KIM}, dataset="un").json()["responses"]["q"]["results"]
    assert results and all("un" in r["datasets"] for r in results)


def test_match_exclusions(client: TestClient) -> None:
    body = match(client, {"q": KIM}, exclude_entity_ids=["un-KPi.033"], exclude_dataset=["uk"]).json()
    assert "un-KPi.033" not in [r["id"] for r in body["responses"]["q"]["results"]]


def test_match_identifier_and_vessel(client: TestClient) -> None:
    vessel = {"schema": "Vessel", "properties": {"name": ["Ocean Star"], "imoNumber": ["9123456"]}}
    top = match(client, {"v": vessel}).json()["responses"]["v"]["results"][0]
    assert top["id"] == "un-IMO"
    assert "identifier_match" in top["features"]


def test_threshold_sets_match_flag_and_limit_bounds_results(client: TestClient) -> None:
    body = match(client, {"q": KIM}, threshold=1.0, limit=1, cutoff=0.0).json()
    assert body["limit"] == 1
    assert len(body["responses"]["q"]["results"]) == 1
    body = match(client, {"q": KIM}, threshold=0.0, cutoff=0.0).json()
    assert all(r["match"] for r in body["responses"]["q"]["results"])


def test_algorithm_choice(client: TestClient) -> None:
    algos = client.get("/algorithms").json()
    names = [a["name"] for a in algos["algorithms"]]
    assert algos["default"] in names and algos["best"] in names
    for name in names + ["best", "default"]:
        assert match(client, {"q": KIM}, algorithm=name).status_code == 200
    bad = match(client, {"q": KIM}, algorithm="nope")
    assert bad.status_code == 400 and "nope" in bad.json()["detail"]


def test_unknown_dataset_is_404(client: TestClient) -> None:
    resp = match(client, {"q": KIM}, dataset="nowhere")
    assert resp.status_code == 404
    assert "default" in resp.json()["detail"]


def test_bad_queries_are_4xx_with_a_message(client: TestClient) -> None:
    cases = {
        "unknown schema": {"schema": "Spaceship", "properties": {"name": ["x"]}},
        "empty name": {"schema": "Person", "properties": {"name": ["  "]}},
        "no name": {"schema": "Person", "properties": {"birthDate": ["1970"]}},
    }
    for label, query in cases.items():
        resp = match(client, {"k": query})
        assert resp.status_code == 400, label
        assert resp.json()["detail"].startswith("query 'k'"), label


def test_a_value_that_cannot_be_read_is_left_out_and_named_never_failing_the_batch(client: TestClient) -> None:
    """As yente (followthemoney drops a value it cannot clean), with a warning naming it: one query's bad
    birth date or country neither fails the batch nor hides its party."""
    bad = {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "birthDate": ["unknown", "1984-01-08"],
                                              "nationality": ["Atlantis", "North Korea"]}}  # fmt: skip
    resp = match(client, {"bad": bad, "good": KIM})
    assert resp.status_code == 200, resp.text
    answer = resp.json()["responses"]
    assert answer["bad"]["results"][0]["id"] == answer["good"]["results"][0]["id"] == "un-KPi.033"
    assert answer["bad"]["warnings"] == [
        "birth_date 'unknown' could not be read; screened without it",
        "country 'Atlantis' could not be read; screened without it",
    ]
    assert answer["bad"]["query"]["properties"]["birthDate"] == ["1984-01-08"]
    assert answer["bad"]["query"]["properties"]["nationality"] == ["kp"]
    assert answer["good"]["warnings"] == []
    alone = match(client, {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "birthDate": ["n/a"]}}})
    assert alone.json()["responses"]["q"]["warnings"] == ["birth_date 'n/a' could not be read; screened on the name alone"]


def test_wrong_types_are_422(client: TestClient) -> None:
    for body in (
        {"queries": []},
        {"queries": {"q": {"schema": 5, "properties": {}}}},
        {"queries": {"q": {"schema": "Person"}}},
        [],
        "text",
        {"nothing": 1},
    ):
        resp = client.post("/match/default", json=body)
        assert resp.status_code == 422, body
        detail = resp.json()["detail"]
        assert detail and all({"loc", "msg"} <= set(d) for d in detail)
        assert "input" not in detail[0]


def test_no_queries_is_400(client: TestClient) -> None:
    resp = client.post("/match/default", json={"queries": {}})
    assert resp.status_code == 400


def test_names_from_parts(client: TestClient) -> None:
    query = {"schema": "Person", "properties": {"firstName": ["Ivan"], "lastName": ["Petrov"]}}
    assert match(client, {"q": query}).json()["responses"]["q"]["results"][0]["id"] == "uk-123"


def test_name_parts_are_screened_beside_a_name() -> None:
    """As yente (followthemoney's combine_names): the parts joined are names of the query even where a
    `name` is given, each combination of their values."""
    properties = {"name": ["Kim"], "firstName": ["Jong Un", "Jong-un"], "lastName": ["Kim"]}
    parsed = to_query("Person", properties)
    assert list(parsed.query.names) == ["Kim", "Jong Un Kim", "Jong-un Kim"]
    assert parsed.echo(properties)["alias"] == ["Jong Un Kim", "Jong-un Kim"]


def test_name_parts_find_a_party_a_short_name_misses(client: TestClient) -> None:
    query = {"schema": "Person", "properties": {"name": ["Kim"], "firstName": ["Jong Un"], "lastName": ["Kim"]}}
    assert match(client, {"q": query}).json()["responses"]["q"]["results"][0]["id"] == "un-KPi.033"

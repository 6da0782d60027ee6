"""Behaviour a yente client relies on, found by reading yente's source (routers/search.py, routers/match.py,
search/nested.py, search/search.py, search/queries.py, app.py) and checked black-box here."""

from __future__ import annotations

from typing import Any

from api_fixtures import entities, make_entity
from fastapi.testclient import TestClient
from followthemoney import model

from ftm_check import ftm_problems
from watchlist.api.app import create_app
from watchlist.api.ftm_labels import FTM_SCHEMATA, SCHEMA_COVERS
from watchlist.engine import Engine
from watchlist.model import Schema
from watchlist.settings import Settings

KIM = {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}


def ids(body: Any) -> list[str]:
    return [r["id"] for r in body["results"]]


def test_a_merged_id_is_redirected_to_its_party(client: TestClient) -> None:
    # yente's get_entity raises EntityRedirect for a referent; the routes answer 308 to the canonical id.
    for path, target in (
        ("/entities/ofac-20157", "/entities/un-KPi.033"),
        ("/entities/ofac-20157/adjacent", "/entities/un-KPi.033/adjacent"),
        ("/entities/ofac-20157/adjacent/sanctions", "/entities/un-KPi.033/adjacent/sanctions"),
    ):
        moved = client.get(path, params={"limit": 1}, follow_redirects=False)
        assert moved.status_code == 308 and moved.headers["location"] == f"{target}?limit=1", path
    followed = client.get("/entities/ofac-20157", params={"nested": "false"})
    assert followed.status_code == 200 and followed.json()["id"] == "un-KPi.033"
    assert "ofac-20157" in followed.json()["referents"]
    assert client.get("/entities/un-KPi.033", follow_redirects=False).status_code == 200


def test_nested_inlines_the_sanctions_as_yente(client: TestClient) -> None:
    nested = client.get("/entities/un-KPi.033").json()  # nested=true is yente's default
    sanctions = nested["properties"]["sanctions"]
    assert sorted(s["datasets"][0] for s in sanctions) == ["ofac_sdn", "un"]
    for sanction in sanctions:
        assert sanction["schema"] == "Sanction" and "entity" not in sanction["properties"]  # no link back
        assert ftm_problems(sanction) == []
    flat = client.get("/entities/un-KPi.033", params={"nested": "false"}).json()
    assert "sanctions" not in flat["properties"]
    assert {k: v for k, v in nested["properties"].items() if k != "sanctions"} == flat["properties"]
    tag = client.get("/entities/un-KPi.033").headers["etag"]
    assert client.get("/entities/un-KPi.033", params={"nested": "false"}).headers["etag"] != tag


def test_search_gives_one_result_per_party(client: TestClient) -> None:
    body = client.get("/search/default", params={"q": "Kim Jong Un"}).json()
    assert [(r["id"], r["referents"]) for r in body["results"]] == [("un-KPi.033", ["un-KPi.033", "ofac-20157"])]
    in_ofac = client.get("/search/ofac_sdn", params={"q": "Kim Jong Un"}).json()
    assert ids(in_ofac) == ["un-KPi.033"] and set(in_ofac["results"][0]["datasets"]) == {"un", "ofac_sdn"}
    for result in client.get("/search/default").json()["results"]:  # every id fetches without a redirect
        assert client.get(f"/entities/{result['id']}", follow_redirects=False).status_code == 200


def test_preflight_allows_any_request_header(anon: TestClient) -> None:
    pre = anon.options(
        "/match/default",
        headers={
            "Origin": "https://bank.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization,x-trace-id,traceparent",
        },
    )
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "*"


def test_match_limit_bounds_as_yente(client: TestClient) -> None:
    none = client.post("/match/default", json={"queries": {"q": KIM}}, params={"limit": 0})
    assert none.status_code == 200 and none.json()["responses"]["q"]["results"] == []
    assert none.json()["responses"]["q"]["total"]["value"] == 1 and none.json()["limit"] == 0
    assert client.post("/match/default", json={"queries": {"q": KIM}}, params={"limit": 500}).status_code == 200
    over = client.post("/match/default", json={"queries": {"q": KIM}}, params={"limit": 501})
    assert over.status_code == 422 and over.json()["detail"][0]["loc"] == ["query", "limit"]


def test_search_takes_any_followthemoney_schema(client: TestClient) -> None:
    def found(schema: str) -> list[str]:
        resp = client.get("/search/default", params={"schema": schema})
        assert resp.status_code == 200, (schema, resp.text)
        return ids(resp.json())

    assert found("Asset") == ["ofac-9000", "un-IMO"]  # a company and a vessel are FtM assets
    assert found("Vehicle") == ["un-IMO"]
    assert found("Address") == [] and found("Sanction") == []  # FtM schemata no listed party has
    assert found("Organization") == ["ofac-9000"] and len(found("LegalEntity")) == 3
    assert found("Company") == ["ofac-9000"]
    assert found("ship") == ["un-IMO"]  # our own spellings still work
    bad = client.get("/search/default", params={"schema": "Banana"})
    assert bad.status_code == 400 and "Banana" in bad.json()["detail"]


def test_a_schema_filter_takes_what_followthemoney_matches_it_with(settings: Settings) -> None:
    """As yente's search filter: the schema, FtM's `matchable_schemata` of it and, for a schema never
    matched itself, its descendants, among the FtM schemata of our entities."""
    ours = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
    for name in FTM_SCHEMATA:
        schema = model.get(name)
        taken = {s.name for s in schema.matchable_schemata} | {name}
        if not schema.matchable:
            taken |= {s.name for s in schema.descendants}
        assert SCHEMA_COVERS.get(name, frozenset()) == taken & ours, name
    legal = [make_entity("le-1", "Zenith Holdings", schema=Schema.LEGAL_ENTITY),
             make_entity("org-1", "Zenith Trading", schema=Schema.ORGANIZATION)]  # fmt: skip
    app = create_app(settings, Engine.from_entities([*entities(), *legal], settings=settings))
    key = app.state.keys.create("t")[1]
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        for schema, expected in (("Company", {"le-1", "org-1"}), ("Person", {"le-1"}), ("Vessel", set())):
            got = client.get("/search/default", params={"q": "Zenith", "schema": schema, "fuzzy": "true"}).json()
            assert set(ids(got)) == expected, schema
        browsed = ids(client.get("/search/default", params={"schema": "Person"}).json())
        assert "le-1" in browsed and "org-1" not in browsed


def test_facet_labels_as_yente(client: TestClient) -> None:
    facets = client.get("/search/default", params={"facets": ["topics", "schema"]}).json()["facets"]
    assert facets["topics"]["values"] == [{"name": "sanction", "label": "Sanctioned", "count": 4}]
    labels = {v["name"]: v["label"] for v in facets["schema"]["values"]}
    assert labels == {"Person": "People", "Company": "Companies", "Vessel": "Vessels"}
    assert facets["schema"]["label"] == "Entity types" and facets["topics"]["label"] == "Topics"
    names = client.get("/search/default", params={"q": "Acme", "facets": "names"}).json()["facets"]["names"]
    assert names["label"] == "Names" and names["values"] == [  # yente's `names` facet: each name as written
        {"name": "Acme Trade", "label": "Acme Trade", "count": 1},
        {"name": "Acme Trading LLC", "label": "Acme Trading LLC", "count": 1},
    ]
    datasets = client.get("/search/default", params={"facets": "datasets"}).json()["facets"]["datasets"]
    assert {v["name"]: v["label"] for v in datasets["values"]}["ofac_sdn"].startswith("US OFAC Specially")


def test_the_sanctions_collection_as_opensanctions_names_it(settings: Settings) -> None:
    # OpenSanctions' examples screen against `/match/sanctions`; a PEP-only entity is outside it.
    pep = make_entity("pep-1", "Kim Jong Pep", datasets=("peps",), extra=(("topics", "role.pep"),))
    app = create_app(settings, Engine.from_entities([*entities(), pep], settings=settings))
    key = app.state.keys.create("t")[1]
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Pep"]}}}}
        everything = client.post("/match/default", json=query, params={"cutoff": 0}).json()
        sanctioned = client.post("/match/sanctions", json=query, params={"cutoff": 0}).json()
        assert "pep-1" in ids(everything["responses"]["q"])
        assert ids(sanctioned["responses"]["q"]) and "pep-1" not in ids(sanctioned["responses"]["q"])
        assert "pep-1" not in ids(client.get("/search/sanctions").json())
        assert client.get("/search/sanctions").json()["total"]["value"] == 4
        listed = {d["name"]: d for d in client.get("/catalog").json()["datasets"]}
        assert listed["sanctions"]["children"] == ["ofac_sdn", "uk", "un"] and "sanctions" in listed
        assert client.get("/search/nope").status_code == 404
        recon = '{"q": {"query": "Kim Jong Pep", "type": "Person"}}'
        for path, has_pep in (("/reconcile/default", True), ("/reconcile/sanctions", False)):
            got = [r["id"] for r in client.post(path, data={"queries": recon}).json()["q"]["result"]]
            assert got and ("pep-1" in got) is has_pep, path
            suggest = client.get(f"{path}/suggest/entity", params={"prefix": "Kim Jong Pep"}).json()["result"]
            assert ("pep-1" in [r["id"] for r in suggest]) is has_pep, path


def test_query_echo_holds_every_property_of_the_schema(client: TestClient) -> None:
    # yente's Entity.from_example: the schema's properties (unknown ones dropped), the parts joined as an alias.
    properties = {"firstName": ["Kim"], "lastName": "Jong Un", "address": ["Pyongyang"], "gender": "male",
                  "banana": ["x"], "notes": [{"not": "text"}]}  # fmt: skip
    body = client.post(
        "/match/default", json={"queries": {"q": {"schema": "Person", "properties": properties}}}
    ).json()
    echo = body["responses"]["q"]["query"]["properties"]
    assert echo == {"firstName": ["Kim"], "lastName": ["Jong Un"], "alias": ["Kim Jong Un"],
                    "address": ["Pyongyang"], "gender": ["male"]}  # fmt: skip
    assert ids(body["responses"]["q"]) == ["un-KPi.033"]


def test_match_topics_take_any_one_of_them(client: TestClient) -> None:
    # yente's /match passes `topics` as one `terms` filter: a result needs one of them, not all.
    def found(topics: list[str]) -> list[str]:
        resp = client.post("/match/default", json={"queries": {"q": KIM}}, params={"topics": topics})
        return ids(resp.json()["responses"]["q"])

    assert found(["sanction", "role.pep"]) == ["un-KPi.033"]
    assert found(["role.pep", "crime"]) == [] and found(["sanction"]) == ["un-KPi.033"]


def test_match_schema_as_followthemoney_names_it(client: TestClient) -> None:
    def echoed(schema: str, name: str) -> tuple[str, list[str]]:
        query = {"schema": schema, "properties": {"name": [name]}}
        resp = client.post("/match/default", json={"queries": {"q": query}})
        assert resp.status_code == 200, (schema, resp.text)
        return resp.json()["responses"]["q"]["query"]["schema"], ids(resp.json()["responses"]["q"])

    assert echoed("PublicBody", "Acme Trading LLC") == ("PublicBody", ["ofac-9000"])  # yente-client sends it
    assert echoed("Airplane", "Ocean Star")[0] == "Airplane"  # FtM's name, never our `Aircraft`
    assert echoed("Aircraft", "Ocean Star")[0] == "Airplane"


def test_every_emitted_sanction_id_can_be_fetched(client: TestClient) -> None:
    # yente's nested entities are entities of the index: a client may fetch any id it was given.
    for sanction in client.get("/entities/un-KPi.033").json()["properties"]["sanctions"]:
        flat = client.get(f"/entities/{sanction['id']}", params={"nested": "false"}).json()
        assert flat["schema"] == "Sanction" and flat["properties"]["entity"] == ["un-KPi.033"]
        assert ftm_problems(flat) == []
        nested = client.get(f"/entities/{sanction['id']}").json()
        assert nested["properties"]["entity"][0]["id"] == "un-KPi.033"
    moved = client.get("/entities/ofac-20157-sanction-ofac_sdn", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/entities/un-KPi.033-sanction-ofac_sdn"
    for missing in ("un-KPi.033-sanction-eu", "nope-sanction-un", "-sanction-un"):
        assert client.get(f"/entities/{missing}").status_code == 404, missing


def test_search_finds_an_identifier(client: TestClient) -> None:
    # yente searches `q` in every value of an entity (its `text` field), identifiers included.
    def found(q: str, **params: str) -> list[str]:
        resp = client.get("/search/default", params={"q": q, **params})
        assert resp.status_code == 200, resp.text
        return ids(resp.json())

    assert found("9123456") == ["un-IMO"] and found("IMO 9123456") == ["un-IMO"]
    assert found("836410115") == ["un-KPi.033"]
    assert found("836410115", schema="Vessel") == [] and found("836410115", include_dataset="uk") == []
    assert found("99999999") == [] and found("Kim Jong Un 836410115") == ["un-KPi.033"]


def test_match_on_identifiers_alone(client: TestClient) -> None:
    # yente's /match takes a query without a name (a vessel by its IMO number) and matches its identifiers.
    def matched(query: dict[str, Any]) -> list[dict[str, Any]]:
        resp = client.post("/match/default", json={"queries": {"q": query}})
        assert resp.status_code == 200, resp.text
        return list(resp.json()["responses"]["q"]["results"])

    vessel = matched({"schema": "Vessel", "properties": {"imoNumber": ["IMO 9123456"]}})
    assert [(r["id"], r["score"], r["match"]) for r in vessel] == [("un-IMO", 1.0, True)]
    assert "no name" in vessel[0]["explanation"][0] and vessel[0]["features"] == {"identifier_match": 1.0}
    person = matched({"schema": "Person", "properties": {"passportNumber": "836410115"}})
    assert [(r["id"], r["referents"]) for r in person] == [("un-KPi.033", ["un-KPi.033", "ofac-20157"])]
    assert matched({"schema": "Company", "properties": {"passportNumber": "836410115"}}) == []  # not a person
    assert matched({"schema": "Vessel", "properties": {"imoNumber": ["9999999"]}}) == []
    bare = client.post("/match/default", json={"queries": {"q": {"schema": "Person", "properties": {}}}})
    assert bare.status_code == 400 and "identifier" in bare.json()["detail"]


def test_trace_context_is_answered_as_yente(anon: TestClient, client: TestClient) -> None:
    # yente's TraceContextMiddleware: the caller's trace id under a new parent id, its own tracestate first.
    given = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    resp = client.get("/healthz", headers={"traceparent": given, "tracestate": "congo=t61rcWkgMzE"})
    version, trace_id, parent_id, flags = resp.headers["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", "4bf92f3577b34da6a3ce929d0e0e4736", "01")
    assert parent_id != "00f067aa0ba902b7" and len(parent_id) == 16
    assert resp.headers["tracestate"] == f"watchlist={parent_id},congo=t61rcWkgMzE"
    for bad in (None, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"):
        fresh = anon.post("/match/default", json={}, headers={"traceparent": bad} if bad else {})
        assert fresh.status_code == 401 and len(fresh.headers["traceparent"].split("-")[1]) == 32
        assert fresh.headers["traceparent"].split("-")[1] != "0" * 32

"""`show` and `diff` for a party several lists publish: any record's id shows the party, with each
record beside the others; a record one list drops leaves the party listed, and `diff` says so."""

from __future__ import annotations

import json
from pathlib import Path

from test_alerts_cli import BETA, linked_lists_fixture, write_list  # noqa: F401  (fixture)


def test_show_accepts_any_referent_and_shows_records_side_by_side(linked_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", "b-1", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["id"] == "a-1" and data["referents"] == ["a-1", "b-1"]
    assert [(r["id"], r["datasets"]) for r in data["records"]] == [("a-1", ["alpha"]), ("b-1", ["beta"])]
    assert all("properties" in r and "list_published" in r and "listed_on" in r for r in data["records"])
    assert data["links"][0]["kind"] == "identifier" and "7201234567" in data["links"][0]["reason"]
    text = cli("show", "a-1")
    assert text.code == 0 and "Source records" in text.out


def test_party_dropped_by_one_list_stays_and_diff_says_so(linked_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("fetch", "--from", str(write_list(tmp_path, "beta", BETA[1:])), "--force")
    assert result.code == 0, result.err
    diff = json.loads(cli("diff", "beta", "--json").out)
    assert [r["id"] for r in diff["removed"]] == ["b-1"]
    assert diff["still_listed"] == {"b-1": {"party": "a-1", "records": ["a-1"], "lists": ["alpha"]}}
    assert "b-1 is still listed as party a-1 on alpha" in cli("diff", "beta").out
    screened = json.loads(cli("screen", "Ivan Petrovich Ivanov", "--json").out)["results"]
    assert [(r["id"], r["referents"]) for r in screened if r["match"]] == [("a-1", ["a-1"])]

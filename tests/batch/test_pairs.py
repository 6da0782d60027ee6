"""compare --pairs: the pairwise scorer over a file, in worker processes, in input order."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from watchlist.batch import pairs as pairs_module
from watchlist.batch.pairs import PairScore, score_pairs
from watchlist.cli.main import app
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError
from watchlist.match.types import Query
from watchlist.settings import Settings

PAIRS = [
    ("Kim Jong Un", "KIM, Jong Un", "Person"),
    ("Mansudae Art Studio", "MANSUDAE ART STUDIO", "Organization"),
    ("John Smith", "KIM, Jong Un", None),
    ("Ri Su Yong", "RI, Su-yong", "Person"),
    ("CHON MA SAN", "CHONMASAN", "Vessel"),
]


def test_workers_score_every_pair_as_one_process_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs_module, "PAIRS_PER_CHUNK", 3)  # several chunks, so the pool is used
    engine = Engine(Settings())
    pairs = PAIRS * 4
    expected = []
    for name1, name2, schema in pairs:
        result = engine.compare(Query.build(name1, schema=schema), name2)
        expected.append(PairScore(result.score, result.match))
    assert list(score_pairs(engine, pairs, workers=2)) == expected
    assert list(score_pairs(engine, pairs, workers=1)) == expected


def test_a_pair_that_cannot_be_scored_says_why() -> None:
    scored = list(score_pairs(Engine(Settings()), [("...", "KIM, Jong Un", None), *PAIRS[:1]], workers=1))
    assert scored[0].error is not None and "no letters or digits" in scored[0].error
    assert scored[1].error is None and scored[1].match


def test_a_name_paired_with_each_of_its_candidates_in_a_row_scores_as_compare_does() -> None:
    engine = Engine(Settings())
    run = [("Kim Jong Un", name2, "Person") for name2 in ("KIM, Jong Un", "KIM Jong Il", "", "PAK Pong Ju")]
    pairs = [*run, ("Kim Jong Un", "KIM, Jong Un", "Vessel"), ("...", "KIM, Jong Un", None), ("...", " ", None)]
    scored = list(score_pairs(engine, pairs, workers=1))
    for (name1, name2, schema), got in zip(pairs[:5], scored, strict=False):
        if name2:
            result = engine.compare(Query.build(name1, schema=schema), name2)
            assert got == PairScore(result.score, result.match)
    assert [s.match for s in scored[:4]] == [True, False, False, False]
    assert scored[2].error == "name2 is empty"
    assert scored[5].error is not None and "no letters or digits" in scored[5].error
    assert scored[6].error == "name2 is empty"


def _cli(tmp_path: Path, rows: list[dict[str, str]], *args: str) -> tuple[Result, Path]:
    source, out = tmp_path / "pairs.csv", tmp_path / "scored.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(app, ["compare", "--pairs", str(source), "--output", str(out), *args],
                                env={"WATCHLIST_HOME": str(tmp_path / "home")})
    return result, out


def test_the_cli_appends_score_and_match_to_each_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs_module, "PAIRS_PER_CHUNK", 2)
    rows = [{"name1": a, "name2": b, "schema": s or "", "ref": str(i)} for i, (a, b, s) in enumerate(PAIRS)]
    result, out = _cli(tmp_path, rows, "--workers", "2")
    assert result.exit_code == 0, result.output
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["ref"] for r in written] == [r["ref"] for r in rows]  # input order, input columns kept
    engine = Engine(Settings())
    assert [r["match"] for r in written] == [
        str(engine.compare(Query.build(a, schema=s), b).match).lower() for a, b, s in PAIRS
    ]
    assert [r["match"] for r in written[:3]] == ["true", "true", "false"]
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in written)


def test_the_cli_writes_every_row_and_counts_those_it_cannot_score(tmp_path: Path) -> None:
    rows = [{"name1": "Kim Jong Un", "name2": "KIM, Jong Un"}, {"name1": "...", "name2": "KIM, Jong Un"},
            {"name1": "Kim Jong Un", "name2": ""}, {"name1": "Kim Jong Un", "name2": "---"},
            {"name1": "Ri Su Yong", "name2": "RI, Su-yong"}]
    result, out = _cli(tmp_path, rows)
    assert result.exit_code == 0, result.output
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["name1"], r["name2"]) for r in written] == [(r["name1"], r["name2"]) for r in rows]
    assert [r["match"] for r in written] == ["true", "", "", "", "true"]
    assert [r["score"] == "" for r in written] == [False, True, True, True, False]
    assert written[0]["error"] == "" and "no letters or digits" in written[1]["error"]
    assert written[2]["error"] == "name2 is empty" and "'---' has no letters or digits" in written[3]["error"]
    assert "scored 2 of 5 pairs: 2 matches, 3 not scored" in result.stderr


def test_a_name2_with_nothing_to_compare_is_an_error_not_a_score_of_0() -> None:
    scored = list(score_pairs(Engine(Settings()), [("Kim Jong Un", "!!!", None)], workers=1))
    assert scored == [PairScore(error="the name '!!!' has no letters or digits to match on")]


def test_a_missing_pairs_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["compare", "--pairs", str(tmp_path / "nope.csv")],
                                env={"WATCHLIST_HOME": str(tmp_path / "home")})
    assert isinstance(result.exception, QueryError | NotFoundError)
    assert result.exception.message == f"pairs file {tmp_path / 'nope.csv'} does not exist"


def test_the_cli_names_missing_columns(tmp_path: Path) -> None:
    result, _ = _cli(tmp_path, [{"first": "a", "second": "b"}])
    assert isinstance(result.exception, QueryError)
    assert "missing column(s) name1, name2" in result.exception.message

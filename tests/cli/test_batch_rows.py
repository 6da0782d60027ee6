"""`batch`: a row whose qualifier cannot be read is screened on its name, with a warning naming the field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROWS = [
    {"id": "r1", "schema": "Person", "name": "Ivan Petrovich Ivanov", "birth_date": "31/31/1970", "country": "",
     "id_number": ""},
    {"id": "r2", "schema": "Person", "name": "Ivan Petrovich Ivanov", "birth_date": "1970", "country": "Narnia",
     "id_number": ""},
    {"id": "r3", "schema": "Vessel", "name": "Ocean Star", "birth_date": "", "country": "", "id_number": "n/a"},
    {"id": "r4", "schema": "Persn", "name": "Ivan Petrovich Ivanov", "birth_date": "", "country": "",
     "id_number": ""},
    {"id": "r5", "schema": "Person", "name": "", "birth_date": "1970", "country": "", "id_number": ""},
]


def write_rows(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def test_unreadable_qualifiers_are_warnings_not_lost_rows(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(write_rows(tmp_path / "in.csv")), "--output", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0, result.err
    lines = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert lines["r1"]["warnings"] == ["birth_date '31/31/1970' could not be read; screened on the name alone"]
    assert lines["r2"]["warnings"] == ["country 'Narnia' could not be read; screened without it"]
    assert lines["r3"]["warnings"] == ["id_number 'n/a' could not be read; screened on the name alone"]
    assert lines["r4"]["warnings"] == ["schema 'Persn' could not be read; screened against every schema"]
    for row_id, listed in (("r1", "t-1"), ("r2", "t-1"), ("r3", "t-2"), ("r4", "t-1")):
        assert "error" not in lines[row_id]
        assert lines[row_id]["matches"][0]["id"] == listed and lines[row_id]["matches"][0]["match"], row_id
    assert "warnings" not in lines["r5"] and lines["r5"]["error"]  # no name: nothing to screen
    assert "5 rows" in result.err and "1 unusable, 4 with a warning" in result.err


def test_warnings_in_csv_output(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    result = cli("batch", str(write_rows(tmp_path / "in.csv")), "--output", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    first = next(r for r in rows if r["query_id"] == "r1")
    assert first["warnings"] == "birth_date '31/31/1970' could not be read; screened on the name alone"
    assert first["entity_id"] == "t-1" and first["error"] == ""


def test_worker_rows_replaces_workers_as_asked_and_refuses_a_negative_count(  # type: ignore[no-untyped-def]
        mini_lists: Path, tmp_path: Path, cli, monkeypatch) -> None:
    # Fewer rows a worker hold each worker's memory lower (docs/batch.md): the flag reaches the run, and
    # workers replaced after every row write what one process writes.
    from watchlist.batch.local import LocalBatch

    asked: list[int] = []
    run = LocalBatch.run

    def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(self.options.worker_rows)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(LocalBatch, "run", recording)
    source = write_rows(tmp_path / "in.csv")
    one, replaced = tmp_path / "one.jsonl", tmp_path / "replaced.jsonl"
    assert cli("batch", str(source), "-o", str(one), "--no-progress", "--workers", "1").code == 0
    result = cli("batch", str(source), "-o", str(replaced), "--no-progress", "--workers", "2", "--chunk-size", "1",
                 "--worker-rows", "1")
    assert result.code == 0, result.err
    assert asked == [25_000, 1] and replaced.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    refused = cli("batch", str(source), "-o", str(tmp_path / "x.jsonl"), "--worker-rows", "-1")
    assert refused.code == 2 and "--worker-rows must be 0" in refused.err


def test_an_option_of_the_other_engine_is_refused_not_ignored(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    source = write_rows(tmp_path / "in.csv")
    for engine, option, value in (("spark", "--workers", "2"), ("spark", "--worker-rows", "100"),
                                  ("local", "--spark-master", "local[2]"), ("local", "--partitions", "4")):
        out = tmp_path / "out.jsonl"
        result = cli("batch", str(source), "-o", str(out), "--no-progress", "--engine", engine, option, value)
        assert result.code == 2 and f"{option} applies to --engine " in result.err, (engine, option, result.err)
        assert len(result.err.strip().splitlines()) == 1 and not out.exists()

"""`--dataset` takes a dataset's FtM name or its older hyphenated spelling (`ofac_sdn` or `ofac-sdn`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def hyphenated_list(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WATCHLIST_HOME", str(tmp_path / "home"))
    path = tmp_path / "my-list.ftm.json"  # the source is named after its file: `my-list`
    entity = {"id": "x-1", "schema": "Person", "properties": {"name": ["Ivan Petrovich IVANOV"]}}
    path.write_text(json.dumps(entity) + "\n")
    assert cli("fetch", "--from", str(path)).code == 0
    return path


@pytest.mark.parametrize("name", ["my-list", "my_list"])
def test_either_spelling_names_the_dataset(hyphenated_list: Path, cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", "Ivan Petrovich Ivanov", "--dataset", name)
    assert result.code == 0 and "x-1" in result.out


def test_another_name_is_still_refused(hyphenated_list: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", "Ivan Petrovich Ivanov", "--dataset", "my_other_list")
    assert result.code != 0 and "my_other_list" in result.err

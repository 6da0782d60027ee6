"""A name field that holds more than one name, or a note beside the name (sources.common.name_parts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.model import NameKind, Schema
from watchlist.sources import load_paths
from watchlist.sources.common import EntityBuilder, name_parts

LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists"


@pytest.mark.parametrize(
    "field, names",
    [
        ("Azim Adhajani; Azim Agha-Jani", ["Azim Adhajani", "Azim Agha-Jani"]),
        ("Encep Nurjaman (birth name)", ["Encep Nurjaman"]),
        ("Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239)",
         ["Safia Farkash Mohammed Al-Hadad"]),
        ("Khirullah Said Wali Khairkhwa, born in Kandahar on 01 Jan.1967", ["Khirullah Said Wali Khairkhwa"]),
        ("Mohammad Ishaq Akhund born in 1963", ["Mohammad Ishaq Akhund"]),
        # 'born' as a word of the name is the name's
        ("SEA BORN 1", ["SEA BORN 1"]), ("Born Free Shipping", ["Born Free Shipping"]),
        ("Reborn in Peace Trading", ["Reborn in Peace Trading"]), ("Ali (Abu Name)", ["Ali (Abu Name)"]),
    ],
)
def test_each_name_of_a_field_without_its_note(field: str, names: list[str]) -> None:
    assert name_parts(field) == names


def test_the_names_after_the_first_of_a_primary_field_are_aliases() -> None:
    builder = EntityBuilder("x-1", Schema.PERSON, "x")
    builder.add_name("Halen Bakhtiar; Haleh Bakhtiari")
    assert [(n.value, n.kind) for n in builder.names] == [
        ("Halen Bakhtiar", NameKind.NAME), ("Haleh Bakhtiari", NameKind.ALIAS)
    ]


def test_a_field_of_separators_alone_is_kept_as_written() -> None:
    builder = EntityBuilder("x-1", Schema.PERSON, "x")
    builder.add_name(" ; ")
    assert [(n.value, n.kind) for n in builder.names] == [(";", NameKind.NAME)]


@given(st.lists(st.text(alphabet="abcXYZ ;,()é", max_size=12), max_size=4).map(";".join))
def test_no_name_with_a_letter_is_lost(field: str) -> None:
    parts = name_parts(field)
    assert all(p and p == p.strip() and ";" not in p for p in parts)
    assert len(parts) == len(set(parts))
    for written in field.split(";"):
        if any(c.isalpha() for c in written):
            assert any(p in written for p in parts), (written, parts)


@pytest.mark.integration
def test_the_un_list_gives_each_name_of_a_field_as_a_name() -> None:
    path = LISTS / "un" / "consolidated.xml"
    if not path.exists():
        pytest.fail(f"shared list file missing: {path}")
    (parsed,) = load_paths([path])
    names = [n.value for e in parsed.entities() for n in e.names]
    assert not [n for n in names if ";" in n]
    assert "Azim Agha-Jani" in names and "Azim Adhajani" in names

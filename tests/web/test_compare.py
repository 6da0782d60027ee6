"""Field-by-field comparison of a screened record with a listed entity."""

from __future__ import annotations

from tests.conftest import make_entity

from watchlist.model import Identifier, IdType
from watchlist.web.compare import compare_record


def marks(record: dict[str, object], **fields: object) -> dict[str, str]:
    entity = make_entity("x", "KIM Jong Sik", **fields)  # type: ignore[arg-type]
    return {row.field: row.mark for row in compare_record(record, entity)}


def test_agreeing_fields() -> None:
    got = marks({"name": "Kim Jong-sik", "birth_date": "1967-04-02", "country": "North Korea",
                 "id_number": "PD 836410105", "schema": "person"},
                birth_dates=("1967",), nationalities=("kp",),
                identifiers=(Identifier(IdType.PASSPORT, "PD836410105"),))
    assert got == {"Name": "agree", "Type": "agree", "Birth date": "agree", "Country": "agree",
                   "Identifiers": "agree"}


def test_conflicting_fields() -> None:
    got = marks({"name": "Park Chol", "birth_date": "1990", "country": "fr", "id_number": "X1",
                 "schema": "Vessel"},
                birth_dates=("1967",), nationalities=("kp",), identifiers=(Identifier(IdType.PASSPORT, "PD1"),))
    assert set(got.values()) == {"conflict"}


def test_missing_and_ranges() -> None:
    got = marks({"name": "Kim Jong Sik", "birth_date": "1969"}, birth_dates=("1968/1970",))
    assert got["Birth date"] == "agree"
    assert got["Country"] == got["Identifiers"] == got["Type"] == "missing"
    assert marks({"name": "Kim Jong Sik", "dob": ["1950", "1967-05"]}, birth_dates=("1967",))["Birth date"] == "agree"

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


def test_names_marked_by_the_engines_own_score() -> None:
    """An alert the matcher scored a match never shows its names as a conflict (each comparison exists once)."""
    from watchlist.engine import compare

    entity = make_entity("ofac-42073", "KHUSNULLIN, Marat Shakirzyanovich", birth_dates=("1966-08-09",))
    score = compare("Marat Khusnullin", entity.names[0].value, "Person").score
    (name_row,) = [r for r in compare_record({"name": "Marat Khusnullin", "schema": "Person"}, entity)
                   if r.field == "Name"]
    assert name_row.mark == "agree" and f"{score:.0%}" in name_row.note
    unlike = compare_record({"name": "Maria Gonzalez"}, entity)[0]
    assert unlike.mark == "conflict"


def test_same_year_other_day_is_what_the_matcher_says() -> None:
    got = compare_record({"name": "Kim Jong Sik", "birth_date": "1967-01-01"},
                         make_entity("x", "KIM Jong Sik", birth_dates=("1967-04-02",)))
    assert got[2].mark == "conflict" and "does not count" in got[2].note

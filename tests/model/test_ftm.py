"""The FtM view of entities (`watchlist.model.ftm`), checked with followthemoney's own model."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.types import registry

from ftm_check import ftm_problems
from watchlist.model import (
    Entity,
    Identifier,
    IdType,
    Name,
    Schema,
    Seen,
    ftm_dataset_name,
    same_dataset,
    to_ftm,
)
from watchlist.model.ftm import FTM_ENTITY_PROPERTIES, FTM_PROPERTIES, yente_timestamp
from watchlist.sources import entities_from_paths

LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists"


def test_property_tables_match_followthemoney() -> None:
    for name, props in FTM_PROPERTIES.items():
        schema = model.get(name)
        assert schema is not None
        expected = {p.name for p in schema.properties.values() if p.type != registry.entity and not p.stub}
        assert props == expected, name
        entity_props = {p.name for p in schema.properties.values() if p.type == registry.entity}
        assert FTM_ENTITY_PROPERTIES[name] == entity_props, name


def test_dataset_names_in_ftm_form() -> None:
    assert ftm_dataset_name("ofac-sdn") == "ofac_sdn"
    assert ftm_dataset_name("OFAC Cons") == "ofac_cons"
    assert ftm_dataset_name("un") == "un"
    assert same_dataset("ofac-sdn", "ofac_sdn") and not same_dataset("ofac-sdn", "ofac-cons")


def test_schema_extras_and_dates_become_ftm() -> None:
    plane = Entity(
        id="ofac-1",
        schema=Schema.AIRCRAFT,
        names=(Name("Il-76"),),
        datasets=("ofac-sdn",),
        identifiers=(Identifier(IdType.AIRCRAFT_SERIAL, "0013"),),
        extra=(("linkedTo", "Mahan Air"), ("fax", "+98 21 4884 5000"), ("unReference", "IRe.001")),
    )
    data = to_ftm(plane)
    assert data["schema"] == "Airplane" and data["datasets"] == ["ofac_sdn"]
    assert "Linked to: Mahan Air" in data["properties"]["notes"]
    assert "UN reference: IRe.001" in data["properties"]["notes"]
    assert data["properties"]["serialNumber"] == ["0013"]
    assert ftm_problems(data) == []
    person = Entity(
        id="un-1",
        schema=Schema.PERSON,
        names=(Name("A B"),),
        birth_dates=("1968/1970",),
        listed_on=("2010-03-01",),
        extra=(("fax", "+850 2 381 4410"), ("gender", "male")),
    )
    data = to_ftm(person, Seen("2026-01-02T03:04:05Z", "2026-02-01T00:00:00+00:00", "2026-01-02T03:04:05Z"))
    assert data["properties"]["birthDate"] == ["1968", "1970"]
    assert data["properties"]["createdAt"] == ["2010-03-01"]  # the listing date
    assert data["properties"]["phone"] == ["+850 2 381 4410"]
    assert data["first_seen"] == "2026-01-02T03:04:05" and data["last_seen"] == "2026-02-01T00:00:00"
    assert ftm_problems(data) == []


def test_values_of_the_wrong_shape_go_to_notes() -> None:
    entity = Entity(
        id="x",
        schema=Schema.VESSEL,
        names=(Name("Ship"),),
        extra=(("flag", "None Identified"), ("email", "NOT@VALID"), ("website", "see remarks below")),
    )
    props = to_ftm(entity)["properties"]
    assert "flag" not in props and "email" not in props and "website" not in props
    assert "flag: None Identified" in props["notes"]
    assert ftm_problems(to_ftm(entity)) == []


def test_timestamps_as_yente_writes_them() -> None:
    assert yente_timestamp("2026-12-04T14:41:23.123456+00:00") == "2026-12-04T14:41:23"
    assert yente_timestamp("2026-12-04") == "2026-12-04T00:00:00"
    assert yente_timestamp(None) is None


@pytest.mark.integration
@pytest.mark.slow
def test_every_shared_list_entity_loads_in_followthemoney() -> None:
    """All 21k entities of the shared lists: FtM names everywhere; FtM rejects only some phone numbers
    as the lists write them (libphonenumber finds their digit counts wrong), and those are kept."""
    paths = [
        LISTS / "un",
        LISTS / "uk",
        LISTS / "ftm",
        LISTS / "ofac" / "sdn_2024-05-03",
        LISTS / "ofac" / "cons_2025-12",
    ]
    entities = entities_from_paths(paths)
    assert len(entities) > 20_000
    exported = [to_ftm(e) for e in entities]
    problems = [(d["id"], p) for d in exported for p in ftm_problems(d, lenient=frozenset({"phone"}))]
    assert problems == []
    phones = [v for d in exported for v in d["properties"].get("phone", [])]
    rejected = [v for v in phones if registry.phone.clean(v) is None]
    assert len(phones) > 400 and len(rejected) <= 0.1 * len(phones)  # measured: 40 of 446

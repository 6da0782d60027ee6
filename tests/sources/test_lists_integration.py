"""The parsers against the real list files in ../shared/data/lists (read once per module)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from watchlist.model import Entity, IdType, NameKind, Schema
from watchlist.sources import ParsedList, load_paths

LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists"
pytestmark = pytest.mark.integration


def _load(*parts: str) -> tuple[ParsedList, dict[str, Entity]]:
    path = LISTS.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"shared list file missing: {path}")
    (parsed,) = load_paths([path])
    entities: dict[str, Entity] = {}
    for entity in parsed.entities():
        assert entity.id not in entities, f"duplicate id {entity.id}"
        entities[entity.id] = entity
    return parsed, entities


def _by_schema(entities: dict[str, Entity]) -> Counter[str]:
    return Counter(e.schema.value for e in entities.values())


@pytest.fixture(scope="module")
def un() -> tuple[ParsedList, dict[str, Entity]]:
    return _load("un", "consolidated.xml")


@pytest.fixture(scope="module")
def sdn_2024() -> tuple[ParsedList, dict[str, Entity]]:
    return _load("ofac", "sdn_2024-05-03")


@pytest.fixture(scope="module")
def sdn_2021() -> tuple[ParsedList, dict[str, Entity]]:
    return _load("ofac", "sdn_2021-07_watchman_bench")


@pytest.fixture(scope="module")
def cons() -> tuple[ParsedList, dict[str, Entity]]:
    return _load("ofac", "cons_2025-12")


@pytest.fixture(scope="module")
def uk() -> tuple[ParsedList, dict[str, Entity]]:
    return _load("uk", "ConList_2025-04-10.xlsx")


# -- UN ------------------------------------------------------------------------


def test_un_counts_and_metadata(un: tuple[ParsedList, dict[str, Entity]]) -> None:
    parsed, entities = un
    assert (parsed.source, parsed.format) == ("un", "un-xml")
    assert parsed.published == "2026-02-27T00:00:09.554Z"
    assert _by_schema(entities) == {"Person": 730, "Organization": 273}


def test_un_mansudae(un: tuple[ParsedList, dict[str, Entity]]) -> None:
    entity = un[1]["un-KPe.050"]
    assert entity.caption == "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES"
    assert entity.schema is Schema.ORGANIZATION
    assert "Mansudae Art Studio" in entity.names_of(NameKind.ALIAS)
    assert entity.programs == ("DPRK",)
    assert entity.listed_on == ("2017-08-05",)
    assert "kp" in entity.countries


def test_un_ids_are_stripped(un: tuple[ParsedList, dict[str, Entity]]) -> None:
    assert "un-KPe.051" in un[1]  # the file has 'KPe.051 ' with a trailing space


def test_un_person_details(un: tuple[ParsedList, dict[str, Entity]]) -> None:
    entities = un[1]
    gaston = entities["un-CDi.003"]
    assert gaston.names_of(NameKind.WEAK_ALIAS) == ("Rumuli",)
    assert gaston.nationalities == ("rw",)
    assert gaston.extra_values("gender") == ("male",)
    assert "FDLR Interim President" in gaston.extra_values("position")
    several = [e for e in entities.values() if len(e.birth_dates) >= 3]
    assert several, "some UN individuals have several birth dates"
    assert any("/" in d for e in entities.values() for d in e.birth_dates), "BETWEEN dates give intervals"
    assert all(len(d.split("/")[0]) >= 4 for e in entities.values() for d in e.birth_dates)


def test_un_original_script_and_documents(un: tuple[ParsedList, dict[str, Entity]]) -> None:
    entities = un[1].values()
    originals = [n for e in entities for n in e.names if n.original_script]
    assert len(originals) > 300
    kinds = Counter(i.type for e in entities for i in e.identifiers)
    assert kinds[IdType.PASSPORT] > 250 and kinds[IdType.NATIONAL_ID] > 100


# -- OFAC ------------------------------------------------------------------------


def test_sdn_2024_counts(sdn_2024: tuple[ParsedList, dict[str, Entity]]) -> None:
    parsed, entities = sdn_2024
    assert (parsed.source, parsed.format, parsed.published) == ("ofac-sdn", "ofac-csv", None)
    assert len(entities) == 14965
    assert _by_schema(entities) == {"Person": 6854, "Organization": 6884, "Vessel": 851, "Aircraft": 376}
    assert any("alias file" in note for note in parsed.notes)


def test_sdn_2024_khusnullin(sdn_2024: tuple[ParsedList, dict[str, Entity]]) -> None:
    entity = sdn_2024[1]["ofac-42073"]
    assert entity.caption == "KHUSNULLIN, Marat Shakirzyanovich"
    assert entity.birth_dates == ("1966-08-09",)
    assert entity.birth_places == ("Kazan, Tatarstan, Russia",)
    assert entity.nationalities == ("ru",)
    assert entity.programs == ("RUSSIA-EO14024",)
    assert entity.identifier_values(IdType.TAX_ID) == ("165500496700",)
    assert entity.extra_values("gender") == ("male",)


def test_sdn_2024_vessels_and_remarks(sdn_2024: tuple[ParsedList, dict[str, Entity]]) -> None:
    entities = sdn_2024[1]
    ebano = entities["ofac-4243"]
    assert ebano.schema is Schema.VESSEL
    assert ebano.identifier_values(IdType.IMO) == ("7406784",)
    assert set(ebano.names_of(NameKind.PREVIOUS_NAME)) == {"ANA I", "SAND SWAN"}
    assert ebano.extra_values("flag") == ("pa",)
    bnc = entities["ofac-306"]
    assert bnc.names_of(NameKind.WEAK_ALIAS) == ("BNC",)
    values = list(entities.values())
    with_imo = sum(1 for e in values if e.identifier_values(IdType.IMO))
    assert with_imo > 800
    assert sum(1 for e in values if e.identifier_values(IdType.MMSI)) > 100
    assert sum(1 for e in values if e.identifier_values(IdType.CRYPTO_WALLET)) > 50
    assert sum(1 for e in values if e.identifier_values(IdType.PASSPORT)) > 500
    assert sum(1 for e in values if len(e.birth_dates) > 1) > 300
    assert sum(1 for e in values if e.extra_values("linkedTo")) > 3000
    intervals = [d for e in values for d in e.birth_dates if "/" in d]
    assert intervals and all(len(d) >= 9 for d in intervals)


def test_sdn_2021_full_set(sdn_2021: tuple[ParsedList, dict[str, Entity]]) -> None:
    parsed, entities = sdn_2021
    assert len(parsed.files) == 4 and parsed.notes == []
    assert _by_schema(entities) == {"Person": 4620, "Organization": 3673, "Vessel": 406, "Aircraft": 277}
    assert "ofac-42073" not in entities
    bnc = entities["ofac-306"]
    assert "NATIONAL BANK OF CUBA" in bnc.names_of(NameKind.ALIAS)
    assert any(a.country == "ch" for a in bnc.addresses)
    # sdn_comments.csv continues the remarks of ent_num 28264
    assert "blackjack1987" in entities["ofac-28264"].names_of(NameKind.WEAK_ALIAS)


def test_cons_and_shared_ids(
    cons: tuple[ParsedList, dict[str, Entity]], sdn_2024: tuple[ParsedList, dict[str, Entity]]
) -> None:
    parsed, entities = cons
    assert parsed.source == "ofac-cons" and len(entities) == 442
    assert _by_schema(entities)["Person"] == 79
    haniya = entities["ofac-9639"]
    assert haniya.birth_dates == ("1962",) and "HANIYA, Ismail" in haniya.names_of(NameKind.ALIAS)
    both = set(entities) & set(sdn_2024[1])
    # One id space: a party on both lists has one id. (A naive `cut -d, -f1 | comm` count
    # says 62, but one of those "ids" is the 0x1A end-of-file byte both files end with.)
    assert len(both) == 61
    for eid in both:
        merged = sdn_2024[1][eid].merge(entities[eid])
        assert merged.datasets == ("ofac-sdn", "ofac-cons")


# -- UK ------------------------------------------------------------------------------


def test_uk_counts(uk: tuple[ParsedList, dict[str, Entity]]) -> None:
    parsed, entities = uk
    assert (parsed.source, parsed.format, parsed.published) == ("uk", "uk-xlsx", "2025-04-10")
    assert _by_schema(entities) == {"Person": 3662, "Organization": 1009, "Vessel": 15}


def test_uk_khusnullin(uk: tuple[ParsedList, dict[str, Entity]]) -> None:
    entity = uk[1]["uk-14642"]
    assert entity.caption == "Marat Shakirzyanovich KHUSNULLIN"
    original = [n for n in entity.names if n.original_script]
    assert original and original[0].value == "ХУСНУЛЛИН Марат Шакирзянович" and original[0].lang == "ru"
    assert entity.birth_dates == ("1966-08-09",)
    assert entity.nationalities == ("ru",)
    assert entity.extra_values("ukSanctionsListRef") == ("RUS0691",)


def test_uk_ships_and_unknown_dates(uk: tuple[ParsedList, dict[str, Entity]]) -> None:
    entities = uk[1]
    ship = entities["uk-13651"]
    assert ship.schema is Schema.VESSEL and ship.identifier_values(IdType.IMO) == ("7408873",)
    assert "kp" in ship.countries
    assert all(e.identifier_values(IdType.IMO) for e in entities.values() if e.schema is Schema.VESSEL)
    # '00/00/1961' -> '1961'
    assert any(d == "1961" for e in entities.values() for d in e.birth_dates)


# -- FtM and the whole folder ------------------------------------------------------


def test_ftm_files() -> None:
    lists = {p.source: p for p in load_paths([LISTS / "ftm"])}
    assert set(lists) == {"yente_t1_entities", "yente_zala_entities"}
    t1 = list(lists["yente_t1_entities"].entities())
    assert Counter(e.schema.value for e in t1) == {"Person": 4, "Organization": 2}
    assert all(e.datasets == ("eu_fsf",) for e in t1)
    zala = {e.id: e for e in lists["yente_zala_entities"].entities()}
    assert all(e.schema.is_party or e.schema is Schema.VESSEL for e in zala.values())
    assert sum(1 for e in zala.values() if e.programs) >= 5  # Sanction entities folded in


def test_whole_folder() -> None:
    lists = load_paths([LISTS])
    sources = Counter(p.source for p in lists)
    assert sources == {
        "un": 1, "ofac-sdn": 2, "ofac-cons": 1, "uk": 1, "yente_t1_entities": 1, "yente_zala_entities": 1,
    }  # fmt: skip  (orphan OFAC supplement folders and README.md are skipped)

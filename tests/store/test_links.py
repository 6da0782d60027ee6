"""Cross-list links: records of one party joined by what the lists say, never by a name alone."""

from __future__ import annotations

import pytest
from tests.conftest import LISTS, make_entity

from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.model import Address, Identifier, IdType
from watchlist.sources import entities_from_paths
from watchlist.sources.common import un_reference
from watchlist.store.links import link_records, regime_countries

UN = make_entity("un-KPe.050", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization",
                 datasets=("un",), countries=("kp",), programs=("DPRK",), listed_on=("2017-08-05",))
UK = make_entity("uk-13538", "Mansudae Overseas Project Group", "Organization", datasets=("uk",),
                 programs=("Democratic People's Republic of Korea",), extra=(("unReference", "KPe.050"),))


def test_un_reference_parsed_from_narrative() -> None:
    assert un_reference("KPe.050. Mansudae Overseas Project Group of Companies engaged in ...") == "KPe.050"
    assert un_reference("QDE.145. Associated with ...") == "QDe.145"
    assert un_reference("no reference here") is None


def test_link_by_un_reference_keeps_reason() -> None:
    party = link_records([UN, UK]).party("uk-13538")
    assert party.id == "un-KPe.050" and party.referents == ("un-KPe.050", "uk-13538")
    assert [link.kind for link in party.links] == ["un_reference"]
    assert "KPe.050" in party.links[0].reason


def test_link_by_identifier_of_same_kind_and_country() -> None:
    a = make_entity("ofac-1", "IVANOV, Ivan", datasets=("ofac-sdn",),
                    identifiers=(Identifier(IdType.PASSPORT, "7201 23456", "ru"),))
    b = make_entity("uk-9", "Ivan Petrovich IVANOV", datasets=("uk",),
                    identifiers=(Identifier(IdType.PASSPORT, "720123456"),))
    other_country = make_entity("eu-3", "Ivan IVANOV", datasets=("eu",),
                                identifiers=(Identifier(IdType.PASSPORT, "720123456", "by"),))
    other_kind = make_entity("ftm-4", "Ivan IVANOV", datasets=("ftm",),
                             identifiers=(Identifier(IdType.TAX_ID, "720123456", "ru"),))
    linkage = link_records([a, b, other_kind])
    assert linkage.party("uk-9").referents == ("ofac-1", "uk-9")
    assert linkage.party("uk-9").links[0].kind == "identifier"
    assert "passportNumber 720123456 (ru)" in linkage.party("uk-9").links[0].reason
    assert linkage.party("ftm-4").referents == ("ftm-4",)
    assert link_records([a, other_country]).parties() == []
    # the number without a country could be either country's: it links to neither
    assert link_records([a, b, other_country]).parties() == []


def test_imo_number_links_vessels() -> None:
    a = make_entity("un-1", "CHON MA SAN", "Vessel", datasets=("un",), identifiers=(Identifier(IdType.IMO, "8660313"),))
    b = make_entity("ofac-2", "CHONMASAN", "Vessel", datasets=("ofac-sdn",),
                    identifiers=(Identifier(IdType.IMO, "IMO 8660313"),))
    assert link_records([a, b]).party("ofac-2").id == "un-1"


def test_name_alone_never_links() -> None:
    a = make_entity("ofac-1", "GLOBAL TRADING LLC", "Organization", datasets=("ofac-sdn",))
    b = make_entity("uk-1", "Global Trading LLC", "Organization", datasets=("uk",))
    assert link_records([a, b]).parties() == []


def test_same_name_and_birth_year_stay_two_people() -> None:
    a = make_entity("ofac-1", "KIM, Chol", datasets=("ofac-sdn",), birth_dates=("1970",), nationalities=("kp",))
    b = make_entity("uk-1", "Chol KIM", datasets=("uk",), birth_dates=("1970",), nationalities=("kp",))
    c = make_entity("eu-1", "Chol KIM", datasets=("eu",), birth_dates=("1970-01-02",), nationalities=("kp",))
    d = make_entity("un-1", "KIM CHOL", datasets=("un",), birth_dates=("1970-05-06",), nationalities=("kp",))
    linkage = link_records([a, b, c, d])
    assert linkage.parties() == []
    engine = Engine.from_entities([a, b, c, d])
    hits = engine.screen(Query.build("Kim Chol", schema="Person", birth_date="1970"))
    assert len(hits) == 4 and all(hit.referents == () for hit in hits)


def test_same_name_and_full_birth_date_link_people() -> None:
    a = make_entity("ofac-42073", "KHUSNULLIN, Marat Shakirzyanovich", datasets=("ofac-sdn",),
                    birth_dates=("1966-08-09",))
    b = make_entity("uk-14642", "Marat Shakirzyanovich KHUSNULLIN", datasets=("uk",), birth_dates=("1966-08-09",))
    party = link_records([a, b]).party("uk-14642")
    assert party.id == "ofac-42073" and party.links[0].kind == "name_birth_date"


def test_same_name_and_regime_country_link_organisations() -> None:
    ofac = make_entity("ofac-20578", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization",
                       datasets=("ofac-sdn",), programs=("DPRK3",))
    elsewhere = make_entity("eu-7", "Mansudae Overseas Project Group of Companies", "Organization",
                            datasets=("eu",), addresses=(Address("Windhoek", country="na"),))
    assert regime_countries(ofac) == {"kp"}
    linkage = link_records([UN, ofac, elsewhere])
    assert linkage.party("ofac-20578").referents == ("un-KPe.050", "ofac-20578")
    assert linkage.party("eu-7").referents == ("eu-7",)


def test_records_of_one_list_are_never_one_party() -> None:
    a = make_entity("uk-1", "Chol KIM", datasets=("uk",), birth_dates=("1970-01-02",))
    b = make_entity("uk-2", "KIM Chol", datasets=("uk",), birth_dates=("1970-01-02",))
    c = make_entity("uk-3", "Chol KIM", datasets=("uk",), extra=(("unReference", "KPi.001"),))
    un = make_entity("un-KPi.001", "KIM CHOL", datasets=("un",), birth_dates=("1970-01-02",))
    linkage = link_records([a, b, c, un])
    assert all(len({r.split("-")[0] for r in p.referents}) == len(p.referents) for p in linkage.parties())


def test_one_result_per_party_with_referents() -> None:
    ofac = make_entity("ofac-20578", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization",
                       datasets=("ofac-sdn",), programs=("DPRK3",))
    engine = Engine.from_entities([ofac, UK, UN])
    hits = engine.screen(Query.build("Mansudae Overseas Project Group of Companies", schema="Organization"))
    assert len(hits) == 1
    hit = hits[0].to_dict()
    assert hit["id"] == "un-KPe.050"
    assert set(hit["referents"]) == {"un-KPe.050", "ofac-20578", "uk-13538"}
    assert set(hit["datasets"]) == {"un", "ofac-sdn", "uk"} and "DPRK3" in hit["programs"]
    assert hit["matched_source"]["id"] in hit["referents"]
    assert engine.get("uk-13538").id == "un-KPe.050"
    assert engine.get_record("uk-13538").datasets == ("uk",)


@pytest.mark.integration
@pytest.mark.slow
def test_shared_lists_link_one_party_across_un_ofac_and_uk() -> None:
    entities = entities_from_paths([LISTS / "un" / "consolidated.xml", LISTS / "ofac" / "sdn_2024-05-03",
                                    LISTS / "uk" / "ConList_2025-04-10.xlsx"])
    uk_refs = [e for e in entities if "uk" in e.datasets and e.extra_values("unReference")]
    assert len(uk_refs) >= 860 and all(len(e.extra_values("unReference")[0]) == 7 for e in uk_refs)
    engine = Engine.from_entities(entities)
    for name, schema, count in (("Mansudae Overseas Project Group of Companies", "Organization", 3),
                                ("Korea Kwangson Banking Corp", "Organization", 3),
                                ("Marat Khusnullin", "Person", 2)):
        matches = [h for h in engine.screen(Query.build(name, schema=schema)) if h.match]
        assert len(matches) == 1, name
        hit = matches[0].to_dict()
        assert len(hit["referents"]) == count and len(hit["datasets"]) == count, hit

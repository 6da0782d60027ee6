"""The engine facade: screening, identifiers, filters, search, and the on-disk index cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import LISTS, make_entity

from watchlist.engine import Engine
from watchlist.errors import IndexNotReadyError, NotFoundError, QueryError
from watchlist.match.algorithm import QueryForm
from watchlist.match.types import Query
from watchlist.model import Identifier, IdType
from watchlist.settings import Settings

ENTITIES = [
    make_entity("un-KPe.050", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization",
                aliases=("Mansudae Art Studio",), datasets=("un",)),
    make_entity("ofac-1", "KIM, Jong Un", datasets=("ofac-sdn",), birth_dates=("1984-01-08",), nationalities=("kp",)),
    make_entity("ofac-2", "CHON MA SAN", "Vessel", datasets=("ofac-sdn",),
                identifiers=(Identifier(IdType.IMO, "8660313"),)),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_entities(ENTITIES)


def test_alias_hit_names_the_alias(engine: Engine) -> None:
    hit = engine.screen(Query.build("Mansudae Art Studio", schema="Organization"))[0]
    assert hit.entity.id == "un-KPe.050" and hit.match
    assert hit.matched_name == "Mansudae Art Studio"


def test_identifier_is_strong_evidence(engine: Engine) -> None:
    plain = engine.screen(Query.build("Chon Ma", schema="Vessel"))[0]
    with_imo = engine.screen(Query.build("Chon Ma", schema="Vessel", id_number="IMO 8660313"))[0]
    assert with_imo.score > plain.score and "identifier_match" in with_imo.features


def test_dataset_filter(engine: Engine) -> None:
    assert engine.screen(Query.build("Kim Jong Un"), datasets=["un"]) == []
    assert engine.screen(Query.build("Kim Jong Un"), datasets=["ofac-sdn"])[0].entity.id == "ofac-1"


def test_bad_queries_say_what_is_wrong(engine: Engine) -> None:
    with pytest.raises(QueryError, match="no name"):
        Query.build("  ")
    with pytest.raises(QueryError, match="schema"):
        Query.build("x", schema="Spaceship")
    with pytest.raises(QueryError, match="birth date"):
        Query.build("x", birth_date="yesterday")
    with pytest.raises(QueryError, match="threshold"):
        engine.screen(Query.build("Kim"), threshold=2)
    with pytest.raises(QueryError, match="algorithm"):
        engine.screen(Query.build("Kim"), algorithm="nope")
    with pytest.raises(NotFoundError):
        engine.get("nope-1")


def test_ofac_algorithm_scores_names_only(engine: Engine) -> None:
    hit = engine.screen(Query.build("Kim Jong Un", birth_date="1950"), algorithm="ofac")[0]
    assert hit.entity.id == "ofac-1" and hit.score == pytest.approx(1.0)
    assert set(hit.features) == {"jaro_winkler_soundex"}


def test_search_pages(engine: Engine) -> None:
    page = engine.search("Mansudae", limit=1)
    assert page.total >= 1 and page.results[0].entity.id == "un-KPe.050"


def test_empty_store_says_how_to_load(tmp_path: Path) -> None:
    engine = Engine.open(Settings(home=tmp_path))
    with pytest.raises(IndexNotReadyError, match="watchlist fetch"):
        engine.screen(Query.build("Kim"))


@pytest.mark.integration
def test_index_is_cached_on_disk_and_follows_updates(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    engine = Engine.open(settings)
    engine.load_paths([LISTS / "un" / "consolidated.xml"])
    first = engine.index
    assert list(settings.index_dir.glob("names-*.idx"))
    again = Engine.open(settings)
    assert again.index.version == first.version and len(again.index.names) == len(first.names)
    assert again.screen(Query.build("Mansudae Art Studio"))[0].entity.id == "un-KPe.050"
    engine.load_paths([LISTS / "ofac" / "cons_2025-12"])
    assert engine.index.version != first.version


def test_configured_threshold_moves_the_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHLIST_THRESHOLD", "0.99")
    strict = Engine.from_entities(ENTITIES, Settings.from_env())
    query = Query.build("Mansudae Art Studios", schema="Organization")
    default_hit = Engine.from_entities(ENTITIES).screen(query)[0]
    strict_hit = strict.screen(query)[0]
    assert default_hit.score == strict_hit.score < 0.99
    assert default_hit.match and not strict_hit.match


def test_a_word_with_two_typos_still_reaches_its_listed_name() -> None:
    # Forty other ZHOUs share the query's only intact word; the given name carries the evidence.
    others = [make_entity(f"zhou-{i}", f"ZHOU, Given{chr(97 + i % 26)}{chr(97 + i // 26)}") for i in range(45)]
    engine = Engine.from_entities([*others, make_entity("gold", "ZHOU, Jianshu")])
    hits = engine.screen(Query.build("Jinahu Zhou", schema="Person"), limit=50)
    assert "gold" in [h.entity.id for h in hits]


def test_two_swapped_letters_reach_the_listed_word() -> None:
    engine = Engine.from_entities([make_entity("hansa", "TURISMO HANSA S.A.", "Organization"),
                                   *(make_entity(f"t-{i}", f"TURISMO {w} S.A.", "Organization")
                                     for i, w in enumerate(["NORTE", "SUR", "ESTE", "OESTE", "CENTRO"]))])
    tokens = QueryForm.of(Query.build("Hasna", schema="Organization")).names[0][1]
    assert "hansa" in dict(engine.index.expand(tokens[0]))


def test_a_short_word_missing_a_letter_reaches_the_listed_name() -> None:
    engine = Engine.from_entities([make_entity("bim", "BANK OF INDUSTRY AND MINE", "Organization"),
                                   make_entity("other", "MILE END TRADING", "Organization")])
    expanded = dict(engine.index.expand(QueryForm.of(Query.build("Mie", schema="Organization")).names[0][1][0]))
    assert "mine" in expanded
    assert "mile" in expanded
    assert all(fold.startswith("m") for fold in expanded)  # as the scorer, the first letter stays
    hits = engine.screen(Query.build("Bank of Industry and Mie", schema="Organization"))
    assert hits[0].entity.id == "bim" and hits[0].match

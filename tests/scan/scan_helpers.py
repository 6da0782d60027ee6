"""Fixtures for the scanner: a small in-memory engine of listed parties and the fixture documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Entity, Schema
from watchlist.scan import Scanner

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


def listed() -> list[Entity]:
    return [
        make_entity("t-khusnullin", "KHUSNULLIN, Marat Shakirzyanovich", programs=("RUSSIA-EO14024",),
                    datasets=("ofac-sdn",)),
        make_entity("t-kudb", "KOREA UNITED DEVELOPMENT BANK", Schema.ORGANIZATION, programs=("DPRK",)),
        make_entity("t-kkbc", "KOREA KWANGSON BANKING CORPORATION (KKBC)", Schema.ORGANIZATION, programs=("DPRK",)),
        make_entity("t-komid", "KOREA MINING DEVELOPMENT TRADING CORPORATION", Schema.ORGANIZATION,
                    aliases=("KOMID",), programs=("DPRK",)),
        make_entity("t-kimjongman", "KIM, Jong Man", programs=("DPRK",)),
        make_entity("t-choe", "CHOE Ryong Hae", programs=("DPRK",)),
        make_entity("t-vessel", "CHON MA SAN", Schema.VESSEL, programs=("DPRK",)),
        make_entity("t-omm", "OCEAN MARITIME MANAGEMENT COMPANY LIMITED", Schema.ORGANIZATION, programs=("DPRK",)),
        make_entity("t-its", "ITS LLC", Schema.COMPANY, programs=("RUSSIA-EO14024",)),
        make_entity("t-russiabank", "RUSSIA BANK", Schema.ORGANIZATION, programs=("UKRAINE",)),
        make_entity("t-rim", "RUSSIAN IMPERIAL MOVEMENT", Schema.ORGANIZATION, aliases=("RIM",)),
        make_entity("t-bakr", "ABU BAKR AL-BAGHDADI", aliases=("Ibrahim Awwad Ibrahim Ali al-Badri",)),
    ]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_entities(listed())


@pytest.fixture(scope="module")
def scanner(engine: Engine) -> Scanner:
    return Scanner(engine)


@pytest.fixture(scope="module")
def offline() -> Scanner:
    """Places and red flags only (no lists)."""
    return Scanner(None)

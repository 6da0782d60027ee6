"""Country names to codes: the quick table of names in Latin letters agrees with rigour's full lookup."""

from __future__ import annotations

import pytest
from rigour.territories import get_territories, lookup_territory

from watchlist.text.countries import latin_country_code, to_country_code


def test_the_latin_table_agrees_with_rigours_lookup_for_every_territory() -> None:
    names = [n for t in get_territories() for n in (t.name, t.full_name, (t.alpha3 or "").upper())
             if n and all(ord(c) < 0x250 for c in n)]
    assert len(names) > 1000
    differ = [n for n in names if latin_country_code(n) != (lookup_territory(n).code if lookup_territory(n) else None)]
    assert differ == []


@pytest.mark.parametrize("name, code", [("DPRK", "kp"), ("the Russian Federation", "ru"), ("Côte d'Ivoire", "ci"),
                                        ("Bank", None), ("Mansudae", None)])
def test_latin_country_code(name: str, code: str | None) -> None:
    assert latin_country_code(name) == code


def test_to_country_code_still_reads_other_scripts() -> None:
    assert to_country_code("Россия") == "ru"
    assert to_country_code("KP") == "kp"

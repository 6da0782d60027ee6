"""The benchmark's synthetic customer file: deterministic, varied, in many scripts, with planted listed names."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import make_entity

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic_names import generate


def test_the_customer_file_is_deterministic_varied_and_planted() -> None:
    listed = [make_entity("gold", "KIM, Jong Un"), make_entity("acme", "ACME TRADING LLC", "Organization")]
    rows = list(generate(3000, listed, seed=3, planted=0.01))
    assert rows == list(generate(3000, listed, seed=3, planted=0.01))
    names = [r["name"] for r in rows]
    assert len(set(names)) > 0.9 * len(names)  # a customer base, not a few hundred names repeated
    assert any(any("\u0400" <= c <= "\u04ff" for c in n) for n in names)  # Cyrillic
    assert any(any("\uac00" <= c <= "\ud7a3" for c in n) for n in names)  # Hangul
    assert any(n.isascii() for n in names)
    assert {r["schema"] for r in rows} >= {"Person", "Organization"}
    assert {r["planted"] for r in rows if r["planted"]} <= {"gold", "acme"}
    assert 10 <= sum(1 for r in rows if r["planted"]) <= 60

"""Recall on real spelling variants must not fall under issue 16's target (measured by
bench/real_variants.py: each linked record's names screened against the other list alone)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_real_variant_recall_on_the_test_part_holds_the_target() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from real_variants import run

    assert run("test", None, None, True)["recall"] >= 0.90

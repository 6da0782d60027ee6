"""Counts in the right number."""

from __future__ import annotations

from watchlist.cli.common import plural


def test_plural() -> None:
    assert plural(1, "mention") == "1 mention"
    assert plural(2, "mention") == "2 mentions"
    assert plural(0, "finding") == "0 findings"
    assert plural(1_204, "row") == "1,204 rows"
    assert plural(1, "match") == "1 match" and plural(3, "match") == "3 matches"
    assert plural(2, "changed entity") == "2 changed entities" and plural(1, "party") == "1 party"
    assert plural(2, "HTML report") == "2 HTML reports"

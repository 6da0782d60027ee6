"""The mapped file's key table (index.mapfile.KeyTable): every key at its ordinal, any other string not held."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.index.mapfile import FileReader, FileWriter


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), unique=True, max_size=80), st.lists(st.text(max_size=12), max_size=40))
def test_a_key_table_finds_each_key_and_no_other(keys: list[str], others: list[str]) -> None:
    writer = FileWriter()
    writer.keys("words", keys)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "keys.idx"
        writer.write(path, {})
        table = FileReader(path).keys("words")
        assert [table.ordinal(key) for key in keys] == list(range(len(keys)))
        # Absent keys, prefixes and extensions of held ones among them (the same slot, another length).
        absent = [o for o in [*others, *(k[:-1] for k in keys), *(k + "x" for k in keys)] if o not in keys]
        assert all(table.ordinal(o) == -1 for o in absent)
        assert table.ordinal(3) == -1  # not a str
        del table

"""The delimiter of a delimited text file, told from its first line: shared by the batch readers
(customer files) and the scanner (a CSV or TSV document), which stand beside each other in the layers."""

from __future__ import annotations

from typing import Final

DELIMITERS: Final = (",", ";", "\t", "|")


def sniff_delimiter(first_line: str, suffix: str) -> str:
    """The delimiter the header uses most among comma, semicolon, tab and pipe (tab for .tsv)."""
    if suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # the first of equals: a comma
    return best if counts[best] else ","

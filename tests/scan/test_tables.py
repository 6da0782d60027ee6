"""Tables in documents: a CSV or TSV file, or columns pasted from a spreadsheet. A cell is never part of
the next cell's name ('1,KIM YONG CHOL,Master' is a row number, a name and a rank)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Schema
from watchlist.scan import Scanner
from watchlist.scan.extract import ExtractionError, extract_bytes


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities([
        make_entity("t-kimyongchol", "KIM YONG CHOL", programs=("DPRK",)),
        make_entity("t-risonghyok", "RI SONG HYOK", programs=("DPRK",)),
        make_entity("t-ri2", "LIMITED LIABILITY COMPANY RI2", Schema.COMPANY, programs=("RUSSIA-EO14024",)),
    ]))


def ids(scanner: Scanner, text: str) -> list[str]:
    return sorted({m.entity.id for m in scanner.scan(text).parties})


CREW = ("No|Name|Rank|Nationality\n1|KIM YONG CHOL|Master|DPRK\n2|RI SONG HYOK|Chief Officer|DPRK\n"
        '3|"PARK, Ji\nSung"|Cook|ROK\n')


@pytest.mark.parametrize("name, delimiter", [("crew.csv", ","), ("crew.csv", ";"), ("crew.tsv", "\t"), ("crew.csv", "|")])
def test_a_table_file_reads_each_cell_apart(scanner: Scanner, name: str, delimiter: str) -> None:
    document = extract_bytes(CREW.replace("|", delimiter).encode(), name)
    assert document.text.splitlines()[1] == "1\tKIM YONG CHOL\tMaster\tDPRK"
    assert "PARK, Ji Sung" in document.text  # a line break inside a quoted cell is a space
    assert ids(scanner, document.text) == ["t-kimyongchol", "t-risonghyok"]  # and no 'RI2' from '2,RI'


def test_columns_pasted_with_tabs_part_names(scanner: Scanner) -> None:
    assert ids(scanner, "1\tKIM YONG CHOL\tMaster\n2\tRI SONG HYOK\tCook\n") == ["t-kimyongchol", "t-risonghyok"]
    assert ids(scanner, "Crew: KIM\tYONG CHOL") == []  # one name is never read across two columns


def test_a_table_that_cannot_be_read_says_so() -> None:
    with pytest.raises(ExtractionError, match="crew.csv: binary content"):
        extract_bytes(b"a,b\x00,c\n", "crew.csv")
    assert extract_bytes(b"one column\nKIM YONG CHOL\n", "names.csv").text == "one column\nKIM YONG CHOL\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), min_size=1, max_size=4),
                min_size=1, max_size=5))
def test_any_csv_file_is_read_or_refused_in_one_line(rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    try:
        text = extract_bytes(buffer.getvalue().encode(), "table.csv").text
    except ExtractionError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str)

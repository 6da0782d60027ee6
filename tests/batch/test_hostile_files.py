"""Customer files as they come from careless or hostile hands: every row is screened on what is
usable or gets its result line with an error, and a file that cannot be read is one ConfigError
naming the file and the line. Never a traceback, never a listed party lost to a quirk of the file."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import tempfile
from pathlib import Path

import pytest
from batch_helpers import make_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.batch import BatchOptions, ColumnMap, screen_records
from watchlist.batch.core import MAX_NAME_CHARS
from watchlist.batch.io import read_records
from watchlist.batch.monitor_state import MonitorStore
from watchlist.batch.textfile import csv_rows, open_text
from watchlist.cli.common import check_output
from watchlist.errors import ConfigError

HEADER = "id,schema,name,birth_date,country\n"
ROWS = "c1,Person,Kim Jong Un,1984,kp\nc2,Person,Anna Weber,,de\n"


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return make_engine()


def screened(engine, path: Path, columns: ColumnMap | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    fmt = "jsonl" if ".jsonl" in path.name else "csv"
    return screen_records(engine, read_records(path, fmt, columns or ColumnMap()), BatchOptions(cache_size=0))


def screened_records(engine, records: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return screen_records(engine, records, BatchOptions(cache_size=0))


def hit_ids(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [m["id"] for m in result["matches"] if m["match"]]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_file_its_byte_order_mark_announces_is_read(engine, tmp_path: Path, encoding: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    data = (HEADER + ROWS).encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    results = screened(engine, path)
    assert [r["id"] for r in results] == ["c1", "c2"] and hit_ids(results[0]) == ["t-2"]


@pytest.mark.parametrize("encoding, name", [("cp1252", "José Müller"), ("cp1251", "Ким Чен Ын")])
def test_a_file_in_another_encoding_is_refused_up_front_or_read_as_named(
    engine, tmp_path: Path, encoding: str, name: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes((HEADER + f"c1,Person,{name},,\nc2,Person,Kim Jong Un,,\n").encode(encoding))
    with pytest.raises(ConfigError, match=r"in.csv line 2 is not UTF-8 \(byte 0x[0-9a-f]{2}\).*--encoding"):
        screened(engine, path)
    results = screened(engine, path, ColumnMap(encoding=encoding))
    assert [r["id"] for r in results] == ["c1", "c2"] and hit_ids(results[1]) == ["t-2"]


def test_a_stray_byte_past_the_checked_start_is_read_as_windows_1252_with_a_warning(
    engine, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "in.csv"
    filler = "".join(f"f{i},Person,Anna Weber,,\n" for i in range(4000)).encode()  # past the part checked up front
    path.write_bytes(HEADER.encode() + filler + "c1,Person,Kim Jong Un,,k\xe9\n".encode("cp1252"))
    last = screened(engine, path)[-1]
    assert last["id"] == "c1" and hit_ids(last) == ["t-2"]
    assert any("country has bytes that are not UTF-8" in w for w in last["warnings"])


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_separated_files_are_read(engine, tmp_path: Path, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text((HEADER + ROWS).replace(",", delimiter), encoding="utf-8")
    assert hit_ids(screened(engine, path)[0]) == ["t-2"]


def test_a_gzipped_file_is_read_through(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress((HEADER + ROWS).encode()))
    assert hit_ids(screened(engine, path)[0]) == ["t-2"]


@pytest.mark.parametrize("header", ["ID,Schema,NAME,Birth Date,Country", " id , schema , name , birth-date , country "])
def test_a_header_in_another_case_or_spacing_is_read(engine, tmp_path: Path, header: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text(header + "\nc1,Person,Kim Jong Un,1984,kp\n", encoding="utf-8")
    [result] = screened(engine, path)
    assert result["id"] == "c1" and hit_ids(result) == ["t-2"] and "warnings" not in result


def test_a_name_column_written_twice_is_an_error_not_the_last_one_wins(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text("id,name,name\nc1,Kim Jong Un,Anna Weber\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"column 'name' 2 times \(columns 2 and 3\)"):
        screened(engine, path)


@pytest.mark.parametrize("data, message", [
    (b"", "in.csv is empty: expected a header row"),
    (b"PK\x03\x04\x14\x00rest of a workbook", "in.csv is a ZIP archive (XLSX, DOCX...), not delimited text"),
    (b"%PDF-1.4\n...", "in.csv is a PDF, not delimited text"),
    (bytes(range(256)) * 4, "in.csv is binary, not delimited text"),
])
def test_a_file_that_is_no_table_is_one_error(engine, tmp_path: Path, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        screened(engine, path)


def test_a_quote_never_closed_is_an_error_not_the_rest_of_the_file_swallowed(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text(HEADER + 'c1,Person,"Anna Weber,,\nc2,Person,Kim Jong Un,1984,kp\nc3,Person,Bo Li,,\n')
    with pytest.raises(ConfigError, match="in.csv line 2: a quote opened here is not closed"):
        screened(engine, path)


@pytest.mark.parametrize("tail", ["", "\n"])
def test_a_quote_never_closed_in_the_last_column_is_an_error_though_the_row_is_as_wide_as_the_header(
    engine, tmp_path: Path, tail: str,  # type: ignore[no-untyped-def]
) -> None:
    """The quote swallows every row after it to the end of the file, into a row of the header's width."""
    path = tmp_path / "in.csv"
    rows = "".join(f"r{i},Person Number {i}\n" for i in range(200)).rstrip("\n") + tail
    path.write_text('id,name\nc1,"Ayman al-Zawahiri\n' + rows)
    with pytest.raises(ConfigError, match="in.csv line 2: a quote opened here is not closed"):
        screened(engine, path)


def test_a_quoted_field_with_a_line_break_is_one_field(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text(HEADER + 'c1,Person,"Kim\nJong Un",1984,kp\nc2,Person,"Weber, Anna",,de\n')
    results = screened(engine, path)
    assert [r["id"] for r in results] == ["c1", "c2"] and hit_ids(results[0]) == ["t-2"]


def test_an_unquoted_comma_in_a_name_still_finds_the_listed_party(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "c1,Person,KIM, Jong Un,1984,kp\nc2,Person,Anna Weber,,de,,\n", encoding="utf-8")
    first, second = screened(engine, path)
    assert hit_ids(first) == ["t-2"]
    assert any("has 6 fields where the header has 5" in w and "'KIM, Jong Un'" in w for w in first["warnings"])
    assert "warnings" not in second  # trailing empty fields are trailing delimiters


def test_a_field_past_the_csv_modules_limit_is_read_and_a_long_name_cut_with_a_warning(
    engine, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,name\nc1," + "x" * 200_000 + "\nc2,Kim Jong Un\n", encoding="utf-8")
    first, second = screened(engine, path)
    assert first["warnings"] == [f"name is 200,000 characters long; screened on its first {MAX_NAME_CHARS:,}"]
    assert hit_ids(second) == ["t-2"]


def test_json_lines_that_cannot_be_read_keep_their_result_line(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    lines = ['{"id": "a", "name": "Kim Jong Un"}', "not json", "[1, 2]", '{"id": "d", "name": {"first": "Kim"}}',
             '{"id": "e", "name": true}', '{"id": "f", "name": ["Jong Un Kim", null], "birth_date": null}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = screened(engine, path)
    assert [r["id"] for r in results] == ["a", "2", "3", "d", "e", "f"]
    assert hit_ids(results[0]) == hit_ids(results[5]) == ["t-2"]
    assert results[1]["error"] == "line 2 is not JSON (Expecting value): nothing screened"
    assert results[2]["error"] == "line 3 is JSON list, not an object of fields: nothing screened"
    assert results[3]["error"].startswith("name is a JSON object") and results[4]["error"].startswith("name is true/false")


def test_a_json_line_nested_too_deep_or_giving_a_field_twice_is_its_row_s_error(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    lines = ["[" * 100_000 + "]" * 100_000, '{"id": "k1", "name": "Kim Jong Un", "name": "John Smith"}',
             '{"id": "k2", "name": "Kim Jong Un", "extra": {"a": 1, "b": 2}}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = screened(engine, path)
    assert [r["id"] for r in results] == ["1", "2", "k2"]
    assert results[0]["error"] == "line 1 is not JSON (nested too deep): nothing screened"
    assert results[1]["error"] == ("line 2 gives the field 'name' twice, so which value is meant is unknown: "
                                   "nothing screened")
    assert hit_ids(results[2]) == ["t-2"]


def test_json_lines_with_no_name_field_are_refused_as_a_csv_without_its_column(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "c1", "full_name": "Kim Jong Un"}\n{"id": "c2", "full_name": "Bo Li"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"in.jsonl line 1 has no field 'name' for names; fields: id, full_name. "
                                          r"Map one with --map name=FIELD"):
        screened(engine, path)
    assert [r["id"] for r in screened(engine, path, ColumnMap({"name": "full_name"}))] == ["c1", "c2"]


def test_an_xlsx_workbook_is_read_with_its_dates(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["ID", "Name", "Birth Date", "Country"], ["c1", "Anna Weber", None, "de"], [None, None, None, None],
                ["c2", "Kim Jong Un", datetime.date(1984, 1, 8), "kp"], [3, "Jong-un Kim", 1984, None]):
        sheet.append(row)
    path = tmp_path / "customers.xlsx"
    workbook.save(path)
    records = list(read_records(path, "xlsx", ColumnMap()))
    assert [r["id"] for r in records] == ["c1", "c2", "3"] and records[1]["birth_date"] == "1984-01-08"
    results = screened_records(engine, records)
    assert hit_ids(results[1]) == hit_ids(results[2]) == ["t-2"] and not any("warnings" in r for r in results)
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(ConfigError, match="empty.xlsx has an empty first sheet"):
        read_records(empty, "xlsx", ColumnMap())


@pytest.mark.parametrize("written, read, warned", [
    ("12/25/1966", "1966-12-25", False),  # month first: no 25th month
    ("25/12/1966", "1966-12-25", False),
    ("02/03/1966", "1966", True),  # 2 March or 3 February: the year alone, never a conflict on the wrong day
    ("03.02.1966", "1966-02-03", False),  # dotted: day first, as Europe writes it
    ("00/00/1966", "1966", False),
    ("07/07/1966", "1966-07-07", False),
])
def test_a_numeric_birth_date_is_read_in_the_order_it_can_only_mean(written: str, read: str, warned: bool) -> None:
    from watchlist.batch.core import to_query

    query = to_query({"id": "1", "name": "Kim Jong Un", "birth_date": written})
    assert query.birth_dates == (read,)
    assert bool(query.warnings) is warned


def test_json_keys_in_another_case_are_read(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text('{"ID": "a", "Name": "Kim Jong Un", "Birth Date": "1984"}\n', encoding="utf-8")
    [result] = screened(engine, path)
    assert result["id"] == "a" and hit_ids(result) == ["t-2"] and "warnings" not in result


def test_an_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROWS)
    (tmp_path / "link.csv").symlink_to(source)
    for output in (source, tmp_path / "link.csv"):
        with pytest.raises(ConfigError, match="is the input file"):
            check_output(output, source)
    with pytest.raises(ConfigError, match="is a folder"):
        check_output(tmp_path, source)
    assert source.read_text() == HEADER + ROWS


def test_a_portfolio_that_gives_a_party_id_twice_is_refused(tmp_path: Path) -> None:
    store = MonitorStore.open(tmp_path / "monitor.db")
    records = [{"id": "1", "name": "Kim Jong Un"}, {"id": "1", "name": "Anna Weber"}]
    with pytest.raises(ConfigError, match="party id '1' is given twice"):
        store.upsert_parties("customers", records, source="customers.csv")
    assert store.party_count() == 0  # nothing half-stored


# Any character but control ones (a file of them is refused as binary), and those a table is made of.
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('\n\t",;|\''), max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_any_table_written_by_a_csv_writer_reads_back_cell_for_cell(
    rows: list[list[str]], delimiter: str, encoding: str,
) -> None:
    """Whatever the cells hold (quotes, delimiters, line breaks, any script), the reader is csv's inverse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "name", "country"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        with open_text(path) as fh:
            header, read = csv_rows(fh, path)
            got = [row for _line, row, _warnings in read]
    assert header == ["id", "name", "country"]
    assert got == rows  # no cell lost, split, joined or altered; no row swallowed by another

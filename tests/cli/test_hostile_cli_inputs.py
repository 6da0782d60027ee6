"""Inputs nobody on the team tried, through the command line as a user runs it: one line and exit 2
for what the user got wrong, and no listed party lost to a quirk of the input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_input_errors import one_line_error
from tests.conftest import LISTS

HEADER = "id,schema,name,birth_date,country\n"


def results(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "c1,Person,Ivan Ivanov,,\n", encoding="utf-8")
    line = one_line_error(cli("batch", str(source), "--output", str(source), "--output-format", "csv"))
    assert line == f"error: the output {source} is the input file {source}: name another output file"
    assert source.read_text(encoding="utf-8") == HEADER + "c1,Person,Ivan Ivanov,,\n"
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2\nIvan Ivanov,Ivanov Ivan\n", encoding="utf-8")
    assert "is the input file" in one_line_error(cli("compare", "--pairs", str(pairs), "--output", str(pairs)))


@pytest.mark.parametrize("option, message", [
    (["--min-score", "nan"], "--min-score nan is outside [0, 1]"),
    (["--min-score", "1.5"], "--min-score 1.5 is outside [0, 1]"),
    (["--workers", "-1"], "--workers must be 0 (every core) or more"),
    (["--workers", "10000"], f"--workers 10000 is more than 4 a core: at most {4 * (os.cpu_count() or 1)} on this machine"),
    (["--encoding", "klingon"], "unknown --encoding 'klingon': use e.g. utf-8, cp1252, latin-1 or cp1251"),
    (["--output", "{tmp}"], "the output {tmp} is a folder: name a file, e.g. {tmp}/results.jsonl"),
    (["--output", "{tmp}/out.jsonl.gz"], "results are not written compressed: name the output without .gz (out.jsonl)"),
])
def test_a_bad_batch_option_is_one_line(mini_lists: Path, tmp_path: Path, cli, option, message) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "c1,Person,Ivan Ivanov,,\n", encoding="utf-8")
    args = ["batch", str(source), "--output", str(tmp_path / "out.jsonl"), "--no-progress"]
    option = [o.replace("{tmp}", str(tmp_path)) for o in option]
    if option[0] == "--output":
        args = args[:2] + option + args[4:]
    line = one_line_error(cli(*args, *option))
    assert line == "error: " + message.replace("{tmp}", str(tmp_path))


@pytest.mark.parametrize("args, message", [
    (["screen", "Ivan", "--limit", "0"], ("Invalid value for '--limit': Input should be greater than or equal to 1 "
                                         "(see: watchlist screen --help)")),
    (["screen", "Ivan", "--limit", "ten"], ("Invalid value for '--limit': Input should be a valid integer, unable to "
                                           "parse string as an integer (see: watchlist screen --help)")),
    (["diff", "un", "1", "2"], "Got unexpected extra argument(s) (1 2) (see: watchlist diff --help)"),
    (["screen", "Ivan", "--format", "xml"], "No such option: --format (see: watchlist screen --help)"),
    (["nosuchcmd", "Ivan"], "No such command 'nosuchcmd'. (see: watchlist --help)"),
])
def test_a_bad_flag_or_value_is_one_line_not_a_box(home: Path, cli, args, message) -> None:  # type: ignore[no-untyped-def]
    assert one_line_error(cli(*args)) == "error: " + message


def test_an_output_folder_that_cannot_be_made_is_one_line(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "c1,Person,Ivan Ivanov,,\n", encoding="utf-8")
    (tmp_path / "file").write_text("")
    line = one_line_error(cli("batch", str(source), "--output", str(tmp_path / "file" / "out.jsonl"), "--no-progress"))
    assert line.startswith(f"error: cannot write the output {tmp_path / 'file' / 'out.jsonl'}: ")


def test_a_latin_1_file_is_one_line_before_any_output_and_read_with_encoding(
    mini_lists: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_bytes((HEADER + "c1,Person,Iván Petrovich Ivanov,,\n").encode("latin-1"))
    line = one_line_error(cli("batch", str(source), "--output", str(out), "--no-progress"))
    assert line.startswith(f"error: {source} line 2 is not UTF-8 (byte 0xe1)") and not out.exists()
    result = cli("batch", str(source), "--output", str(out), "--no-progress", "--encoding", "latin-1")
    assert result.code == 0 and [m["id"] for m in results(out)[0]["matches"]][:1] == ["t-1"]


def test_a_portfolio_with_a_party_id_twice_is_refused_not_half_monitored(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "customers.csv"
    source.write_text(HEADER + "7,Person,Ivan Petrovich Ivanov,,\n7,Person,Anna Weber,,\n", encoding="utf-8")
    line = one_line_error(cli("monitor", "add", str(source)))
    assert line == (f"error: {source}: party id '7' is given twice; each party of a portfolio needs its own id "
                    "(or leave the ids out: rows are numbered)")
    assert json.loads(cli("monitor", "status").out)["parties"] == 0


def test_compare_pairs_reads_a_utf16_file_with_a_capitalised_header_and_extra_fields(
    home: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
) -> None:
    pairs, out = tmp_path / "pairs.csv", tmp_path / "out.csv"
    pairs.write_bytes("Name1;Name2\nIvan Ivanov;IVANOV, Ivan;extra\n;x\n".encode("utf-16"))
    result = cli("compare", "--pairs", str(pairs), "--output", str(out))
    assert result.code == 0, result.err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Name1,Name2,score,match,error" and lines[1].endswith(",true,") and len(lines) == 3


def test_compare_pairs_refused_part_way_leaves_no_output_and_reads_a_named_encoding(
    home: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
) -> None:
    pairs, out = tmp_path / "pairs.csv", tmp_path / "out.csv"
    pairs.write_text('name1,name2\nIvan Ivanov,Ivanov Ivan\nAnna,"Anna\nBo,Li\nKim,Kim\n', encoding="utf-8")
    line = one_line_error(cli("compare", "--pairs", str(pairs), "--output", str(out)))
    assert "line 3: a quote opened here is not closed" in line
    assert not out.exists() and not out.with_name("out.csv.part").exists()  # nor its staged part
    pairs.write_bytes("name1,name2\nJosé,Jose\n".encode("latin-1"))
    assert "name its encoding with --encoding" in one_line_error(cli("compare", "--pairs", str(pairs)))
    result = cli("compare", "--pairs", str(pairs), "--encoding", "latin-1", "--output", str(out))
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").splitlines()[1] == "José,Jose,1.0000,true,"


def test_fetch_from_a_device_says_what_it_is(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert one_line_error(cli("fetch", "--from", "/dev/null")) == "error: /dev/null: not a regular file or folder"


def test_a_name_too_long_to_screen_is_one_line(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    line = one_line_error(cli("screen", "Ivan " * 400))
    assert line == "error: the name is 2,000 characters long; names of at most 1,000 are screened"


@pytest.mark.parametrize("flags", [["-o", "{doc}", "--html"], ["--json", "-o", "{doc}"], ["-o", "{doc}"]])
def test_a_scan_report_written_over_its_document_is_refused(home: Path, tmp_path: Path, cli, flags) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "article.txt"
    document.write_text("Payment to Ivan Petrovich Ivanov.", encoding="utf-8")
    args = ["scan", "--no-parties", str(document), *(f.replace("{doc}", str(document)) for f in flags)]
    line = one_line_error(cli(*args))
    assert line == f"error: the output {document} is the document {document}: name another output file"
    assert document.read_text(encoding="utf-8") == "Payment to Ivan Petrovich Ivanov."


@pytest.mark.parametrize("content", ["", "  \n\t\n"])
def test_scan_of_an_empty_document_is_one_line_not_a_clean_report(home: Path, tmp_path: Path, cli, content) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "empty.txt"
    document.write_text(content, encoding="utf-8")
    line = one_line_error(cli("scan", "--no-parties", str(document)))
    assert line == f"error: {document}: the document is empty; there is nothing to scan"


def test_scan_of_a_damaged_docx_says_so_not_that_docx_is_unsupported(mini_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "letter.docx"
    path.write_bytes(b"PK\x03\x04 a ZIP cut short")
    line = one_line_error(cli("scan", str(path)))
    assert line.startswith(f"error: {path}: not a readable DOCX (damaged, or another kind of ZIP)")


# -- integration: the real lists -------------------------------------------------------


@pytest.fixture
def dprk_lists(home: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    result = cli("fetch", "--from", str(LISTS / "un"))
    assert result.code == 0, result.err
    return home


@pytest.mark.integration
@pytest.mark.parametrize("name", ["KIM YONG CHOL 😀", "🇰🇵 Kim Yong Chol", "Kim Yong Chol™", "KIM\u200bYONG CHOL",
                                  "ＫＩＭ ＹＯＮＧ ＣＨＯＬ", "\u200fKim Yong\u200d Chol", "Ⓚⓘⓜ Yong Chol"])
def test_a_listed_dprk_name_with_a_symbol_or_invisible_mark_is_still_a_match(dprk_lists: Path, cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", name, "--json", "--limit", "3")
    assert result.code == 0, result.err
    hits = json.loads(result.out)["results"]
    assert any(h["id"] == "un-KPi.024" and h["match"] for h in hits), [(h["id"], h["score"]) for h in hits]


@pytest.mark.integration
def test_a_listed_name_written_with_an_unquoted_comma_is_found_in_a_batch(
    dprk_lists: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text("id,schema,name,birth_date,country,id_number\nc1,Person,KIM, Yong Chol,,kp,\n", encoding="utf-8")
    assert cli("batch", str(source), "--output", str(out), "--no-progress").code == 0
    [row] = results(out)
    assert any(m["id"] == "un-KPi.024" and m["match"] for m in row["matches"]) and row["warnings"]


@pytest.mark.integration
def test_a_list_file_cut_short_inside_a_quoted_field_keeps_the_previous_snapshot(
    home: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
) -> None:
    full = LISTS / "ofac" / "sdn_2024-05-03" / "sdn.csv"
    assert cli("fetch", "--from", str(full)).code == 0
    before = json.loads(cli("sources", "--json").out)
    data = full.read_bytes()
    cut = tmp_path / "sdn.csv"  # cut inside the remarks of a row, as an interrupted download leaves it
    cut.write_bytes(data[: data.index(b',"', len(data) * 4 // 5) + 6])
    line = one_line_error(cli("fetch", "--from", str(cut)))
    assert line.startswith("error: sdn.csv line ") and line.endswith("truncated: a quoted field runs to the end of the file")
    assert json.loads(cli("sources", "--json").out) == before

"""`screen` and `compare` at 80 columns: one line per hit, the reasons beneath, counts in the right number."""

from __future__ import annotations

from pathlib import Path

from watchlist.match.types import Query


def test_one_line_per_hit_with_the_reasons_beneath(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", "Ivan Petrovich Ivanov", "--dob", "1970")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "1 hit, 1 match at the threshold"
    hit = next(i for i, line in enumerate(lines) if "t-1" in line)
    assert lines[hit].split()[:3] == [lines[hit].split()[0], "MATCH", "t-1"]
    assert "Ivan Petrovich IVANOV" in lines[hit] and "Person" in lines[hit]
    beneath = lines[hit + 1 :]
    assert beneath[0].strip() == "lists: mini" and beneath[1].strip() == "matched 'Ivan Petrovich IVANOV'"
    assert all(line.startswith("      ") for line in beneath if line)  # every reason indented under its hit
    assert "name 'Ivan Petrovich Ivanov' vs 'Ivan Petrovich IVANOV'" in " ".join(line.strip() for line in beneath)
    assert max(len(line) for line in lines) <= 80
    assert not any(line.rstrip() != line for line in lines)  # no padding to the terminal's width
    assert "│" not in result.out  # no table columns to fold into a ribbon


def test_plural_counts(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", "Ivan Ivanov", "--threshold", "0.2", "--schema", "Person")
    assert result.out.splitlines()[0] == "1 hit, 1 match at the threshold"
    result = cli("screen", "Ivan Ivanov", "--threshold", "0.99", "--schema", "Person")
    assert result.out.splitlines()[0] == "1 hit, 0 matches at the threshold"


def test_compare_wraps_its_reasons_indented(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "Jong-un Kim", "KIM, Jong Un")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("1.000")
    assert len(lines) >= 3 and all(line.startswith("  ") and len(line) <= 80 for line in lines[1:])


def test_a_date_that_reads_either_way_is_screened_on_its_year(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """'05/03/1970' is 5 March or 3 May: read day first it would conflict with the listed 3 May 1970."""
    result = cli("screen", "Ivan Petrovich Ivanov", "--dob", "05/03/1970")
    assert result.code == 0, result.err
    assert "note: birth_date '05/03/1970' reads day first or month first; screened on its year 1970" in result.err
    assert "MATCH" in result.out and "conflict" not in result.out
    other_year = cli("screen", "Ivan Petrovich Ivanov", "--dob", "05/03/1971")
    assert "birth date conflicts" in other_year.out  # the year alone still tells two people apart
    assert Query.build("Ivan Ivanov", birth_date="05/13/1970").birth_dates == ("1970-05-13",)  # no 13th month
    assert Query.build("Ivan Ivanov", birth_date="05/13/1970").warnings == ()

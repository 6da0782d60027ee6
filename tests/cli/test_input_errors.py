"""Inputs a user gets wrong are one line and exit 2, never a traceback and never a silent 'no match'."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.err, result.err
    return lines[0]


@pytest.mark.parametrize("command", [
    ["screen", "Ivan Ivanov"],
    ["batch", str(EXAMPLES / "customers.csv"), "--output", "{tmp}/out.jsonl", "--no-progress"],
    ["scan", str(EXAMPLES / "article.txt")],
])
def test_a_dataset_that_is_not_loaded_is_an_error(mini_lists: Path, tmp_path: Path, cli, command) -> None:  # type: ignore[no-untyped-def]
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    line = one_line_error(cli(*args, "--dataset", "eu"))
    assert line == "error: no dataset 'eu'; loaded lists: mini"
    assert not (tmp_path / "out.jsonl").exists()


def test_a_loaded_dataset_is_accepted(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("screen", "Ivan Petrovich Ivanov", "--dataset", "mini")
    assert result.code == 0 and "t-1" in result.out


def test_monitor_takes_no_dataset_filter(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("monitor", "run", "--dataset", "eu")  # refused by the parser: no run answers 'no match'
    assert result.code == 2 and "No such option: --dataset" in result.err


@pytest.mark.parametrize("command", [
    ["screen", "Ivan Ivanov"],
    ["batch", str(EXAMPLES / "customers.csv"), "--output", "{tmp}/out.jsonl", "--no-progress"],
    ["scan", str(EXAMPLES / "article.txt")],
])
@pytest.mark.parametrize("threshold", ["1.5", "-0.1"])
def test_a_threshold_outside_0_1_is_an_error(mini_lists: Path, tmp_path: Path, cli, command, threshold) -> None:  # type: ignore[no-untyped-def]
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    line = one_line_error(cli(*args, "--threshold", threshold))
    assert line == f"error: threshold {float(threshold)} is outside [0, 1]"


@pytest.mark.parametrize("command, message", [
    (["batch", "{missing}", "--output", "{tmp}/out.jsonl"], "input file {missing} does not exist"),
    (["batch", "{tmp}", "--output", "{tmp}/out.jsonl"], "input file {tmp} is a folder, not a file"),
    (["monitor", "add", "{missing}"], "portfolio file {missing} does not exist"),
    (["compare", "--pairs", "{missing}"], "pairs file {missing} does not exist"),
    (["scan", "--no-parties", "{missing}"], "{missing}: no such file"),
    (["fetch", "--from", "{missing}"], "{missing}: no such file or folder"),
])
def test_a_missing_input_file_is_one_line(home: Path, tmp_path: Path, cli, command, message) -> None:  # type: ignore[no-untyped-def]
    missing = str(tmp_path / "nope.csv")
    args = [a.format(missing=missing, tmp=tmp_path) for a in command]
    line = one_line_error(cli(*args))
    assert line == "error: " + message.format(missing=missing, tmp=tmp_path)


@pytest.mark.parametrize("args, message", [
    (["--pairs", "{pairs}", "--algorithm", "nosuch"], "unknown algorithm 'nosuch'; choose one of: "),
    (["Ivan", "Ivan", "--algorithm", "nosuch"], "unknown algorithm 'nosuch'; choose one of: "),
    (["--pairs", "{pairs}", "--schema", "Person"], "--schema with --pairs: the pairs file gives each row's names"),
    (["--pairs", "{pairs}", "--json"], "--json with --pairs: the pairs file gives each row's names"),
    (["Ivan", "Ivan", "--pairs", "{pairs}"], "names with --pairs: the pairs file gives each row's names"),
    (["Ivan", "Ivan", "--output", "{tmp}/out.csv"], "--output is for --pairs results; two names are scored on the screen"),
    (["Ivan", "Ivan", "--encoding", "latin-1"], "--encoding is for --pairs files; two names are scored on the screen"),
])
def test_a_compare_flag_that_does_not_apply_is_one_line(home: Path, tmp_path: Path, cli, args, message) -> None:  # type: ignore[no-untyped-def]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2\nIvan Ivanov,Ivanov Ivan\n", encoding="utf-8")
    line = one_line_error(cli("compare", *[a.format(pairs=pairs, tmp=tmp_path) for a in args]))
    assert line.startswith("error: " + message), line
    assert not (tmp_path / "out.csv").exists()


def test_fetch_without_network_is_one_line_at_80_columns(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("fetch", "--base-url", "http://127.0.0.1:1", "--retries", "0")  # nothing listens on port 1
    line = one_line_error(result)
    assert len(line) <= 80 and line.endswith("watchlist fetch --from PATH")
    assert result.out == ""  # no table of failures before it

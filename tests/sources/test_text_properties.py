"""Property tests: the OFAC remarks parser and the date parsers never crash; idempotence."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.model import IdType, NameKind
from watchlist.sources.remarks import parse_remarks, split_remarks
from watchlist.sources.uk import split_numbered
from watchlist.text.dates import parse_date, parse_date_prefix

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
PARTS = st.sampled_from(
    ["DOB ", "alt. DOB ", "POB ", "nationality ", "citizen ", "Passport ", "a.k.a. '", "f.k.a. '",
     "Vessel Registration Identification IMO ", "MMSI ", "Gender ", "Linked To: ", "Tax ID No. ",
     "Digital Currency Address - XBT ", "SWIFT/BIC ", "circa ", " to ", "'", "(", ")", "; ", ".", " "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_remarks_never_crash_on_any_text(text: str) -> None:
    result = parse_remarks(text)
    for value in result.birth_dates:
        assert ISO.match(value), value
    for _, kind in result.names:
        assert kind in (NameKind.WEAK_ALIAS, NameKind.PREVIOUS_NAME)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PARTS, st.text(max_size=12)), max_size=25).map("".join))
def test_remarks_never_crash_on_remark_like_text(text: str) -> None:
    result = parse_remarks(text)
    assert all(ISO.match(d) for d in result.birth_dates)
    assert all(value for _, value, _, _ in result.identifiers)


@given(st.text())
def test_split_remarks_is_idempotent(text: str) -> None:
    parts = split_remarks(text)
    assert split_remarks("; ".join(parts)) == parts or any(p.endswith(".") for p in parts)


@given(st.lists(st.sampled_from([
    "DOB 03 May 1970", "alt. DOB 1971", "POB Pyongyang, North Korea", "nationality Korea, North",
    "Passport 472310082 (Korea, North)", "a.k.a. 'KIM Il'",
]), min_size=1, unique=True))  # fmt: skip
def test_remarks_parts_are_order_independent(parts: list[str]) -> None:
    forward = parse_remarks("; ".join(parts) + ".")
    backward = parse_remarks("; ".join(reversed(parts)))
    assert sorted(forward.birth_dates) == sorted(backward.birth_dates)
    assert sorted(forward.names) == sorted(backward.names)
    assert forward.unparsed == [] and backward.unparsed == []


def test_remarks_example() -> None:
    result = parse_remarks(
        "DOB 03 May 1970; alt. DOB 1971; POB Pyongyang, North Korea; nationality Korea, North; "
        "Passport 472310082 (Korea, North); a.k.a. 'KIM Il'; DOB circa 1965; alt. DOB 1968 to 1970."
    )
    assert result.birth_dates == ["1970-05-03", "1971", "1965", "1968/1970"]
    assert result.birth_places == ["Pyongyang, North Korea"]
    assert result.nationalities == ["Korea, North"]
    assert result.identifiers == [(IdType.PASSPORT, "472310082", "Korea, North", "Passport")]
    assert result.names == [("KIM Il", NameKind.WEAK_ALIAS)]


@given(st.text())
def test_dates_never_crash(text: str) -> None:
    for parse in (parse_date, parse_date_prefix):
        value = parse(text)
        assert value is None or ISO.match(value)


@given(st.dates(date(1000, 1, 1), date(2100, 12, 31)), st.sampled_from(["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"]))
def test_dates_round_trip(day, fmt: str) -> None:  # type: ignore[no-untyped-def]
    value = parse_date(day.strftime(fmt))
    assert value == day.isoformat()
    assert parse_date(value) == value  # idempotent on its own output


@given(st.integers(1000, 2100), st.integers(1000, 2100))
def test_date_ranges(a: int, b: int) -> None:
    value = parse_date(f"{a} to {b}")
    assert value == (str(a) if a == b else f"{min(a, b)}/{max(a, b)}")
    assert parse_date(f"circa {a}") == str(a)


def test_uk_unknown_date_parts() -> None:
    assert parse_date("00/00/1961") == "1961"
    assert parse_date("00/05/1961") == "1961-05"
    assert parse_date("dd/mm/1958") == "1958"


@given(st.text())
def test_split_numbered_never_crashes(text: str) -> None:
    for part in split_numbered(text):
        assert part and part == part.strip()

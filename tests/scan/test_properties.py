"""Properties: the scanner never crashes on arbitrary text, and every span slices the text to its mention."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.scan.scan_helpers import listed

from watchlist.engine import Engine
from watchlist.scan import Scanner
from watchlist.scan.text import Sentences, visible_text

SCANNER = Scanner(Engine.from_entities(listed()))
PIECES = st.sampled_from([
    "Marat Khusnullin", "KOMID", "North Korea", "DPRK", "South Korea", "Korea Development Bank", "diesel",
    "supplied", "workers", "AIS switched off", "ship-to-ship", "Crimea", "Donbas", ". ", ", ", "\n\n", "\u2019s ",
    "Co., Ltd", "CHON MA SAN", "Kim", " ", "\u2014", "(", ")", "Ch'oe", "\u041c\u0430\u0440\u0430\u0442",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_scan_never_crashes_and_spans_slice_the_text(text: str) -> None:
    report = SCANNER.scan(text)
    assert report.text == visible_text(text)[0]  # the spans are into the text without invisible characters
    text = report.text
    for party in report.parties:
        assert 0 <= party.start < party.end <= len(text)
        assert text[party.start : party.end] == party.text
    for place in report.places:
        assert text[place.start : place.end] == place.text
    for flag in report.red_flags:
        assert text[flag.start : flag.end] == flag.evidence
        for trigger in flag.triggers:
            assert flag.start <= trigger.start < trigger.end <= flag.end
    report.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_sentences_are_ordered_non_empty_and_inside_the_text(text: str) -> None:
    spans = Sentences.split(text).spans
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        last = end

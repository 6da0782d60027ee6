"""Every script is read: a name in any script becomes ASCII tokens, never nothing (a silent miss)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.engine import compare
from watchlist.text.tokens import tokenize_name

# One personal or place name in each script (the name, and the script it is written in).
NAMES_BY_SCRIPT = {
    "Khmer": "ប៉ុល ពត",
    "Lao": "ສີສະຫວາດ",
    "Thai": "สมชาย",
    "Burmese": "အောင်ဆန်း",
    "Sinhala": "මහින්ද",
    "Tibetan": "བསྟན་འཛིན",
    "Mongolian": "ᠮᠣᠩᠭᠣᠯ",
    "Javanese": "ꦱꦸꦏꦂꦤꦺꦴ",
    "Cherokee": "ᏣᎳᎩ",
    "Canadian syllabics": "ᐃᓄᒃᑎᑐᑦ",
    "Ethiopic": "ኃይለ ሥላሴ",
    "Greek": "Αλέξανδρος",
    "Georgian": "ედუარდ შევარდნაძე",
    "Armenian": "Տիգրան",
    "Devanagari": "नरेन्द्र मोदी",
    "Bengali": "শেখ হাসিনা",
    "Tamil": "வேலுப்பிள்ளை பிரபாகரன்",
    "Telugu": "చంద్రబాబు",
    "Gujarati": "ગાંધી",
    "Gurmukhi": "ਸਿੰਘ",
    "Kannada": "ಕನ್ನಡ",
    "Malayalam": "മോഹൻലാൽ",
    "Hebrew": "בנימין נתניהו",
    "Arabic": "أسامة بن لادن",
    "Uyghur (Arabic script)": "ئۇيغۇر",
    "Syriac": "ܐܬܘܪܝܐ",
    "Thaana": "ދިވެހި",
    "Cyrillic": "Хуснуллин Марат",
    "Han": "金正恩",
    "Hangul": "김정은",
    "Kana": "ヤマモト",
}


@pytest.mark.parametrize("script", sorted(NAMES_BY_SCRIPT))
def test_a_name_in_every_script_has_ascii_tokens(script: str) -> None:
    tokens = tokenize_name(NAMES_BY_SCRIPT[script], "person")
    assert tokens, f"{script}: no tokens"
    assert all(t.text.isascii() and t.text for t in tokens)


def test_a_khmer_name_matches_its_latin_spelling() -> None:
    assert compare("ប៉ុល ពត", "Pol Pot", "Person").match


_LETTERS = st.characters(categories=["Lu", "Ll", "Lo", "Lm"])


@given(st.text(_LETTERS, min_size=1, max_size=12))
def test_any_run_of_letters_yields_ascii_tokens(name: str) -> None:
    """Never a crash, never a non-ASCII token. (Some letters are rightly silent: a soft sign, an
    alef, a glottal stop; the names above hold a name in every script to nothing dropped.)"""
    assert all(t.text.isascii() and t.text for t in tokenize_name(name, "person"))

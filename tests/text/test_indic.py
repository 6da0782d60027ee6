"""North Indian scripts read as their names are spelled in Latin (text.indic): the inherent vowel a
word does not speak is dropped ('अमित' is Amit, not Amita), 'श' is sh, a nasal sign is n.

The names are of the kinds the lists and screening queries hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest

from watchlist.engine import compare
from watchlist.text.indic import indic_script, indic_to_latin
from watchlist.text.tokens import tokenize_name


@pytest.mark.parametrize(("word", "latin"), [
    ("अमित", "amit"),  # the inherent vowel after the last consonant is not spoken
    ("राम", "ram"),
    ("नरेन्द्र", "narendra"),  # ... but after a cluster it is
    ("सलमान", "salman"),  # nor between a vowel and consonant and a consonant and vowel
    ("कमल", "kamal"),
    ("मोहम्मद", "mohammad"),  # a cluster after it keeps it
    ("शाह", "shah"),  # श is sh
    ("ज़ाकिर", "zakir"),  # a nukta letter
    ("अंकित", "ankit"),  # anusvara
    ("রহমান", "rahman"),  # Bengali
    ("ইমরান", "imran"),
    ("ਸਿੰਘ", "singh"),  # Gurmukhi tippi
    ("ਪੱਕਾ", "pakka"),  # Gurmukhi addak: the next consonant twice
    ("અમિત", "amit"),  # Gujarati
    ("न", "na"),  # one consonant alone keeps its vowel
])
def test_a_north_indian_word_reads_as_it_is_spelled(word: str, latin: str) -> None:
    assert indic_to_latin(word) == latin


@pytest.mark.parametrize(("word", "script"), [
    ("अमित", "devanagari"), ("রহমান", "bengali"), ("ਸਿੰਘ", "gurmukhi"), ("અમિત", "gujarati"),
    ("வேலு", None), ("Amit", None),  # Tamil is read by ICU
])
def test_the_north_indian_scripts_are_told(word: str, script: str | None) -> None:
    assert indic_script(word) == script


@pytest.mark.parametrize(("native", "latin"), [
    ("अमित शाह", "Amit Shah"),
    ("ইমরান খান", "Imran Khan"),
    ("अरविंद केजरीवाल", "Arvind Kejriwal"),
    ("हाफ़िज़ सईद", "Hafiz Saeed"),
])
def test_a_name_in_a_north_indian_script_meets_its_latin_spelling(native: str, latin: str) -> None:
    assert compare(native, latin, "Person").match


def test_two_names_in_bengali_differ_as_their_latin_spellings_do() -> None:
    # Read letter by letter both end in an inherent vowel the lists never write, and a near miss
    # between two unknown words looks like a typo.
    assert not compare("মোহাম্মদ শামসুদ্দিন", "মোহাম্মদ সাহাবুদ্দিন", "Person").match
    assert [t.text for t in tokenize_name("মোহাম্মদ শামসুদ্দিন", "person")] == ["mohammad", "shamsuddin"]


def test_punctuation_between_north_indian_words_parts_them() -> None:
    assert [t.text for t in tokenize_name("अमित-शाह", "person")] == ["amit", "shah"]
    assert [t.text for t in tokenize_name("अमित, शाह।", "person")] == ["amit", "shah"]

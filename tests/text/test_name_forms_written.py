"""Organisation names as written: legal forms read before their letters lose their marks, and two
names of one body written with a slash between them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.text.forms import name_forms
from watchlist.text.tokens import _latin_with_marks, tokenize_name


@pytest.mark.parametrize(
    "written, short",
    [
        ("Volkswagen Gesellschaft mit beschränkter Haftung", "Volkswagen GmbH"),
        ("Société Générale Société Anonyme", "Societe Generale SA"),
    ],
)
def test_a_legal_form_with_diacritics_is_one_legal_form(written: str, short: str) -> None:
    assert [t.text for t in tokenize_name(written, "org")] == [t.text for t in tokenize_name(short, "org")]
    assert compare(written, short, "Company").match


def test_the_legal_form_is_read_in_any_name_but_a_persons() -> None:
    assert [t.fold for t in tokenize_name("Müller Gesellschaft mit beschränkter Haftung", "any")][-1] == "lf"


@given(st.text(max_size=40))
def test_only_latin_text_with_marks_is_read_before_folding(text: str) -> None:
    marked = _latin_with_marks(text)
    if text.isascii():
        assert not marked
    if marked:
        letters = [c for c in text if c.isalpha() and not c.isascii()]
        assert letters and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèçñ ", min_size=1, max_size=40),
    st.sampled_from(["org", "any"]),
)
def test_org_tokens_of_marked_latin_are_ascii_and_stable(name: str, kind: str) -> None:
    tokens = tokenize_name(name, kind)
    assert all(t.text.isascii() and t.text for t in tokens)
    assert tokenize_name(name, kind) == tokens


def test_a_slash_between_two_names_gives_each_as_a_form() -> None:
    forms = name_forms("Al-Qa'ida/Islamic Army", "org")
    assert "Al-Qa'ida" in forms and "Islamic Army" in forms
    assert compare("Al Qaeda", "Al-Qa'ida/Islamic Army", "Organization").match
    assert compare("Islamic Army", "Al-Qa'ida/Islamic Army", "Organization").match


@pytest.mark.parametrize("name", ["Mendez, Denmark A/S", "M/V Ocean Star", "Ocean Trading c/o Smith", "ABC/DE Trading"])
def test_a_slash_in_an_abbreviation_or_legal_form_splits_nothing(name: str) -> None:
    assert name_forms(name, "org") == [name]


@given(st.from_regex(r"[A-Za-z ]{0,20}[A-Za-z]/[A-Za-z][A-Za-z ]{0,20}", fullmatch=True))
def test_a_slash_beside_a_single_letter_splits_nothing(name: str) -> None:
    # 'A/S', 'M/V', 'c/o': a letter on one side of the slash is an abbreviation, not a name.
    head, _, tail = name.partition("/")
    if len(head) < 2 or not head[-2].isalpha() or len(tail) < 2 or not tail[1].isalpha():
        assert name_forms(name, "org") == [name]


def test_a_persons_name_is_never_split_on_a_slash() -> None:
    assert name_forms("Ivan Petrov/Ivanov", "person") == ["Ivan Petrov/Ivanov"]

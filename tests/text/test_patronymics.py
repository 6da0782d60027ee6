"""Which word of a person's name is the patronymic (text.forms.patronymic_position)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.text.forms import family_positions, patronymic_position
from watchlist.text.tokens import tokenize_name


def position(name: str, listed: bool = True) -> int:
    return patronymic_position(tokenize_name(name, "person"), family_positions(name, "person", listed=listed))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Alexander Grigorievich LUKASHENKO", 1),  # Russian
        ("Mykhaylo Hryhorovych MALYSHEV", 1),  # Ukrainian
        ("LUKASHENKA, Alyaksandr Ryhorovich", 2),  # Belarusian, family name first
        ("KATSUBA, Sviatlana Piatrowna", 2),
        ("YARMOSHINA, Lidziya Mihaulauna", 2),
        ("Tetyana Oleksandrivna KUZMYCH", 1),
        ("Vladimir Iurievici ANTIUFEEV", 1),  # Russian as Moldova writes it
        ("Roman Arkadyevich Abramovich", 1),  # family name unknown: the second word
        ("ABRAMOVICH, Roman Arkadyevich", 2),  # a family name in -vich is not the patronymic
        ("Roman Abramovich", -1),  # two words: no patronymic
        ("Ivan Petrovic JANKOVIC", -1),  # South Slavic family names in -ovic
        ("Heinrich Ulrich Weber", -1),
    ],
)
def test_patronymic_position(name: str, expected: int) -> None:
    assert position(name) == expected


@given(st.lists(st.sampled_from(["ivan", "petrovich", "abramovich", "olga", "ivanovna", "kim", "li"]),
                min_size=0, max_size=6))
def test_a_patronymic_is_never_the_first_word_nor_a_family_name(words: list[str]) -> None:
    for name in (" ".join(words), ", ".join(words[:1] + [" ".join(words[1:])])):
        tokens = tokenize_name(name, "person")
        family = family_positions(name, "person", listed=True)
        found = patronymic_position(tokens, family)
        assert found == -1 or (1 <= found < len(tokens) and found not in family and len(tokens) >= 3)

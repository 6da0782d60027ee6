"""The classes of real spelling variants, as two official lists write one party (watchlist-v2).

Examples are of the kinds the lists hold, not rows of any evaluation set; each class also has a
negative that must stay apart.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein
from tests.conftest import make_entity

from watchlist import compare
from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.match.variants import (
    consonants_only,
    differences,
    learned_consonant_similarity,
    learned_distance,
    learned_segments,
    learned_similarity,
)
from watchlist.settings import Settings
from watchlist.text.forms import name_forms


@pytest.mark.parametrize(
    "query, listed",
    [
        # 1. One name has parts the other lacks: a patronymic, a longer name chain.
        ("Oleg Vladimirovich TSEPKIN", "TSEPKIN, Oleg"),
        ("Hamid Abdullah Nasser AL-QAHTANI", "AL-QAHTANI, Hamid Abdullah"),
        # 2. Transliterations outside any fixed table (learned letter equivalences).
        ("Viktor Sergeyevich SHEIMAN", "SHEIMAN, Viktar Sergeevich"),
        ("Olga Nikolaevna ANUFRIEVA", "ANUFRIYEVA, Olga Nikolayevna"),
        ("Tarek Anwar El Sayed Ahmad", "AHMAD, Tariq Anwar al-Sayyid"),
        # A learned difference the fold hides (a final h after a vowel folds away): Ukrainian Oleh.
        ("Oleg Petrovych MARCHENKO", "MARCHENKO, Oleh Petrovych"),
        # 4. A typo in the commonest name element.
        ("Adbul Rahman Haddad", "HADDAD, Abdul Rahman"),
        ("Badur Rehman Khan", "KHAN, Abdur Rehman"),
    ],
)
def test_real_person_variants_match(query: str, listed: str) -> None:
    result = compare(query, listed, "Person")
    assert result.match, (query, listed, result.score, result.explanation)


@pytest.mark.parametrize(
    "query, listed",
    [
        # 3. Acronyms in brackets, branches after a colon, the country the query adds.
        ("JAMAAT-UL-AHRAR (JuA)", "JAMAAT-UL-AHRAR"),
        ("Korea Kwangson Banking Corp", "KOREA KWANGSON BANKING CORPORATION (KKBC)"),
        ("Al Haramain Charity Foundation", "AL HARAMAIN CHARITY FOUNDATION : BOSNIA BRANCH"),
        ("Foreign Trade Bank of the DPRK", "FOREIGN TRADE BANK (FTB)"),
    ],
)
def test_real_organisation_variants_match(query: str, listed: str) -> None:
    result = compare(query, listed, "Organization")
    assert result.match, (query, listed, result.score, result.explanation)


@pytest.mark.parametrize(
    "query, listed, schema",
    [
        ("Central Bank of Iraq", "CENTRAL BANK OF THE RUSSIAN FEDERATION", "Organization"),  # a listed country stays
        ("Bank of China", "BANK OF KOREA", "Organization"),
        ("Andrew Harris", "PARIS, Andres", "Person"),  # an unlearned difference is no equivalence
        ("Kim Chol Su", "KIM, Chol", "Person"),  # common short name: the extra word is another person
        ("Anna Becker", "BECKER, Maria Anne", "Person"),  # a vowel apart as written: another name
    ],
)
def test_what_the_variant_rules_must_not_join(query: str, listed: str, schema: str) -> None:
    result = compare(query, listed, schema)
    assert not result.match, (query, listed, result.score, result.explanation)


def test_an_agreeing_birth_date_carries_a_partial_name_match() -> None:
    """5. Qualifiers: the same whole birth date lifts a strong partial name match over the line."""
    listed = make_entity("uk-1", "Tarad Mohammad ALJARBA", birth_dates=("1968-03-02",))
    engine = Engine(Settings())  # the bundled token weights
    name = "Tarad Mohammad Alnori Alfares Aljarba"
    without = engine.compare(Query.build(name, schema="Person"), listed)
    with_date = engine.compare(Query.build(name, schema="Person", birth_date="1968-03-02"), listed)
    assert with_date.match and with_date.score > without.score
    assert "birth date agrees" in " ".join(with_date.explanation)


def test_a_conflicting_birth_date_lowers_but_explains() -> None:
    listed = make_entity("uk-1", "Oleg Vladimirovich TSEPKIN", birth_dates=("1965-09-15",))
    engine = Engine(Settings())
    hit = engine.compare(Query.build("Oleg TSEPKIN", schema="Person", birth_date="1971-01-30"), listed)
    assert "birth date conflicts" in " ".join(hit.explanation)
    assert hit.score < engine.compare(Query.build("Oleg TSEPKIN", schema="Person"), listed).score


def test_learned_equivalences_are_loaded_and_symmetric() -> None:
    segments = learned_segments()
    assert ("i", "y") in segments
    assert learned_distance("viktor", "viktar") == learned_distance("viktar", "viktor")
    assert learned_distance("viktor", "viktar")[1] is True
    assert learned_distance("andrev", "andres")[1] is False


@pytest.mark.parametrize("a, b", [("fyodorov", "fedorov"), ("korolyov", "korolev"), ("parfyonov", "parfenov")])
def test_adjacent_edits_are_read_as_one_learned_difference(a: str, b: str) -> None:
    # Russian ё written 'yo' or 'e': to the edit script one replaced and one dropped letter side by side,
    # neither learned alone; the two read whole are one difference the lists show (learned: e / yo).
    assert ("e", "yo") in learned_segments()
    assert [len(run) for run in differences(a, b)] == [2]
    assert learned_distance(a, b)[1] is True
    assert learned_similarity(a, b) > 0.9
    assert compare(f"Anton {a.upper()}", f"{b.upper()}, Anton", "Person").score > 0.9


def test_a_run_of_edits_is_not_read_whole_in_a_short_word() -> None:
    # Two letters for one are a third of a five-letter word: Myong (Korean) is no Meng (Chinese).
    assert learned_similarity("meng", "myong") == 0.0


@given(st.text(alphabet="aeiouykhz", max_size=8), st.text(alphabet="aeiouykhz", max_size=8))
def test_differences_cover_the_edit_script(a: str, b: str) -> None:
    runs = differences(a, b)
    assert sum(len(run) for run in runs) == sum(op.tag != "equal" for op in Levenshtein.opcodes(a, b))
    assert all(x <= y and (x or y) for run in runs for x, y in run)
    assert (runs == []) == (a == b)


def test_a_learned_difference_as_written_is_a_consonant_one() -> None:
    """The fold drops Oleh's final h; as written, the learned g/h joins it to Oleg. A vowel difference
    in words the fold squeezes (anna -> ana) is not trusted as written either."""
    assert learned_consonant_similarity("oleh", "oleg") > 0.9
    assert learned_consonant_similarity("anna", "anne") == 0.0
    assert learned_consonant_similarity("beer", "bear") == 0.0
    assert learned_consonant_similarity("zheng", "heng") == 0.0  # zh is one sound: the fold's reading stands


def test_consonant_only_spelling() -> None:
    assert consonants_only("pt", "pot") and consonants_only("pot", "pt")
    assert not consonants_only("pa", "pot")


@pytest.mark.parametrize(
    "name, kind, query, forms",
    [
        ("FOREIGN TRADE BANK (FTB)", "org", False, ["FOREIGN TRADE BANK (FTB)", "FOREIGN TRADE BANK"]),
        ("X FOUNDATION : BOSNIA BRANCH", "org", False, ["X FOUNDATION : BOSNIA BRANCH", "X FOUNDATION"]),
        ("Foreign Trade Bank of the DPRK", "org", True, ["Foreign Trade Bank of the DPRK", "Foreign Trade Bank"]),
        ("Foreign Trade Bank of the DPRK", "org", False, ["Foreign Trade Bank of the DPRK"]),
        ("Bank of China", "org", True, ["Bank of China"]),  # 'Bank' alone names no bank
        ("KIM (Jong Un)", "person", False, ["KIM (Jong Un)"]),
    ],
)
def test_name_forms(name: str, kind: str, query: bool, forms: list[str]) -> None:
    assert name_forms(name, kind, query=query) == forms


def test_a_translated_patronymic_weighs_less_and_is_named() -> None:
    """1b. A patronymic is written the Ukrainian, Belarusian or Russian way (Hryhorovych, Ryhorovich,
    Grigorievich) more often than it agrees: it keeps half its weight, and the explanation says so."""
    listed = make_entity("ofac-1", "TKACHENKO, Nikolai Grigorievich", birth_dates=("1961-04-12",))
    engine = Engine(Settings())
    hit = engine.compare(Query.build("Mykola Hryhorovych TKACHENKO", schema="Person", birth_date="1961-04-12"), listed)
    v1 = engine.compare(Query.build("Mykola Hryhorovych TKACHENKO", schema="Person", birth_date="1961-04-12"), listed,
                        algorithm="watchlist-v1")
    assert hit.match and not v1.match, (hit.explanation, v1.explanation)
    assert "patronymic hryhorovych / grigorievich weighs x0.50" in " ".join(hit.explanation)


@pytest.mark.parametrize("birth_date", [None, "1971-03-02"])
def test_another_patronymic_still_parts_two_people(birth_date: str | None) -> None:
    """Ivan Petrovich and Ivan Sergeevich SIDOROV are two people unless the whole birth date agrees."""
    listed = make_entity("uk-1", "SIDOROV, Ivan Sergeevich", birth_dates=("1960-01-05",))
    hit = Engine(Settings()).compare(Query.build("Ivan Petrovich SIDOROV", schema="Person", birth_date=birth_date), listed)
    assert not hit.match, hit.explanation

"""Pairwise scoring: what must match and what must not, with the bundled token weights."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA
from tests.conftest import make_entity

from watchlist import compare
from watchlist.engine import Engine
from watchlist.match.similarity import _normalized, token_similarity
from watchlist.match.types import Query
from watchlist.text.tokens import make_token


@pytest.mark.parametrize(
    "query, listed, schema",
    [
        ("Kim Jong-un", "KIM, Jong Un", "Person"),
        ("Jongun Kim", "KIM Jong Un", "Person"),
        ("김정은", "Kim Jong Un", "Person"),
        ("Хуснуллин Марат Шакирзянович", "KHUSNULLIN, Marat Shakirzyanovich", "Person"),
        ("Marat Khusnullin", "KHUSNULLIN, Marat Shakirzyanovich", "Person"),
        ("Ri Jae Il", "RHEE, Jae-il", "Person"),
        ("Choi Song Nam", "CH'OE SO'NG-NAM", "Person"),
        ("Mohammed Younis Ahmad", "Muhammad Yunis Ahmad", "Person"),
        ("Victor Huggo Herran Saaveddra", "HERRAN SAAVEDRA, Victor Hugo", "Person"),
        ("A. V. Anichin", "ANICHIN, Alexei Vasilyevich", "Person"),
        ("Emma Tel Plus OOO", "EMMA TEL PLUS LLC", "Organization"),
        ("Mansudae Art Studio", "MANSUDAE ART STUDIO", "Organization"),
        ("M.V. EVER BRIGHT 88", "EVER BRIGHT 88", "Vessel"),
        ("PLA", "People's Liberation Army", "Organization"),  # acronym of the listed words
        ("SiemensAG", "Siemens AG", "Company"),  # legal form written onto the name
        ("Ig0r Sech1n", "Igor Sechin", "Person"),  # digits standing for letters
        ("President Recep Tayyip Erdogan", "Recep Tayyip Erdoğan", "Person"),  # title
        ("Grupo W, S.A.", "GRUPO W SA", "Organization"),
        ("Han Kwonu", "HAN, Kwon U", "Person"),  # one-letter syllable joined on
        ("Cho Ilwoo", "CHO, Il-U", "Person"),
        ("Usama bin Ladin", "Osama bin Laden", "Person"),  # Woo and U: one syllable, joined on
        ("MT ASIABRIDGE 1", "ASIA BRIDGE 1", "Vessel"),  # a generic word joined to the next
    ],
)
def test_variants_of_one_name_match(query: str, listed: str, schema: str) -> None:
    result = compare(query, listed, schema)
    assert result.match, (query, listed, result.score, result.explanation)


@pytest.mark.parametrize(
    "query, listed, schema",
    [
        ("Kim Jong Chol", "KIM, Jong Un", "Person"),
        ("Kim Yong Su", "KIM, Kyong Su", "Person"),
        ("Andrew Harris", "PARIS, Andres", "Person"),
        ("Korea Development Bank", "Korea United Development Bank", "Organization"),
        ("MV VENTURE FORTUNE", "FORTUNE", "Vessel"),
        ("EVER BRIGHT 89", "EVER BRIGHT 88", "Vessel"),
        ("Ulsan Holdings Ltd", "Unsan", "Organization"),
        ("M/V SEA STAR", "SEA STAR III", "Vessel"),  # a sister ship
        ("Choe Yong-Yong", "CHOE, Chun Yong", "Person"),  # a repeated syllable is a name part
        ("Grupo W, S.A.", "GRUPO WISA, S.A.", "Organization"),
        ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", "Person"),  # father and son swapped
        ("TARIQ ANWAR EL SAYED MOHAMED", "TARIQ ANWAR EL SAYED AHMED", "Person"),  # one name part differs
    ],
)
def test_other_names_do_not_match(query: str, listed: str, schema: str) -> None:
    result = compare(query, listed, schema)
    assert not result.match, (query, listed, result.score, result.explanation)


def test_scores_lie_in_unit_interval_and_explain() -> None:
    result = compare("Kim Jong Un", "KIM, Jong Un", "Person")
    assert 0.0 <= result.score <= 1.0
    assert result.explanation and "kim=kim" in result.explanation[0]


def test_schema_conflict_is_no_match() -> None:
    assert compare("Ever Bright", "EVER BRIGHT", "Person").score <= 1.0
    engine = Engine.from_entities([make_entity("v1", "EVER BRIGHT", "Vessel")])
    assert engine.screen(Query.build("Ever Bright", schema="Person")) == []


def test_penalties_are_explained() -> None:
    swapped = compare("SALMAN BIN MUHAMMAD", "MUHAMMAD BIN SALMAN", "Person")
    assert "swapped" in swapped.explanation[0]
    conflict = compare("TARIQ ANWAR MOHAMED", "TARIQ ANWAR AHMED", "Person")
    assert "different name parts (mohamed / ahmed)" in conflict.explanation[0]
    missing = compare("Jong Un", "KIM, Jong Un", "Person")
    assert "family name" in missing.explanation[0]


def test_a_query_naming_a_relative_is_penalised() -> None:
    # The listed first given name left out, a later one matched: a brother or a son, more likely.
    later = compare("Karimi Hassan", "KARIMI, Yusuf Hassan", "Person")
    first = compare("Karimi Yusuf", "KARIMI, Yusuf Hassan", "Person")
    assert "first given name" in later.explanation[0]
    assert "first given name" not in first.explanation[0]
    assert later.score < first.score
    # A Korean name in Hangul begins with its family name: one without it is someone else.
    other_family = compare("김미정", "MI JONG", "Person")
    assert "the query's family name is not in the listed name" in other_family.explanation[0]
    assert not other_family.match
    assert compare("김미정", "KIM, Mi Jong", "Person").match


def test_family_names_must_meet() -> None:
    crossed = compare("RI, Song Nam", "NAM, Ri Song", "Person")
    assert "each family name matches a given name of the other" in crossed.explanation[0]
    assert crossed.score < compare("RI, Song Nam", "RI, Song Nam", "Person").score
    # The query's family name met only as a near miss (Cho/Chol) is not met.
    near = compare("CHO, Han Su", "HAN CHOL SU", "Person")
    assert "cho~chol" in near.explanation[0]
    assert "the query's family name is not in the listed name" in near.explanation[0]
    # An organisation has no family name, whatever its commas.
    assert "family name" not in compare("NOVA, STAR HOLDINGS LTD", "STAR HOLDINGS LTD", "Organization").explanation[0]


def test_a_listed_family_name_in_capitals_is_known() -> None:
    # The UK and EU lists write 'Given Patronymic FAMILY': a query without the family name and with
    # a surname like the patronymic ('Petrova' / 'Petrovna') names someone else.
    other = compare("Svetlana Petrova", "Svetlana Petrovna GORYACHEVA", "Person")
    assert "the listed family name is not in the query" in other.explanation[0]
    assert not other.match
    assert compare("Svetlana Goryacheva", "Svetlana Petrovna GORYACHEVA", "Person").match
    # A given name spelled as the family name stands for it as well.
    same_word = compare("Ahmed Khalil", "Ahmad Khalil KHALIL", "Person")
    assert "family name" not in same_word.explanation[0]


def test_a_chinese_name_is_not_a_korean_one_for_sharing_readings() -> None:
    # Li/Ri and Zhang/Chang are one character read two ways; as names, family first on both sides,
    # the family names cross: 张利 (Zhang Li) is not RI CHANG HO.
    crossed = compare("张利", "RI CHANG HO", "Person")
    assert "each family name matches a given name of the other" in crossed.explanation[0]
    assert not crossed.match
    # A listed Korean name in capitals begins with the family name: a query with a later syllable only.
    assert "first given name" in compare("Li Song", "RI CHUN SONG", "Person").explanation[0]
    assert compare("Ri Chun Song", "RI CHUN SONG", "Person").match


def test_a_different_korean_syllable_is_a_different_given_name() -> None:
    other = compare("Kim Su-bin", "KIM, Su-Kwang", "Person")
    assert "different name parts (bin / kwang)" in other.explanation[0]
    assert not other.match


def test_a_dropped_letter_keeps_its_first_letter_even_where_the_folds_differ() -> None:
    # 'Cho' folds to 'jo' (Cho/Jo), 'Choe' stays: as written, both begin with C.
    assert "cho~choe" in compare("Han Su CHO", "CHOE, Han Su", "Person").explanation[0]


def test_one_typo_in_a_long_word_is_close_even_when_its_fold_is_short() -> None:
    # 'ssttar' folds to 'star' (doubled letters collapse), yet as written it is one letter from 'sattar'.
    assert token_similarity(make_token("ssttar"), make_token("sattar")) >= 0.9
    assert token_similarity(make_token("samir"), make_token("samiyah")) < 0.75  # another name


def test_a_typo_may_hit_the_first_letter_of_a_long_word_only() -> None:
    from watchlist.match.align import pair_similarity

    assert pair_similarity(make_token("ubinsky"), make_token("dubinsky"), False) >= 0.85  # one slip, long word
    assert pair_similarity(make_token("narat"), make_token("marat"), False) < 0.66  # another short name


def test_a_short_word_with_a_letter_dropped_aligns_when_nothing_closer_does() -> None:
    dropped = compare("Ahmad Abba Karimi", "KARIMI, Ahmad Abbas", "Person")
    assert "abba~abbas" in dropped.explanation[0]
    assert dropped.match
    # Another letter in a short name is another name, and is not aligned at all.
    assert "min~man" not in compare("Kim Min Jun", "KIM, Man Jun", "Person").explanation[0]


def test_two_letters_swapped_in_a_short_word_are_a_typo_not_another_name() -> None:
    swapped = token_similarity(make_token("kemal"), make_token("kmeal"))
    other = token_similarity(make_token("kemal"), make_token("kamal"))
    assert swapped >= 0.75 > other


def test_token_similarity_is_symmetric() -> None:
    for a, b in [("kang", "lang"), ("saavedra", "saaveddra"), ("a", "anichin"), ("jong", "jeong")]:
        ta, tb = make_token(a), make_token(b)
        assert token_similarity(ta, tb) == token_similarity(tb, ta)


@settings(max_examples=500)
@given(st.text("abcdehkmnoru", max_size=12), st.text("abcdehkmnoru", max_size=12))
def test_normalized_distance_is_rapidfuzz_normalized_similarity(a: str, b: str) -> None:
    # The scorer measures each distance once and normalises it itself: it must be the same float.
    assert _normalized(OSA.distance(a, b), a, b) == OSA.normalized_similarity(a, b)


def test_birth_date_qualifies_but_never_makes_a_hit() -> None:
    listed = make_entity("p1", "KIM, Jong Sik", birth_dates=("1967",))
    other = make_entity("p2", "PAK, Chol Nam", birth_dates=("1990-09-09",))
    engine = Engine.from_entities([listed, other])
    agree = engine.screen(Query.build("Kim Jong Sik", birth_date="1967"))[0]
    conflict = engine.screen(Query.build("Kim Jong Sik", birth_date="1990-09-09"))[0]
    assert agree.entity.id == "p1" and agree.score > conflict.score
    assert "dob_match" in agree.features and "dob_mismatch" in conflict.features
    only_dob = engine.screen(Query.build("Smith John", birth_date="1990-09-09"))
    assert not any(hit.match for hit in only_dob)


def test_vessel_word_order_counts() -> None:
    same = compare("MT ORION STAR", "ORION STAR", "Vessel").score
    crossed = compare("MT STAR ORION", "ORION STAR", "Vessel").score
    assert crossed < same
    assert compare("Star Orion", "Orion Star", "Person").score == compare("Orion Star", "Orion Star", "Person").score


_WORDS = st.sampled_from(["kim", "jong", "un", "jongun", "ali", "hassan", "al", "bin", "ahmad", "ahmed", "mansudae",
                          "art", "studio", "trading", "co", "ltd", "a", "k", "sea", "star", "3", "abdul", "rahman"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=5), st.lists(_WORDS, min_size=1, max_size=5),
       st.floats(min_value=0.0, max_value=1.0), st.sampled_from([0.5, 1.0]))
def test_a_floor_only_skips_alignments_that_cannot_reach_it(
    query: list[str], listed: list[str], floor: float, exponent: float
) -> None:
    from watchlist.match.align import QueryAligner
    from watchlist.text.tokens import tokenize_name
    from watchlist.text.weights import DEFAULT_STATS

    q, c = tokenize_name(" ".join(query), "any"), tokenize_name(" ".join(listed), "any")
    if not q or not c:
        return
    full = QueryAligner(q, DEFAULT_STATS).align(c)
    pruned = QueryAligner(q, DEFAULT_STATS).align(c, floor=floor, exponent=exponent)
    if full.query_coverage * full.candidate_coverage**exponent >= floor:
        assert (pruned.query_coverage, pruned.candidate_coverage, pruned.links) == (
            full.query_coverage, full.candidate_coverage, full.links)
    else:
        assert (pruned.query_coverage, pruned.candidate_coverage) in ((0.0, 0.0), (full.query_coverage, full.candidate_coverage))

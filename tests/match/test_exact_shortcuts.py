"""The aligner's shortcuts change no result: link_similarity is pair_similarity wherever the aligner
uses it, a candidate _hopeless prunes is one align would prune on its options anyway, and an entity
may_reach rules out (Engine.screen then never reads it) is one whose score is under the floor."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.match import similarity
from watchlist.match.algorithm import QueryForm
from watchlist.match.align import QueryAligner
from watchlist.match.candidates import candidate_names
from watchlist.match.registry import ALGORITHMS
from watchlist.match.similarity import MIN_TYPO_SIM, clear_caches, link_similarity, pair_similarity
from watchlist.match.types import Query
from watchlist.match.variants import _learned, _widest, learned_words, most_learned_edits
from watchlist.model import Entity, Name, Schema
from watchlist.text.tokens import Token, make_token, tokenize_name
from watchlist.text.weights import token_weights

# Real name words and near spellings of them (typos, romanisations, learned variants, consonant
# skeletons, contractions), so that every rule of pair_similarity meets both sides of MIN_TYPO_SIM.
WORDS = [
    "mohammed", "muhammad", "mohamad", "mhmd", "ahmed", "ahmad", "hamed", "ali", "aly", "alin", "kim", "kin",
    "jong", "chong", "jongun", "un", "il", "sung", "song", "yong", "kyong", "dae", "tae", "gwang", "kwang",
    "viktor", "viktar", "gennadievich", "gennadyevich", "mykhaylo", "mikhail", "iarosh", "jarosh", "oleksandr",
    "oleksabdr", "sattar", "ssttar", "hasna", "hansa", "abba", "abbas", "huu", "hudu", "international", "intl",
    "management", "mgmt", "trading", "co", "ltd", "bin", "abdul", "rahman", "abdulrahman", "karimov", "k",
    "a", "m", "petrovich", "ivanov", "ivan", "yermoshina", "iarmoshina", "vyacheslav", "viachaslau", "17",
    "plant", "zavod", "said", "seyed", "gdg", "ouagadougou", "abdwahid", "wahid", "wahed", "abdali", "ali",
]
word = st.sampled_from(WORDS)
noise = st.text(alphabet="abdehiklmnorsuvy", min_size=1, max_size=9)


class _Stats:
    """Token statistics without lists: each word weighs by its length, some count as listed."""

    def weigh(self, token: Token) -> float:
        return min(1.0, 0.2 + 0.1 * len(token.text))

    def known(self, token: Token) -> bool:
        return len(token.text) % 2 == 0


@settings(max_examples=400, deadline=None)
@given(st.one_of(word, noise), st.one_of(word, noise), st.booleans(), st.booleans())
def test_link_similarity_is_pair_similarity_where_the_aligner_links(a: str, b: str, known: bool, learned: bool) -> None:
    clear_caches()
    query, listed = make_token(a), make_token(b)
    exact = pair_similarity(query, listed, known, learned)
    link = link_similarity(query, listed, known, learned)
    assert link == (exact if exact >= MIN_TYPO_SIM else 0.0)


def test_link_similarity_on_every_pair_of_the_words() -> None:
    clear_caches()
    tokens = [make_token(w) for w in WORDS]
    for query in tokens:
        for listed in tokens:
            for known in (False, True):
                for learned in (False, True):
                    exact = pair_similarity(query, listed, known, learned)
                    assert link_similarity(query, listed, known, learned) == (exact if exact >= MIN_TYPO_SIM else 0.0)


def test_unlike_words_keep_the_link_tables_one_zero() -> None:
    # Most pairs the aligner weighs are two unlike words: each table entry of theirs is the one 0.0, not
    # a float of its own (compiled, a float stored is a new object: 24 bytes an entry, and holes in a
    # batch worker's heap each time the tables start afresh).
    clear_caches()
    query, unlike, alike = make_token("kim"), make_token("zhukovsky"), make_token("kin")
    assert link_similarity(query, unlike, True) == 0.0 and link_similarity(query, alike, True) > 0.0
    table = similarity.link_table(query, True, False)
    assert table[unlike.key] is similarity._UNLINKED and table[alike.key] is not similarity._UNLINKED


def _names(words: list[str]) -> str:
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(word, noise), min_size=1, max_size=4),
    st.lists(st.one_of(word, noise), min_size=1, max_size=4),
    st.sampled_from([0.05, 0.2, 0.4, 0.55, 0.61, 0.7, 0.9]),
    st.sampled_from([0.5, 0.644, 1.0, 1.03]),
    st.booleans(),
)
def test_a_hopeless_candidate_is_one_align_prunes(
    query_words: list[str], listed_words: list[str], floor: float, exponent: float, learned: bool,
) -> None:
    stats = _Stats()
    query, listed = tokenize_name(_names(query_words)), tokenize_name(_names(listed_words))
    if not query or not listed:
        return
    aligner = QueryAligner(query, stats, learned=learned)
    weights = token_weights(listed, stats)
    if aligner._hopeless(listed, weights, floor, exponent):
        options = aligner._options(listed)
        assert not options or aligner._score_bound(options, weights, exponent) < floor
        alignment = aligner.align(listed, weights, floor, exponent)
        assert alignment.query_coverage == alignment.candidate_coverage == 0.0


def test_a_candidate_sharing_the_query_is_not_hopeless() -> None:
    stats = _Stats()
    query = tokenize_name("Abdul Rahman Karimov")
    aligner = QueryAligner(query, stats)
    for listed_name in ("Karimov Abdul Rahman", "Abdulrahman Karimov", "Abdul Rahman Karimow"):
        listed = tokenize_name(listed_name)
        assert not aligner._hopeless(listed, token_weights(listed, stats), 0.6, 0.644)
    other = tokenize_name("Ivan Petrovich Sidorov")
    assert aligner._hopeless(other, token_weights(other, stats), 0.6, 0.644)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(word, noise), min_size=1, max_size=4),
    st.lists(st.lists(st.one_of(word, noise), min_size=1, max_size=4), min_size=1, max_size=3),
    st.sampled_from([Schema.PERSON, Schema.ORGANIZATION, Schema.VESSEL]),
    st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.62, 0.7, 0.85, 0.95]),
    st.sampled_from(["", "1970-01-01"]),
    st.sampled_from(["", "ru"]),
    st.sampled_from(sorted(ALGORITHMS)),
)
def test_an_entity_may_reach_rules_out_scores_under_the_floor(
    query_words: list[str], listed: list[list[str]], schema: Schema, floor: float, birth: str, country: str,
    algorithm: str,
) -> None:
    """Engine.screen reads no entity may_reach rules out: its score would be under the floor."""
    form = QueryForm.of(Query.build(_names(query_words), schema, birth or None, country or None))
    entity = Entity(
        id="listed", schema=schema, names=tuple(Name(_names(words)) for words in listed),
        birth_dates=("1970-01-01",), countries=("ru",),
    )
    names = candidate_names(entity)
    if not names or not form.names:
        return
    scorer, stats = ALGORITHMS[algorithm], _Stats()
    if not scorer.may_reach(form, schema, names, stats, floor):
        assert floor > 0.0
        assert scorer.score(form, entity, names, stats, floor).score < floor


def test_may_reach_keeps_a_match_and_rules_out_another_name() -> None:
    stats, scorer = _Stats(), ALGORITHMS["watchlist-v2"]
    form = QueryForm.of(Query.build("Abdul Rahman Karimov", Schema.PERSON))
    same = candidate_names(Entity(id="a", schema=Schema.PERSON, names=(Name("Karimov Abdul Rahman"),)))
    other = candidate_names(Entity(id="b", schema=Schema.PERSON, names=(Name("Ivan Petrovich Sidorov"),)))
    assert scorer.may_reach(form, Schema.PERSON, same, stats, 0.7)
    assert not scorer.may_reach(form, Schema.PERSON, other, stats, 0.7)
    assert scorer.may_reach(form, Schema.PERSON, other, stats, 0.0)  # any score reaches a floor of 0


def test_learned_words_pre_check_keeps_every_learned_pair() -> None:
    """learned_words answers most pairs from the set of learned words alone: every pair the lists
    taught must still count, both ways round, and a pair of one learned word and another must not."""
    pairs = _learned()[1]
    assert pairs
    for a, b in pairs:
        assert learned_words(a, b) and learned_words(b, a)
    a, b = next(iter(pairs))
    assert not learned_words(a, a + "zz") and not learned_words("mohammed", "ivanov")
    assert _widest() == max(max(len(x), len(y)) for x, y in _learned()[0])


def test_no_learned_difference_reaches_words_the_unlike_shortcut_skips() -> None:
    """similarity._learned_only leaves out _pair_similarity's check of the words as written
    (_learned_spelling): two words it sees are more than half their length apart as written
    (_unlike_words: max(length, 4) // 2 edits), and learned differences join words at most
    most_learned_edits apart. Regenerated tables with wider differences would break that."""
    for length in range(1, 64):
        assert most_learned_edits(length) <= max(length, 4) // 2, (length, most_learned_edits(length))

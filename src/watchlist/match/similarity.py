"""How alike two tokens are: edit similarity across spellings and romanisations, a word against two
written together, and the query-against-listed similarity the aligner (match.align) links tokens by.

The similarities the aligner asks for again and again are cached, each cache bounded: customer names
repeat, and listed names share their tokens. token_similarity, asked seldom, is not.
"""

from __future__ import annotations

from typing import Final, TypeVar

from rapidfuzz.distance import OSA, Levenshtein

from watchlist.match.variants import (
    consonants_only,
    contraction_similarity,
    learned_consonant_similarity,
    learned_similarity,
    learned_words,
    most_learned_edits,
)
from watchlist.text.refdata import name_refdata
from watchlist.text.symbols import same_meaning
from watchlist.text.tokens import ALIGNED_SIMILARITY, LEGAL_FORM, Token, TokenKind, make_token

MIN_TOKEN_SIM: Final = ALIGNED_SIMILARITY  # below this two tokens do not align at all
MIN_TYPO_SIM: Final = 0.5  # ... when one word is the other with a letter dropped (Abba/Abbas, Huu/Hudu)
# An initial is discounted in three separate ways, each for its own reason: it is a near match of
# the word it begins (INITIAL_SIM), it carries little information itself (text.weights.INITIAL_*_WEIGHT),
# and it explains only part of the full word it stands for (INITIAL_EXPLAINS).
INITIAL_SIM: Final = 0.9
SPLIT_FLOOR: Final = 0.6  # a word this unlike two words written together is not them joined
SPLIT_FLOOR_RATIO: Final = (3, 5)  # SPLIT_FLOOR as a fraction, for integer arithmetic
# Entries in each similarity cache before it starts afresh. Each batch worker holds its own: at
# 500,000 the pair cache alone grew a worker by about 100 MB over 20,000 rows for a 4% saving in
# CPU over 100,000 (bench/batch_bench.py, docs/batch.md); most pairs are never asked again, and the
# link tables at 100,000 held 2 MB more of a worker after 25,000 rows than at this size, for no CPU
# time saved (bench/worker_caches.py): the pairs asked again are asked within a few chunks.
CACHE_SIZE: Final = 25_000
# ... but joined_typo_similarity's (10,000 entries held up to 1.2 MB of each batch worker). split_similarity
# keeps none: an aligner asks it once per pair of tokens, and 2% of a batch worker's calls repeated one
# of 10,000 kept (25,000 synthetic customers), each saving a microsecond at the cost of a key and a lookup.
JOINED_TYPOS_CACHE_SIZE: Final = 10_000
# rapidfuzz's functions bound once: looking one up on its module costs as much as a short call.
_osa_distance: Final = OSA.distance
_levenshtein_distance: Final = Levenshtein.distance
_levenshtein_similarity: Final = Levenshtein.normalized_similarity
# Sums of floats start at 0.0: compiled (setup.py), sum() with its int start of 0 is typed int and refuses a float.
K = TypeVar("K")
V = TypeVar("V")
LinkTable = dict[str, float | None]  # a query token's link similarities by listed token key (None: never stored)


def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens are, in [0, 1], across spellings and romanisations (not cached: its callers
    ask it seldom, once in two rows of a batch, and a functools cache of its answers held 2 MB of a
    worker's memory over 25,000 rows for no CPU time saved).

    Edit similarity of the folded forms, made stricter where a short word
    differs (Kang/Lang, Yong/Kyong are other names, not typos) and where the
    first letter differs (as written and as folded: Cho folds to jo, Choe does not); one typo in a
    long word stays a close match.
    """
    return _token_similarity(a, b)[0]


def _token_similarity(a: Token, b: Token) -> tuple[float, int]:
    """token_similarity, and the edit distance between the two as written where it was measured
    (else -1), for callers that need it too: each distance is one call into rapidfuzz."""
    if a.fold == b.fold:
        return 1.0, -1
    if a.kind is TokenKind.NUMBER or b.kind is TokenKind.NUMBER:
        return 0.0, -1
    short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
    if len(short.text) == 1:
        # An initial ('A.') stands for any word that begins with it.
        return (INITIAL_SIM if len(long_.text) > 1 and long_.text[0] == short.text else 0.0), -1
    if a.voiceless == b.voiceless and sum(x != y for x, y in zip(a.fold, b.fold)) == 1:
        return 0.92, -1  # Dae/Tae, Gwang/Kwang: one name in two romanisations
    fold_distance = _osa_distance(a.fold, b.fold)
    text_distance = _osa_distance(a.text, b.text)
    # The raw spelling too: a typo in a word the fold maps elsewhere (Oleksabdr).
    sim = max(_normalized(fold_distance, a.fold, b.fold), _normalized(text_distance, a.text, b.text))
    if (min(len(a.fold), len(b.fold)) >= 6 and fold_distance <= 1) or (
        min(len(a.text), len(b.text)) >= 6 and text_distance <= 1
    ):
        sim = max(sim, 0.9)  # one typo in a long word (even one whose fold is short: Ssttar/Sattar)
    elif max(len(a.fold), len(b.fold)) <= 5 and not _transposed(a.text, b.text, text_distance):
        sim *= 0.85  # a short word with another letter is usually another name (Chol/Chon); two swapped, a slip
    if a.fold[0] != b.fold[0] and a.text[0] != b.text[0]:
        sim *= 0.85
    return sim, text_distance


def _normalized(distance: int, a: str, b: str) -> float:
    """An edit distance as a similarity in [0, 1], as rapidfuzz's normalized_similarity computes it."""
    longest = max(len(a), len(b))
    return 1.0 - distance / longest if longest else 1.0


_JOINED_TYPOS: Final[dict[tuple[str, str, str], float]] = {}


def _remember(cache: dict[K, V], key: K, value: V, size: int = CACHE_SIZE) -> V:
    """Keep a computed value in a bounded cache, emptied when full (the keys in use come back at
    once). Called on misses only: a hit is one inline dict lookup."""
    if len(cache) >= size:
        cache.clear()
    cache[key] = value
    return value


def clear_caches() -> None:
    """Empty the similarity caches (a batch worker over its memory budget starts them afresh)."""
    _JOINED_TYPOS.clear()
    _PAIR_SIMILARITY.clear()
    _clear_links()


def _clear_links() -> None:
    for held in _LINKS.values():
        held.clear()  # a table an aligner holds too
    _LINKS.clear()
    _LINKS_HELD[0] = 0


def may_be_joined(word: Token, text: str, fold: str) -> bool:
    """Whether a word may be words written together whose texts and folds, joined, are `text` and `fold`
    (split_similarity is 0 where it may not, and asks this first): a cheap test, before three words'
    last two are made one token (match.align)."""
    return _levenshtein_similarity(word.fold, fold) >= SPLIT_FLOOR or _levenshtein_similarity(word.text, text) >= SPLIT_FLOOR


def sizes_apart(a: int, b: int) -> bool:
    """Lengths too far apart for an edit similarity of SPLIT_FLOOR (it is at most their ratio)."""
    return a * SPLIT_FLOOR_RATIO[1] < b * SPLIT_FLOOR_RATIO[0] or b * SPLIT_FLOOR_RATIO[1] < a * SPLIT_FLOOR_RATIO[0]


def split_similarity(joined: Token, first: Token, second: Token) -> float:
    """A single word against two adjacent words ('Jongun' vs 'Jong Un'), part by part.

    The word is cut where its halves best match the two words, so one differing
    syllable (Yongsu vs Yong Chol) counts as fully as it would between spaced names.
    """
    text = joined.text
    if not may_be_joined(joined, first.text + second.text, first.fold + second.fold):
        return 0.0
    best = 0.0
    for cut in range(1, len(text)):
        if not (_lengths_close(cut, len(first.text)) and _lengths_close(len(text) - cut, len(second.text))):
            continue
        head_sim = _part_similarity(make_token(text[:cut]), first)
        if head_sim > best:
            best = max(best, min(head_sim, _part_similarity(make_token(text[cut:]), second)))
    return best


def _lengths_close(part: int, word: int) -> bool:
    """Whether a part of a word this long may match a word that long. Edit similarity is at
    most the ratio of the lengths, far below what aligns at under a half; an initial or a
    one-letter syllable is matched by its first letter, whatever its length."""
    return part == 1 or word == 1 or 2 * min(part, word) >= max(part, word)


def _part_similarity(part: Token, word: Token) -> float:
    """A part of a joined word against a separate word. A one-letter part is a syllable
    ('Kwonu' = 'Kwon U'), never an initial; a separate initial may begin a part ('A. Ahad' = 'Abdahad')."""
    if part.fold == word.fold:
        return 1.0  # 'Ilwoo' = 'Il U': Woo and U are one syllable
    if len(part.text) == 1:
        return 0.0
    if len(word.text) == 1:
        return INITIAL_SIM if part.text[0] == word.text else 0.0
    return token_similarity(part, word)

WORD_KIND: Final = TokenKind.WORD
ORG_TERM_KIND: Final = TokenKind.ORG_TERM
CONSONANTS_SIM: Final = 0.85  # a word written with its consonants alone (an abjad, an abugida letter by letter)
LEARNED_WORD_SIM: Final = 0.9  # two words the lists write for one another (match.variants)
TYPO_LIFT: Final = 0.4  # share of the gap to 1.0 a near miss recovers when the query word is no listed word
KNOWN_WORD_DAMPING: Final = 0.92  # a near miss between two words both in the lists is usually two names
TYPO_MIN_LENGTH: Final = 3  # shorter words are too often other names
ORG_TYPO_MIN_LENGTH: Final = 3  # an organisation's word of one or two letters mistyped is another word
ORG_TWO_TYPOS: Final = 6  # an organisation's word this long may carry two typos (Trafalgura / Trafigura)
ORG_MOST_TYPOS: Final = 2
# A theophoric name against its second part alone ('Abdul Hanif', one token 'abdhanif' (text.tokens._join_abd),
# against 'Hanif'): lists add or drop the 'Abdul'. Only part of the same name (Abdul Rahman and Rahman are
# two given names), so the part's similarity counts this much; a part shorter than ABD_PART_MIN_LENGTH
# letters ('Abdul Ali' / 'Ali') is too common a name alone to tell.
ABD: Final = "abd"
ABD_PART_SIM: Final = 0.8
ABD_PART_MIN_LENGTH: Final = 4


_PAIR_SIMILARITY: Final[dict[tuple[str, str, bool, bool], float]] = {}
# Link similarities by query token (its key, known, learned), then by listed token key: one lookup
# by a string whose hash is kept, for the pair the aligner asks most (_token_links).
_LINKS: Final[dict[tuple[str, bool, bool, bool], LinkTable]] = {}
_LINKS_HELD: Final = [0]  # entries in all of _LINKS' tables
# The link tables' one 0.0, most of their values (two unlike words). Typed so that the compiled module
# keeps it as it is, where a float is a new object each time it is stored: 24 bytes an entry, and a
# worker's heap left with holes each time the tables start afresh.
_UNLINKED: float | None = 0.0


def pair_similarity(query_token: Token, candidate_token: Token, known: bool, learned: bool = False) -> float:
    """How alike a query token is to a listed one, as the aligner sees it (cached); with `learned`,
    spellings that differ only by learned equivalences count as one name (match.variants)."""
    key = (query_token.key, candidate_token.key, known, learned)
    sim = _PAIR_SIMILARITY.get(key)
    if sim is None:
        sim = _remember(_PAIR_SIMILARITY, key, _pair_similarity(query_token, candidate_token, known, learned))
    return sim


def link_similarity(query_token: Token, candidate_token: Token, known: bool, learned: bool = False) -> float:
    """pair_similarity where it is MIN_TYPO_SIM or more, else 0.0 (cached): all the aligner needs, as it
    links no pair under MIN_TYPO_SIM. Most pairs it weighs are two unlike words, and saying that they
    are unlike costs two bounded edit distances, where their exact similarity costs several."""
    table = link_table(query_token, known, learned)
    sim = table.get(candidate_token.key)
    return sim if sim is not None else remember_link(table, query_token, candidate_token, known, learned)


def link_table(query_token: Token, known: bool, learned: bool, organisation: bool = False) -> LinkTable:
    """The link similarities of one query token with listed tokens, by listed token key, for a caller
    that asks for many (QueryAligner): fill it with remember_link. An organisation's word has a table
    of its own (organisation_typo_similarity counts there)."""
    key = (query_token.key, known, learned, organisation)
    table = _LINKS.get(key)
    if table is None:
        table = _LINKS[key] = {}
    return table


def remember_link(
    table: LinkTable, query_token: Token, candidate_token: Token, known: bool, learned: bool,
    organisation: bool = False,
) -> float:
    """The link similarity of two tokens, kept in the query token's link_table (all tables start
    afresh once they hold CACHE_SIZE entries together); with `organisation`, of two words of
    organisations' names, where one mistyped is that word (organisation_typo_similarity: within two
    edits as written, so never of two unlike words)."""
    fold_edits = _unlike_words(query_token, candidate_token)
    if fold_edits < 0:
        sim = _pair_similarity(query_token, candidate_token, known, learned)
        if organisation and sim < 1.0:
            sim = max(sim, organisation_typo_similarity(query_token, candidate_token))
    else:
        sim = _learned_only(query_token, candidate_token, fold_edits) if learned else 0.0
        if sim < ABD_PART_SIM:  # not told by the edit distances: the whole word against a part
            sim = max(sim, abd_part_similarity(query_token, candidate_token))
    if _LINKS_HELD[0] >= CACHE_SIZE:
        _clear_links()
    _LINKS_HELD[0] += 1
    if sim < MIN_TYPO_SIM:
        table[candidate_token.key] = _UNLINKED
        return 0.0
    table[candidate_token.key] = sim
    return sim


def _unlike_words(a: Token, b: Token) -> int:
    """Whether two words have a similarity before learned equivalences (_adjusted_similarity) under
    MIN_TYPO_SIM, told by their edit distances alone: if so, at least how many edits apart their folds
    are; else -1. Each edit similarity (1 - distance / longer length) is under a half when the distance
    is over half the longer length, folded and as written; no rule lifts it to MIN_TYPO_SIM: the 0.9 of
    one typo in a long word and the typo lift of an unknown word need at most two edits as written (the
    0.9 one folded, within half of any fold of two letters or more), the 0.92 of one romanisation needs
    equal voiceless forms, and an initial or a number is no word of two letters or more; the other
    rules only lower it."""
    if a.kind is not WORD_KIND or b.kind is not WORD_KIND or a.voiceless == b.voiceless:
        return -1
    text_a, text_b = a.text, b.text
    if len(text_a) < 2 or len(text_b) < 2:
        return -1
    half = max(len(a.fold), len(b.fold)) // 2
    fold_edits: int = _osa_distance(a.fold, b.fold, score_cutoff=half)
    if fold_edits <= half:
        return -1
    if half >= 2 and text_a == a.fold and text_b == b.fold:
        return fold_edits  # as written they are their folds: the same distance over the same half (37% of calls)
    half = max(len(text_a), len(text_b), 4) // 2  # over two edits too
    return fold_edits if _osa_distance(text_a, text_b, score_cutoff=half) > half else -1


def _learned_only(query_token: Token, candidate_token: Token, fold_edits: int) -> float:
    """The similarity of two words by their learned equivalences alone (pair_similarity's part after
    the edit similarity), given at least how many edits apart their folds are (an OSA distance, at
    most their Levenshtein distance): the whole pair_similarity of two unlike words where that is
    MIN_TYPO_SIM or more. As written they are over half their length apart too, farther than learned
    differences reach (a test holds that), so _learned_spelling's written form adds nothing here."""
    fold_a, fold_b = query_token.fold, candidate_token.fold
    sim = 0.0
    if fold_edits <= most_learned_edits(max(len(fold_a), len(fold_b))):
        sim = learned_similarity(fold_a, fold_b)
    if consonants_only(query_token.text, candidate_token.text):
        sim = max(sim, CONSONANTS_SIM)
    if learned_words(fold_a, fold_b) or same_meaning(query_token.text, candidate_token.text):
        sim = max(sim, LEARNED_WORD_SIM)
    return sim


def abd_part_similarity(query_token: Token, candidate_token: Token) -> float:
    """A query's theophoric name joined into one word ('abdhanif') against a listed word that is its
    second part ('hanif', or a spelling of it: 'hanef'): ABD_PART_SIM x the part's similarity; else 0.0.
    One way only, as a query's words beyond a listed name it explains count less (match.logic_v1,
    listed_name_explained): the query's 'Abd' is more of the listed name; a listed 'Abdul Majid'
    the query writes 'Majid' is a name the query leaves out a part of."""
    if query_token.kind is not WORD_KIND or candidate_token.kind is not WORD_KIND:
        return 0.0
    whole = query_token.text
    if not whole.startswith(ABD) or candidate_token.text.startswith(ABD):
        return 0.0
    rest = whole[len(ABD) :]
    if len(rest) < ABD_PART_MIN_LENGTH or whole in name_refdata().equivalents:
        return 0.0  # 'Abdullah' is a name of its own, not 'Abd' and 'Ullah'
    return ABD_PART_SIM * token_similarity(make_token(rest), candidate_token)


def _pair_similarity(query_token: Token, candidate_token: Token, known: bool, learned: bool) -> float:
    sim = _adjusted_similarity(query_token, candidate_token, known)
    if sim < ABD_PART_SIM:
        sim = max(sim, abd_part_similarity(query_token, candidate_token))
    if learned and sim < 1.0 and query_token.kind is WORD_KIND and candidate_token.kind is WORD_KIND:
        sim = max(sim, _learned_spelling(query_token, candidate_token))
        if consonants_only(query_token.text, candidate_token.text):
            sim = max(sim, CONSONANTS_SIM)
        if learned_words(query_token.fold, candidate_token.fold):
            sim = max(sim, LEARNED_WORD_SIM)
    if learned and sim < LEARNED_WORD_SIM and same_meaning(query_token.text, candidate_token.text):
        sim = LEARNED_WORD_SIM  # one word of an organisation's name translated ('tsentr', 'center')
    if learned and sim < 1.0 and ORG_TERM_KIND in (query_token.kind, candidate_token.kind):
        sim = max(sim, contraction_similarity(query_token.text, candidate_token.text))  # a business word shortened
    return sim


def _learned_spelling(query_token: Token, candidate_token: Token) -> float:
    """learned_similarity of the folds, else of the words as written where a fold changed one
    (match.variants.learned_consonant_similarity: Oleh folds to 'ole' and meets Oleg only as written)."""
    sim = learned_similarity(query_token.fold, candidate_token.fold)
    if sim == 0.0 and (query_token.fold != query_token.text or candidate_token.fold != candidate_token.text):
        sim = learned_consonant_similarity(query_token.text, candidate_token.text)
    return sim


def _adjusted_similarity(query_token: Token, candidate_token: Token, known: bool) -> float:
    """Token similarity, adjusted by whether the lists use the query word (`known`).

    A query word the lists never use, one typo from a listed word, is likely that
    word mistyped; a near miss between words the lists both use is usually two names.
    """
    sim, distance = _token_similarity(query_token, candidate_token)
    if sim >= 1.0 or query_token.kind is not TokenKind.WORD:
        return sim
    query, candidate = query_token.text, candidate_token.text
    if distance < 0:
        distance = _osa_distance(query, candidate)
    if known and not _transposed(query, candidate, distance):
        return sim * KNOWN_WORD_DAMPING
    if (
        len(query) >= TYPO_MIN_LENGTH
        # Typos rarely hit the first letter of a short word; in a long one a slip is a slip anywhere.
        and (len(query) >= 6 or _same_start(query, candidate))
        and _one_typo(query, candidate, distance)
    ):
        return sim + (1.0 - sim) * TYPO_LIFT
    return sim


def organisation_typo_similarity(query_token: Token, candidate_token: Token) -> float:
    """A word of an organisation's name within a typo of a listed word (two in a word of ORG_TWO_TYPOS
    letters or more): their token similarity lifted by TYPO_LIFT, as that of a person's word the lists
    never use; else 0.0. Whether the lists use the word does not count: that damping is for persons'
    names, drawn from a small stock where Kang and Lang, Chol and Chon are two people. An organisation's
    words (brands, places, trades) are not, and one mistyped beside a listed name's other words is
    that word ('Stellaris' for 'Stellantis', 'Beta Platforms' for 'Meta Platforms'); a generic word
    too ('Koorae' for 'Korea'), not a legal form (text.tokens reads those mistyped its own way)."""
    if not (_org_word(query_token) and _org_word(candidate_token)):
        return 0.0
    if not _within_org_typos(query_token.text, candidate_token.text):
        return 0.0
    sim = token_similarity(query_token, candidate_token)
    return sim + (1.0 - sim) * TYPO_LIFT


def _within_org_typos(a: str, b: str) -> bool:
    """Within one typo, two in a word of ORG_TWO_TYPOS letters or more; neither of under ORG_TYPO_MIN_LENGTH."""
    if min(len(a), len(b)) < ORG_TYPO_MIN_LENGTH:
        return False
    typos = ORG_MOST_TYPOS if max(len(a), len(b)) >= ORG_TWO_TYPOS else 1
    return _osa_distance(a, b, score_cutoff=typos) <= typos


def joined_typo_similarity(first: Token, second: Token, word: Token) -> float:
    """Two words of an organisation's name written together against one word: a typo of it (as
    organisation_typo_similarity says of one word), or 0.0 (cached)."""
    if abs(len(first.text) + len(second.text) - len(word.text)) > ORG_MOST_TYPOS:
        return 0.0  # more letters apart than typos reach: most pairs, told without a key
    key = (first.key, second.key, word.key)
    sim = _JOINED_TYPOS.get(key)
    if sim is None:
        text = first.text + second.text  # told apart as text first: most pairs are no typo of the word
        typo = _within_org_typos(text, word.text)
        sim = _remember(_JOINED_TYPOS, key, organisation_typo_similarity(make_token(text), word) if typo else 0.0,
                        JOINED_TYPOS_CACHE_SIZE)
    return sim


def _org_word(token: Token) -> bool:
    """A word or a generic business word of an organisation's name, not its legal form."""
    return token.kind is WORD_KIND or (token.kind is ORG_TERM_KIND and token.fold != LEGAL_FORM)


def _transposed(a: str, b: str, distance: int) -> bool:
    """Two neighbouring letters swapped (Hasna/Hansa): a typo even when it spells another listed word.
    `distance` is their OSA distance, in which a swap counts one edit."""
    return distance == 1 and _levenshtein_distance(a, b, score_cutoff=2) == 2


def _same_start(a: str, b: str) -> bool:
    """The same first letter, or the first two swapped (Ulis/Luis)."""
    return a[0] == b[0] or (len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0])


def letter_dropped_or_added(a: str, b: str) -> bool:
    """Abba/Abbas, Huu/Hudu; not at the start, where a short word with a letter more is another
    name (Yong/Kyong)."""
    return abs(len(a) - len(b)) == 1 and a[0] == b[0] and _levenshtein_distance(a, b, score_cutoff=1) == 1


def _one_typo(a: str, b: str, distance: int) -> bool:
    """Within a typo of each other (two in long words), given their OSA distance."""
    return distance <= (2 if min(len(a), len(b)) >= 10 else 1)
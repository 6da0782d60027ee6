"""Name similarity: align the tokens of two names and weigh what agrees.

Tokens are aligned without regard to order (SURNAME, Given == Given Surname),
a token may align with two adjacent tokens of the other name joined (Jongun ==
Jong Un), and an initial aligns with a word it begins. Each token weighs by
how rare it is in the lists (Kim is weak evidence, Mansudae strong), so the
score says how much of the *information* in each name the other one explains.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Final, TypeVar

from rapidfuzz.distance import OSA, Levenshtein

from watchlist.match.abjad import ABJAD_SIM, abjad_similarity
from watchlist.match.variants import (
    consonants_only,
    contraction_similarity,
    learned_similarity,
    learned_words,
)
from watchlist.text.tokens import ALIGNED_SIMILARITY, Token, TokenKind, joinable, make_token
from watchlist.text.weights import TokenStats, token_weights

MIN_TOKEN_SIM: Final = ALIGNED_SIMILARITY  # below this two tokens do not align at all
MIN_TYPO_SIM: Final = 0.5  # ... when one word is the other with a letter dropped (Abba/Abbas, Huu/Hudu)
# An initial is discounted in three separate ways, each for its own reason: it is a near match of
# the word it begins (INITIAL_SIM), it carries little information itself (text.weights.INITIAL_*_WEIGHT),
# and it explains only part of the full word it stands for (INITIAL_EXPLAINS).
INITIAL_SIM: Final = 0.9
INITIAL_EXPLAINS: Final = 0.5  # share of the listed word's weight an initial standing for it explains
SPLIT_FLOOR: Final = 0.6  # a word this unlike two words written together is not them joined
SPLIT_FLOOR_RATIO: Final = (3, 5)  # SPLIT_FLOOR as a fraction, for integer arithmetic
# Entries in each similarity cache before it starts afresh. Each batch worker holds its own: at
# 500,000 the pair cache alone grew a worker by about 100 MB over 20,000 rows for a 4% saving in
# CPU over 100,000 (bench/batch_bench.py, docs/batch.md); 100,000 held 13 MB more of a worker's
# own memory than 25,000 after 10,000 rows, for no CPU time measurable on a shared machine (under 1-2%).
CACHE_SIZE: Final = 25_000
# rapidfuzz's functions bound once: looking one up on its module costs as much as a short call.
_osa_distance: Final = OSA.distance
_levenshtein_distance: Final = Levenshtein.distance
_levenshtein_similarity: Final = Levenshtein.normalized_similarity
# Sums of floats start at 0.0: compiled (setup.py), sum() with its int start of 0 is typed int and refuses a float.
K = TypeVar("K")
V = TypeVar("V")


@lru_cache(maxsize=500_000)
def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens are, in [0, 1], across spellings and romanisations.

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


_SPLIT_SIMILARITY: Final[dict[tuple[str, str, str], float]] = {}


def _remember(cache: dict[K, V], key: K, value: V) -> V:
    """Keep a computed value in a bounded cache, emptied when full (the keys in use come back at
    once). Called on misses only: a hit is one inline dict lookup."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def clear_caches() -> None:
    """Empty the similarity caches (a batch worker over its memory budget starts them afresh)."""
    _SPLIT_SIMILARITY.clear()
    _PAIR_SIMILARITY.clear()
    token_similarity.cache_clear()


def split_similarity(joined: Token, first: Token, second: Token) -> float:
    key = (joined.key, first.key, second.key)
    sim = _SPLIT_SIMILARITY.get(key)
    return sim if sim is not None else _remember(_SPLIT_SIMILARITY, key, _split_similarity(joined, first, second))


def _sizes_apart(a: int, b: int) -> bool:
    """Lengths too far apart for an edit similarity of SPLIT_FLOOR (it is at most their ratio)."""
    return a * SPLIT_FLOOR_RATIO[1] < b * SPLIT_FLOOR_RATIO[0] or b * SPLIT_FLOOR_RATIO[1] < a * SPLIT_FLOOR_RATIO[0]


def _split_similarity(joined: Token, first: Token, second: Token) -> float:
    """A single word against two adjacent words ('Jongun' vs 'Jong Un'), part by part.

    The word is cut where its halves best match the two words, so one differing
    syllable (Yongsu vs Yong Chol) counts as fully as it would between spaced names.
    """
    text = joined.text
    if (
        _levenshtein_similarity(joined.fold, first.fold + second.fold) < SPLIT_FLOOR
        and _levenshtein_similarity(text, first.text + second.text) < SPLIT_FLOOR
    ):
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


class Alignment:
    """How one name aligns with another. A plain class, not a dataclass: one is made per
    candidate name, and a dataclass's generated __init__ is not compiled (setup.py)."""

    __slots__ = ("candidate", "candidate_coverage", "candidate_matched", "crossed", "links", "query",
                 "query_coverage", "query_matched")

    def __init__(
        self,
        query_coverage: float,
        candidate_coverage: float,
        links: list[Link] | None = None,
        candidate_matched: frozenset[int] = frozenset(),
        crossed: bool = False,
        query_matched: frozenset[int] = frozenset(),
        query: tuple[Token, ...] = (),
        candidate: tuple[Token, ...] = (),
    ) -> None:
        self.query_coverage = query_coverage  # share of the query's information the candidate explains
        self.candidate_coverage = candidate_coverage  # share of the candidate's information the query explains
        self.links: list[Link] = links if links is not None else []  # the aligned parts, best first
        self.candidate_matched = candidate_matched  # positions of the candidate tokens aligned
        self.crossed = crossed  # the aligned parts stand in another order in the two names
        self.query_matched = query_matched  # positions of the query tokens aligned
        self.query = query
        self.candidate = candidate

    @property
    def pairs(self) -> list[tuple[str, str, float]]:
        """(query part, candidate part, similarity) for each link, for explanations."""
        return [
            (" ".join(self.query[i].text for i in qi), " ".join(self.candidate[i].text for i in ci), sim)
            for sim, qi, ci in self.links
        ]


Link = tuple[float, tuple[int, ...], tuple[int, ...]]  # (similarity, query positions, candidate positions)
_SINGLE: Final = [(i,) for i in range(64)]  # one position as a tuple, made once
_SINGLE_LOCK: Final = threading.Lock()


def _ensure_singles(size: int) -> None:
    if size > len(_SINGLE):
        with _SINGLE_LOCK:  # two threads extending at once would misnumber the list
            _SINGLE.extend((i,) for i in range(len(_SINGLE), size))


def _pairs(tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Adjacent tokens one may write as one word: 'Jong Un' (Jongun), 'de Lourdes', 'Siemens AG' (SiemensAG)."""
    return [
        (i, i + 1)
        for i in range(len(tokens) - 1)
        if joinable(tokens[i], tokens[i + 1])
        or (tokens[i].kind is TokenKind.WORD and tokens[i + 1].kind is TokenKind.ORG_TERM)
    ]


def acronym_similarity(acronym: Token, words: Sequence[Token]) -> float:
    """'PLA' for 'People's Liberation Army', 'KOMID' for 'Korea Mining Development ...': the
    initials of consecutive words spell the token."""
    letters = "".join(w.text[0] for w in words)
    return INITIAL_SIM if len(words) >= 2 and letters == acronym.text else 0.0


def _may_be_acronym(token: Token) -> bool:
    """Three to six letters ('PLA', 'KOMID'), or two without a vowel ('JC' for Jean-Claude)."""
    size = len(token.text)
    return token.kind is TokenKind.WORD and token.text.isalpha() and (
        3 <= size <= 6 or (size == 2 and not any(c in "aeiouy" for c in token.text))
    )


def _acronym_runs(acronym: Token, tokens: tuple[Token, ...]) -> list[tuple[int, ...]]:
    """Runs of consecutive words of `tokens` whose initials spell `acronym`."""
    size = len(acronym.text)
    words = [i for i, t in enumerate(tokens) if t.kind is TokenKind.WORD]
    runs: list[tuple[int, ...]] = []
    for start in range(len(words) - size + 1):
        run = words[start : start + size]
        if run[-1] - run[0] == size - 1 and acronym_similarity(acronym, [tokens[i] for i in run]):
            runs.append(tuple(run))
    return runs


class QueryAligner:
    """Aligns one query name with many candidate names.

    What depends on the query alone is computed once, and each candidate
    token's possible links with the query are cached: candidate names share
    tokens (every alias of a person repeats the family name), so screening
    one query against dozens of names costs little more than against one.
    """

    def __init__(
        self, query: tuple[Token, ...], stats: TokenStats, weights: Sequence[float] | None = None,
        learned: bool = False, abjad: bool = False,
    ) -> None:
        self.query = query
        self.learned = learned  # spelling equivalences learned from the lists (match.variants) count
        self.abjad = abjad  # the query is written in an abjad: its words meet Latin ones on consonants (match.abjad)
        self.stats = stats
        self.weights = tuple(weights or token_weights(query, stats))
        self._total = sum(self.weights, 0.0)
        self._known = [stats.known(t) for t in query]
        _ensure_singles(len(query))
        self._query_pairs = _pairs(query) if query else []
        self._pair_sizes = [
            (len(query[a].text) + len(query[b].text), len(query[a].fold) + len(query[b].fold))
            for a, b in self._query_pairs
        ]
        self._split_words = [i for i, t in enumerate(query) if t.kind is TokenKind.WORD and len(t.text) >= 3]
        self._acronyms = [i for i, t in enumerate(query) if _may_be_acronym(t)]
        # Initials of the query's words, a space for other tokens: an acronym must be a substring.
        self._initials = "".join([t.text[0] if t.kind is TokenKind.WORD else " " for t in query])
        self._tokens: dict[int, tuple[Token, list[tuple[float, tuple[int, ...]]]]] = {}  # by id(): hashing a Token is slower
        self._splits: dict[tuple[str, str], list[tuple[int, float]]] = {}

    def _token_links(self, token: Token) -> list[tuple[float, tuple[int, ...]]]:
        """How one candidate token can align with the query: (similarity, query positions) for
        each query word it resembles, each pair of adjacent query words it joins, each run of
        query words whose initials it spells."""
        query = self.query
        links: list[tuple[float, tuple[int, ...]]] = []
        for qi, qt in enumerate(query):
            sim = pair_similarity(qt, token, self._known[qi], self.learned)
            if self.abjad and sim < ABJAD_SIM:
                sim = max(sim, abjad_similarity(qt, token))
            if sim >= MIN_TOKEN_SIM or (sim >= MIN_TYPO_SIM and _letter_dropped_or_added(qt.text, token.text)):
                links.append((sim, _SINGLE[qi]))
        if token.kind is TokenKind.WORD and len(token.text) >= 3:
            text_size, fold_size = len(token.text), len(token.fold)
            for q_pair, (pair_text, pair_fold) in zip(self._query_pairs, self._pair_sizes, strict=True):
                if _sizes_apart(text_size, pair_text) and _sizes_apart(fold_size, pair_fold):
                    continue  # split_similarity would say 0 at once
                sim = split_similarity(token, query[q_pair[0]], query[q_pair[1]])
                if sim >= MIN_TOKEN_SIM:
                    links.append((sim, q_pair))
            if _may_be_acronym(token) and token.text in self._initials:
                links.extend((INITIAL_SIM, run) for run in _acronym_runs(token, query))
        self._tokens[id(token)] = (token, links)
        return links

    def _split_matches(self, first: Token, second: Token) -> list[tuple[int, float]]:
        key = (first.key, second.key)
        found = self._splits.get(key)
        if found is None:
            found = []
            pair_text, pair_fold = len(first.text) + len(second.text), len(first.fold) + len(second.fold)
            for qi in self._split_words:
                word = self.query[qi]
                if _sizes_apart(len(word.text), pair_text) and _sizes_apart(len(word.fold), pair_fold):
                    continue
                sim = split_similarity(word, first, second)
                if sim >= MIN_TOKEN_SIM:
                    found.append((qi, sim))
            self._splits[key] = found
        return found

    def _score_bound(self, options: list[Link], c_weights: Sequence[float], exponent: float) -> float:
        """The most query coverage x candidate coverage**exponent any alignment of these options
        can reach: each token at its best similarity, as if none competed for a token."""
        best_q = [0.0] * len(self.query)
        best_c = [0.0] * len(c_weights)
        for sim, q_positions, c_positions in options:
            for i in q_positions:
                best_q[i] = max(best_q[i], sim)
            for i in c_positions:
                best_c[i] = max(best_c[i], sim)
        q_weights = self.weights
        q_matched = c_matched = c_total = 0.0
        for i in range(len(best_q)):
            q_matched += best_q[i] * q_weights[i]
        for i in range(len(best_c)):
            c_matched += best_c[i] * c_weights[i]
            c_total += c_weights[i]
        bound: float = (q_matched / self._total) * (c_matched / c_total) ** exponent
        return bound

    def _options(self, candidate: tuple[Token, ...]) -> list[Link]:
        """Every token pairing worth aligning: one to one, one word to two joined words, acronyms."""
        _ensure_singles(len(candidate))
        options: list[Link] = []
        cache = self._tokens
        for ci, token in enumerate(candidate):
            cached = cache.get(id(token))
            links = cached[1] if cached is not None and cached[0] is token else self._token_links(token)
            if links:
                c_positions = _SINGLE[ci]
                options.extend([(sim, q_positions, c_positions) for sim, q_positions in links])
        if self._split_words:
            for c_pair in _pairs(candidate):
                for qi, sim in self._split_matches(candidate[c_pair[0]], candidate[c_pair[1]]):
                    options.append((sim, _SINGLE[qi], c_pair))
        if self._acronyms and len(candidate) >= 3:
            initials = "".join([t.text[0] if t.kind is TokenKind.WORD else " " for t in candidate])
            for qi in self._acronyms:
                if self.query[qi].text in initials:
                    for run in _acronym_runs(self.query[qi], candidate):
                        options.append((INITIAL_SIM, (qi,), run))
        return options

    def align(
        self,
        candidate: tuple[Token, ...],
        candidate_weights: Sequence[float] | None = None,
        floor: float = 0.0,
        exponent: float = 1.0,
    ) -> Alignment:
        """Greedy best-first alignment; coverage of each side by the other.

        The candidate's weights may be passed in when known (the index keeps each listed name's).
        A name whose query coverage x candidate coverage**exponent cannot reach `floor` is not
        aligned: its coverages are 0.
        """
        query = self.query
        if not query or not candidate:
            return Alignment(0.0, 0.0)
        q_weights = self.weights
        c_weights = candidate_weights or token_weights(candidate, self.stats)
        options = self._options(candidate)
        if not options or (floor > 0.0 and self._score_bound(options, c_weights, exponent) < floor):
            return Alignment(0.0, 0.0, query=query, candidate=candidate)
        if len(options) > 1:
            options.sort(
                key=lambda o: (o[0], sum([q_weights[i] for i in o[1]], 0.0) + sum([c_weights[i] for i in o[2]], 0.0)),
                reverse=True,
            )
        used_q: set[int] = set()
        used_c: set[int] = set()
        q_matched = c_matched = 0.0
        links: list[Link] = []
        for option in options:
            sim, qi, ci = option
            if used_q.intersection(qi) or used_c.intersection(ci):
                continue
            used_q.update(qi)
            used_c.update(ci)
            # A one-letter word is an initial; not a one-digit number ('Brigade 4'), nor a syllable
            # written as one character (match.native).
            initial = (
                len(qi) == 1 and len(ci) == 1 and query[qi[0]].kind is not TokenKind.NUMBER
                and min(len(query[qi[0]].text), len(candidate[ci[0]].text)) == 1 and query[qi[0]].text.isascii()
            )
            q_matched += sim * sum([q_weights[i] for i in qi], 0.0)
            c_matched += sim * sum([c_weights[i] for i in ci], 0.0) * (INITIAL_EXPLAINS if initial else 1.0)
            links.append(option)
        order = [ci[0] for _, ci in sorted((qi[0], ci) for _, qi, ci in links)]
        crossed = any(a > b for a, b in pairwise(order))
        return Alignment(
            q_matched / self._total, c_matched / sum(c_weights, 0.0), links, frozenset(used_c), crossed,
            frozenset(used_q), query, candidate,
        )


WORD_KIND: Final = TokenKind.WORD
ORG_TERM_KIND: Final = TokenKind.ORG_TERM
CONSONANTS_SIM: Final = 0.85  # a word written with its consonants alone (an abjad, an abugida letter by letter)
LEARNED_WORD_SIM: Final = 0.9  # two words the lists write for one another (match.variants)
TYPO_LIFT: Final = 0.4  # share of the gap to 1.0 a near miss recovers when the query word is no listed word
KNOWN_WORD_DAMPING: Final = 0.92  # a near miss between two words both in the lists is usually two names
TYPO_MIN_LENGTH: Final = 3  # shorter words are too often other names


_PAIR_SIMILARITY: Final[dict[tuple[str, str, bool, bool], float]] = {}


def pair_similarity(query_token: Token, candidate_token: Token, known: bool, learned: bool = False) -> float:
    """How alike a query token is to a listed one, as the aligner sees it (cached); with `learned`,
    spellings that differ only by learned equivalences count as one name (match.variants)."""
    key = (query_token.key, candidate_token.key, known, learned)
    sim = _PAIR_SIMILARITY.get(key)
    if sim is None:
        sim = _adjusted_similarity(query_token, candidate_token, known)
        if learned and sim < 1.0 and query_token.kind is WORD_KIND and candidate_token.kind is WORD_KIND:
            sim = max(sim, learned_similarity(query_token.fold, candidate_token.fold))
            if consonants_only(query_token.text, candidate_token.text):
                sim = max(sim, CONSONANTS_SIM)
            if learned_words(query_token.fold, candidate_token.fold):
                sim = max(sim, LEARNED_WORD_SIM)
        if learned and sim < 1.0 and ORG_TERM_KIND in (query_token.kind, candidate_token.kind):
            sim = max(sim, contraction_similarity(query_token.text, candidate_token.text))  # a business word shortened
        _remember(_PAIR_SIMILARITY, key, sim)
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


def _transposed(a: str, b: str, distance: int) -> bool:
    """Two neighbouring letters swapped (Hasna/Hansa): a typo even when it spells another listed word.
    `distance` is their OSA distance, in which a swap counts one edit."""
    return distance == 1 and _levenshtein_distance(a, b, score_cutoff=2) == 2


def _same_start(a: str, b: str) -> bool:
    """The same first letter, or the first two swapped (Ulis/Luis)."""
    return a[0] == b[0] or (len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0])


def _letter_dropped_or_added(a: str, b: str) -> bool:
    """Abba/Abbas, Huu/Hudu; not at the start, where a short word with a letter more is another
    name (Yong/Kyong)."""
    return abs(len(a) - len(b)) == 1 and a[0] == b[0] and _levenshtein_distance(a, b, score_cutoff=1) == 1


def _one_typo(a: str, b: str, distance: int) -> bool:
    """Within a typo of each other (two in long words), given their OSA distance."""
    return distance <= (2 if min(len(a), len(b)) >= 10 else 1)

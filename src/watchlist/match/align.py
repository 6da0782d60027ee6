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
from itertools import pairwise
from typing import Final

from watchlist.match.abjad import ABJAD_SIM, abjad_similarity
from watchlist.match.partners import (
    WADE_GILES_SIM,
    joined_partner,
    partner_similarity,
    token_partners,
)
from watchlist.match.similarity import (
    ABD,
    INITIAL_SIM,
    MIN_TOKEN_SIM,
    MIN_TYPO_SIM,
    SPLIT_FLOOR_RATIO,
    abd_part_similarity,
    clear_caches,
    joined_typo_similarity,
    letter_dropped_or_added,
    link_table,
    may_be_joined,
    pair_similarity,
    remember_link,
    split_similarity,
    token_similarity,
)
from watchlist.match.spans import (
    CUT_WORD_SIM,
    acronym_runs,
    acronym_similarity,
    adjacent_pairs,
    cut_from,
    cut_word,
    may_be_acronym,
)
from watchlist.text.tokens import Token, TokenKind, make_token, word_triples
from watchlist.text.wade_giles import token_systems
from watchlist.text.weights import TokenStats, token_weights

# The token similarities live in match.similarity; these names stay importable from here.
__all__ = [
    "INITIAL_EXPLAINS", "MIN_TOKEN_SIM", "Alignment", "QueryAligner", "acronym_similarity", "clear_caches",
    "pair_similarity", "split_similarity", "token_similarity",
]
# An initial explains only part of the full word it stands for (match.similarity.INITIAL_SIM says why
# an initial is discounted in three ways).
INITIAL_EXPLAINS: Final = 0.5  # share of the listed word's weight an initial standing for it explains
RARE_REPEAT: Final = 0.8  # a word weighing this much (few listed names share it) repeated is written twice by mistake
PRUNE_MARGIN: Final = 1.0 - 1e-9  # a bound computed another way prunes only this far under the floor


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


def _sizes_near(size: int) -> tuple[int, int]:
    """The sizes not too far from `size` for an edit similarity of SPLIT_FLOOR (not sizes_apart): from
    ceil(size x 3/5) to floor(size x 5/3)."""
    low, high = SPLIT_FLOOR_RATIO
    return (size * low + high - 1) // high, size * high // low


def _word_left(tokens: tuple[Token, ...], used: set[int]) -> bool:
    """Whether a word of two letters or more is left unaligned."""
    return any(i not in used and t.kind is TokenKind.WORD and len(t.text) > 1 for i, t in enumerate(tokens))


def _abd_parts(query: tuple[Token, ...], candidate: tuple[Token, ...], links: list[Link]) -> list[Link]:
    """The links of a query's theophoric name with its second part alone ('Abdul Hanif' / 'Hanif'): they
    stand only where the query explains the whole listed name, its 'Abd' more of that name; with a listed
    word left over, another name stands where the 'Abd' was ('Abdul Khan' / 'Padshah Khan')."""
    return [
        link for link in links
        if len(link[1]) == 1 and len(link[2]) == 1
        and 0.0 < link[0] <= abd_part_similarity(query[link[1][0]], candidate[link[2][0]])
    ]


def _initials(tokens: tuple[Token, ...]) -> str:
    """The first letter of each word, a space for each other token: an acronym spells a substring."""
    return "".join([t.text[0] if t.kind is TokenKind.WORD else " " for t in tokens])


def _repeated_words(tokens: tuple[Token, ...]) -> bool:
    """Whether a word of two letters or more is written twice in the name."""
    words = [t.text for t in tokens if t.kind is TokenKind.WORD and len(t.text) > 1]
    return len(set(words)) < len(words)


def _echoes(
    tokens: tuple[Token, ...], weights: Sequence[float], used: set[int], links: list[tuple[float, tuple[int, ...]]],
) -> float:
    """The weight the unaligned repeats of aligned rare words explain, each as well as its aligned copy:
    a rare word (a family name) written twice says no more who is meant than once ('Shoigu Shoigu
    Sergey'). A common one may be two name parts (a son named as his father: 'Mohamed Mohamed'; Korean
    syllables: 'Il Il', 'Song-Song'), and so may a word that is the whole name with its copy (a
    reduplicated given name: 'Xia Xia', 'Tun Tun'): another word must align too. The repeats join `used`."""
    aligned: dict[str, float] = {}
    for sim, positions in links:
        for i in positions:
            text = tokens[i].text
            aligned[text] = max(aligned.get(text, 0.0), sim)
    explained = 0.0
    if len(aligned) < 2:
        return explained
    for i, token in enumerate(tokens):
        if (
            i not in used and weights[i] >= RARE_REPEAT and token.kind is TokenKind.WORD and len(token.text) > 1
            and token.text in aligned
        ):
            used.add(i)
            explained += aligned[token.text] * weights[i]
    return explained


def _greedy(
    query: tuple[Token, ...], candidate: tuple[Token, ...], options: list[Link], q_weights: Sequence[float],
    c_weights: Sequence[float],
) -> tuple[list[Link], set[int], set[int], float, float]:
    """Take the options best first, each whose tokens are still free: the links, the positions used on
    each side, and the weight each side's links explain."""
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
    return links, used_q, used_c, q_matched, c_matched


class QueryAligner:
    """Aligns one query name with many candidate names.

    What depends on the query alone is computed once, and each candidate
    token's possible links with the query are cached: candidate names share
    tokens (every alias of a person repeats the family name), so screening
    one query against dozens of names costs little more than against one.
    """

    def __init__(
        self, query: tuple[Token, ...], stats: TokenStats, weights: Sequence[float] | None = None,
        learned: bool = False, abjad: bool = False, organisation: bool = False, person: bool = False,
    ) -> None:
        self.query = query
        self.learned = learned  # spelling equivalences learned from the lists (match.variants) count
        self.abjad = abjad  # the query is written in an abjad: its words meet Latin ones on consonants (match.abjad)
        # An organisation's name: two letters may be an acronym ('US', 'EU'), a word one mistyped at any letter.
        self.organisation = organisation
        self.stats = stats
        self.weights = tuple(weights or token_weights(query, stats))
        self._total = sum(self.weights, 0.0)
        self._known = [stats.known(t) for t in query]
        _ensure_singles(len(query))
        self._query_pairs = adjacent_pairs(query) if query else []
        # The sizes a candidate word may have to be split_similarity'd with each query pair, and those of
        # a candidate pair with each query word (as written, folded): sizes_apart's test, turned round.
        self._pair_sizes = [
            _sizes_near(len(query[a].text) + len(query[b].text)) + _sizes_near(len(query[a].fold) + len(query[b].fold))
            for a, b in self._query_pairs
        ]
        # Three adjacent query words one may write as one word ('Plat Ono Vich', 'Kim Jong Un'): where
        # each begins, its text and fold joined, and the sizes that allow it. Its last two are made one
        # token (to be split_similarity'd as a pair) only for a listed word it may be (may_be_joined).
        self._query_triples = [
            (i, "".join([t.text for t in query[i : i + 3]]), "".join([t.fold for t in query[i : i + 3]]))
            for i in word_triples(query)
        ]
        self._triple_sizes = [_sizes_near(len(text)) for _, text, _ in self._query_triples]
        self._triple_tails: dict[int, Token] = {}
        self._split_words = [
            (i, _sizes_near(len(t.text)) + _sizes_near(len(t.fold)))
            for i, t in enumerate(query) if t.kind is TokenKind.WORD and len(t.text) >= 3
        ]
        self._link_tables = [
            link_table(t, known, learned, organisation) for t, known in zip(query, self._known, strict=True)
        ]
        # What each query word meets by rule or table (a Pinyin reading; in a person's name a nickname), or None.
        self._wade_giles, self._pinyin = token_systems(query)
        self._partners = [token_partners(t, person, self._wade_giles, self._pinyin) for t in query]
        # A theophoric name ('abdhanif') may align with its second part alone (match.similarity.abd_part_similarity).
        self._abd = any(t.text.startswith(ABD) for t in query)
        self._repeats = _repeated_words(query)
        self._acronyms = [i for i, t in enumerate(query) if may_be_acronym(t, organisation)]
        # The fewest candidate words an acronym of the query can spell: one a letter, and three (two in an
        # organisation's name).
        self._acronym_words = max(
            2 if organisation else 3, min([len(query[i].text) for i in self._acronyms], default=3),
        )
        self._initials = _initials(query)
        self._cut = cut_word(query)
        # By Token.key (a str, its hash kept): the similarities the links come from are cached by key too.
        self._tokens: dict[str, list[tuple[float, tuple[int, ...]]]] = {}
        self._splits: dict[tuple[str, str], list[tuple[int, float]]] = {}

    def _token_links(self, token: Token) -> list[tuple[float, tuple[int, ...]]]:
        """How one candidate token can align with the query: (similarity, query positions) for
        each query word it resembles, each pair of adjacent query words it joins, each run of
        query words whose initials it spells."""
        query = self.query
        key = token.key
        tables = self._link_tables
        links: list[tuple[float, tuple[int, ...]]] = []
        for qi in range(len(tables)):  # indexed, not zipped or enumerated: this loop runs most of all
            table = tables[qi]
            sim = table.get(key)
            if sim is None:
                sim = remember_link(table, query[qi], token, self._known[qi], self.learned, self.organisation)
            if self.abjad and sim < ABJAD_SIM:
                sim = max(sim, abjad_similarity(query[qi], token))
            partners = self._partners[qi]
            if partners is not None and sim < WADE_GILES_SIM:
                sim = max(sim, partner_similarity(partners, token))
            if qi == self._cut and sim < CUT_WORD_SIM and cut_from(query[qi], token):
                sim = CUT_WORD_SIM
            if sim >= MIN_TOKEN_SIM or (sim >= MIN_TYPO_SIM and letter_dropped_or_added(query[qi].text, token.text)):
                links.append((sim, _SINGLE[qi]))
        if token.kind is TokenKind.WORD and len(token.text) >= 3:
            text_size, fold_size = len(token.text), len(token.fold)
            q_pairs, pair_sizes = self._query_pairs, self._pair_sizes
            for p in range(len(q_pairs)):
                text_low, text_high, fold_low, fold_high = pair_sizes[p]
                if not (text_low <= text_size <= text_high or fold_low <= fold_size <= fold_high):
                    continue  # split_similarity would say 0 at once
                q_pair = q_pairs[p]
                sim = split_similarity(token, query[q_pair[0]], query[q_pair[1]])
                if self.organisation and sim < 1.0:  # 'Andrang Heta' / 'Ndrangheta': one word mistyped
                    sim = max(sim, joined_typo_similarity(query[q_pair[0]], query[q_pair[1]], token))
                if self._wade_giles and sim < WADE_GILES_SIM:
                    sim = max(sim, joined_partner(token, query[q_pair[0]], query[q_pair[1]]))
                if sim >= MIN_TOKEN_SIM:
                    links.append((sim, q_pair))
        if token.kind is TokenKind.WORD and self._query_triples:
            size = len(token.text)
            for t in range(len(self._query_triples)):
                low, high = self._triple_sizes[t]
                start, text, fold = self._query_triples[t]
                if low <= size <= high and may_be_joined(token, text, fold):
                    sim = split_similarity(token, query[start], self._triple_tail(start))
                    if sim >= MIN_TOKEN_SIM:
                        links.append((sim, (start, start + 1, start + 2)))
        if (
            (self.organisation or len(token.text) >= 3) and token.text in self._initials
            and may_be_acronym(token, self.organisation)
        ):
            links.extend((INITIAL_SIM, run) for run in acronym_runs(token, query))
        self._tokens[key] = links
        return links

    def _triple_tail(self, start: int) -> Token:
        """The last two of the three query words from `start`, as one token (made once)."""
        tail = self._triple_tails.get(start)
        if tail is None:
            tail = self._triple_tails[start] = make_token(self.query[start + 1].text + self.query[start + 2].text)
        return tail

    def _split_matches(self, first: Token, second: Token) -> list[tuple[int, float]]:
        key = (first.key, second.key)
        found = self._splits.get(key)
        if found is None:
            found = []
            pair_text, pair_fold = len(first.text) + len(second.text), len(first.fold) + len(second.fold)
            for qi, (text_low, text_high, fold_low, fold_high) in self._split_words:
                if not (text_low <= pair_text <= text_high or fold_low <= pair_fold <= fold_high):
                    continue  # split_similarity would say 0 at once
                word = self.query[qi]
                sim = split_similarity(word, first, second)
                if self.organisation and sim < 1.0:
                    sim = max(sim, joined_typo_similarity(first, second, word))
                if self._pinyin and sim < WADE_GILES_SIM:
                    sim = max(sim, joined_partner(word, first, second))
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
        return self._bound_of(best_q, best_c, c_weights, exponent)

    def _bound_of(self, best_q: list[float], best_c: list[float], c_weights: Sequence[float], exponent: float) -> float:
        q_weights = self.weights
        q_matched = c_matched = c_total = 0.0
        for i in range(len(best_q)):
            q_matched += best_q[i] * q_weights[i]
        for i in range(len(best_c)):
            c_matched += best_c[i] * c_weights[i]
            c_total += c_weights[i]
        bound: float = (q_matched / self._total) * (c_matched / c_total) ** exponent
        return bound

    def _hopeless(self, candidate: tuple[Token, ...], c_weights: Sequence[float], floor: float, exponent: float) -> bool:
        """Whether _score_bound of the candidate's options is under `floor`, told without making them:
        each position's best similarity, from the token links (cached) and acronyms, first with each
        candidate pair a query word's sizes allow it to be written as counted a full match of that word
        (most candidates fall short even so, and no split is measured), then with the splits measured.
        Below `floor` by a margin only, so that rounding cannot drop a candidate align would keep."""
        if self._total <= 0.0 or sum(c_weights, 0.0) <= 0.0:
            return False  # no bound to tell (align divides by these only where there are options)
        best_q = [0.0] * len(self.query)
        best_c = [0.0] * len(candidate)
        self._token_bests(candidate, best_q, best_c)
        if self._split_words and len(candidate) > 1:
            # Every two neighbours counted as a pair one may write as one word (the pairs _pairs keeps
            # are among them): the bound only loosens, and most candidates need no joinable() asked.
            loose_q, loose_c = list(best_q), list(best_c)
            for a in range(len(candidate) - 1):
                b = a + 1
                text_size = len(candidate[a].text) + len(candidate[b].text)
                fold_size = len(candidate[a].fold) + len(candidate[b].fold)
                for qi, (text_low, text_high, fold_low, fold_high) in self._split_words:
                    if text_low <= text_size <= text_high or fold_low <= fold_size <= fold_high:
                        loose_q[qi] = loose_c[a] = loose_c[b] = 1.0
            if self._bound_of(loose_q, loose_c, c_weights, exponent) < floor * PRUNE_MARGIN:
                return True
            for a, b in adjacent_pairs(candidate):
                for qi, sim in self._split_matches(candidate[a], candidate[b]):
                    best_q[qi] = max(best_q[qi], sim)
                    best_c[a] = max(best_c[a], sim)
                    best_c[b] = max(best_c[b], sim)
        return self._bound_of(best_q, best_c, c_weights, exponent) < floor * PRUNE_MARGIN

    def _token_bests(self, candidate: tuple[Token, ...], best_q: list[float], best_c: list[float]) -> None:
        """Raise each position's best similarity to that of the token links and acronym runs."""
        cache = self._tokens
        for ci in range(len(candidate)):
            token = candidate[ci]
            links = cache.get(token.key)
            if links is None:
                links = self._token_links(token)
            for sim, q_positions in links:
                # Written only when raised: compiled, each float stored in a list is a new object.
                if sim > best_c[ci]:  # noqa: PLR1730 - max() would box and store a float every time
                    best_c[ci] = sim
                for qi in q_positions:
                    if sim > best_q[qi]:  # noqa: PLR1730 - as above
                        best_q[qi] = sim
        for qi, run in self._acronym_spans(candidate):
            best_q[qi] = max(best_q[qi], INITIAL_SIM)
            for ci in run:
                best_c[ci] = max(best_c[ci], INITIAL_SIM)

    def _acronym_spans(self, candidate: tuple[Token, ...]) -> list[tuple[int, tuple[int, ...]]]:
        """Each query acronym with each run of candidate words whose initials spell it."""
        if not self._acronyms or len(candidate) < self._acronym_words:
            return []
        initials = _initials(candidate)
        return [(qi, run) for qi in self._acronyms if self.query[qi].text in initials
                for run in acronym_runs(self.query[qi], candidate)]

    def _options(self, candidate: tuple[Token, ...]) -> list[Link]:
        """Every token pairing worth aligning: one to one, one word to two joined words, acronyms."""
        _ensure_singles(len(candidate))
        options: list[Link] = []
        cache = self._tokens
        for ci, token in enumerate(candidate):
            links = cache.get(token.key)
            if links is None:
                links = self._token_links(token)
            if links:
                c_positions = _SINGLE[ci]
                options.extend([(sim, q_positions, c_positions) for sim, q_positions in links])
        if self._split_words:
            for c_pair in adjacent_pairs(candidate):
                for qi, sim in self._split_matches(candidate[c_pair[0]], candidate[c_pair[1]]):
                    options.append((sim, _SINGLE[qi], c_pair))
        options.extend([(INITIAL_SIM, (qi,), run) for qi, run in self._acronym_spans(candidate)])
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
        if floor > 0.0 and self._hopeless(candidate, c_weights, floor, exponent):
            return Alignment(0.0, 0.0, query=query, candidate=candidate)
        options = self._options(candidate)
        if not options or (floor > 0.0 and self._score_bound(options, c_weights, exponent) < floor):
            return Alignment(0.0, 0.0, query=query, candidate=candidate)
        if len(options) > 1:
            options.sort(
                key=lambda o: (o[0], sum([q_weights[i] for i in o[1]], 0.0) + sum([c_weights[i] for i in o[2]], 0.0)),
                reverse=True,
            )
        links, used_q, used_c, q_matched, c_matched = _greedy(query, candidate, options, q_weights, c_weights)
        if self._abd and len(used_c) < len(candidate) and _word_left(candidate, used_c) and _abd_parts(
            query, candidate, links
        ):
            # A listed word is left over: align again without the theophoric names' parts (_abd_parts).
            partial = _abd_parts(query, candidate, options)
            options = [option for option in options if option not in partial]
            links, used_q, used_c, q_matched, c_matched = _greedy(query, candidate, options, q_weights, c_weights)
        if self._repeats or _repeated_words(candidate):
            # A word written twice says no more who is meant than once ('Shoigu Shoigu Sergey').
            q_matched += _echoes(query, q_weights, used_q, [(sim, qi) for sim, qi, _ in links])
            c_matched += _echoes(candidate, c_weights, used_c, [(sim, ci) for sim, _, ci in links])
        order = [ci[0] for _, ci in sorted((qi[0], ci) for _, qi, ci in links)]
        crossed = any(a > b for a, b in pairwise(order))
        return Alignment(
            q_matched / self._total, c_matched / sum(c_weights, 0.0), links, frozenset(used_c), crossed,
            frozenset(used_q), query, candidate,
        )

"""Name similarity: align the tokens of two names and weigh what agrees.

Tokens are aligned without regard to order (SURNAME, Given == Given Surname),
a token may align with two adjacent tokens of the other name joined (Jongun ==
Jong Un), and an initial aligns with a word it begins. Each token weighs by
how rare it is in the lists (Kim is weak evidence, Mansudae strong), so the
score says how much of the *information* in each name the other one explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA, Levenshtein

from watchlist.text.names import Token, TokenKind, joinable, make_token
from watchlist.text.weights import TokenStats, token_weights

MIN_TOKEN_SIM = 0.66  # below this two tokens do not align at all
INITIAL_SIM = 0.9


@lru_cache(maxsize=500_000)
def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens are, in [0, 1], across spellings and romanisations.

    Edit similarity of the folded forms, made stricter where a short word
    differs (Kang/Lang, Yong/Kyong are other names, not typos) and where the
    first letter differs; one typo in a long word stays a close match.
    """
    if a.fold == b.fold:
        return 1.0
    if a.kind is TokenKind.NUMBER or b.kind is TokenKind.NUMBER:
        return 0.0
    short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
    if len(short.text) == 1:
        # An initial ('A.') stands for any word that begins with it.
        return INITIAL_SIM if len(long_.text) > 1 and long_.text[0] == short.text else 0.0
    if a.voiceless == b.voiceless and sum(x != y for x, y in zip(a.fold, b.fold)) == 1:
        return 0.92  # Dae/Tae, Gwang/Kwang: one name in two romanisations
    # The raw spelling too: a typo in a word the fold maps elsewhere (Oleksabdr).
    sim = max(OSA.normalized_similarity(a.fold, b.fold), OSA.normalized_similarity(a.text, b.text))
    if max(len(a.fold), len(b.fold)) <= 5:
        sim *= 0.85  # a short word with another letter is usually another name (Chol/Chon, Min/Ming)
    elif (min(len(a.fold), len(b.fold)) >= 6 and OSA.distance(a.fold, b.fold, score_cutoff=1) <= 1) or (
        min(len(a.text), len(b.text)) >= 6 and OSA.distance(a.text, b.text, score_cutoff=1) <= 1
    ):
        sim = max(sim, 0.9)  # one typo in a long word
    if a.fold[0] != b.fold[0]:
        sim *= 0.85
    return sim


@lru_cache(maxsize=200_000)
def split_similarity(joined: Token, first: Token, second: Token) -> float:
    """A single word against two adjacent words ('Jongun' vs 'Jong Un'), part by part.

    The word is cut where its halves best match the two words, so one differing
    syllable (Yongsu vs Yong Chol) counts as fully as it would between spaced names.
    """
    text = joined.text
    if (
        Levenshtein.normalized_similarity(joined.fold, first.fold + second.fold) < 0.6
        and Levenshtein.normalized_similarity(text, first.text + second.text) < 0.6
    ):
        return 0.0
    best = 0.0
    for cut in range(1, len(text)):
        head, tail = make_token(text[:cut]), make_token(text[cut:])
        sim = min(_part_similarity(head, first), _part_similarity(tail, second))
        best = max(best, sim)
    return best


def _part_similarity(part: Token, word: Token) -> float:
    """A part of a joined word against a separate word. A one-letter part is a syllable
    ('Kwonu' = 'Kwon U'), never an initial; a separate initial may begin a part ('A. Ahad' = 'Abdahad')."""
    if len(part.text) == 1:
        return 1.0 if part.fold == word.fold else 0.0
    if len(word.text) == 1:
        return INITIAL_SIM if part.text[0] == word.text else 0.0
    return token_similarity(part, word)


@dataclass(slots=True)
class Alignment:
    query_coverage: float  # share of the query's information the candidate explains
    candidate_coverage: float  # share of the candidate's information the query explains
    pairs: list[tuple[str, str, float]] = field(default_factory=list)  # (query part, candidate part, sim)
    candidate_matched: frozenset[int] = frozenset()  # positions of the candidate tokens aligned
    crossed: bool = False  # the aligned parts stand in another order in the two names
    query_matched: frozenset[int] = frozenset()  # positions of the query tokens aligned


@lru_cache(maxsize=100_000)
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


def _options(
    query: tuple[Token, ...], candidate: tuple[Token, ...], stats: TokenStats
) -> list[tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """Every token pairing worth aligning: one to one, and one word to two joined words."""
    options: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    for qi, qt in enumerate(query):
        known = stats.known(qt)
        for ci, ct in enumerate(candidate):
            sim = _pair_similarity(qt, ct, known)
            if sim >= MIN_TOKEN_SIM:
                options.append((sim, (qi,), (ci,)))
    for qi, qt in enumerate(query):
        if qt.kind is not TokenKind.WORD or len(qt.text) < 3:
            continue
        for c1, c2 in _pairs(candidate):
            sim = split_similarity(qt, candidate[c1], candidate[c2])
            if sim >= MIN_TOKEN_SIM:
                options.append((sim, (qi,), (c1, c2)))
    for ci, ct in enumerate(candidate):
        if ct.kind is not TokenKind.WORD or len(ct.text) < 3:
            continue
        for q1, q2 in _pairs(query):
            sim = split_similarity(ct, query[q1], query[q2])
            if sim >= MIN_TOKEN_SIM:
                options.append((sim, (q1, q2), (ci,)))
    options.extend(_acronym_options(query, candidate, swap=False))
    options.extend(_acronym_options(candidate, query, swap=True))
    return options


def _acronym_options(
    short: tuple[Token, ...], long: tuple[Token, ...], swap: bool
) -> list[tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """A token of `short` that spells the initials of a run of `long`'s words."""
    out: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    words = [i for i, t in enumerate(long) if t.kind is TokenKind.WORD]
    for si, token in enumerate(short):
        size = len(token.text)
        if token.kind is not TokenKind.WORD or not 3 <= size <= 6 or not token.text.isalpha():
            continue
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if run[-1] - run[0] == size - 1 and acronym_similarity(token, [long[i] for i in run]):
                option = (INITIAL_SIM, tuple(run), (si,)) if swap else (INITIAL_SIM, (si,), tuple(run))
                out.append(option)
    return out


TYPO_LIFT = 0.4  # share of the gap to 1.0 a near miss recovers when the query word is no listed word
KNOWN_WORD_DAMPING = 0.92  # a near miss between two words both in the lists is usually two names
TYPO_MIN_LENGTH = 3  # shorter words are too often other names


@lru_cache(maxsize=500_000)
def _pair_similarity(query_token: Token, candidate_token: Token, known: bool) -> float:
    """Token similarity, adjusted by whether the lists use the query word (`known`).

    A query word the lists never use, one typo from a listed word, is likely that
    word mistyped; a near miss between words the lists both use is usually two names.
    """
    sim = token_similarity(query_token, candidate_token)
    if sim >= 1.0 or query_token.kind is not TokenKind.WORD:
        return sim
    if known and not _transposed(query_token.text, candidate_token.text):
        return sim * KNOWN_WORD_DAMPING
    if (
        len(query_token.text) >= TYPO_MIN_LENGTH
        and _same_start(query_token.text, candidate_token.text)  # typos rarely hit the first letter
        and _one_typo(query_token.text, candidate_token.text)
    ):
        return sim + (1.0 - sim) * TYPO_LIFT
    return sim


def _transposed(a: str, b: str) -> bool:
    """Two neighbouring letters swapped (Hasna/Hansa): a typo even when it spells another listed word."""
    return OSA.distance(a, b, score_cutoff=1) == 1 and Levenshtein.distance(a, b, score_cutoff=2) == 2


def _same_start(a: str, b: str) -> bool:
    """The same first letter, or the first two swapped (Ulis/Luis)."""
    return a[0] == b[0] or (len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0])


def _one_typo(a: str, b: str) -> bool:
    limit = 2 if min(len(a), len(b)) >= 10 else 1
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def align(
    query: tuple[Token, ...],
    candidate: tuple[Token, ...],
    stats: TokenStats,
    query_weights: Sequence[float] | None = None,
    candidate_weights: Sequence[float] | None = None,
) -> Alignment:
    """Greedy best-first alignment of two token lists; coverage of each side by the other.

    Weights may be passed in when known (the index keeps each listed name's).
    """
    if not query or not candidate:
        return Alignment(0.0, 0.0)
    q_weights = query_weights or token_weights(query, stats)
    c_weights = candidate_weights or token_weights(candidate, stats)
    options = _options(query, candidate, stats)
    options.sort(
        key=lambda o: (o[0], sum(q_weights[i] for i in o[1]) + sum(c_weights[i] for i in o[2])), reverse=True
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    q_matched = c_matched = 0.0
    pairs: list[tuple[str, str, float]] = []
    links: list[tuple[int, int]] = []
    for sim, qi, ci in options:
        if used_q.intersection(qi) or used_c.intersection(ci):
            continue
        used_q.update(qi)
        used_c.update(ci)
        initial = len(qi) == 1 and len(ci) == 1 and min(len(query[qi[0]].text), len(candidate[ci[0]].text)) == 1
        q_matched += sim * sum(q_weights[i] for i in qi)
        # An initial explains little of the full word it stands for.
        c_matched += sim * sum(c_weights[i] for i in ci) * (0.5 if initial else 1.0)
        pairs.append((" ".join(query[i].text for i in qi), " ".join(candidate[i].text for i in ci), sim))
        links.append((qi[0], ci[0]))
    order = [c for _, c in sorted(links)]
    crossed = any(a > b for a, b in pairwise(order))
    return Alignment(
        q_matched / sum(q_weights), c_matched / sum(c_weights), pairs, frozenset(used_c), crossed, frozenset(used_q)
    )

"""Name similarity: align the tokens of two names and weigh what agrees.

Tokens are aligned without regard to order (SURNAME, Given == Given Surname),
a token may align with two adjacent tokens of the other name joined (Jongun ==
Jong Un), and an initial aligns with a word it begins. Each token weighs by
how rare it is in the lists (Kim is weak evidence, Mansudae strong), so the
score says how much of the *information* in each name the other one explains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from rapidfuzz.distance import Levenshtein

from watchlist.text.names import Token, TokenKind, make_token

Weigher = Callable[[Token], float]

MIN_TOKEN_SIM = 0.6  # below this two tokens do not align at all
INITIAL_SIM = 0.9


def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens are, in [0, 1], across spellings and romanisations."""
    if a.fold == b.fold:
        return 1.0
    if a.kind is TokenKind.NUMBER or b.kind is TokenKind.NUMBER:
        return 0.0
    short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
    if len(short.text) == 1:
        # An initial ('A.') stands for any word that begins with it.
        return INITIAL_SIM if len(long_.text) > 1 and long_.text[0] == short.text else 0.0
    sim = Levenshtein.normalized_similarity(a.fold, b.fold)
    if min(len(a.fold), len(b.fold)) >= 4 and Levenshtein.distance(a.fold, b.fold, score_cutoff=1) <= 1:
        sim = max(sim, 0.9)  # one typo in a long word
    if a.skeleton == b.skeleton and len(a.skeleton) >= 3:
        sim = max(sim, 0.85)  # same consonants: a vowel-level transliteration variant
    return sim


@dataclass(slots=True)
class Alignment:
    score: float
    query_coverage: float  # share of the query's information the candidate explains
    candidate_coverage: float  # share of the candidate's information the query explains
    pairs: list[tuple[str, str, float]] = field(default_factory=list)  # (query part, candidate part, sim)


def _joined(tokens: Sequence[Token]) -> list[tuple[tuple[int, ...], Token]]:
    """Each token alone, and each adjacent pair joined (to meet 'Jongun' with 'Jong Un')."""
    out = [((i,), t) for i, t in enumerate(tokens)]
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if a.kind is TokenKind.WORD and b.kind is TokenKind.WORD:
            out.append(((i, i + 1), make_token(a.text + b.text)))
    return out


def align(
    query: Sequence[Token],
    candidate: Sequence[Token],
    weigh: Weigher,
    query_weight: float = 0.5,
) -> Alignment:
    """Greedy best-first alignment of two token lists.

    `query_weight` is how much the query's coverage counts against the
    candidate's: above 0.5 forgives listed names for parts the query leaves out
    (a dropped middle name), while every query part left unexplained still costs.
    """
    if not query or not candidate:
        return Alignment(0.0, 0.0, 0.0)
    q_weights = [weigh(t) for t in query]
    c_weights = [weigh(t) for t in candidate]
    options: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    for qi, qt in _joined(query):
        for ci, ct in _joined(candidate):
            if len(qi) > 1 and len(ci) > 1:
                continue
            sim = token_similarity(qt, ct)
            if sim >= MIN_TOKEN_SIM:
                weight = sum(q_weights[i] for i in qi) + sum(c_weights[i] for i in ci)
                options.append((sim, weight, qi, ci))
    options.sort(key=lambda o: (o[0], o[1], len(o[2]) + len(o[3])), reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    q_matched = c_matched = 0.0
    pairs: list[tuple[str, str, float]] = []
    for sim, _, qi, ci in options:
        if used_q.intersection(qi) or used_c.intersection(ci):
            continue
        used_q.update(qi)
        used_c.update(ci)
        initial = len(qi) == 1 and len(ci) == 1 and min(len(query[qi[0]].text), len(candidate[ci[0]].text)) == 1
        q_matched += sim * sum(q_weights[i] for i in qi)
        # An initial explains little of the full word it stands for.
        c_matched += sim * sum(c_weights[i] for i in ci) * (0.5 if initial else 1.0)
        pairs.append((" ".join(query[i].text for i in qi), " ".join(candidate[i].text for i in ci), sim))
    q_cov = q_matched / sum(q_weights)
    c_cov = c_matched / sum(c_weights)
    score = query_weight * q_cov + (1 - query_weight) * c_cov
    return Alignment(score, q_cov, c_cov, pairs)

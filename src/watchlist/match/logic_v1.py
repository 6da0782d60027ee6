"""watchlist-v1: the default scorer. Name similarity first; attributes qualify it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import ClassVar, Final

from watchlist.match.algorithm import CandidateName, QueryForm, Scored
from watchlist.match.align import MIN_TOKEN_SIM, Alignment, pair_similarity
from watchlist.match.features import (
    birth_date_agreement,
    country_agreement,
    identifier_match,
)
from watchlist.model import Entity, Schema
from watchlist.text.tokens import Token, TokenKind
from watchlist.text.weights import TokenStats

# Evidence weights. A released algorithm's numbers are frozen: change them in a new version.
PERSON_CANDIDATE_EXPONENT: Final = 0.5  # a listed person's extra (middle) names cost less than the query's
OTHER_CANDIDATE_EXPONENT: Final = 1.0
FAMILY_NAME_MISSED: Final = 0.85  # the listed family name is not in the query at all
QUERY_FAMILY_NAME_MISSED: Final = 0.85  # the family name the query gives is not in the listed name
FAMILY_NAMES_CROSSED: Final = 0.85  # both family names are known, and neither matches the other
FIRST_GIVEN_NAME_MISSED: Final = 0.85  # the query names a later given name of the listed person, not the first
NAMES_CONFLICT: Final = 0.85  # each name has a word the other lacks: a different name part, not one left out
NEAR_MISS: Final = 0.5  # two words this alike are one word mistyped, not a conflict
LINEAGE_REVERSED: Final = 0.6  # the names on either side of 'bin' swapped: father and son
VESSEL_ORDER_CHANGED: Final = 0.85
VESSEL_NUMBER_MISSED: Final = 0.8
DOB_MATCH: Final = 0.06
DOB_MISMATCH: Final = -0.12  # a rare name: the list may have the date wrong
DOB_MISMATCH_ORDINARY_NAME: Final = -0.2
DOB_MISMATCH_COMMON_NAME: Final = -0.25  # a conflicting birth date weighs more when the name is common
RARE_NAME_INFORMATION: Final = 2.5  # summed token weights of a name this rare
COMMON_NAME_INFORMATION: Final = 1.5
COUNTRY_MATCH: Final = 0.03
COUNTRY_MISMATCH: Final = -0.05
ID_MATCH: Final = 0.35
QUALIFIER_FLOOR: Final = 0.5  # attributes only move a score whose names already look alike
# Schema members as constants: compiled, these are static reads; `Schema.PERSON` is an
# attribute lookup on an enum class that is not compiled (about 100 ns, per candidate).
PERSON: Final = Schema.PERSON
FIXED_NAMES: Final = (Schema.VESSEL, Schema.AIRCRAFT)  # a name that is one fixed string


def name_score(
    alignment: Alignment, query: tuple[Token, ...], candidate: CandidateName, schema: Schema, beat: float = 0.0,
    query_family: tuple[int, ...] = (),
) -> float:
    """Both sides must explain each other: query coverage times (softened) candidate coverage,
    times each penalty that applies. A score that cannot exceed `beat` is returned without them."""
    score: float = alignment.query_coverage * alignment.candidate_coverage ** _exponent(schema)
    if score <= beat:
        return score  # penalties only lower it
    for factor, _ in name_penalties(alignment, query, candidate, schema, query_family):
        score *= factor
    return score


def _exponent(schema: Schema) -> float:
    return PERSON_CANDIDATE_EXPONENT if schema is PERSON else OTHER_CANDIDATE_EXPONENT


def name_penalties(
    alignment: Alignment, query: tuple[Token, ...], candidate: CandidateName, schema: Schema,
    query_family: tuple[int, ...] = (),
) -> list[tuple[float, str]]:
    """What lowers a name score beyond coverage: (factor, reason) for each that applies."""
    found: list[tuple[float, str]] = []
    listed_family_missed = _listed_family_missed(alignment, candidate)
    if listed_family_missed:
        found.append((FAMILY_NAME_MISSED, "the listed family name is not in the query"))
    if query_family and not _family_matched(alignment, query_family):
        found.append((QUERY_FAMILY_NAME_MISSED, "the query's family name is not in the listed name"))
    elif query_family and not listed_family_missed and _family_names_crossed(alignment, query_family, candidate):
        found.append((FAMILY_NAMES_CROSSED, "each family name matches a given name of the other"))
    if schema is PERSON and candidate.family and _first_given_name_missed(alignment, candidate):
        found.append((FIRST_GIVEN_NAME_MISSED, "the listed first given name is not in the query"))
    conflict = _conflicting_words(query, alignment.query_matched, candidate.tokens, alignment.candidate_matched)
    if conflict:
        found.append((NAMES_CONFLICT, f"different name parts ({conflict})"))
    if schema is PERSON and _lineage_reversed(alignment, candidate.tokens):
        found.append((LINEAGE_REVERSED, "the names either side of 'bin' are swapped"))
    if schema in FIXED_NAMES:
        # A vessel's name is a fixed string: 'STAR ORION' is not 'ORION STAR', 'SEA STAR III' not 'SEA STAR'.
        if alignment.crossed:
            found.append((VESSEL_ORDER_CHANGED, "the words stand in another order"))
        if _unmatched_number(query, alignment.query_matched) or _unmatched_number(
            candidate.tokens, alignment.candidate_matched
        ):
            found.append((VESSEL_NUMBER_MISSED, "a number is on one side only"))
    return found


def _conflicting_words(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> str:
    """Each name has a word the other lacks, and the two are not near misses of each other: a
    different name part (Mohamed / Ahmed), not one left out or mistyped. Returns them, or ''."""
    left = [t for i, t in enumerate(query) if i not in query_matched and t.kind is WORD and len(t.text) > 1]
    if not left:
        return ""
    right = [t for i, t in enumerate(candidate) if i not in candidate_matched and t.kind is WORD and len(t.text) > 1]
    if not right or any(pair_similarity(a, b, False) >= NEAR_MISS for a in left for b in right):
        return ""
    return f"{' '.join(t.text for t in left)} / {' '.join(t.text for t in right)}"


def _listed_family_missed(alignment: Alignment, candidate: CandidateName) -> bool:
    """The listed family name is known and the query has none of it. A query word aligned with a
    given name spelled as the family name ('Ahmad Khalil KHALIL') may as well stand for that."""
    matched = alignment.candidate_matched
    if not candidate.family or matched.intersection(candidate.family):
        return False
    family = {candidate.tokens[i].fold for i in candidate.family}
    return not any(candidate.tokens[i].fold in family for i in matched)


def _family_matched(alignment: Alignment, query_family: tuple[int, ...]) -> bool:
    """Whether a query family-name token aligns with a listed word, and not only as a near miss."""
    family = set(query_family)
    return any(sim >= MIN_TOKEN_SIM and family.intersection(q) for sim, q, _ in alignment.links)


def _family_names_crossed(alignment: Alignment, query_family: tuple[int, ...], candidate: CandidateName) -> bool:
    """'CHO, Jong Mun' against 'MUN, Chong Chol': the same words, but each side's family name is a
    given name of the other. False when the listed family name is not known."""
    if not candidate.family:
        return False
    q_family, c_family = set(query_family), set(candidate.family)
    return not any(q_family.intersection(q) and c_family.intersection(c) for _, q, c in alignment.links)


def _first_given_name_missed(alignment: Alignment, candidate: CandidateName) -> bool:
    """'IBRAHIM, Ayman Ahmad' for 'Ibrahim Ahmad': a person is known by the first given name;
    a query that leaves it out and matches a later one more likely names a relative."""
    family = set(candidate.family)
    given = [i for i, t in enumerate(candidate.tokens) if i not in family and t.kind is WORD and len(t.text) > 1]
    matched = alignment.candidate_matched
    return len(given) >= 2 and given[0] not in matched and any(i in matched for i in given[1:])


WORD: Final = TokenKind.WORD  # a name word (not a particle, legal form or number); one letter is an initial
_LINEAGE: Final = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})


def _lineage_reversed(alignment: Alignment, candidate: tuple[Token, ...]) -> bool:
    """'Salman bin Muhammad' is not 'Muhammad bin Salman': around 'son of' the order of the two
    names says who is whose son, so the query may not swap them."""
    query_position = {c[0]: q[0] for _, q, c in alignment.links if len(q) == 1 and len(c) == 1}
    for i in range(1, len(candidate) - 1):
        if candidate[i].text in _LINEAGE:
            before, after = query_position.get(i - 1), query_position.get(i + 1)
            if before is not None and after is not None and before > after:
                return True
    return False


def _unmatched_number(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    return any(t.kind is TokenKind.NUMBER and i not in matched for i, t in enumerate(tokens))


class LogicV1:
    NAME: ClassVar[str] = "watchlist-v1"
    DESCRIPTION: ClassVar[str] = (
        "Token alignment across scripts and romanisations, weighted by token rarity in the lists; "
        "birth date, country and identifier evidence qualify the name score."
    )
    THRESHOLD: ClassVar[float] = 0.7

    def score(
        self, query: QueryForm, entity: Entity, names: Sequence[CandidateName], stats: TokenStats,
        floor: float = 0.0,
    ) -> Scored:
        # The attributes add at most this much to a name score: a name under floor - bonus cannot make it.
        bonus = DOB_MATCH + COUNTRY_MATCH + (ID_MATCH if query.query.identifiers else 0.0)
        name_floor = max(floor - bonus, 0.0)
        exponent = _exponent(entity.schema)
        best: tuple[float, Alignment, str, CandidateName] | None = None
        for q_name, aligner in query.aligners(stats):
            q_family = query.families.get(q_name, ())
            for candidate in names:
                beat = max(name_floor, best[0] if best else 0.0)
                alignment = aligner.align(candidate.tokens, candidate.weights, beat, exponent)
                score = name_score(
                    alignment, aligner.query, candidate, entity.schema, best[0] if best else 0.0, q_family
                )
                if best is None or score > best[0]:
                    best = (score, alignment, q_name, candidate)
        if best is None or best[0] < name_floor:
            # No attribute can lift it to the floor: the caller drops it unexplained.
            return Scored(0.0, query.names[0][0] if query.names else "", "")
        names_alike, alignment, q_name, candidate = best
        features: dict[str, float] = {"name_match": names_alike}
        why: list[str] = []
        score = names_alike
        q = query.query
        if names_alike >= QUALIFIER_FLOOR:
            dob, dob_detail = birth_date_agreement(q.birth_dates, entity.birth_dates)
            if dob > 0:
                score += DOB_MATCH
                features["dob_match"] = DOB_MATCH
                why.append(f"birth date agrees ({dob_detail})")
            elif dob < 0:
                penalty = _dob_penalty(sum([stats.weigh(t) for t in candidate.tokens], 0.0))
                score += penalty
                features["dob_mismatch"] = penalty
                why.append(f"birth date conflicts ({dob_detail})")
            country = country_agreement(q.countries, entity)
            if country > 0:
                score += COUNTRY_MATCH
                features["country_match"] = COUNTRY_MATCH
                why.append("country agrees")
            elif country < 0:
                score += COUNTRY_MISMATCH
                features["country_mismatch"] = COUNTRY_MISMATCH
                why.append("country differs")
        ident = identifier_match(q.identifiers, entity)
        if ident is not None:
            score += ID_MATCH
            features["identifier_match"] = ID_MATCH
            why.append(f"identifier matches: {ident}")
        return Scored(
            min(max(score, 0.0), 1.0), q_name, candidate.value, features, why,
            partial(_explain_names, q_name, candidate, names_alike, alignment, entity.schema,
                    query.families.get(q_name, ())),
        )


def _dob_penalty(information: float) -> float:
    if information >= RARE_NAME_INFORMATION:
        return DOB_MISMATCH
    if information >= COMMON_NAME_INFORMATION:
        return DOB_MISMATCH_ORDINARY_NAME
    return DOB_MISMATCH_COMMON_NAME


def _explain_names(
    query_name: str, candidate: CandidateName, score: float, alignment: Alignment, schema: Schema,
    query_family: tuple[int, ...],
) -> str:
    parts = ", ".join(
        f"{q}={c}" if sim >= 0.999 else f"{q}~{c} ({sim:.2f})" for q, c, sim in alignment.pairs
    )
    penalties = "".join(
        f"; {reason} (x{factor:.2f})"
        for factor, reason in name_penalties(alignment, alignment.query, candidate, schema, query_family)
    )
    return (
        f"name '{query_name}' vs '{candidate.value}': {score:.2f} "
        f"(query explained {alignment.query_coverage:.0%}, listed name {alignment.candidate_coverage:.0%}; "
        f"{parts or 'no parts agree'}{penalties})"
    )

"""Token-alignment scorers: name similarity first; attributes qualify it. `watchlist-v1` keeps its
hand-set numbers; `watchlist-v2` (logic_v2.py) the same evidence with numbers fitted to data."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import ClassVar, Final

from watchlist.match.algorithm import CandidateName, QueryForm, Scored
from watchlist.match.align import Alignment, QueryAligner
from watchlist.match.evidence import V1_WEIGHTS, Weights
from watchlist.match.features import (
    birth_date_agreement,
    born_on_a_day,
    country_agreement,
    exact_birth_date,
    identifier_match,
)
from watchlist.match.native import native_tokens, same_script
from watchlist.match.penalties import NO_FORMS, PENALTY_REASONS, WORD, name_penalties, query_legal_forms
from watchlist.model import Entity, Schema
from watchlist.text.forms import patronymic_position, syllabic
from watchlist.text.tokens import Token
from watchlist.text.weights import TokenStats

# Schema members as constants: compiled, these are static reads; `Schema.PERSON` is an
# attribute lookup on an enum class that is not compiled (about 100 ns, per candidate).
PERSON: Final = Schema.PERSON
RARE_NAME_INFORMATION: Final = 2.5  # summed token weights of a name this rare
COMMON_NAME_INFORMATION: Final = 1.5
FULLY_EXPLAINED: Final = 0.99  # listed-name coverage that counts as the whole name
RARE_WORD: Final = 0.8  # a token weight this high: a word few listed names share
RAW_FLOORS_KEPT: Final = 1_000  # floors whose raw score a scorer remembers (a top-10 floor is any score)

def name_score(
    alignment: Alignment, query: tuple[Token, ...], candidate: CandidateName, schema: Schema, weights: Weights,
    beat: float = 0.0, query_family: tuple[int, ...] = (), stats: TokenStats | None = None,
    query_forms: frozenset[str] = NO_FORMS,
) -> float:
    """Both sides must explain each other: query coverage times listed-name coverage, each softened
    by its exponent, times each penalty that applies. A score that cannot exceed `beat` is returned
    without them."""
    q_exponent, c_exponent = _exponents(schema, weights)
    if stats is not None and listed_name_explained(alignment, candidate, stats):
        alias = schema is PERSON and listed_alias_explained(candidate)
        q_exponent = weights.alias_query_exponent if alias else weights.explained_query_exponent
    score: float = alignment.query_coverage ** q_exponent * alignment.candidate_coverage ** c_exponent
    if score <= beat:
        return score  # penalties only lower it
    factors = weights.penalties
    for key, _ in name_penalties(alignment, query, candidate, schema, query_family, query_forms):
        score *= factors[key]
    return score


def listed_name_explained(alignment: Alignment, candidate: CandidateName, stats: TokenStats) -> bool:
    """The query explains the whole listed name, of two words or more, one of them rare: the query's
    other words are more of the same name (a patronymic, a middle name, a longer chain)."""
    if not alignment.candidate_coverage >= FULLY_EXPLAINED > alignment.query_coverage:
        return False
    words = [t for t in candidate.tokens if t.kind is WORD and len(t.text) > 1]
    return len(words) >= 2 and max([stats.weigh(t) for t in words]) >= RARE_WORD


def listed_alias_explained(candidate: CandidateName) -> bool:
    """A listed person's name the query explains whole (listed_name_explained) is an alias, a short form
    by which one is known, where it marks no family name ('UMAR PATEK', a.k.a. of 'PATEK, Umar'): the
    query's other words are more of the fuller name, and weigh less than beside a full name ('PATEK,
    Umar', where a word more is another name part). Not a name of syllables ('P'U LI'), whose given
    name one syllable more makes another."""
    return not candidate.family and not syllabic(candidate.tokens)


def _exponents(schema: Schema, weights: Weights) -> tuple[float, float]:
    if schema is PERSON:
        return weights.person_query_exponent, weights.person_candidate_exponent
    return weights.other_query_exponent, weights.other_candidate_exponent


class AlignmentScorer:
    """Token alignment across scripts and romanisations, weighted by token rarity in the lists; birth
    date, country and identifier evidence qualify the name score. Subclasses name the numbers."""

    NAME: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    THRESHOLD: ClassVar[float] = 0.7
    LEARNED: ClassVar[bool] = False  # align with the spelling equivalences learned from the lists

    def __init__(self, weights: Weights, calibration: Sequence[tuple[float, float]] = ()) -> None:
        self.weights = weights
        # A monotone piecewise-linear map from raw score to calibrated score, as (raw, calibrated)
        # knots from (0, 0) to (1, 1); none: the raw score.
        self.calibration = tuple(calibration)
        self._raw_floors: dict[float, float] = {}  # uncalibrate(floor) by floor

    def calibrate(self, raw: float) -> float:
        return _interpolate(raw, self.calibration, 0, 1)

    def uncalibrate(self, score: float) -> float:
        """The raw score that calibrates to `score`."""
        return _interpolate(score, self.calibration, 1, 0)

    def score(
        self, query: QueryForm, entity: Entity, names: Sequence[CandidateName], stats: TokenStats,
        floor: float = 0.0,
    ) -> Scored:
        w = self.weights
        born_that_day = born_on_a_day(query.telling_days, entity.birth_dates)
        name_floor = self._name_floor(query, floor, born_that_day)
        best = self._best_name(query, entity.schema, names, stats, name_floor)
        if best is None or best[0] < name_floor:
            # No attribute can lift it to the floor: the caller drops it unexplained.
            return Scored(0.0, query.names[0][0] if query.names else "", "")
        names_alike, alignment, q_name, candidate, q_family = best
        features: dict[str, float] = {"name_match": names_alike}
        why: list[str] = []
        qualifiers = self._qualifiers(query, entity, candidate, names_alike, born_that_day, stats, features, why)
        score = names_alike + qualifiers
        return Scored(
            self.calibrate(min(max(score, 0.0), 1.0)), q_name, candidate.value, features, why,
            partial(_explain_names, q_name, candidate, names_alike, alignment, entity.schema, q_family, w,
                    query_legal_forms(query, q_name)),
        )

    def may_reach(
        self, query: QueryForm, schema: Schema, names: Sequence[CandidateName], stats: TokenStats, floor: float,
        born_that_day: bool = False,
    ) -> bool:
        """Whether `score` of an entity of this schema with these names can reach `floor` (> 0): False
        where no name reaches the name floor, told from the names alone (the caller need not read the
        entity, as most candidates of a batch cannot reach the floor); True where its score may."""
        if floor <= 0.0:
            return True
        name_floor = self._name_floor(query, floor, born_that_day)
        best = self._best_name(query, schema, names, stats, name_floor)
        return best is not None and best[0] >= name_floor

    def _best_name(
        self, query: QueryForm, schema: Schema, names: Sequence[CandidateName], stats: TokenStats, name_floor: float,
    ) -> tuple[float, Alignment, str, CandidateName, tuple[int, ...]] | None:
        """The best name score of the query's names against these names, with what it comes from; a
        name that cannot reach `name_floor` (nor the best so far) is not aligned in full."""
        w = self.weights
        name_exponent, c_exponent = _exponents(schema, w)
        # A name nothing of which aligns scores 0 (0 ** e for exponents over 0; name_score says so too).
        zero_is_zero = name_exponent > 0.0 and c_exponent > 0.0
        # The aligner bounds query coverage x listed coverage ** e: the same order as the name score.
        # A query exponent under 1 (a fully explained listed name) can lift a product under the floor; the
        # alias one only for a listed person's name that marks no family name (listed_alias_explained).
        full = min(name_exponent, w.explained_query_exponent)
        exponents = (full, min(full, w.alias_query_exponent) if schema is PERSON else full)
        best: tuple[float, Alignment, str, CandidateName, tuple[int, ...]] | None = None
        share = w.patronymic_weight if schema is PERSON else 1.0
        for q_name, aligner in query.aligners(stats, self.LEARNED, share, schema is PERSON):
            q_forms = query_legal_forms(query, q_name)
            for listed in names:
                q_family = query.families.get(q_name, ())
                beat = max(name_floor, best[0] if best else 0.0)
                candidate, pair_aligner = listed, aligner
                if not listed.value.isascii() and same_script(q_name, listed.value):
                    # One East Asian script on both sides: compared as written (match.native).
                    candidate = CandidateName(listed.value, native_tokens(listed.value))
                    pair_aligner, q_family = QueryAligner(native_tokens(q_name), stats), ()
                q_exponent = exponents[not candidate.family]
                alignment = pair_aligner.align(
                    candidate.tokens, candidate.weighed(stats, share), beat ** (1.0 / q_exponent), c_exponent / q_exponent
                )
                if zero_is_zero and alignment.query_coverage == 0.0 and alignment.candidate_coverage == 0.0:
                    score = 0.0  # most candidates: not aligned at all, as they cannot reach the floor
                else:
                    score = name_score(
                        alignment, pair_aligner.query, candidate, schema, w, best[0] if best else 0.0,
                        q_family, stats, q_forms,
                    )
                if best is None or score > best[0]:
                    best = (score, alignment, q_name, candidate, q_family)
        return best

    def _name_floor(self, form: QueryForm, floor: float, telling: bool) -> float:
        """The least name score that can still reach `floor` with what the query's attributes can add:
        a birth date and a country only what they can add above the qualifier floor (a telling birth
        date the entity gives too: above its own floor), an identifier anything (a name under this
        cannot make it, and is not aligned in full)."""
        w = self.weights
        raw_floor = self._raw_floors.get(floor)
        if raw_floor is None:  # a batch asks with a few floors, each for every candidate
            if len(self._raw_floors) >= RAW_FLOORS_KEPT:
                self._raw_floors.clear()
            raw_floor = self._raw_floors[floor] = self.uncalibrate(floor)
        query = form.query
        dob = w.dob_match + w.dob_exact + (w.dob_telling if telling else 0.0) if query.birth_dates else 0.0
        if query.identifiers:
            return max(raw_floor - dob - w.country_match - w.id_match, 0.0)
        qualified = min(w.qualifier_floor, w.telling_dob_floor) if telling else w.qualifier_floor
        return min(raw_floor, max(raw_floor - dob - (w.country_match if query.countries else 0.0), qualified))

    def _qualifiers(
        self, query: QueryForm, entity: Entity, candidate: CandidateName, names_alike: float, born_that_day: bool,
        stats: TokenStats, features: dict[str, float], why: list[str],
    ) -> float:
        """What birth dates, countries and identifiers add to the name score; each recorded by name.
        `born_that_day`: the entity gives the query's telling birth date (text.dates.telling_days)."""
        w = self.weights
        q = query.query
        added = 0.0
        # A whole birth date that tells people apart qualifies a name that is only partly alike too.
        telling = born_that_day and names_alike >= w.telling_dob_floor
        if telling or names_alike >= w.qualifier_floor:
            dob, dob_detail = birth_date_agreement(q.birth_dates, entity.birth_dates)
            if telling:
                added += _feature(features, "dob_match", w.dob_match + w.dob_exact + w.dob_telling)
                why.append(f"whole birth date agrees ({dob_detail})")
            elif dob > 0:
                exact = w.dob_exact if exact_birth_date(q.birth_dates, entity.birth_dates) else 0.0
                added += _feature(features, "dob_match", w.dob_match + exact)
                why.append(f"birth date agrees ({dob_detail})")
            elif dob < 0:
                information = sum([stats.weigh(t) for t in candidate.tokens], 0.0)
                added += _feature(features, "dob_mismatch", _dob_penalty(information, w))
                why.append(f"birth date conflicts ({dob_detail})")
            country = country_agreement(q.countries, entity)
            if country > 0:
                added += _feature(features, "country_match", w.country_match)
                why.append("country agrees")
            elif country < 0:
                added += _feature(features, "country_mismatch", w.country_mismatch)
                why.append("country differs")
        ident = identifier_match(q.identifiers, entity)
        if ident is not None:
            added += _feature(features, "identifier_match", w.id_match)
            why.append(f"identifier matches: {ident}")
        return added


def _interpolate(x: float, knots: tuple[tuple[float, float], ...], given: int, wanted: int) -> float:
    """y at x on the broken line through the knots (x in coordinate `given`, y in `wanted`)."""
    if not knots:
        return x
    for i in range(1, len(knots)):
        x1, x2 = knots[i - 1][given], knots[i][given]
        if x <= x2:
            y1, y2 = knots[i - 1][wanted], knots[i][wanted]
            return y1 + (y2 - y1) * (x - x1) / (x2 - x1) if x2 > x1 else y2
    return knots[-1][wanted]


def _feature(features: dict[str, float], name: str, value: float) -> float:
    features[name] = value
    return value


class LogicV1(AlignmentScorer):
    NAME: ClassVar[str] = "watchlist-v1"
    DESCRIPTION: ClassVar[str] = (
        "Token alignment across scripts and romanisations, weighted by token rarity in the lists; "
        "birth date, country and identifier evidence qualify the name score. Hand-set weights "
        "(the default until 2026-12)."
    )

    def __init__(self) -> None:
        super().__init__(V1_WEIGHTS)


def _dob_penalty(information: float, weights: Weights) -> float:
    if information >= RARE_NAME_INFORMATION:
        return weights.dob_mismatch
    if information >= COMMON_NAME_INFORMATION:
        return weights.dob_mismatch_ordinary_name
    return weights.dob_mismatch_common_name


def _explain_names(
    query_name: str, candidate: CandidateName, score: float, alignment: Alignment, schema: Schema,
    query_family: tuple[int, ...], weights: Weights, query_forms: frozenset[str] = NO_FORMS,
) -> str:
    parts = ", ".join(
        f"{q}={c}" if sim >= 0.999 else f"{q}~{c} ({sim:.2f})" for q, c, sim in alignment.pairs
    )
    penalties = "".join(
        f"; {PENALTY_REASONS[key]}{f' ({detail})' if detail else ''} (x{weights.penalties[key]:.2f})"
        for key, detail in name_penalties(alignment, alignment.query, candidate, schema, query_family, query_forms)
    )
    return (
        f"name '{query_name}' vs '{candidate.value}': {score:.2f} "
        f"(query explained {alignment.query_coverage:.0%}, listed name {alignment.candidate_coverage:.0%}; "
        f"{parts or 'no parts agree'}{penalties}{_patronymics(alignment, candidate, schema, query_family, weights)})"
    )


def _patronymics(
    alignment: Alignment, candidate: CandidateName, schema: Schema, query_family: tuple[int, ...], weights: Weights,
) -> str:
    """The patronymics weighed at a share of their weight, named."""
    if schema is not PERSON or weights.patronymic_weight == 1.0:
        return ""
    words = [
        tokens[i].text for tokens, family in ((alignment.query, query_family), (alignment.candidate, candidate.family))
        if (i := patronymic_position(tokens, family)) >= 0
    ]
    return f"; patronymic {' / '.join(words)} weighs x{weights.patronymic_weight:.2f}" if words else ""

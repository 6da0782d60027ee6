"""Token-alignment scorers: name similarity first; attributes qualify it. `watchlist-v1` keeps its
hand-set numbers; `watchlist-v2` (logic_v2.py) the same evidence with numbers fitted to data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import ClassVar, Final

from watchlist.match.algorithm import CandidateName, QueryForm, Scored
from watchlist.match.align import MIN_TOKEN_SIM, Alignment, QueryAligner, pair_similarity
from watchlist.match.evidence import V1_WEIGHTS, Weights
from watchlist.match.features import (
    birth_date_agreement,
    born_on_a_day,
    country_agreement,
    exact_birth_date,
    identifier_match,
)
from watchlist.match.native import native_tokens, same_script
from watchlist.model import Entity, Schema
from watchlist.text.forms import patronymic_position, syllabic
from watchlist.text.tokens import Token, TokenKind, legal_form_kinds
from watchlist.text.weights import TokenStats

# Schema members as constants: compiled, these are static reads; `Schema.PERSON` is an
# attribute lookup on an enum class that is not compiled (about 100 ns, per candidate).
PERSON: Final = Schema.PERSON
FIXED_NAMES: Final = (Schema.VESSEL, Schema.AIRCRAFT)  # a name that is one fixed string
ORGANISATIONS: Final = (Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)  # Schema.is_organization
NEAR_MISS: Final = 0.5  # two words this alike are one word mistyped, not a conflict
RARE_NAME_INFORMATION: Final = 2.5  # summed token weights of a name this rare
COMMON_NAME_INFORMATION: Final = 1.5
FULLY_EXPLAINED: Final = 0.99  # listed-name coverage that counts as the whole name
RARE_WORD: Final = 0.8  # a token weight this high: a word few listed names share
RAW_FLOORS_KEPT: Final = 1_000  # floors whose raw score a scorer remembers (a top-10 floor is any score)

# The penalties a name comparison can carry: key -> the reason the explanation gives.
PENALTY_REASONS: Final = {
    "family_name_missed": "the listed family name is not in the query",
    "query_family_name_missed": "the query's family name is not in the listed name",
    "family_names_crossed": "each family name matches a given name of the other",
    "first_given_name_missed": "the listed first given name is not in the query",
    "names_conflict": "different name parts",
    "kin_names_conflict": "different names of a parent or child (after 'bin', 'abu')",
    "initials_conflict": "different initials",
    "lineage_reversed": "the names either side of 'bin' are swapped",
    "vessel_order_changed": "the words stand in another order",
    "vessel_number_missed": "a number is on one side only",
    "legal_forms_differ": "the legal forms make different kinds of company",
    "series_number_missed": "a number is in one organisation's name only",
}
NO_FORMS: Final[frozenset[str]] = frozenset()


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


def name_penalties(
    alignment: Alignment, query: tuple[Token, ...], candidate: CandidateName, schema: Schema,
    query_family: tuple[int, ...] = (), query_forms: frozenset[str] = NO_FORMS,
) -> list[tuple[str, str]]:
    """What lowers a name score beyond coverage: (penalty key, detail) for each that applies.
    `query_forms`: the kinds of company the query's legal forms make (text.tokens.legal_form_kinds)."""
    found: list[tuple[str, str]] = []
    listed_family_missed = _listed_family_missed(alignment, candidate)
    if listed_family_missed:
        found.append(("family_name_missed", ""))
    if query_family and not _family_matched(alignment, query_family):
        found.append(("query_family_name_missed", ""))
    elif query_family and not listed_family_missed and _family_names_crossed(alignment, query_family, candidate):
        found.append(("family_names_crossed", ""))
    if schema is PERSON and candidate.family and _first_given_name_missed(alignment, candidate):
        found.append(("first_given_name_missed", ""))
    conflict = _conflicting_words(query, alignment.query_matched, candidate.tokens, alignment.candidate_matched)
    if conflict and schema is PERSON and _kin_names_conflict(
        query, alignment.query_matched, candidate.tokens, alignment.candidate_matched
    ):
        found.append(("kin_names_conflict", conflict))
    elif conflict:
        found.append(("names_conflict", conflict))
    elif initials := _conflicting_initials(query, alignment.query_matched, candidate.tokens, alignment.candidate_matched):
        found.append(("initials_conflict", initials))
    if schema is PERSON and _lineage_reversed(alignment, query, candidate.tokens):
        found.append(("lineage_reversed", ""))
    if schema in FIXED_NAMES:
        # A vessel's name is a fixed string: 'STAR ORION' is not 'ORION STAR', 'SEA STAR III' not 'SEA STAR'.
        if alignment.crossed:
            found.append(("vessel_order_changed", ""))
        if _unmatched_number(query, alignment.query_matched) or _unmatched_number(
            candidate.tokens, alignment.candidate_matched
        ):
            found.append(("vessel_number_missed", ""))
        return found
    if schema in ORGANISATIONS and _series_number_missed(alignment, query, candidate.tokens):
        found.append(("series_number_missed", ""))
    if query_forms and schema is not PERSON:
        listed_forms = legal_form_kinds(candidate.value)
        if listed_forms and query_forms.isdisjoint(listed_forms):
            found.append(("legal_forms_differ", f"{'/'.join(sorted(query_forms))} / {'/'.join(sorted(listed_forms))}"))
    return found


def query_legal_forms(query: QueryForm, name: str) -> frozenset[str]:
    """The kinds of company one of the query's names says by its legal forms, where the query may name
    an organisation only (a person's name ending 'SA' or 'LLC' is no company: text.tokens)."""
    return legal_form_kinds(name) if query.kind == "org" else NO_FORMS


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


def _conflicting_initials(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> str:
    """Each name has an initial the other lacks, and no two of them agree: 'William G. Frost' is not
    'William W. Frost'. An initial against a word proves nothing: romanisations begin one name with
    different letters ('Olga G.' for 'Olga Hermanovna', Г being G or H). Returns them, or ''."""
    left = [t for i, t in enumerate(query) if i not in query_matched and t.kind is WORD and len(t.text) == 1]
    right = [t for i, t in enumerate(candidate) if i not in candidate_matched and t.kind is WORD and len(t.text) == 1]
    if not left or not right or any(a.text == b.text for a in left for b in right):
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
PARTICLE: Final = TokenKind.PARTICLE
_LINEAGE: Final = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})
_KUNYA: Final = frozenset({"abu", "abou", "umm"})  # 'father of', 'mother of': a name taken from one's child


def _kin_names_conflict(
    query: tuple[Token, ...], query_matched: frozenset[int], candidate: tuple[Token, ...], candidate_matched: frozenset[int]
) -> bool:
    """Each name has a word the other lacks where it names a parent or a child: after 'bin' (son of)
    or 'abu' (father of). Two names there say two people of one family ('Noureddine ben Ali' is the
    brother of 'Noureddine ben Mohamed'), more surely than a different word anywhere else does."""
    return _kin_name_left(query, query_matched) and _kin_name_left(candidate, candidate_matched)


def _kin_name_left(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    """Whether a word not aligned follows 'bin' or 'abu', articles between ('abu el Hassan')."""
    for i, token in enumerate(tokens):
        if i in matched or token.kind is not WORD or len(token.text) < 2:
            continue
        before = i - 1
        while before >= 0 and tokens[before].kind is PARTICLE and tokens[before].text not in _LINEAGE:
            before -= 1
        if before >= 0 and (tokens[before].text in _LINEAGE or tokens[before].text in _KUNYA):
            return True
    return False


def _lineage_reversed(alignment: Alignment, query: tuple[Token, ...], candidate: tuple[Token, ...]) -> bool:
    """'Salman bin Muhammad' is not 'Muhammad bin Salman': around 'son of' the order of the two
    names says who is whose son, so the query may not swap them. The query must say so too, with
    its own 'son of' between them: 'bin Salman Mohammed' is the same name with its words moved."""
    query_position = {c[0]: q[0] for _, q, c in alignment.links if len(q) == 1 and len(c) == 1}
    for i in range(1, len(candidate) - 1):
        if candidate[i].text in _LINEAGE:
            before, after = query_position.get(i - 1), query_position.get(i + 1)
            if before is not None and after is not None and before > after and any(
                t.text in _LINEAGE for t in query[after + 1 : before]
            ):
                return True
    return False


_ROMAN: Final = re.compile(r"x{0,3}(ix|iv|v?i{0,3})")  # a Roman number to 39 ('ii', 'xiv'); 'i', 'v', 'x' are initials


def _series_number_missed(alignment: Alignment, query: tuple[Token, ...], candidate: tuple[Token, ...]) -> bool:
    """One organisation's name carries a number (or a Roman one) the other lacks, and the other none
    it lacks: a number added to a name names another of a series ('Solutions II', a successor; 'Fund
    3'). Two numbers that differ are weighed as any two words that do: one may be the other mistyped."""
    return _unmatched_ordinal(query, alignment.query_matched) != _unmatched_ordinal(
        candidate, alignment.candidate_matched
    )


def _unmatched_ordinal(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    return any(
        i not in matched and (
            t.kind is TokenKind.NUMBER or (t.kind is WORD and len(t.text) > 1 and _ROMAN.fullmatch(t.text) is not None)
        )
        for i, t in enumerate(tokens)
    )


def _unmatched_number(tokens: tuple[Token, ...], matched: frozenset[int]) -> bool:
    return any(t.kind is TokenKind.NUMBER and i not in matched for i, t in enumerate(tokens))


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
        # A query exponent under 1 (a fully explained listed name) can lift a product under the floor.
        q_exponent = min(name_exponent, w.explained_query_exponent, w.alias_query_exponent if schema is PERSON else 1.0)
        exponent = c_exponent / q_exponent
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
                alignment = pair_aligner.align(
                    candidate.tokens, candidate.weighed(stats, share), beat ** (1.0 / q_exponent), exponent
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

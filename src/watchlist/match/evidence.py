"""The numbers of a token-alignment scorer: coverage exponents, penalty factors, qualifier weights.

A released algorithm's numbers are frozen: `watchlist-v1`'s were set by hand and stay here as they
were; `watchlist-v2`'s are fitted to data by `bench/fit_scorer.py` and ship in
`data/scorer-v2.yaml` (read by logic_v2). Changing the numbers means a new algorithm name.

A plain class, not a dataclass: compiled modules read its attributes in the scoring loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final


class Weights:
    """Name score = query coverage ** query exponent x listed-name coverage ** listed exponent x each
    penalty factor that applies; the qualifiers then add (or subtract) their weights."""

    __slots__ = (
        "alias_query_exponent", "country_match", "country_mismatch", "dob_exact", "dob_match", "dob_mismatch", "dob_mismatch_common_name",
        "dob_mismatch_ordinary_name", "dob_telling", "explained_query_exponent", "id_match", "other_candidate_exponent",
        "other_query_exponent", "patronymic_weight", "penalties", "person_candidate_exponent",
        "person_query_exponent", "qualifier_floor", "telling_dob_floor",
    )

    def __init__(self, values: Mapping[str, object]) -> None:
        self.person_query_exponent = _number(values, "person_query_exponent")
        self.person_candidate_exponent = _number(values, "person_candidate_exponent")
        self.other_query_exponent = _number(values, "other_query_exponent")
        self.other_candidate_exponent = _number(values, "other_candidate_exponent")
        # The query exponent when the query explains the whole of a rare listed name.
        self.explained_query_exponent = _number(values, "explained_query_exponent")
        # ... and when that listed name is a person's name with no family name marked, not one of syllables:
        # an alias, a short form by which one is known (logic_v1.listed_alias_explained).
        self.alias_query_exponent = _number(values, "alias_query_exponent")
        self.dob_match = _number(values, "dob_match")
        self.dob_exact = _number(values, "dob_exact")  # added to dob_match when the whole date agrees
        # Added to both when that date tells people apart (not 1 January: text.dates.telling_days).
        self.dob_telling = _number(values, "dob_telling")
        self.dob_mismatch = _number(values, "dob_mismatch")  # a rare name: the list may have the date wrong
        self.dob_mismatch_ordinary_name = _number(values, "dob_mismatch_ordinary_name")
        self.dob_mismatch_common_name = _number(values, "dob_mismatch_common_name")
        self.country_match = _number(values, "country_match")
        self.country_mismatch = _number(values, "country_mismatch")
        self.id_match = _number(values, "id_match")
        self.qualifier_floor = _number(values, "qualifier_floor")  # attributes only move a score this high
        # ... or this high where a telling whole birth date is the same on both sides.
        self.telling_dob_floor = _number(values, "telling_dob_floor")
        # The share of its weight a patronymic keeps: a father's name, translated between Russian,
        # Ukrainian and Belarusian more often than the person's own names (Grigorievich / Ryhorovich).
        self.patronymic_weight = _number(values, "patronymic_weight")
        raw = values.get("penalties")
        if not isinstance(raw, Mapping):
            raise TypeError("scorer weights: 'penalties' must map each penalty to its factor")
        self.penalties: dict[str, float] = {str(k): float(v) for k, v in raw.items()}

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {k: getattr(self, k) for k in self.__slots__ if k != "penalties"}
        out["penalties"] = dict(self.penalties)
        return out


def _number(values: Mapping[str, object], key: str) -> float:
    value = values.get(key)
    if not isinstance(value, (int, float)):
        raise TypeError(f"scorer weights: {key!r} must be a number, not {value!r}")
    return float(value)


V1_WEIGHTS: Final = Weights({
    "person_query_exponent": 1.0,
    "person_candidate_exponent": 0.5,  # a listed person's extra (middle) names cost less than the query's
    "other_query_exponent": 1.0,
    "other_candidate_exponent": 1.0,
    "explained_query_exponent": 1.0,
    "alias_query_exponent": 1.0,
    "dob_match": 0.06,
    "dob_exact": 0.0,
    "dob_telling": 0.0,
    "dob_mismatch": -0.12,
    "dob_mismatch_ordinary_name": -0.2,
    "dob_mismatch_common_name": -0.25,  # a conflicting birth date weighs more when the name is common
    "country_match": 0.03,
    "country_mismatch": -0.05,
    "id_match": 0.35,
    "qualifier_floor": 0.5,
    "telling_dob_floor": 0.5,
    "patronymic_weight": 1.0,
    "penalties": {
        "family_name_missed": 0.85,
        "query_family_name_missed": 0.85,
        "family_names_crossed": 0.85,
        "first_given_name_missed": 0.85,
        "names_conflict": 0.85,
        "initials_conflict": 0.85,  # counted as names_conflict until 2026-12: v1's scores stay as they were
        "lineage_reversed": 0.6,
        "vessel_order_changed": 0.85,
        "vessel_number_missed": 0.8,
        "kin_names_conflict": 0.85,  # names_conflict's: v1's scores stay as they were
        "series_number_missed": 1.0,  # added 2026-12 with a hand-set v2 factor: v1's scores stay as they were
        "legal_forms_differ": 1.0,  # v1 never weighed legal forms: its scores stay as they were
    },
})
